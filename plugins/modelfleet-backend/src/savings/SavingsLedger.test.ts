import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ActionKind, ActionStep } from '@modelfleet/plugin-modelfleet-common';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { pool } from '../__testUtils__/fixtures';
import { ActionStore } from '../database/ActionStore';
import { BillStore } from '../database/BillStore';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { PriceBookStore } from '../database/PriceBookStore';
import { ShowbackStore } from '../database/ShowbackStore';
import { readPolicyConfig } from '../policy/policyConfig';
import { PolicyService } from '../policy/PolicyService';
import { CostReportService } from '../showback/CostReportService';
import { modelLookupOf } from '../showback/ModelDirectory';
import { ShowbackRollup } from '../showback/ShowbackRollup';
import { createSavings } from '.';
import { savingsReport } from './savingsReport';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const directory = DatabaseModelFleetStore.migrationsDirectory;

const SEARCH = 'group:default/search-team';
const VISION = 'group:default/vision-team';
const CHAT = 'model:default/chat';
const SDXL = 'model:default/sdxl';
const CLIP = 'model:default/clip';
const DAY1 = Date.parse('2026-11-29T00:00:00Z');
const H = 3_600_000;
const NOW = new Date('2026-11-30T12:00:00Z');

const workload = (
  namespace: string,
  name: string,
  replicas: number,
  onPool: string,
) => ({
  cluster: 'c1',
  namespace,
  kind: 'Deployment' as const,
  name,
  modelId: name,
  replicas: { desired: replicas, ready: replicas },
  gpusPerReplica: 1,
  pool: onPool,
});

const entity = (name: string, owner: string, namespace: string) => ({
  metadata: { name },
  spec: {
    owner,
    workload: { cluster: 'c1', namespace, kind: 'Deployment', name },
  },
});

async function applied(
  knex: Knex,
  kind: ActionKind,
  entityRef: string,
  steps: ActionStep[],
  startedAt: number,
  finishedAt: number,
) {
  const { action } = await new ActionStore(knex).create(
    {
      idempotencyKey: `${kind}:${entityRef}`,
      kind,
      entityRef,
      cluster: 'c1',
      steps,
      dryRun: false,
      requestedBy: 'user:default/jane',
      reason: 'test',
      ...(kind === 'migrate'
        ? {
            details: {
              from: { pool: 'x', title: 'L4 on-demand', cluster: 'c1' },
              to: {
                pool: 'y',
                title: 'L4 spot',
                cluster: 'c1',
                capacityType: 'spot',
                monthlyUsd: 1,
                preemptionsPerMonth: 0,
                availability: 1,
              },
              moveUsd: 0,
              risk: 'low',
            },
          }
        : {}),
      ...(kind === 'consolidate'
        ? {
            consolidation: {
              pool: { ref: entityRef, title: 'y (c1)' },
              nodes: ['y-3'],
              nodesBefore: 4,
            },
          }
        : {}),
    },
    {
      at: new Date(startedAt - 60_000).toISOString(),
      actor: 'user:default/jane',
      outcome: 'info',
      message: 'planned',
    },
  );
  await knex('modelfleet_action_events').insert({
    action_id: action.id,
    at: new Date(startedAt),
    from_state: 'planned',
    to_state: 'applying',
    step: 0,
    actor: 'replica:a',
    outcome: 'info',
    message: 'applying',
  });
  await knex('modelfleet_actions')
    .where({ id: action.id })
    .update({ state: 'done', finished_at: new Date(finishedAt) });
  return action.id;
}

/**
 * Two pools of four one-L4 nodes all along: x on demand at $0.80 a
 * node-hour, y spot at $0.30. search-team's chat holds 2 replicas on x and
 * is moved to y at 06:00 on the 29th; vision-team's sdxl holds 3 on x and is
 * scaled to 2 at 12:00; its clip is at zero. Rolled up at noon on the 30th.
 */
async function ledgerOf(
  databaseId: Parameters<typeof databases.init>[0],
  /**
   * A consolidation empties one of y's four nodes at 18:00 on the 29th;
   * the cluster autoscaler removes it at 19:00, and y runs 3 nodes since.
   */
  consolidate = false,
) {
  const knex = await databases.init(databaseId);
  await DatabaseModelFleetStore.fromKnex(knex);
  const store = new ShowbackStore(knex);
  const prices = new PriceBookStore(knex);
  const quote = (capacityType: 'on-demand' | 'spot', usdPerHour: number) => ({
    provider: 'aws' as const,
    instanceType: 'g6.xlarge',
    region: 'us-east-1',
    capacityType,
    usdPerHour,
    source: 'bundled-catalog',
    observedAt: '2026-10-01T00:00:00.000Z',
  });
  await prices.record([quote('on-demand', 0.8), quote('spot', 0.3)], NOW);
  const pools = [
    {
      ...pool('c1', 'x'),
      capacityType: 'on-demand' as const,
      nodes: { current: 4, min: 0, max: 8 },
    },
    { ...pool('c1', 'y'), nodes: { current: 4, min: 0, max: 8 } },
  ];
  for (let t = DAY1; t < NOW.getTime(); t += H) {
    const h = (t - DAY1) / H;
    await store.recordSnapshot(
      {
        cluster: { name: 'c1', provider: 'aws', region: 'us-east-1' },
        observedAt: new Date(t).toISOString(),
        pools:
          consolidate && h >= 19
            ? [pools[0], { ...pools[1], nodes: { current: 3, min: 0, max: 8 } }]
            : pools,
        workloads: [
          workload('search', 'chat', 2, h < 6 ? 'x' : 'y'),
          workload('vision', 'sdxl', h < 12 ? 3 : 2, 'x'),
          workload('vision', 'clip', 0, 'x'),
        ],
      },
      3600,
    );
  }
  const moveId = await applied(
    knex,
    'migrate',
    CHAT,
    [],
    DAY1 + 6 * H - 600_000,
    DAY1 + 6 * H,
  );
  const sdxl = {
    cluster: 'c1',
    namespace: 'vision',
    kind: 'Deployment' as const,
    name: 'sdxl',
  };
  const scaleId = await applied(
    knex,
    'scale',
    SDXL,
    [
      {
        description: 'Scale sdxl to 2 replicas',
        do: { op: 'scale', workload: sdxl, replicas: 2 },
      },
    ],
    DAY1 + 12 * H - 300_000,
    DAY1 + 12 * H,
  );
  const consolidationId = consolidate
    ? await applied(
        knex,
        'consolidate',
        'gpupool:default/c1.y',
        [],
        DAY1 + 18 * H - 120_000,
        DAY1 + 18 * H,
      )
    : undefined;
  const options = {
    store,
    bills: new BillStore(knex),
    policies: new PolicyService(readPolicyConfig(new ConfigReader({}))),
    idleCostPolicy: 'shared-proportionally' as const,
    clock: () => NOW,
  };
  const costs = new CostReportService(options);
  const savings = createSavings({ db: knex, showback: store, prices });
  const rollup = new ShowbackRollup({
    savings: savings.ledger,
    clock: () => NOW,
    store,
    prices,
    directory: {
      lookup: async () =>
        modelLookupOf([
          entity('chat', 'search-team', 'search'),
          entity('sdxl', 'vision-team', 'vision'),
          entity('clip', 'vision-team', 'vision'),
        ]),
    },
    connectors: () => [],
    metrics: () => [],
    priceSources: () => [{ id: 'bundled-catalog' }],
    settings: {
      idleCostPolicy: 'shared-proportionally',
      backfillDays: 0,
      rerollDays: 2,
      sampleRetentionDays: 45,
    },
    logger: mockServices.logger.mock(),
  });
  await rollup.run(NOW);
  return {
    knex,
    costs,
    store: savings.store,
    rollup,
    moveId,
    scaleId,
    consolidationId,
  };
}

const PERIOD = { from: '2026-11-29', to: '2026-11-30' };

describe('the savings ledger', () => {
  it.each(databases.eachSupportedId())(
    'prices a move and a scale against hand-computed figures, today included, %p',
    async databaseId => {
      const { knex, store, moveId, scaleId } = await ledgerOf(databaseId);
      const report = await savingsReport(store, PERIOD);
      const move = report.lines.find(l => l.actionId === moveId)!;
      const scale = report.lines.find(l => l.actionId === scaleId)!;
      // chat: 18 h on the 29th and 12 h today, 2 replicas at $0.30
      // instead of $0.80.
      expect(move).toMatchObject({
        source: 'action',
        kind: 'migrate',
        entityRef: CHAT,
        teamRef: SEARCH,
        summary: 'Moved from L4 on-demand to L4 spot',
        appliedAt: new Date(DAY1 + 6 * H).toISOString(),
        firstDay: '2026-11-29',
        lastDay: '2026-11-30',
      });
      expect(move.afterUsd).toBeCloseTo(30 * 2 * 0.3, 9);
      expect(move.savedUsd).toBeCloseTo(30 * 2 * 0.5, 9);
      expect(move.beforeUsd).toBeCloseTo(30 * 2 * 0.8, 9);
      // sdxl: 12 h on the 29th and 12 h today, one replica fewer at $0.80.
      expect(scale).toMatchObject({
        kind: 'scale',
        entityRef: SDXL,
        teamRef: VISION,
        summary: '3 → 2 replicas',
      });
      expect(scale.afterUsd).toBeCloseTo(24 * 2 * 0.8, 9);
      expect(scale.savedUsd).toBeCloseTo(24 * 0.8, 9);
      // clip: at zero throughout, one replica at $0.80 (showback's figure).
      const clip = report.lines.find(l => l.source === 'hibernation')!;
      expect(clip).toMatchObject({
        kind: 'hibernation',
        entityRef: CLIP,
        teamRef: VISION,
        afterUsd: 0,
        firstDay: '2026-11-29',
        lastDay: '2026-11-30',
      });
      expect(clip.savedUsd).toBeCloseTo(36 * 0.8, 9);
      expect(report.lines.map(l => l.entityRef)).toEqual([CHAT, CLIP, SDXL]);
      expect(report.updatedAt).toBe(NOW.toISOString());
      // The totals: the lines' savings, on showback's cost.
      expect(report.totals.savedUsd).toBeCloseTo(30 + 28.8 + 19.2, 9);
      expect(report.months.map(m => m.key)).toEqual(['2026-11']);
      expect(report.teams.find(t => t.key === VISION)!.savedUsd).toBeCloseTo(
        28.8 + 19.2,
        9,
      );
      // The pre-states are kept: samples are pruned before actions expire.
      expect(await knex('modelfleet_savings_prestates')).toHaveLength(2);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    "reconciles with the cost report: its after is showback's cost of the same models and days, %p",
    async databaseId => {
      const { knex, store, costs, rollup } = await ledgerOf(databaseId);
      // A second run rewrites the days it rolls up: nothing doubles.
      await rollup.run(NOW);
      const q = {
        from: PERIOD.from,
        to: '2026-12-01',
        granularity: 'day' as const,
      };
      for (const team of [SEARCH, VISION]) {
        const ledger = await savingsReport(store, { ...PERIOD, teamRef: team });
        const cost = await costs.cost('team', team, q);
        const models = cost.breakdown.models.reduce((s, m) => s + m.costUsd, 0);
        expect(ledger.totals.afterUsd).toBeCloseTo(models, 9);
        expect(ledger.totals.beforeUsd).toBeCloseTo(
          ledger.totals.afterUsd + ledger.totals.savedUsd,
          9,
        );
      }
      for (const model of [CHAT, SDXL, CLIP]) {
        const ledger = await savingsReport(store, {
          ...PERIOD,
          entityRef: model,
        });
        const cost = await costs.cost('model', model, q);
        expect(ledger.totals.afterUsd).toBeCloseTo(cost.total.costUsd, 9);
        expect(ledger.models.map(m => m.key)).toEqual([model]);
        expect(ledger.lines.every(l => l.entityRef === model)).toBe(true);
      }
      const all = await savingsReport(store, PERIOD);
      expect(all.lines).toHaveLength(3);
      expect(all.totals.savedUsd).toBeCloseTo(78, 9);
      // The fleet's models cost the pools' cost: idle is shared by cost.
      const fleet = await costs.cost('fleet', null, q);
      expect(all.totals.afterUsd).toBeCloseTo(fleet.total.costUsd, 9);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'counts a consolidation on its pool: the node it emptied, from when the autoscaler removed it, at the node price of the day, %p',
    async databaseId => {
      const { knex, store, costs, consolidationId } = await ledgerOf(
        databaseId,
        true,
      );
      const all = await savingsReport(store, PERIOD);
      const line = all.lines.find(l => l.actionId === consolidationId)!;
      // y ran 4 nodes until 19:00 on the 29th, 3 since: 5 h that day and
      // 12 h today of one node at $0.30 not paid.
      expect(line).toMatchObject({
        source: 'action',
        kind: 'consolidate',
        entityRef: 'gpupool:default/c1.y',
        teamRef: '',
        summary: 'Emptied a node of y (c1) (y-3)',
        appliedAt: new Date(DAY1 + 18 * H).toISOString(),
        firstDay: '2026-11-29',
        lastDay: '2026-11-30',
      });
      expect(line.savedUsd).toBeCloseTo(17 * 0.3, 9);
      expect(line.afterUsd).toBeCloseTo(17 * 3 * 0.3, 9);
      expect(line.beforeUsd).toBeCloseTo(17 * 4 * 0.3, 9);
      // It adds to the fleet's saving; the models' lines are as before.
      expect(all.lines).toHaveLength(4);
      expect(all.totals.savedUsd).toBeCloseTo(78 + 17 * 0.3, 9);
      const fleet = await costs.cost('fleet', null, {
        from: PERIOD.from,
        to: '2026-12-01',
        granularity: 'day' as const,
      });
      expect(all.totals.afterUsd).toBeCloseTo(fleet.total.costUsd, 9);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'creates its tables and drops them going back down, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory });
      for (const t of [
        'modelfleet_savings_daily',
        'modelfleet_savings_days',
        'modelfleet_savings_prestates',
      ]) {
        expect(await knex.schema.hasTable(t)).toBe(true);
      }
      // Its own migration, whatever later ones there are.
      await knex.migrate.down({
        directory,
        name: '20261217_savings_ledger.js',
      });
      for (const t of [
        'modelfleet_savings_daily',
        'modelfleet_savings_days',
        'modelfleet_savings_prestates',
      ]) {
        expect(await knex.schema.hasTable(t)).toBe(false);
      }
      // The migration before it is still in place.
      expect(
        await knex.schema.hasTable('modelfleet_recommendation_states'),
      ).toBe(true);
      await knex.destroy();
    },
  );
});
