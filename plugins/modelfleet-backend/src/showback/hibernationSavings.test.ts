import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { CostReport } from '@modelfleet/plugin-modelfleet-common';
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

const VISION = 'group:default/vision-team';
const SEARCH = 'group:default/search-team';
const DAY = {
  from: '2026-11-29',
  to: '2026-11-30',
  granularity: 'day' as const,
};

/** A workload of cluster c1 on pool l4 with `replicas` replicas of one GPU. */
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
 * A day of a pool of four one-L4 nodes at $0.50 a node-hour ($48, $0.50 a
 * GPU-hour): search-team's llama holds 2 replicas all day; vision-team's
 * sdxl holds 1 until noon and is at zero after, its clip is at zero all
 * day. Rolled up with idle cost shared by cost.
 */
async function rolledUp(databaseId: Parameters<typeof databases.init>[0]) {
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
        pools: [{ ...pool('c1', 'l4'), nodes: { current: 4, min: 0, max: 8 } }],
        workloads: [
          workload('search', 'llama', 2),
          workload('vision', 'sdxl', h < 12 ? 1 : 0),
          workload('vision', 'clip', 0),
        ],
      },
      3600,
    );
  }
  const options = {
    store,
    bills: new BillStore(knex),
    policies: new PolicyService(readPolicyConfig(new ConfigReader({}))),
    idleCostPolicy: 'shared-proportionally' as const,
    clock: () => new Date('2026-11-30T12:00:00Z'),
  };
  const costs = new CostReportService(options);
  await new ShowbackRollup({
    afterRollup: () => costs.precomputeFleetTop(),
    store,
    prices,
    directory: {
      lookup: async () =>
        modelLookupOf([
          entity('llama', 'search-team', 'search'),
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
  }).run(new Date('2026-11-30T12:00:00Z'));
  return {
    knex,
    // Reports from the in-memory index and from SQL alone.
    services: [costs, new CostReportService({ ...options, index: false })],
  };
}

const sum = (xs: Array<{ savedUsd: number }>) =>
  xs.reduce((s, x) => s + x.savedUsd, 0);

describe('hibernation savings in the cost reports', () => {
  it.each(databases.eachSupportedId())(
    'charge a model at zero nothing, and add up from models to teams to the fleet, %p',
    async databaseId => {
      const { knex, services } = await rolledUp(databaseId);
      for (const costs of services) {
        const report = (scope: CostReport['scope'], ref: string | null) =>
          costs.cost(scope, ref, DAY);
        const fleet = await report('fleet', null);
        const vision = await report('team', VISION);
        const search = await report('team', SEARCH);
        const sdxl = await report('model', 'model:default/sdxl');
        const clip = await report('model', 'model:default/clip');

        // sdxl: 12 GPU-hours at zero, $6 at $0.50 a GPU-hour; it pays for
        // its 12 GPU-hours held and a share of idle cost.
        expect(sdxl.total.savedGpuHours).toBeCloseTo(12, 9);
        expect(sdxl.total.savedUsd).toBeCloseTo(6, 9);
        expect(sdxl.total.costUsd).toBeCloseTo(6 + 18 * (6 / 30), 9);
        // clip, at zero all day, pays nothing, idle share included.
        expect(clip.total).toMatchObject({ costUsd: 0, idleUsd: 0 });
        expect(clip.total.savedUsd).toBeCloseTo(12, 9);
        expect(clip.series.map(p => p.savedGpuHours)).toEqual([24]);

        // A team saves what its models save; the fleet what its teams save.
        expect(vision.total.savedUsd).toBeCloseTo(18, 9);
        expect(vision.total.savedGpuHours).toBeCloseTo(36, 9);
        expect(sum(vision.breakdown.models)).toBeCloseTo(18, 9);
        expect(vision.breakdown.models.map(m => m.entityRef).sort()).toEqual([
          'model:default/clip',
          'model:default/sdxl',
        ]);
        expect(search.total.savedUsd).toBe(0);
        expect(fleet.total.savedUsd).toBeCloseTo(
          vision.total.savedUsd + search.total.savedUsd,
          9,
        );
        expect(sum(fleet.breakdown.teams)).toBeCloseTo(fleet.total.savedUsd, 9);
        expect(sum(fleet.breakdown.models)).toBeCloseTo(
          fleet.total.savedUsd,
          9,
        );
        expect(sum(fleet.breakdown.pools)).toBeCloseTo(fleet.total.savedUsd, 9);
        expect(fleet.series.map(p => p.savedUsd)).toEqual([
          fleet.total.savedUsd,
        ]);
        // Cost, shared idle included, adds up the same way.
        expect(fleet.total.costUsd).toBeCloseTo(48, 9);
        expect(vision.total.costUsd + search.total.costUsd).toBeCloseTo(48, 9);
        // No savings the period before.
        expect(fleet.previous.total.savedUsd).toBe(0);
        // The top models stored after the roll-up (last 7 days) carry them.
        const week = await costs.cost('fleet', null, {
          ...DAY,
          from: '2026-11-23',
        });
        expect(sum(week.breakdown.models)).toBeCloseTo(18, 9);
      }
      await knex.destroy();
    },
  );
});
