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

describe('POST /models/:namespace/:name/migrations', () => {
  const post = (server: any, body: unknown, auth = jane, name = 'sdxl') =>
    request(server)
      .post(`/api/modelfleet/models/default/${name}/migrations`)
      .set('Authorization', auth)
      .send(body as object);

  it('names each bad field, and stores nothing', async () => {
    const server = await start();
    for (const [body, field] of [
      [{}, /^pool: must be a GpuPool entity ref/],
      [{ pool: 3 }, /^pool:/],
      [
        { pool: 'gpupool:default/x', dryRun: 'yes' },
        /^dryRun: must be true or false/,
      ],
      [{ pool: 'gpupool:default/x', reason: 5 }, /^reason: must be a string/],
      [{ pool: 'gpupool:default/x', force: true }, /^force: is not a field/],
      [[1], /body/],
    ] as const) {
      const res = await post(server, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(field);
    }
    const actions = await request(server)
      .get('/api/modelfleet/actions')
      .set('Authorization', jane);
    expect(actions.body.actions).toEqual([]);
  });

  it('refuses someone who may not apply recommendations to the model, and says why a model cannot move yet', async () => {
    const server = await start();
    const denied = await post(server, { pool: 'gpupool:default/c2.l4' }, bob);
    expect(denied.status).toBe(403);
    const unknown = await post(
      server,
      { pool: 'gpupool:default/c2.l4' },
      jane,
      'nope',
    );
    expect(unknown.status).toBe(404);
    // No cluster sync has seen its pool: nothing to move from.
    const missing = await post(server, { pool: 'gpupool:default/c2.l4' });
    expect(missing.status).toBe(409);
    expect(missing.body.error.message).toMatch(
      /^migrate: the pool of Deployment vision\/sdxl on cluster c1 is not known/,
    );
  });
});
