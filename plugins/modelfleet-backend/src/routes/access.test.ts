import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import request from 'supertest';
import { startModelActionsBackend } from '../__testUtils__/modelActionsBackend';
import { policyPermissions } from '../__testUtils__/policyPermissions';

jest.setTimeout(30_000);

/*
 * Who may act on a model, decided as the portal decides: ModelFleet's
 * permission policy gives a conditional decision to anyone outside a
 * platform team, and the catalog rule says whether the model is theirs.
 */

const workload = {
  cluster: 'c1',
  namespace: 'ml',
  kind: 'Deployment' as const,
  name: 'sdxl',
};

const model = (name: string, owner: string) => ({
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name, namespace: 'default' },
  spec: { owner, workload: { ...workload, name } },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

const group = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

const entities = [
  model('sdxl', 'group:default/vision-team'),
  model('chat', 'group:default/assistant-team'),
  group('vision-team'),
  group('assistant-team'),
];

const users = {
  ops: 'user:default/ops',
  eli: 'user:default/eli',
  chen: 'user:default/chen',
};
const as = (user: string) => mockCredentials.user.header(user);

/** ops is in the platform team, eli in vision-team, chen in assistant-team. */
const permissions = () =>
  policyPermissions({
    entities,
    teamsOf: {
      [users.ops]: ['group:default/platform-team'],
      [users.eli]: ['group:default/vision-team'],
      [users.chen]: ['group:default/assistant-team'],
    },
  }).factory;

function start() {
  return startModelActionsBackend({
    workload,
    entities,
    permissions: permissions(),
  });
}

describe('who may act on a model', () => {
  it('offers a model’s actions to its team and the platform team only', async () => {
    const { server, cluster } = await start();
    const caps = await request(server)
      .get('/api/modelfleet/models/default/sdxl/capabilities')
      .set('Authorization', as(users.chen));
    expect(caps.status).toBe(200);
    for (const k of ['scale', 'hibernate', 'wake', 'approve']) {
      expect(caps.body[k]).toEqual({
        allowed: false,
        reason: expect.stringMatching(
          /permission on this model \(its team and the platform teams have it\)/,
        ),
      });
    }
    const refused = await request(server)
      .post('/api/modelfleet/models/default/sdxl/hibernate')
      .set('Authorization', as(users.chen));
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'modelfleet.model.hibernate is not allowed on model:default/sdxl',
    );
    const none = await request(server)
      .get('/api/modelfleet/actions?entity=model:default/sdxl')
      .set('Authorization', as(users.eli));
    expect(none.body.actions).toEqual([]);
    expect((cluster.workload(workload).spec as any).replicas).toBe(2);

    const own = await request(server)
      .get('/api/modelfleet/models/default/sdxl/capabilities')
      .set('Authorization', as(users.eli));
    expect(own.body.hibernate).toEqual({ allowed: true });
    const done = await request(server)
      .post('/api/modelfleet/models/default/sdxl/hibernate')
      .set('Authorization', as(users.eli));
    expect(done.status).toBe(201);
  });

  it('shows and lets approve a planned action only to the model’s team and the platform team', async () => {
    const { server } = await start();
    const planned = await request(server)
      .post('/api/modelfleet/models/default/chat/scale')
      .set('Authorization', as(users.ops))
      .send({ replicas: 3 });
    expect(planned.status).toBe(201);
    expect(planned.body.state).toBe('planned');
    const id = planned.body.id;

    // Another team's member: filtered from the list, refused by id and entity.
    const list = await request(server)
      .get('/api/modelfleet/actions')
      .set('Authorization', as(users.eli));
    expect(list.status).toBe(200);
    expect(list.body.actions.map((a: any) => a.id)).not.toContain(id);
    for (const path of [
      `/api/modelfleet/actions/${id}`,
      '/api/modelfleet/actions?entity=model:default/chat',
    ]) {
      const r = await request(server)
        .get(path)
        .set('Authorization', as(users.eli));
      expect(r.status).toBe(403);
    }
    const approve = await request(server)
      .post(`/api/modelfleet/actions/${id}/approve`)
      .set('Authorization', as(users.eli));
    expect(approve.status).toBe(403);
    const still = await request(server)
      .get(`/api/modelfleet/actions/${id}`)
      .set('Authorization', as(users.ops));
    expect(still.body.state).toBe('planned');

    // The model's team: listed, and may approve.
    const theirs = await request(server)
      .get('/api/modelfleet/actions')
      .set('Authorization', as(users.chen));
    expect(theirs.body.actions.map((a: any) => a.id)).toContain(id);
    const ok = await request(server)
      .post(`/api/modelfleet/actions/${id}/approve`)
      .set('Authorization', as(users.chen));
    expect(ok.status).toBe(200);
    expect(ok.body.approvedBy).toBe(users.chen);
  });

  it('refuses another team’s costs and budget, and the whole fleet’s, to a team member', async () => {
    const { server } = await start();
    const get = (path: string, user: string) =>
      request(server)
        .get(`/api/modelfleet${path}`)
        .set('Authorization', as(user));
    for (const [path, user, status] of [
      ['/cost/entity/model/default/sdxl', users.chen, 403],
      ['/cost/entity/model/default/sdxl', users.eli, 200],
      ['/cost/entity/group/default/vision-team', users.chen, 403],
      ['/cost/entity/group/default/vision-team', users.eli, 200],
      ['/utilization/entity/model/default/sdxl', users.chen, 403],
      ['/policies/effective?team=vision-team', users.chen, 403],
      ['/policies/effective?team=vision-team', users.eli, 200],
      ['/policies/effective', users.chen, 200],
      ['/utilization/fleet', users.eli, 403],
      ['/utilization/fleet', users.ops, 200],
      ['/bills/reconciliation', users.eli, 403],
      ['/bills/reconciliation', users.ops, 200],
    ] as const) {
      const r = await get(path, user);
      expect({ path, user, status: r.status }).toEqual({ path, user, status });
    }
    // Fleet-wide cost answers a team member with their teams only.
    const fleet = await get('/cost/fleet', users.eli);
    expect(fleet.status).toBe(200);
    expect(fleet.body.restrictedTo).toEqual([]);
    const whole = await get('/cost/fleet', users.ops);
    expect(whole.body.restrictedTo).toBeUndefined();
  });
});

describe('what a team member sees of the fleet', () => {
  const observed = (name: string, cluster = 'c1') => ({
    ...workload,
    cluster,
    name,
    modelId: name,
    replicas: { desired: 1, ready: 1 },
    gpusPerReplica: 1,
    pool: 'g6-l4',
  });
  // c1 runs both teams' models and one workload no Model claims.
  const fleetModule = createBackendModule({
    pluginId: 'modelfleet',
    moduleId: 'test-fleet',
    register(reg) {
      reg.registerInit({
        deps: { connectors: modelfleetConnectorsExtensionPoint },
        async init({ connectors }) {
          connectors.addClusterConnector({
            id: 'test-fleet',
            async listClusters() {
              return [{ name: 'c1', provider: 'aws', region: 'us-east-1' }];
            },
            async snapshot(cluster) {
              return {
                cluster: { name: cluster, provider: 'aws' },
                observedAt: new Date().toISOString(),
                pools: [],
                workloads: ['sdxl', 'chat', 'stray'].map(n => observed(n)),
              };
            },
          });
        },
      });
    },
  });

  it('lists only the workloads of models whose costs the caller may see', async () => {
    const scheduled: Array<{ id: string; fn: Function }> = [];
    const scheduler = mockServices.scheduler.mock({
      async scheduleTask(task) {
        scheduled.push(task as any);
      },
    });
    const { server } = await startModelActionsBackend({
      workload,
      entities,
      permissions: permissions(),
      features: [fleetModule, scheduler.factory],
    });
    const sync = scheduled.find(t => t.id === 'modelfleet-cluster-sync');
    await sync!.fn(new AbortController().signal);
    const names = async (user: string) => {
      const r = await request(server)
        .get('/api/modelfleet/workloads')
        .set('Authorization', as(user));
      expect(r.status).toBe(200);
      return r.body.items.map((w: { name: string }) => w.name).sort();
    };
    expect(await names(users.ops)).toEqual(['chat', 'sdxl', 'stray']);
    expect(await names(users.eli)).toEqual(['sdxl']);
    expect(await names(users.chen)).toEqual(['chat']);
    // Where each model runs is the catalog's to show (its runsOn).
    const placements = await request(server)
      .get('/api/modelfleet/placements')
      .set('Authorization', as(users.chen));
    expect(placements.status).toBe(200);
    expect(placements.body.items).toEqual(
      ['chat', 'sdxl', 'stray'].map(n => ({
        entityRef: `model:default/${n}`,
        pools: ['gpupool:default/c1.g6-l4'],
      })),
    );
    // Shared capacity and public prices are anyone's to see.
    for (const path of ['/clusters', '/pools', '/prices', '/status']) {
      const r = await request(server)
        .get(`/api/modelfleet${path}`)
        .set('Authorization', as(users.chen));
      expect({ path, status: r.status }).toEqual({ path, status: 200 });
    }
    const clusters = await request(server)
      .get('/api/modelfleet/clusters')
      .set('Authorization', as(users.chen));
    expect(clusters.body.items.map((c: { name: string }) => c.name)).toEqual([
      'c1',
    ]);
  });
});
