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

const model = (name: string, owner: string) => ({
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name, namespace: 'default' },
  spec: { owner, workload: { ...workload, name } },
});

/** A backend where only `user:default/jane` may read `sdxl`'s costs. */
async function start() {
  return (await startWithCluster()).server;
}

async function startWithCluster() {
  return startModelActionsBackend({
    workload,
    entities: [
      model('sdxl', 'group:default/vision-team'),
      model('chat', 'group:default/assistant-team'),
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
}

const jane = mockCredentials.user.header('user:default/jane');
const bob = mockCredentials.user.header('user:default/bob');

describe('GET /models/:namespace/:name/hibernation', () => {
  it("reports a model's state, autoscaler, policy and savings", async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/modelfleet/models/default/sdxl/hibernation')
      .set('Authorization', jane);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'model:default/sdxl',
      mode: 'recommend',
      dryRun: true,
      demo: false,
      state: 'warm',
      replicas: { desired: 2, ready: 2 },
      autoscaler: { cluster: 'c1', kind: 'ScaledObject', name: 'sdxl' },
      wakes: [],
      coldStarts: 0,
      wakeSeconds: { p50: null, p95: null },
      savings: { gpuHours: 0, usd: 0 },
    });
    // By default the last 30 days and today, `to` excluded.
    const days = (Date.parse(res.body.to) - Date.parse(res.body.from)) / 864e5;
    expect(days).toBe(30);
    expect(Date.parse(res.body.to)).toBeGreaterThan(Date.now());
  });

  it('takes a period, and names a bad date', async () => {
    const server = await start();
    const res = await request(server)
      .get(
        '/api/modelfleet/models/default/sdxl/hibernation?from=2026-11-01&to=2026-11-08',
      )
      .set('Authorization', jane);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: '2026-11-01', to: '2026-11-08' });

    const bad = await request(server)
      .get('/api/modelfleet/models/default/sdxl/hibernation?from=yesterday')
      .set('Authorization', jane);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/from/);
  });

  it('refuses someone who may not read the model costs, and names an unknown model', async () => {
    const server = await start();
    const denied = await request(server)
      .get('/api/modelfleet/models/default/sdxl/hibernation')
      .set('Authorization', bob);
    expect(denied.status).toBe(403);
    expect(JSON.stringify(denied.body)).not.toMatch(/savings/);

    const unknown = await request(server)
      .get('/api/modelfleet/models/default/nope/hibernation')
      .set('Authorization', jane);
    expect(unknown.status).toBe(404);

    const badName = await request(server)
      .get('/api/modelfleet/models/default/a%20b/hibernation')
      .set('Authorization', jane);
    expect(badName.status).toBe(400);
    expect(badName.body.error.message).toMatch(/name/);
  });

  it('says a model of the sleep idle tier whose engine sleeps is asleep, and offers it Sleep now only then', async () => {
    const { server, cluster } = await startWithCluster();
    const chat = { ...workload, name: 'chat' };
    const get = (path: string) =>
      request(server)
        .get(`/api/modelfleet/models/default/chat/${path}`)
        .set('Authorization', jane);
    // Deployed without the tier: no Sleep now at all.
    expect((await get('capabilities')).body.sleep).toBeUndefined();
    cluster.workload(chat).metadata.annotations = {
      'modelfleet.io/idle-tier': 'sleep',
    };
    expect((await get('capabilities')).body.sleep).toEqual({ allowed: true });
    expect((await get('hibernation')).body.state).toBe('warm');
    cluster.sleeping.set('c1/Deployment/vision/chat', true);
    const asleep = await get('hibernation');
    expect(asleep.body).toMatchObject({
      state: 'asleep',
      replicas: { desired: 1, ready: 1 },
      idleTier: 'sleep',
      sleepWakeSeconds: 5,
    });
    const caps = (await get('capabilities')).body;
    expect(caps.sleep).toEqual({
      allowed: false,
      reason: 'Its engine is asleep',
    });
    // Wake now wakes the engine.
    expect(caps.wake).toEqual({ allowed: true });
  });
});
