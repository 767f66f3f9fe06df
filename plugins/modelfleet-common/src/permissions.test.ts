import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  modelfleetCostReadPermission,
  modelfleetPermissions,
} from './permissions';

describe('modelfleetPermissions', () => {
  it('has unique names under the modelfleet namespace', () => {
    const names = modelfleetPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names)
      expect(name).toMatch(/^modelfleet\.[a-z]+\.[a-z]+$/);
  });

  it('guards cost reads per catalog entity', () => {
    expect(
      isResourcePermission(modelfleetCostReadPermission, 'catalog-entity'),
    ).toBe(true);
  });
});
