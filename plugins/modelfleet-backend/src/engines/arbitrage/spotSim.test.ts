import { cheapestSpotPolicy } from './spotBaselines';
import {
  launchable,
  prepareMarkets,
  priceAt,
  replay,
  ReplayOptions,
  SpotMarket,
} from './spotSim';
import { ServingPolicy, SpotServingInput } from './spotTypes';

// One spot pool with capacity at ticks 0, 1 and 3 of 100 s (none at tick
// 2, 200–300 s), $1/h; an on-demand pool at $10/h. Notice 20 s; Ready
// 30 + 20 = 50 s after a launch.
const spotPool = {
  id: 'spot/a',
  cloud: 'aws',
  region: 'r',
  zone: 'r-a',
  capacity: 'spot' as const,
  usdPerHour: 1,
};
const odPool = {
  id: 'od/r',
  cloud: 'aws',
  region: 'r',
  capacity: 'on-demand' as const,
  usdPerHour: 10,
};
const markets: SpotMarket[] = [
  { pool: spotPool, available: Uint8Array.from([1, 1, 0, 1]), gapSeconds: 100 },
  { pool: odPool },
];
const options: ReplayOptions = {
  horizonSeconds: 400,
  provisionSeconds: 30,
  loadSeconds: 20,
  noticeSeconds: 20,
  policy: { maxOnDemandShare: 1, baseOnDemandReplicas: 0 },
};

describe('prepareMarkets and launchable', () => {
  it('announces each outage a notice ahead and refuses launches from the notice to its end', () => {
    const p = prepareMarkets(markets, 20, 400);
    expect(p.events).toEqual([
      { at: 180, market: 0, kind: 0 },
      { at: 200, market: 0, kind: 1 },
    ]);
    expect(launchable(markets[0], 179, 20)).toBe(true);
    expect(launchable(markets[0], 180, 20)).toBe(false);
    expect(launchable(markets[0], 299, 20)).toBe(false);
    expect(launchable(markets[0], 300, 20)).toBe(true);
    expect(launchable(markets[1], 250, 20)).toBe(true);
  });
});

describe('replay', () => {
  it('accounts a preemption, the on-demand fallback and the return to spot (by hand)', () => {
    const seen: number[] = [];
    const base = cheapestSpotPolicy();
    const policy: ServingPolicy = {
      name: base.name,
      decide: (input: SpotServingInput) => {
        seen.push(input.now);
        return base.decide(input);
      },
    };
    const r = replay(policy, 1, prepareMarkets(markets, 20, 400), options);
    // 0: spot, Ready at once (and asked again, seeing it Ready). 180:
    // notice; spot refused → asked again → on-demand launched, Ready at 230.
    // 200 (reclaim) and 230 (on-demand Ready): spot refused again, each
    // asked twice. 300 (the next tick): spot launched, Ready at 350, when
    // on-demand stops.
    expect(seen).toEqual([0, 0, 180, 180, 200, 200, 230, 230, 300, 350]);
    // Spot 0–200 and 300–400 at $1/h, on-demand 180–350 at $10/h.
    expect(r.spotReplicaSeconds).toBe(300);
    expect(r.onDemandReplicaSeconds).toBe(170);
    expect(r.costUsd).toBeCloseTo((300 * 1 + 170 * 10) / 3600, 10);
    expect(r.spotCostUsd).toBeCloseTo(300 / 3600, 10);
    // Ready: spot until its reclaim at 200, on-demand 230–350, spot 350–400.
    expect(r.readyReplicaSeconds).toBe(200 + 120 + 50);
    expect(r).toMatchObject({
      launches: 2,
      onDemandLaunches: 1,
      failedLaunches: 3,
      reclaimed: 1,
      stopped: 1,
      shortfalls: 1,
    });
  });

  it('bills a price history piece by piece, and shows policies the price now', () => {
    const priced: SpotMarket[] = [
      {
        pool: spotPool,
        available: Uint8Array.from([1, 1, 1, 1]),
        gapSeconds: 100,
        prices: { times: [0, 100], usdPerHour: [2, 4] },
      },
      { pool: odPool },
    ];
    expect(priceAt(priced[0], 50)).toBe(2);
    expect(priceAt(priced[0], 100)).toBe(4);
    const prices: number[] = [];
    const spotOnly: ServingPolicy = {
      name: 'spot',
      decide: input => {
        prices.push(input.pools[0].usdPerHour);
        return { targets: { 'spot/a': 1 }, reason: 'spot' };
      },
    };
    const r = replay(spotOnly, 1, prepareMarkets(priced, 20, 400), options);
    // $2/h for 100 s, $4/h for 300 s.
    expect(r.costUsd).toBeCloseTo((100 * 2 + 300 * 4) / 3600, 10);
    expect(r.readyReplicaSeconds).toBe(400);
    expect(prices).toEqual([2, 2]);
  });

  it('counts nothing as moved for the first placement, Ready at once', () => {
    const od: ServingPolicy = {
      name: 'od',
      decide: () => ({ targets: { 'od/r': 2 }, reason: 'od' }),
    };
    const r = replay(od, 2, prepareMarkets(markets, 20, 400), options);
    expect(r).toMatchObject({
      launches: 0,
      readyReplicaSeconds: 800,
      onDemandReplicaSeconds: 800,
      shortfalls: 0,
    });
    expect(r.costUsd).toBeCloseTo((800 * 10) / 3600, 10);
  });
});
