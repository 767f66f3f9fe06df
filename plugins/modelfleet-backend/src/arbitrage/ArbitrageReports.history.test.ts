import { mockCredentials } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { PoolHistoryStore } from '../database/PoolHistoryStore';
import {
  pool,
  reportsFixture,
  testArbitrageReports,
  TEST_PRIOR,
} from './__testUtils__/reportsFixture';
import { PoolRiskBook } from './poolRisk';

jest.setTimeout(60_000);

const credentials = mockCredentials.user();
const allow = async () => undefined;
const T0 = Date.parse('2026-12-06T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

describe('ArbitrageReports with the pools’ own history', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'prices a spot pool by the reclaims its cluster showed, weighed with the prior, %p',
    async id => {
      const knex = await databases.init(id);
      const store = new PoolHistoryStore(
        (await DatabaseModelFleetStore.fromKnex(knex)).knex,
      );
      // Two nodes watched every 5 minutes for a day; a node reclaimed
      // every 2 hours (12 notices), each answered within the snapshot.
      for (let m = 0; m <= 24 * 60; m += 5) {
        const noticed = m > 0 && m % 120 === 0;
        await store.record([
          pool('l4-spot', {
            capacityType: 'spot',
            nodes: { current: 2 },
            observedAt: at(m),
            ...(noticed
              ? {
                  reclaim: {
                    nodes: 1,
                    noticedAt: at(m),
                    notices: [{ node: `spot-${m}`, noticedAt: at(m) }],
                  },
                }
              : {}),
          }),
        ]);
      }
      const f = reportsFixture();
      const book = new PoolRiskBook({
        prior: TEST_PRIOR,
        store,
        priorHours: 730,
      });
      const reports = testArbitrageReports(f, {
        risk: book.riskOf,
        refreshRisk: () => book.refresh(),
      });
      const r = await reports.report('default', 'sdxl', credentials, allow);
      const spot = r.options.find(o => o.title === 'l4-spot (c1)')!;
      // (3 a node-month × 730 h + 12) / (730 + 48 node-hours), a month.
      const perNodeMonth = ((3 + 12) / (730 + 48)) * 730;
      expect(spot.preemptionsPerMonth).toBeCloseTo(2 * perNodeMonth, 6);
      expect(spot.riskSource).toBe(
        'its own since 6 Dec 2026: 12 preemptions in 48 node-hours, capacity 100.00 % of 24 h, weighed with the prior (worth 730 node-hours) of a test',
      );
      // The on-demand pools are not preempted, whatever the history.
      expect(
        r.options.find(o => o.title === 'l4-ondemand (c1)')!
          .preemptionsPerMonth,
      ).toBe(0);
    },
  );
});
