import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CostReport,
  GpuPoolObservation,
} from '@modelfleet/plugin-modelfleet-common';
import { MetricsSource } from '@modelfleet/plugin-modelfleet-node';
import express from 'express';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { MemoryActuator } from '../__testUtils__/MemoryActuator';
import { policyPermissions } from '../__testUtils__/policyPermissions';
import { ActionService } from '../actions/ActionService';
import { createActuatorDirectory } from '../actions/actuatorDirectory';
import { ModelTargets } from '../actions/ModelTargets';
import { ActionStore } from '../database/ActionStore';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { FleetStateStore } from '../database/FleetStateStore';
import { PriceBookStore } from '../database/PriceBookStore';
import { PolicyService } from '../policy/PolicyService';
import { RecommendationService } from '../recommendations/RecommendationService';
import { RecommendationStateStore } from '../recommendations/RecommendationStateStore';
import { modelLookupOf } from '../showback/ModelDirectory';
import { createRecommendationsTask } from '../recommendations/task';
import { createRecommendationsRouter } from './recommendations';
import { jsonBody } from './requestParsing';

jest.setTimeout(60_000);

const NOW = new Date('2026-12-06T12:00:00Z');
const workload = (name: string) => ({
  cluster: 'c1',
  namespace: 'ml',
  kind: 'Deployment' as const,
  name,
});
const model = (name: string, team: string): Entity => ({
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name, namespace: 'default' },
  spec: { owner: `group:default/${team}`, workload: workload(name) },
  relations: [{ type: 'ownedBy', targetRef: `group:default/${team}` }],
});
const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});
const entities = [
  model('reranker', 'search-team'),
  model('sdxl', 'vision-team'),
  group('search-team'),
  group('vision-team'),
  group('platform-team'),
];

const pool = (
  name: string,
  over: Pick<GpuPoolObservation, 'nodes' | 'gpus'>,
): GpuPoolObservation => ({
  cluster: 'c1',
  name,
  provider: 'azure' as const,
  region: 'eastus',
  zones: [],
  instanceType: `vm-${name}`,
  capacityType: 'on-demand' as const,
  gpu: {
    product: 'A100',
    memoryMiB: 40960,
    perNode: 1,
    sharing: 'whole' as const,
  },
  ...over,
});

/** 14 days, hourly: the reranker's 4 replicas at 10 % serve 4 req/s. */
const metrics: MetricsSource = {
  id: 'test-metrics',
  async query(metric, m, window) {
    if (m.modelId !== 'reranker') return [];
    const points: Array<[number, number]> = [];
    for (
      let t = window.start.getTime() / 1000;
      t <= window.end.getTime() / 1000;
      t += window.stepSeconds
    ) {
      const v = { gpuMemoryUsedMiB: 8192, gpuUtilization: 10 }[
        metric as string
      ];
      points.push([t, v ?? 4]);
    }
    return [{ labels: {}, points }];
  },
};

/** The cost roll-ups' view: the empty pool's unallocated capacity, sdxl's unused GPU time. */
const costs = {
  defaultQuery: () => ({
    from: '2026-11-06',
    to: '2026-12-06',
    granularity: 'day' as const,
  }),
  async cost(scope: string, ref: string | null) {
    const total = {
      costUsd: scope === 'model' ? 1000 : 9000,
      unusedUsd: scope === 'model' && ref === 'model:default/sdxl' ? 600 : 0,
      idleUsd: 0,
      gpuHours: 0,
      savedGpuHours: 0,
      savedUsd: 0,
      daysWithData: 30,
    };
    return {
      total,
      breakdown: {
        models: [],
        pools: [],
        teams: [],
        unallocated: {
          pools: [{ entityRef: 'gpupool:default/c1.empty', idleUsd: 2600 }],
        },
      },
    } as unknown as CostReport;
  },
};

async function start(
  id: Parameters<ReturnType<typeof createTestDatabases>['init']>[0],
  databases: ReturnType<typeof createTestDatabases>,
) {
  const knex = (
    await DatabaseModelFleetStore.fromKnex(await databases.init(id))
  ).knex;
  const fleet = new FleetStateStore(knex);
  await fleet.recordSnapshot('test', {
    cluster: { name: 'c1', provider: 'azure', region: 'eastus' },
    observedAt: NOW.toISOString(),
    pools: [
      pool('a100', {
        nodes: { current: 6 },
        gpus: { allocatable: 6, allocated: 6 },
      }),
      pool('empty', {
        nodes: { current: 1, min: 1 },
        gpus: { allocatable: 1, allocated: 0 },
      }),
    ],
    workloads: [
      {
        ...workload('reranker'),
        modelId: 'reranker',
        replicas: { desired: 4, ready: 4 },
        gpusPerReplica: 1,
        pool: 'a100',
      },
      {
        ...workload('sdxl'),
        modelId: 'sdxl',
        replicas: { desired: 2, ready: 2 },
        gpusPerReplica: 1,
        pool: 'a100',
      },
    ],
  });
  const prices = new PriceBookStore(knex);
  await prices.record(
    ['a100', 'empty'].map(name => ({
      provider: 'azure' as const,
      instanceType: `vm-${name}`,
      region: 'eastus',
      capacityType: 'on-demand' as const,
      usdPerHour: 3,
      source: 'bundled-catalog',
      observedAt: NOW.toISOString(),
    })),
    NOW,
  );
  const cluster = new MemoryActuator(['c1']);
  cluster.addModel(workload('reranker'), 4);
  cluster.addModel(workload('sdxl'), 2);
  const actuators = createActuatorDirectory(() => [cluster]);
  const actionStore = new ActionStore(knex);
  const logger = mockServices.logger.mock();
  const actions = new ActionService({
    store: actionStore,
    actuators,
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10, pollMs: 10 },
    logger,
  });
  // The hibernation loop's proposal for sdxl, waiting for an approval.
  const planned = await actions.request({
    idempotencyKey: 'hibernation:model:default/sdxl:hibernate:0:2026-12-06',
    kind: 'hibernate',
    entityRef: 'model:default/sdxl',
    cluster: 'c1',
    steps: [
      {
        description: 'scale sdxl to 0',
        do: { op: 'scale', workload: workload('sdxl'), replicas: 0 },
      },
    ],
    dryRun: true,
    requestedBy: 'policy:hibernation',
    reason: 'hibernate: idle since 09:00',
  });
  const catalog = catalogServiceMock({ entities });
  const policies = new PolicyService({
    teams: { 'search-team': { dryRun: false } },
  } as any);
  const states = new RecommendationStateStore(knex);
  const recommendations = new RecommendationService({
    actions,
    costs,
    fleet,
    directory: { lookup: async () => modelLookupOf(entities as any) },
    metrics: () => [metrics],
    candidates: { prices, liveSources: () => [], assumedAddableNodes: 2 },
    states,
    idleCostPolicy: 'not-shared',
    logger,
    now: () => NOW,
  });
  const permissions = policyPermissions({
    entities,
    teamsOf: {
      'user:default/sam': ['group:default/search-team'],
      'user:default/pat': ['group:default/platform-team'],
    },
  });
  const server = express()
    .use(jsonBody())
    .use(
      createRecommendationsRouter({
        httpAuth: mockServices.httpAuth(),
        permissions,
        recommendations,
        states,
        applier: {
          actions,
          targets: new ModelTargets({ catalog, fleet, actuators }),
          policies,
        },
        now: () => NOW,
      }),
    )
    .use(mockErrorHandler());
  return { server, actions, planned: planned.action, recommendations, states };
}

const sam = mockCredentials.user.header('user:default/sam');
const pat = mockCredentials.user.header('user:default/pat');
const nobody = mockCredentials.user.header('user:default/nobody');

describe('recommendations routes', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'lists every kind by saving for a platform team, and only their own to a team, %p',
    async id => {
      const { server, planned } = await start(id, databases);
      const all = await request(server)
        .get('/recommendations')
        .set('Authorization', pat);
      expect(all.status).toBe(200);
      expect(
        all.body.items.map((r: any) => [
          r.kind,
          r.subject.modelRef ?? r.subject.poolRef,
        ]),
      ).toEqual([
        // 3 of 4 replicas of $2,190 a month: $6,570.
        ['rightsizing', 'model:default/reranker'],
        ['empty-capacity', 'gpupool:default/c1.empty'],
        ['hibernation', 'model:default/sdxl'],
      ]);
      const [rs, empty, hib] = all.body.items;
      expect(Math.round(rs.monthlySavingUsd)).toBe(6570);
      expect(rs).toMatchObject({
        state: 'open',
        source: { option: 'fewer-replicas', replicas: 1 },
        subject: { teamRef: 'group:default/search-team' },
        applicable: { allowed: true },
      });
      expect(Math.round(empty.monthlySavingUsd)).toBe(
        Math.round((2600 / 30) * (365 / 12)),
      );
      expect(hib.source).toEqual({
        type: 'action',
        actionId: planned.id,
        actionKind: 'hibernate',
      });
      expect(Math.round(hib.monthlySavingUsd)).toBe(
        Math.round(20 * (365 / 12)),
      );
      expect(all.body.notes.join(' ')).toMatch(/consolidation: not gathered/);

      const own = await request(server)
        .get('/recommendations')
        .set('Authorization', sam);
      expect(own.body.items.map((r: any) => r.kind)).toEqual(['rightsizing']);
      const team = await request(server)
        .get('/recommendations?team=search-team')
        .set('Authorization', sam);
      expect(team.body.items).toHaveLength(1);
      const other = await request(server)
        .get('/recommendations?entity=model:default/sdxl')
        .set('Authorization', sam);
      expect(other.status).toBe(403);
      const none = await request(server)
        .get('/recommendations')
        .set('Authorization', nobody);
      // No team: a view with nothing in it, as the fleet cost report gives.
      expect(none.status).toBe(200);
      expect(none.body.items).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'remembers a dismissal and a snooze per person, and restores them, %p',
    async id => {
      const { server } = await start(id, databases);
      const [rs] = (
        await request(server).get('/recommendations').set('Authorization', sam)
      ).body.items;
      const dismissed = await request(server)
        .post(`/recommendations/${rs.id}/dismiss`)
        .set('Authorization', sam);
      expect(dismissed.status).toBe(200);
      expect(dismissed.body.state).toBe('dismissed');
      const after = await request(server)
        .get('/recommendations')
        .set('Authorization', sam);
      expect(after.body.items).toEqual([]);
      // Pat's view is Pat's own.
      const patView = await request(server)
        .get('/recommendations')
        .set('Authorization', pat);
      expect(patView.body.items.map((r: any) => r.id)).toContain(rs.id);

      const snoozed = await request(server)
        .post(`/recommendations/${rs.id}/snooze`)
        .set('Authorization', sam)
        .send({ days: 7 });
      expect(snoozed.body).toMatchObject({
        state: 'snoozed',
        snoozedUntil: '2026-12-13T12:00:00.000Z',
      });
      const listed = await request(server)
        .get('/recommendations?state=snoozed,dismissed')
        .set('Authorization', sam);
      expect(listed.body.items.map((r: any) => r.state)).toEqual(['snoozed']);

      const restored = await request(server)
        .post(`/recommendations/${rs.id}/restore`)
        .set('Authorization', sam);
      expect(restored.body.state).toBe('open');
    },
  );

  it.each(databases.eachSupportedId())(
    'applies a planned action by approving it, fewer replicas as a Scale, and refuses what it cannot apply, %p',
    async id => {
      const { server, actions, planned } = await start(id, databases);
      const items = (
        await request(server).get('/recommendations').set('Authorization', pat)
      ).body.items;
      const [rs, empty, hib] = items;

      const approved = await request(server)
        .post(`/recommendations/${hib.id}/apply`)
        .set('Authorization', pat);
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ actionId: planned.id });
      expect((await actions.get(planned.id))?.approvedBy).toBe(
        'user:default/pat',
      );

      const scaled = await request(server)
        .post(`/recommendations/${rs.id}/apply`)
        .set('Authorization', sam);
      expect(scaled.status).toBe(200);
      const action = await actions.get(scaled.body.actionId);
      expect(action).toMatchObject({
        kind: 'scale',
        entityRef: 'model:default/reranker',
        requestedBy: 'user:default/sam',
        dryRun: false,
      });
      expect(
        action?.steps.some(s => s.do.op === 'scale' && s.do.replicas === 1),
      ).toBe(true);
      // Twice the same day: the same action.
      const again = await request(server)
        .post(`/recommendations/${rs.id}/apply`)
        .set('Authorization', sam);
      expect(again.body.actionId).toBe(scaled.body.actionId);

      const refused = await request(server)
        .post(`/recommendations/${empty.id}/apply`)
        .set('Authorization', pat);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(
        /No action on the action path changes a pool/,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'sends new recommendations worth more than the amount to their teams once, from the scheduled pass, %p',
    async id => {
      const { recommendations, states } = await start(id, databases);
      const send = jest.fn(async () => {});
      const task = createRecommendationsTask({
        recommendations,
        store: states,
        notifications: { send },
        settings: {
          schedule: { frequency: { minutes: 15 }, timeout: { minutes: 10 } },
          notifyAboveUsd: 1000,
        },
        now: () => NOW,
      });
      const detail = await task.run({ logger: mockServices.logger.mock() });
      expect(detail).toBe(
        // $6,570 + $2,600 ÷ 30 days × 365/12 + $20 × 365/12; sdxl has no
        // metrics, and consolidation is not gathered (two notes).
        '3 recommendation(s) worth $9,814 a month; 1 sent to their teams; 2 note(s)',
      );
      // Only the reranker's: sdxl's $608 is under $1,000, and the empty
      // pool has no team.
      expect(send).toHaveBeenCalledTimes(1);
      expect(send.mock.calls[0]).toMatchObject([
        { recipients: { entityRef: 'group:default/search-team' } },
      ]);
      await task.run({ logger: mockServices.logger.mock() });
      expect(send).toHaveBeenCalledTimes(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'names the field of bad input and never answers 500, %p',
    async id => {
      const { server } = await start(id, databases);
      const [rs] = (
        await request(server).get('/recommendations').set('Authorization', sam)
      ).body.items;
      const cases: Array<[string, object | undefined, RegExp, number?]> = [
        ['/recommendations/nope/dismiss', undefined, /^id: /],
        [`/recommendations/${rs.id}/snooze`, {}, /^until: give either/],
        [
          `/recommendations/${rs.id}/snooze`,
          { days: 0 },
          /^days: must be a whole number/,
        ],
        [
          `/recommendations/${rs.id}/snooze`,
          { days: 2, until: 'x' },
          /^until: give either/,
        ],
        [
          `/recommendations/${rs.id}/snooze`,
          { until: 'tomorrow' },
          /^until: must be an ISO 8601/,
        ],
        [
          `/recommendations/${rs.id}/snooze`,
          { until: '2026-01-01T00:00:00Z' },
          /^until: must be in the future/,
        ],
        [
          `/recommendations/${rs.id}/snooze`,
          { for: 3 },
          /^for: is not a field/,
        ],
        [`/recommendations/${rs.id}/dismiss`, { x: 1 }, /^x: is not a field/],
        [
          '/recommendations/rightsizing-0000000000000000/apply',
          undefined,
          /no recommendation with id/,
          404,
        ],
      ];
      for (const [path, body, message, status] of cases) {
        const res = await request(server)
          .post(path)
          .set('Authorization', sam)
          .send(body);
        expect([path, res.status]).toEqual([path, status ?? 400]);
        expect(res.body.error.message).toMatch(message);
      }
      for (const [query, message] of [
        [
          'state=gone',
          /^state: must be one or more of open, dismissed, snoozed/,
        ],
        ['entity=:::', /^entity: /],
        ['team=model:default/x', /^team: .*a team is a Group/],
      ] as const) {
        const res = await request(server)
          .get(`/recommendations?${query}`)
          .set('Authorization', sam);
        expect([query, res.status]).toEqual([query, 400]);
        expect(res.body.error.message).toMatch(message);
      }
    },
  );
});
