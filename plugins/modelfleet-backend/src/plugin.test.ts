import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  createBackendModule,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { modelfleetPlugin } from './plugin';

jest.setTimeout(30_000);

const priceModule = createBackendModule({
  pluginId: 'modelfleet',
  moduleId: 'test-prices',
  register(reg) {
    reg.registerInit({
      deps: { connectors: modelfleetConnectorsExtensionPoint },
      async init({ connectors }) {
        connectors.addPriceSource({
          id: 'test-prices',
          async listPrices() {
            return [];
          },
        });
      },
    });
  },
});

describe('modelfleet backend plugin', () => {
  it('answers /health without credentials', async () => {
    const { server } = await startTestBackend({ features: [modelfleetPlugin] });
    const res = await request(server)
      .get('/api/modelfleet/health')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it("reads a deploy body up to 1 MB (a model's manifests), and refuses a larger one with 413", async () => {
    const { server } = await startTestBackend({ features: [modelfleetPlugin] });
    const deploy = (padding: number) =>
      request(server)
        .post('/api/modelfleet/deployments')
        .set('Authorization', mockCredentials.user.header())
        .send({
          cluster: 'no-such-cluster',
          namespace: 'models',
          model: 'model:default/chat',
          idempotencyKey: 'k',
          manifests: [
            {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: 'chat', namespace: 'models' },
              data: { padding: 'x'.repeat(padding) },
            },
          ],
        });
    // 300 kB: past express's default limit of 100 kB, within the API's.
    const large = await deploy(300_000);
    expect(large.status).toBe(400);
    expect(large.body.error.message).toMatch(/cluster/);
    const tooLarge = await deploy(1_200_000);
    expect(tooLarge.status).toBe(413);
  });

  it('requires a caller for /status', async () => {
    const { server } = await startTestBackend({ features: [modelfleetPlugin] });
    const res = await request(server)
      .get('/api/modelfleet/status')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('schedules housekeeping globally, records its runs and reports state', async () => {
    const scheduled: Array<
      SchedulerServiceTaskInvocationDefinition &
        SchedulerServiceTaskScheduleDefinition
    > = [];
    const scheduler = mockServices.scheduler.mock({
      async scheduleTask(task) {
        scheduled.push(task);
      },
    });
    const permissionsRegistry = mockServices.permissionsRegistry.mock();
    const { server } = await startTestBackend({
      features: [
        modelfleetPlugin,
        priceModule,
        scheduler.factory,
        permissionsRegistry.factory,
      ],
    });

    expect(scheduled.map(t => [t.id, t.scope])).toEqual([
      ['modelfleet-cluster-sync', 'global'],
      ['modelfleet-price-refresh', 'global'],
      ['modelfleet-showback', 'global'],
      ['modelfleet-bill-ingest', 'global'],
      ['modelfleet-housekeeping', 'global'],
      ['modelfleet-hibernation', 'global'],
      ['modelfleet-pool-history', 'global'],
      ['modelfleet-spot-fallback', 'global'],
      ['modelfleet-arbitrage', 'global'],
      ['modelfleet-recommendations', 'global'],
    ]);
    expect(scheduled[4].frequency).toEqual({ minutes: 10 });
    expect(scheduled[5].frequency).toEqual({ seconds: 30 });
    // The pools' history, the spot fallback, the arbitrage.
    expect(scheduled[6].frequency).toEqual({ seconds: 30 });
    expect(scheduled[7].frequency).toEqual({ seconds: 20 });
    expect(scheduled[8].frequency).toEqual({ minutes: 10 });
    expect(permissionsRegistry.addPermissions).toHaveBeenCalledWith(
      expect.arrayContaining([
        expect.objectContaining({ name: 'modelfleet.cost.read' }),
      ]),
    );

    const before = await request(server)
      .get('/api/modelfleet/status')
      .set('Authorization', mockCredentials.user.header());
    expect(before.status).toBe(200);
    expect(before.body.connectors).toEqual({
      clusters: 0,
      metrics: 0,
      // The bundled catalog and the test module's source.
      prices: 2,
      bills: 0,
    });
    expect(before.body.database.migrations).toEqual([
      '20261124_init.js',
      '20261125_fleet_state.js',
      '20261126_price_book.js',
      '20261201_showback.js',
      '20261203_actions.js',
      '20261208_showback_reads.js',
      '20261211_hibernation.js',
      '20261212_hibernation_savings.js',
      '20261213_action_details.js',
      '20261214_pool_history.js',
      '20261215_allocated_unused.js',
      '20261216_recommendations.js',
      '20261217_savings_ledger.js',
      '20261218_fleet_nodes.js',
    ]);
    expect(before.body.demo).toBe(false);
    expect(before.body.tasks).toEqual([
      {
        id: 'modelfleet-cluster-sync',
        schedule: 'every 1 minute',
        scope: 'global',
      },
      {
        id: 'modelfleet-price-refresh',
        schedule: 'every 6 hours',
        scope: 'global',
      },
      {
        id: 'modelfleet-showback',
        schedule: 'every 15 minutes',
        scope: 'global',
      },
      {
        id: 'modelfleet-bill-ingest',
        schedule: 'every 6 hours',
        scope: 'global',
      },
      {
        id: 'modelfleet-housekeeping',
        schedule: 'every 10 minutes',
        scope: 'global',
      },
      {
        id: 'modelfleet-hibernation',
        schedule: 'every 30 seconds',
        scope: 'global',
      },
      {
        id: 'modelfleet-pool-history',
        schedule: 'every 30 seconds',
        scope: 'global',
      },
      {
        id: 'modelfleet-spot-fallback',
        schedule: 'every 20 seconds',
        scope: 'global',
      },
      {
        id: 'modelfleet-arbitrage',
        schedule: 'every 10 minutes',
        scope: 'global',
      },
      {
        id: 'modelfleet-recommendations',
        schedule: 'every 15 minutes',
        scope: 'global',
      },
    ]);

    await scheduled[4].fn(new AbortController().signal);

    const after = await request(server)
      .get('/api/modelfleet/status')
      .set('Authorization', mockCredentials.service.header());
    expect(after.body.tasks[4].lastRun).toMatchObject({
      taskId: 'modelfleet-housekeeping',
      status: 'succeeded',
      detail: expect.stringMatching(
        /^Pruned 0 loop run\(s\) older than 30 days; .*; forgot 0 wake\(s\) older than 400 days$/,
      ),
    });
  });

  it('refuses to start on an invalid housekeeping config', async () => {
    await expect(
      startTestBackend({
        features: [
          modelfleetPlugin,
          mockServices.rootConfig.factory({
            data: { modelfleet: { housekeeping: { retention: 'never' } } },
          }),
        ],
      }),
    ).rejects.toThrow(/modelfleet\.housekeeping\.retention/);
  });

  it('rejects two connectors with the same id', async () => {
    await expect(
      startTestBackend({
        features: [
          modelfleetPlugin,
          priceModule,
          createBackendModule({
            pluginId: 'modelfleet',
            moduleId: 'dup',
            register(reg) {
              reg.registerInit({
                deps: { connectors: modelfleetConnectorsExtensionPoint },
                async init({ connectors }) {
                  connectors.addPriceSource({
                    id: 'test-prices',
                    listPrices: async () => [],
                  });
                },
              });
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      /price source with id 'test-prices' is already registered/,
    );
  });
});

describe('GET /policies/effective', () => {
  async function server() {
    return (
      await startTestBackend({
        features: [
          modelfleetPlugin,
          mockServices.rootConfig.factory({
            data: {
              modelfleet: {
                policies: {
                  defaults: { monthlyBudgetUsd: 10000 },
                  teams: { 'ml-team': { spot: 'forbid' } },
                },
              },
            },
          }),
        ],
      })
    ).server;
  }

  it('returns the merged policy with sources', async () => {
    const res = await request(await server())
      .get('/api/modelfleet/policies/effective?team=ml-team')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.team).toBe('group:default/ml-team');
    expect(res.body.policy.spot).toBe('forbid');
    expect(res.body.sources.spot).toBe(
      'modelfleet.policies.teams.ml-team.spot',
    );
    expect(res.body.policy.monthlyBudgetUsd).toBe(10000);
    expect(res.body.sources.dryRun).toBe('builtin');
  });

  it('answers 400 naming the team parameter', async () => {
    const srv = await server();
    const twice = await request(srv)
      .get('/api/modelfleet/policies/effective?team=a&team=b')
      .set('Authorization', mockCredentials.user.header());
    expect(twice.status).toBe(400);
    expect(twice.body.error.message).toMatch(/^team: /);
    const component = await request(srv)
      .get('/api/modelfleet/policies/effective?team=component:default/x')
      .set('Authorization', mockCredentials.user.header());
    expect(component.status).toBe(400);
    expect(component.body.error.message).toMatch(
      /^team: .*must refer to a Group/,
    );
  });

  it('stops the backend on an invalid policy, naming the key', async () => {
    await expect(
      startTestBackend({
        features: [
          modelfleetPlugin,
          mockServices.rootConfig.factory({
            data: {
              modelfleet: { policies: { defaults: { spot: 'always' } } },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/modelfleet\.policies\.defaults\.spot/);
  });
});

describe('GET /prices', () => {
  it('serves the bundled catalog after a refresh, with eligibility, and names bad parameters', async () => {
    const scheduled: Array<{ id: string; fn: Function }> = [];
    const scheduler = mockServices.scheduler.mock({
      async scheduleTask(task) {
        scheduled.push(task as any);
      },
    });
    const { server } = await startTestBackend({
      features: [modelfleetPlugin, scheduler.factory],
    });
    await scheduled
      .find(t => t.id === 'modelfleet-price-refresh')!
      .fn(new AbortController().signal);

    const res = await request(server)
      .get(
        '/api/modelfleet/prices?provider=aws&region=us-east-1&instanceType=g6.xlarge',
      )
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    const onDemand = res.body.items.filter(
      (q: any) => q.capacityType === 'on-demand',
    );
    expect(onDemand.length).toBeGreaterThan(0);
    expect(onDemand[0]).toMatchObject({
      usdPerHour: 0.8048,
      eligibleForCheapest: true,
      gpu: { product: 'L4' },
    });

    const p5e = await request(server)
      .get('/api/modelfleet/prices?instanceType=p5e.48xlarge')
      .set('Authorization', mockCredentials.user.header());
    const unknown = p5e.body.items.filter(
      (q: any) => q.capacityType === 'on-demand',
    );
    expect(
      unknown.every(
        (q: any) => q.usdPerHour === null && !q.eligibleForCheapest,
      ),
    ).toBe(true);

    const bad = await request(server)
      .get('/api/modelfleet/prices?provider=oracle')
      .set('Authorization', mockCredentials.user.header());
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /^provider: must be one of aws, gcp, azure, other/,
    );
  });

  it('serves cost reports: 400 naming a bad parameter, 403 when modelfleet.cost.read is denied', async () => {
    const { server } = await startTestBackend({ features: [modelfleetPlugin] });
    const ok = await request(server).get(
      '/api/modelfleet/cost/entity/group/default/search-team?from=2026-11-01&to=2026-11-08&granularity=week',
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      scope: 'team',
      entityRef: 'group:default/search-team',
      from: '2026-11-01',
      to: '2026-11-08',
      currency: 'USD',
      total: { costUsd: 0, daysWithData: 0 },
      series: [
        { date: '2026-11-01', costUsd: 0 },
        { date: '2026-11-02', costUsd: 0 },
      ],
    });

    for (const [query, message] of [
      ['from=2026-13-01', /^from: must be a date/],
      ['from=2026-11-10&to=2026-11-01', /^to: must be after from/],
      ['granularity=hour', /^granularity: must be one of day, week, month/],
      [
        'from=2025-01-01&to=2026-11-01',
        /^to: the period may span at most 400 days/,
      ],
    ] as const) {
      const bad = await request(server).get(
        `/api/modelfleet/cost/fleet?${query}`,
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(message);
    }
    const kind = await request(server).get(
      '/api/modelfleet/cost/entity/component/default/x',
    );
    expect(kind.status).toBe(400);
    expect(kind.body.error.message).toMatch(
      /^kind: must be one of model, gpupool, group/,
    );

    const denied = await startTestBackend({
      features: [
        modelfleetPlugin,
        mockServices.permissions.mock({
          authorize: async () => [{ result: AuthorizeResult.DENY }],
          authorizeConditional: async () => [{ result: AuthorizeResult.DENY }],
        }).factory,
      ],
    });
    const no = await request(denied.server).get(
      '/api/modelfleet/cost/entity/model/default/llama',
    );
    expect(no.status).toBe(403);
    expect(no.body.error.message).toMatch(
      /modelfleet.cost.read is not allowed on model:default\/llama/,
    );
    const fleet = await request(denied.server).get(
      '/api/modelfleet/cost/fleet',
    );
    expect(fleet.status).toBe(403);
  });
});
