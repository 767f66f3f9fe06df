import { mockServices } from '@backstage/backend-test-utils';
import { BillLine, BillSource } from '@modelfleet/plugin-modelfleet-node';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { pool } from '../__testUtils__/fixtures';
import { BillStore } from '../database/BillStore';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { PriceBookStore } from '../database/PriceBookStore';
import { ShowbackStore } from '../database/ShowbackStore';
import { ingestBills } from './ingestBills';
import { modelLookupOf } from './ModelDirectory';
import { ShowbackRollup } from './ShowbackRollup';
import { CostReportService } from './CostReportService';
import { PolicyService } from '../policy/PolicyService';
import { readPolicyConfig } from '../policy/policyConfig';
import { ConfigReader } from '@backstage/config';

jest.setTimeout(120_000);

const databases = createTestDatabases();

async function stores(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  await DatabaseModelFleetStore.fromKnex(knex);
  return {
    knex,
    showback: new ShowbackStore(knex),
    bills: new BillStore(knex),
    prices: new PriceBookStore(knex),
  };
}

/** 3 accounts × 20 days × 10 resources of a made-up but CE-shaped bill. */
function lines(sourceId: string, w: { start: Date; end: Date }): BillLine[] {
  const out: BillLine[] = [];
  for (let t = w.start.getTime(); t < w.end.getTime(); t += 86_400_000) {
    for (const account of ['111111111111', '222222222222', '333333333333']) {
      for (let r = 0; r < 10; r++) {
        out.push({
          source: sourceId,
          provider: 'aws',
          account,
          periodStart: new Date(t).toISOString(),
          periodEnd: new Date(t + 86_400_000).toISOString(),
          resourceId: `tag:modelfleet.io/model=model-${r}`,
          tags: { 'modelfleet.io/model': `model-${r}` },
          costUsd:
            Math.round((r + 1) * 12.34 * 100 + ((t / 86_400_000) % 7)) / 100,
        });
      }
    }
  }
  return out;
}

function source(id: string, failAfter?: number): BillSource {
  return {
    id,
    async *fetchLines(w) {
      let n = 0;
      for (const line of lines(id, w)) {
        if (failAfter !== undefined && n++ === failAfter) {
          throw new Error('connection reset by peer');
        }
        yield line;
      }
    },
  };
}

const window = {
  start: new Date('2026-11-01T00:00:00Z'),
  end: new Date('2026-11-21T00:00:00Z'),
};
const expectedTotal = lines('ce', window).reduce((s, l) => s + l.costUsd, 0);

describe('bill ingestion', () => {
  it.each(databases.eachSupportedId())(
    're-ingesting a window and a crash midway leave the totals unchanged, %p',
    async databaseId => {
      const { knex, bills } = await stores(databaseId);
      const total = async () => {
        const t = await bills.totals('2026-11-01', '2026-11-21');
        return {
          cost: Math.round(t.reduce((s, x) => s + x.costUsd, 0) * 100) / 100,
          lines: t.reduce((s, x) => s + x.lines, 0),
        };
      };
      const clean = { cost: Math.round(expectedTotal * 100) / 100, lines: 600 };

      expect(
        await ingestBills({
          source: source('ce'),
          store: bills,
          window,
          batchSize: 64,
        }),
      ).toEqual({
        source: 'ce',
        lines: 600,
        removed: 0,
      });
      expect(await total()).toEqual(clean);

      // The same window again: nothing changes.
      await ingestBills({
        source: source('ce'),
        store: bills,
        window,
        batchSize: 64,
      });
      expect(await total()).toEqual(clean);

      // A run that dies after 250 lines: what it wrote overwrote equal lines.
      const crash = await ingestBills({
        source: source('ce', 250),
        store: bills,
        window,
        batchSize: 64,
      }).then(
        () => 'finished',
        (e: Error) => e.message,
      );
      expect(crash).toMatch(
        /Bill source ce failed after 192 line\(s\): connection reset by peer/,
      );
      expect(await total()).toEqual(clean);

      // A first ingestion that dies midway keeps whole batches only, and the
      // next run completes it with no duplicates.
      const fresh = await ingestBills({
        source: source('ce2', 300),
        store: bills,
        window,
        batchSize: 100,
      }).catch((e: Error) => e.message);
      expect(fresh).toMatch(/failed after 300 line/);
      const partial = (await bills.totals('2026-11-01', '2026-11-21')).filter(
        t => t.source === 'ce2',
      );
      expect(partial.reduce((s, t) => s + t.lines, 0)).toBe(300);
      await ingestBills({
        source: source('ce2'),
        store: bills,
        window,
        batchSize: 100,
      });
      const ce2 = (await bills.totals('2026-11-01', '2026-11-21')).filter(
        t => t.source === 'ce2',
      );
      expect(ce2.reduce((s, t) => s + t.lines, 0)).toBe(600);
      expect(
        Math.round(ce2.reduce((s, t) => s + t.costUsd, 0) * 100) / 100,
      ).toBe(clean.cost);
      expect(await knex('modelfleet_bill_lines').count({ n: '*' })).toEqual([
        { n: expect.anything() },
      ]);
      expect(
        Number((await knex('modelfleet_bill_lines').count({ n: '*' }))[0].n),
      ).toBe(1200);

      const runs = await bills.ingestions();
      expect(runs.map(r => r.status)).toEqual([
        'succeeded',
        'failed',
        'failed',
        'succeeded',
        'succeeded',
      ]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'removes lines a finished run no longer sees, and rejects bad lines naming the field, %p',
    async databaseId => {
      const { knex, bills } = await stores(databaseId);
      await ingestBills({ source: source('ce'), store: bills, window });
      const revised: BillSource = {
        id: 'ce',
        async *fetchLines(w) {
          yield* lines('ce', w).filter(l => !l.resourceId.endsWith('model-9'));
        },
      };
      expect(
        (await ingestBills({ source: revised, store: bills, window })).removed,
      ).toBe(60);

      const bad: BillSource = {
        id: 'ce',
        async *fetchLines() {
          yield { ...lines('ce', window)[0], costUsd: Number.NaN };
        },
      };
      await expect(
        ingestBills({ source: bad, store: bills, window }),
      ).rejects.toThrow(/costUsd is not a number/);
      const twice: BillSource = {
        id: 'ce',
        async *fetchLines() {
          const l = lines('ce', window)[0];
          yield l;
          yield l;
        },
      };
      await expect(
        ingestBills({ source: twice, store: bills, window }),
      ).rejects.toThrow(/appears twice/);
      // Nothing stored was lost by the failed runs.
      const t = await bills.totals('2026-11-01', '2026-11-21');
      expect(t.reduce((s, x) => s + x.lines, 0)).toBe(540);
      await knex.destroy();
    },
  );
});

describe('showback roll-up', () => {
  it.each(databases.eachSupportedId())(
    'rolls samples up into daily costs per model, team, pool and fleet, idempotently, %p',
    async databaseId => {
      const { knex, showback, prices } = await stores(databaseId);
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
          {
            provider: 'aws',
            instanceType: 'g6.xlarge',
            region: 'us-east-1',
            zone: 'us-east-1a',
            capacityType: 'spot',
            usdPerHour: 0.4,
            source: 'aws-ec2-spot-price-history',
            observedAt: '2026-11-29T12:00:00.000Z',
          },
        ],
        new Date(),
      );
      // Two nodes of one L4 each all day long; a model with one replica on it.
      for (let h = 0; h < 48; h++) {
        await showback.recordSnapshot(
          {
            cluster: { name: 'c1', provider: 'aws', region: 'us-east-1' },
            observedAt: new Date(
              Date.parse('2026-11-29T00:00:00Z') + h * 3_600_000,
            ).toISOString(),
            pools: [pool('c1', 'l4')],
            workloads: [
              {
                cluster: 'c1',
                namespace: 'search',
                kind: 'Deployment',
                name: 'llama',
                modelId: 'llama',
                replicas: { desired: 1, ready: 1 },
                gpusPerReplica: 1,
                pool: 'l4',
              },
            ],
          },
          3600,
        );
      }
      const costs = new CostReportService({
        store: showback,
        bills: new BillStore(knex),
        policies: new PolicyService(readPolicyConfig(new ConfigReader({}))),
        idleCostPolicy: 'not-shared',
        clock: () => new Date('2026-11-30T12:00:00Z'),
      });
      const rollup = new ShowbackRollup({
        afterRollup: () => costs.precomputeFleetTop(),
        store: showback,
        prices,
        directory: {
          lookup: async () =>
            modelLookupOf([
              {
                metadata: { name: 'llama-chat' },
                spec: {
                  owner: 'search-team',
                  workload: {
                    cluster: 'c1',
                    namespace: 'search',
                    kind: 'Deployment',
                    name: 'llama',
                  },
                },
              },
            ]),
        },
        connectors: () => [],
        // As Prometheus answers a range query: a point at every step from
        // start to end, both included; 1 request a second, 50 % busy.
        metrics: () => [
          {
            id: 'prometheus-like',
            query: async (metric, _w, range) => {
              const points: Array<[number, number]> = [];
              for (
                let t = range.start.getTime();
                t <= range.end.getTime();
                t += range.stepSeconds * 1000
              ) {
                points.push([t / 1000, metric === 'gpuUtilization' ? 50 : 1]);
              }
              return metric === 'gpuUtilization' ||
                metric === 'requestsPerSecond'
                ? [{ labels: {}, points }]
                : [];
            },
          },
        ],
        priceSources: () => [
          { id: 'bundled-catalog' },
          { id: 'aws-ec2-spot-price-history' },
        ],
        settings: {
          idleCostPolicy: 'not-shared',
          backfillDays: 0,
          rerollDays: 2,
          sampleRetentionDays: 45,
        },
        logger: mockServices.logger.mock(),
      });
      const now = new Date('2026-11-30T12:00:00Z');
      await rollup.run(now);
      const model = await showback.daily(
        'model',
        'model:default/llama-chat',
        '2026-11-28',
        '2026-12-01',
      );
      // 28th: no data. 29th: the live spot price is newer than the day? It was
      // published at noon on the 29th, so the 29th ends with it: 24 h × $0.40.
      expect(
        model.map(d => [d.date, Math.round(d.costUsd * 1e6) / 1e6]),
      ).toEqual([
        ['2026-11-29', 9.6],
        ['2026-11-30', 9.6],
      ]);
      // A whole day's metrics are its 24 hours, not the 25 points of a
      // range query with both ends.
      const day = await showback.total(
        'model',
        'model:default/llama-chat',
        '2026-11-29',
        '2026-11-30',
      );
      expect([day.metricHours, day.requests, day.busyGpuHours]).toEqual([
        24, 86_400, 12,
      ]);
      const team = await showback.total(
        'team',
        'group:default/search-team',
        '2026-11-01',
        '2026-12-01',
      );
      expect(team.costUsd).toBeCloseTo(19.2);
      const poolTotal = await showback.total(
        'pool',
        'gpupool:default/c1.l4',
        '2026-11-01',
        '2026-12-01',
      );
      expect(poolTotal.costUsd).toBeCloseTo(38.4);
      expect(poolTotal.idleUsd).toBeCloseTo(19.2);
      expect([poolTotal.nodeHours, poolTotal.spotNodeHours]).toEqual([96, 96]);
      const [prov] = await showback.provenance(
        'pool',
        'gpupool:default/c1.l4',
        '2026-11-29',
        '2026-11-30',
      );
      expect(prov).toMatchObject({
        source: 'aws-ec2-spot-price-history',
        usdPerHour: 0.4,
      });

      // The fleet's top models of the cards' periods are stored for the
      // roll-up just made, and the fleet report reads them from there.
      const stored = await showback.storedTop('2026-10-31', '2026-11-30');
      expect(stored?.version).toBe(await showback.rollupVersion());
      expect(stored?.items.map(i => i.entityRef)).toEqual([
        'model:default/llama-chat',
      ]);
      const marked = [{ ...stored!.items[0], costUsd: 123 }];
      await showback.storeTop(
        '2026-10-31',
        '2026-11-30',
        stored!.version,
        marked,
      );
      const fleet = await costs.cost('fleet', null, {
        from: '2026-10-31',
        to: '2026-11-30',
        granularity: 'day',
      });
      expect(fleet.breakdown.models).toEqual(marked);
      // A newer roll-up, even one that only removes rows, makes the stored
      // figures stale: computed again.
      await showback.replaceDay('2026-11-01', []);
      const again = await costs.cost('fleet', null, {
        from: '2026-10-31',
        to: '2026-11-30',
        granularity: 'day',
      });
      expect(again.breakdown.models[0].costUsd).toBeCloseTo(9.6);

      // Rolling up again changes nothing.
      const before = await knex('modelfleet_cost_daily')
        .orderBy(['day', 'scope', 'entity_ref'])
        .select('day', 'scope', 'entity_ref', 'cost_usd');
      await rollup.run(now);
      expect(
        await knex('modelfleet_cost_daily')
          .orderBy(['day', 'scope', 'entity_ref'])
          .select('day', 'scope', 'entity_ref', 'cost_usd'),
      ).toEqual(before);
      await knex.destroy();
    },
  );
});
