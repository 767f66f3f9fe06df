import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import plugin from './alpha';

describe('alpha plugin', () => {
  it('has the modelfleet id and a page at /modelfleet with a nav title', () => {
    expect(plugin.id).toBe('modelfleet');
    const tester = createExtensionTester(
      plugin.getExtension('page:modelfleet'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/modelfleet');
    expect(tester.get(coreExtensionData.title)).toBe('ModelFleet');
  });
});
