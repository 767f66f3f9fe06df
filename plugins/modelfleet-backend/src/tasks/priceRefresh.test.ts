import { PriceQuote } from '@modelfleet/plugin-modelfleet-node';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { PriceBookStore } from '../database/PriceBookStore';
import { createPriceRefreshTask } from './priceRefresh';

jest.setTimeout(60_000);

const quote = (over: Partial<PriceQuote> = {}): PriceQuote => ({
  provider: 'aws',
  instanceType: 'g6.xlarge',
  region: 'us-east-1',
  zone: 'use1-az1',
  capacityType: 'spot',
  usdPerHour: 0.4159,
  gpu: { product: 'L4', count: 1, memoryMiB: 22886 },
  source: 'test-prices',
  observedAt: '2026-11-24T00:00:00.000Z',
  flags: [],
  ...over,
});

describe('price book', () => {
  const databases = createTestDatabases();

  async function setup(id: Parameters<typeof databases.init>[0]) {
    const store = await DatabaseModelFleetStore.fromKnex(
      await databases.init(id),
    );
    return new PriceBookStore(store.knex);
  }

  it.each(databases.eachSupportedId())(
    'records prices idempotently, keeps history and serves the newest, %p',
    async id => {
      const prices = await setup(id);
      const at = new Date('2026-11-24T01:00:00Z');
      const first = [
        quote(),
        quote({ capacityType: 'on-demand', usdPerHour: 0.8048 }),
        quote({
          instanceType: 'p5e.48xlarge',
          capacityType: 'on-demand',
          usdPerHour: null,
          gpu: { product: 'H200', count: 8 },
        }),
      ];
      expect(await prices.record(first, at)).toBe(3);
      // The same window again changes nothing.
      expect(await prices.record(first, at)).toBe(0);
      // A newer spot price is history, not a replacement.
      expect(
        await prices.record(
          [
            quote({
              usdPerHour: 0.347,
              observedAt: '2026-11-25T00:00:00.000Z',
            }),
          ],
          at,
        ),
      ).toBe(1);

      const latest = await prices.latest({
        provider: 'aws',
        regions: ['us-east-1'],
      });
      expect(
        latest.map(q => [q.instanceType, q.capacityType, q.usdPerHour]),
      ).toEqual([
        ['g6.xlarge', 'on-demand', 0.8048],
        ['g6.xlarge', 'spot', 0.347],
        ['p5e.48xlarge', 'on-demand', null],
      ]);
      expect(latest[1]).toMatchObject({
        zone: 'use1-az1',
        source: 'test-prices',
        observedAt: '2026-11-25T00:00:00.000Z',
        gpu: { product: 'L4', count: 1, memoryMiB: 22886 },
      });
      expect(await prices.latest({ gpu: 'H200' })).toHaveLength(1);

      const history = await prices.history({
        provider: 'aws',
        instanceType: 'g6.xlarge',
        region: 'us-east-1',
        zone: 'use1-az1',
        capacityType: 'spot',
      });
      expect(history.map(q => q.usdPerHour)).toEqual([0.4159, 0.347]);
    },
  );

  it('refreshes from every source, reports a failing one, and fails when all fail', async () => {
    const prices = await setup('SQLITE_3');
    const schedule = { frequency: { hours: 6 }, timeout: { minutes: 10 } };
    const good = {
      id: 'good',
      listPrices: async () => [quote({ source: 'good' })],
    };
    const bad = {
      id: 'bad',
      listPrices: async () => Promise.reject(new Error('throttled')),
    };
    const task = createPriceRefreshTask({
      sources: () => [good, bad],
      prices,
      schedule,
    });
    expect(await task.run({ logger: undefined as any })).toBe(
      'good: 1 price(s), 1 new; failed bad: throttled',
    );
    expect(await task.run({ logger: undefined as any })).toBe(
      'good: 1 price(s), 0 new; failed bad: throttled',
    );
    const allBad = createPriceRefreshTask({
      sources: () => [bad],
      prices,
      schedule,
    });
    await expect(allBad.run({ logger: undefined as any })).rejects.toThrow(
      'Every price source failed: bad: throttled',
    );
  });
});
