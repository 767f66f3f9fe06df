import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleModelfleet } from './module';

// Loading the Kubernetes schemas and starting backends is slow on a loaded CI machine.
jest.setTimeout(60_000);

describe('scaffolderModuleModelfleet', () => {
  it('adds the ModelFleet actions to the scaffolder', async () => {
    const addActions = jest.fn();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [scaffolderModuleModelfleet],
    });
    const ids = addActions.mock.calls.flat().map((a: { id: string }) => a.id);
    expect(ids).toEqual([
      'modelfleet:model:estimate-memory',
      'modelfleet:placement:recommend',
      'modelfleet:manifests:render',
      'modelfleet:deploy',
      'modelfleet:publish:local',
      'modelfleet:catalog:register-local',
    ]);
  });
});
