import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import yaml from 'yaml';
import { validateManifests } from '../manifests';
import { teamCatalog } from '../__testUtils__/teams';
import { createRenderManifestsAction } from './renderManifests';
import { examples } from './renderManifests.examples';

// Loading the Kubernetes schemas and starting backends is slow on a loaded CI machine.
jest.setTimeout(60_000);

describe('modelfleet:manifests:render examples', () => {
  const action = createRenderManifestsAction({ catalog: teamCatalog() });
  const mockDir = createMockDirectory();

  beforeEach(() => mockDir.clear());

  it.each(examples.map(e => [e.description, e.example]))(
    '%s',
    async (_d, example) => {
      const [step] = yaml.parse(example).steps;
      expect(step.action).toBe(action.id);
      const ctx = createMockActionContext({
        input: step.input,
        workspacePath: mockDir.path,
      });
      await action.handler(ctx as any);
      const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
      expect(out.entityRef).toBe(`model:default/${step.input.name}`);
      expect(await validateManifests(out.manifests)).toEqual([]);
      for (const file of out.files) {
        expect(fs.existsSync(mockDir.resolve(file))).toBe(true);
      }
    },
  );
});
