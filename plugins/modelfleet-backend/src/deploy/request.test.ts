import { modelDeployment } from './__testUtils__/objects';
import { parseDeploymentBody } from './request';

const body = (over: Record<string, unknown> = {}) => ({
  cluster: 'prod-use1',
  namespace: 'models',
  model: 'model:default/chat',
  manifests: modelDeployment('models'),
  idempotencyKey: 'task-1:deploy',
  ...over,
});

describe('parseDeploymentBody', () => {
  it('refuses unknown keys instead of dropping them, naming each', () => {
    // A misspelt `dryRun: true` must not turn into a real deploy.
    expect(() =>
      parseDeploymentBody(body({ dryrun: true, ownr: 'group:default/x' })),
    ).toThrow('dryrun: unknown key; ownr: unknown key');
  });
});
