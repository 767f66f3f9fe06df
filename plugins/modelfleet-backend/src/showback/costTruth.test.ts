import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  CostBreakdownItem,
  IdleCostPolicy,
} from '@modelfleet/plugin-modelfleet-common';
import { MetricsSource } from '@modelfleet/plugin-modelfleet-node';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { pool } from '../__testUtils__/fixtures';
import { BillStore } from '../database/BillStore';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { PriceBookStore } from '../database/PriceBookStore';
import { ShowbackStore } from '../database/ShowbackStore';
import { readPolicyConfig } from '../policy/policyConfig';
import { PolicyService } from '../policy/PolicyService';
import { CostReportService } from './CostReportService';
import { modelLookupOf } from './ModelDirectory';
import { ShowbackRollup } from './ShowbackRollup';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const SEARCH = 'group:default/search-team';
const VISION = 'group:default/vision-team';
const PLATFORM = 'group:default/platform-team';
const L4 = 'gpupool:default/c1.l4';
const EMPTY = 'gpupool:default/c1.spare';
const LLAMA = 'model:default/llama';
const DAY = {
  from: '2026-11-29',
  to: '2026-11-30',
  granularity: 'day' as const,
};

const workload = (namespace: string, name: string, replicas: number) => ({
  cluster: 'c1',
  namespace,
  kind: 'Deployment' as const,
  name,
  modelId: name,
  replicas: { desired: replicas, ready: replicas },
  gpusPerReplica: 1,
  pool: 'l4',
});

const entity = (name: string, owner: string, namespace: string) => ({
  metadata: { name },
  spec: {
    owner,
    workload: { cluster: 'c1', namespace, kind: 'Deployment', name },
  },
});

/**
 * GPU utilization of llama: 25 % every hour, and 40,000 MiB of GPU memory
 * used over its two replicas (a sum, as dcgm-exporter's is summed over a
 * model's pods); no metrics for sdxl.
 */
const metrics: MetricsSource = {
  id: 'test-metrics',
  async query(metric, model, window) {
    if (model.modelId !== 'llama') return [];
    if (metric !== 'gpuUtilization' && metric !== 'gpuMemoryUsedMiB') {
      return [];
    }
    const value = metric === 'gpuUtilization' ? 25 : 40_000;
    const points: Array<[number, number]> = [];
    for (
      let t = window.start.getTime();
      t < window.end.getTime();
      t += 3_600_000
    ) {
      points.push([t / 1000, value]);
    }
    return [{ labels: {}, points }];
  },
};

/**
 * A day of two pools at $0.50 a node-hour: l4 with four one-GPU nodes
 * ($48) where search-team's llama holds 2 replicas (25 % busy) and
 * vision-team's sdxl 1; spare with two nodes ($24) and no model.
 */
async function rolledUp(
  databaseId: Parameters<typeof databases.init>[0],
  idleCostPolicy: IdleCostPolicy,
) {
  const knex = await databases.init(databaseId);
  await DatabaseModelFleetStore.fromKnex(knex);
  const store = new ShowbackStore(knex);
  const prices = new PriceBookStore(knex);
  await prices.record(
    [
      {
        provider: 'aws',
        instanceType: 'g6.xlarge',
        region: 'us-east-1',
        capacityType: 'spot',
        usdPerHour: 0.5,
        source: 'bundled-catalog',
        observedAt: '2026-10-01T00:00:00.000Z',
      },
    ],
    new Date(),
  );
  for (let h = 0; h < 24; h++) {
    await store.recordSnapshot(
      {
        cluster: { name: 'c1', provider: 'aws', region: 'us-east-1' },
        observedAt: new Date(
          Date.parse('2026-11-29T00:00:00Z') + h * 3_600_000,
        ).toISOString(),
        pools: [
          { ...pool('c1', 'l4'), nodes: { current: 4, min: 0, max: 8 } },
          { ...pool('c1', 'spare'), nodes: { current: 2, min: 0, max: 8 } },
        ],
        workloads: [
          workload('search', 'llama', 2),
          workload('vision', 'sdxl', 1),
        ],
      },
      3600,
    );
  }
  const options = {
    store,
    bills: new BillStore(knex),
    policies: new PolicyService(readPolicyConfig(new ConfigReader({}))),
    idleCostPolicy,
    platformTeamRef: PLATFORM,
    clock: () => new Date('2026-11-30T12:00:00Z'),
  };
  await new ShowbackRollup({
    store,
    prices,
    directory: {
      lookup: async () =>
        modelLookupOf([
          entity('llama', 'search-team', 'search'),
          entity('sdxl', 'vision-team', 'vision'),
        ]),
    },
    connectors: () => [],
    metrics: () => [metrics],
    priceSources: () => [{ id: 'bundled-catalog' }],
    settings: {
      idleCostPolicy,
      platformTeamRef: PLATFORM,
      backfillDays: 0,
      rerollDays: 2,
      sampleRetentionDays: 45,
    },
    logger: mockServices.logger.mock(),
  }).run(new Date('2026-11-30T12:00:00Z'));
  return {
    knex,
    // Reports from the in-memory index and from SQL alone.
    services: [
      new CostReportService(options),
      new CostReportService({ ...options, index: false }),
    ],
  };
}

const find = (items: CostBreakdownItem[], ref: string) =>
  items.find(i => i.entityRef === ref)!;
const sum = (items: CostBreakdownItem[], f: 'costUsd' | 'idleUsd') =>
  items.reduce((s, i) => s + i[f], 0);

describe('one meaning for every dollar', () => {
  it.each(databases.eachSupportedId())(
    'shows the same idle figures for the same idea in every report, %p',
    async databaseId => {
      const { knex, services } = await rolledUp(
        databaseId,
        'shared-proportionally',
      );
      for (const costs of services) {
        const fleet = await costs.cost('fleet', null, DAY);
        const search = await costs.cost('team', SEARCH, DAY);
        const l4 = await costs.cost('pool', L4, DAY);
        const llama = await costs.cost('model', LLAMA, DAY);
        const llamaUse = await costs.utilization('model', LLAMA, DAY);

        // llama: 48 GPU-hours requested at $0.50 = $24 direct, 25 % busy:
        // $18 allocated but unused; its share of l4's $12 of unallocated
        // capacity is 24/36 of it, $8.
        expect(llama.total.unusedUsd).toBeCloseTo(18, 9);
        expect(llama.total.idleUsd).toBeCloseTo(8, 9);
        // Its run rate is its one complete day ($24 + $8), and the month
        // ends with the 30th, still running, at that rate.
        expect(llama.projection).toMatchObject({
          month: '2026-11',
          runRateDays: 1,
        });
        expect(llama.projection!.dailyRunRateUsd).toBeCloseTo(32, 9);
        expect(llama.projection!.monthlyRunRateUsd).toBeCloseTo(960, 9);
        expect(llama.projection!.forecastUsd).toBeCloseTo(64, 9);
        // The utilization report counts the same dollars.
        expect(llamaUse.unusedUsd).toBeCloseTo(llama.total.unusedUsd, 9);
        expect(llamaUse.idleCostUsd).toBeCloseTo(llama.total.unusedUsd, 9);
        expect(llamaUse.idleShare).toBeCloseTo(0.75, 9);
        // Memory: the sum over its replicas, and per GPU it held.
        expect(llamaUse.memoryUsedMiB).toBeCloseTo(40_000, 9);
        expect(llamaUse.memoryPerGpuMiB).toBeCloseTo(20_000, 9);
        // The team's table, the pool's table and the fleet's top models
        // show the model's figures, and the team the same as its report.
        for (const items of [
          search.breakdown.models,
          l4.breakdown.models,
          fleet.breakdown.models,
        ]) {
          expect(find(items, LLAMA)).toMatchObject({
            idleUsd: llama.total.idleUsd,
            unusedUsd: llama.total.unusedUsd,
          });
        }
        expect(find(fleet.breakdown.teams, SEARCH)).toMatchObject({
          costUsd: search.total.costUsd,
          unusedUsd: search.total.unusedUsd,
        });
        expect(find(fleet.breakdown.pools, L4)).toMatchObject({
          idleUsd: l4.total.idleUsd,
          unusedUsd: l4.total.unusedUsd,
        });
        expect(l4.total.unusedUsd).toBeCloseTo(18, 9);
        expect((await costs.utilization('pool', L4, DAY)).unusedUsd).toBe(
          l4.total.unusedUsd,
        );
        expect((await costs.utilization('fleet', null, DAY)).unusedUsd).toBe(
          fleet.total.unusedUsd,
        );

        // Teams plus Unallocated are the fleet: the spare pool's $24 is
        // nobody's under shared-proportionally, and says so.
        expect(fleet.total.costUsd).toBeCloseTo(72, 9);
        const unallocated = fleet.breakdown.unallocated!;
        expect(unallocated.costUsd).toBeCloseTo(24, 9);
        expect(unallocated.idleUsd).toBeCloseTo(24, 9);
        expect(unallocated.paidBy).toMatch(/No team pays it/);
        // That is the spare pool's cost, all of it unallocated capacity.
        const spare = find(fleet.breakdown.pools, EMPTY);
        expect(spare.costUsd).toBeCloseTo(unallocated.costUsd, 9);
        expect(spare.idleUsd).toBeCloseTo(unallocated.idleUsd, 9);
        expect(spare.unusedUsd).toBe(0);
        // The row names that pool: l4's unallocated capacity is shared
        // over its models, so it is not in the row.
        expect(unallocated.pools).toEqual([{ entityRef: EMPTY, idleUsd: 24 }]);
        expect(
          sum(fleet.breakdown.teams, 'costUsd') + unallocated.costUsd,
        ).toBeCloseTo(fleet.total.costUsd, 9);
        expect(
          sum(fleet.breakdown.teams, 'idleUsd') + unallocated.idleUsd,
        ).toBeCloseTo(fleet.total.idleUsd, 9);
        // A team's models are the team.
        expect(search.breakdown.unallocated?.costUsd).toBe(0);
        expect(search.breakdown.unallocated?.pools).toEqual([]);
        const vision = await costs.cost('team', VISION, DAY);
        expect(
          sum(vision.breakdown.models, 'costUsd') +
            vision.breakdown.unallocated!.costUsd,
        ).toBeCloseTo(vision.total.costUsd, 9);
      }
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    "names every pool with capacity no model used in the fleet's Unallocated row under not-shared, %p",
    async databaseId => {
      const { knex, services } = await rolledUp(databaseId, 'not-shared');
      for (const costs of services) {
        const fleet = await costs.cost('fleet', null, DAY);
        const unallocated = fleet.breakdown.unallocated!;
        // l4: 48 GPU-hours at $0.50, 36 of them requested; spare: all 48.
        expect(unallocated.pools).toEqual([
          { entityRef: EMPTY, idleUsd: 24 },
          { entityRef: L4, idleUsd: 12 },
        ]);
        // The pools are the row's unallocated capacity, and the pools'.
        const named = unallocated.pools!.reduce((s, p) => s + p.idleUsd, 0);
        expect(named).toBeCloseTo(unallocated.idleUsd, 9);
        expect(named).toBeCloseTo(sum(fleet.breakdown.pools, 'idleUsd'), 9);
        const search = await costs.cost('team', SEARCH, DAY);
        expect(search.breakdown.unallocated!.pools).toEqual([]);
      }
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'charges the platform team what no model requested, on its own page, under platform-team, %p',
    async databaseId => {
      const { knex, services } = await rolledUp(databaseId, 'platform-team');
      for (const costs of services) {
        const fleet = await costs.cost('fleet', null, DAY);
        const platform = await costs.cost('team', PLATFORM, DAY);
        // l4's $12 and spare's $24 of unallocated capacity.
        expect(platform.total.costUsd).toBeCloseTo(36, 9);
        expect(platform.breakdown.models).toEqual([]);
        expect(platform.breakdown.unallocated).toMatchObject({
          paidBy: expect.stringMatching(/This team pays/),
        });
        expect(platform.breakdown.unallocated!.costUsd).toBeCloseTo(36, 9);
        // The pools on the platform team's row, none on the fleet's.
        expect(platform.breakdown.unallocated!.pools).toEqual([
          { entityRef: EMPTY, idleUsd: 24 },
          { entityRef: L4, idleUsd: 12 },
        ]);
        expect(fleet.breakdown.unallocated!.costUsd).toBe(0);
        expect(fleet.breakdown.unallocated!.pools).toEqual([]);
        expect(fleet.breakdown.unallocated!.paidBy).toContain(PLATFORM);
        expect(sum(fleet.breakdown.teams, 'costUsd')).toBeCloseTo(
          fleet.total.costUsd,
          9,
        );
      }
      await knex.destroy();
    },
  );
});
