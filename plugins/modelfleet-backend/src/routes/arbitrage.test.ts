import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { startModelActionsBackend } from '../__testUtils__/modelActionsBackend';

jest.setTimeout(30_000);

const workload = {
  cluster: 'c1',
  namespace: 'vision',
  kind: 'Deployment' as const,
  name: 'sdxl',
};

/** A backend where only `user:default/jane` may read `sdxl`'s costs. */
async function start() {
  const { server } = await startModelActionsBackend({
    workload,
    entities: [
      {
        apiVersion: 'modelfleet.io/v1alpha1',
        kind: 'Model',
        metadata: { name: 'sdxl', namespace: 'default' },
        spec: { owner: 'group:default/vision-team', workload },
      },
    ],
    permissions: mockServices.permissions.mock({
      authorize: async (requests, options) =>
        requests.map(() => ({
          result:
            (options?.credentials.principal as { userEntityRef?: string })
              ?.userEntityRef === 'user:default/jane'
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        })),
    }).factory,
  });
  return server;
}

const jane = mockCredentials.user.header('user:default/jane');
const bob = mockCredentials.user.header('user:default/bob');

describe('GET /models/:namespace/:name/arbitrage', () => {
  it('answers with the policy, and says what it cannot price (no cluster sync has seen its pool)', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/modelfleet/models/default/sdxl/arbitrage')
      .set('Authorization', jane);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'model:default/sdxl',
      mode: 'recommend',
      minSavingsPercent: 20,
      paybackHorizonHours: 168,
      minAvailability: 0.99,
      replicas: 2,
      options: [],
      missing: 'the pool of Deployment vision/sdxl on cluster c1 is not known',
    });
  });

  it('refuses someone who may not read the model costs, and names an unknown model and a bad name', async () => {
    const server = await start();
    const denied = await request(server)
      .get('/api/modelfleet/models/default/sdxl/arbitrage')
      .set('Authorization', bob);
    expect(denied.status).toBe(403);
    expect(JSON.stringify(denied.body)).not.toMatch(/options/);
    const unknown = await request(server)
      .get('/api/modelfleet/models/default/nope/arbitrage')
      .set('Authorization', jane);
    expect(unknown.status).toBe(404);
    const bad = await request(server)
      .get('/api/modelfleet/models/default/a%20b/arbitrage')
      .set('Authorization', jane);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/name/);
  });
});
