import { prepareMarkets, replay, SpotMarket } from './spotSim';
import { spotHedgePolicy } from './spotBaselines';
import {
  decideSpotServing,
  SPOT_SERVING_DEFAULTS,
  spotServingPolicy,
} from './spotServing';
import {
  PoolRun,
  ServingPool,
  SpotServingInput,
  SpotServingPolicy,
} from './spotTypes';

const spot = (zone: string, usdPerHour = 0.4, region = 'us-east-1') => ({
  id: `spot/${zone}`,
  cloud: 'aws',
  region,
  zone,
  capacity: 'spot' as const,
  usdPerHour,
});
const onDemand: ServingPool = {
  id: 'od/us-east-1',
  cloud: 'aws',
  region: 'us-east-1',
  capacity: 'on-demand',
  usdPerHour: 3,
};
const pools = [
  spot('us-east-1a'),
  spot('us-east-1b'),
  spot('us-west-2a', 0.45, 'us-west-2'),
  onDemand,
];
const open: SpotServingPolicy = {
  maxOnDemandShare: 1,
  baseOnDemandReplicas: 0,
};
const run = (x: Partial<PoolRun>): PoolRun => ({
  ready: 0,
  starting: 0,
  noticed: 0,
  preemptions: [],
  failures: [],
  ...x,
});
const input = (x: Partial<SpotServingInput>): SpotServingInput => ({
  now: 100_000,
  required: 1,
  pools,
  runs: {},
  policy: open,
  ...x,
});
const spotZones = (targets: Record<string, number>) =>
  Object.entries(targets).filter(([id, n]) => id.startsWith('spot/') && n > 0);
const sum = (targets: Record<string, number>, prefix: string) =>
  Object.entries(targets)
    .filter(([id]) => id.startsWith(prefix))
    .reduce((s, [, n]) => s + n, 0);

describe('decideSpotServing', () => {
  it('spreads a fresh model over spot pools in two zones or more, with no on-demand', () => {
    for (const required of [1, 2]) {
      const d = decideSpotServing(input({ required }));
      const zones = spotZones(d.targets);
      // One per zone (water-filled), over two zones at least.
      expect(zones.length).toBe(2);
      for (const [, n] of zones) expect(n).toBe(1);
      expect(d.targets[onDemand.id]).toBe(0);
      expect(d.reason).toMatch(/launch spot on/);
    }
    // Three zones for three replicas: all three used, one each.
    const d = decideSpotServing(input({ required: 3 }));
    expect(spotZones(d.targets).length).toBe(3);
    expect(Math.max(...Object.values(d.targets))).toBe(1);
  });

  it('adds spares only where they are worth their price and their moves', () => {
    // Markets long quiet: a spare costs more (price, and the relaunches its
    // zone would cost) than the losses it would cover; blind to moves, the
    // engine would run one.
    expect(
      sum(decideSpotServing(input({ required: 2 })).targets, 'spot/'),
    ).toBe(2);
    expect(
      sum(
        decideSpotServing(input({ required: 2 }), { moveWeight: 0 }).targets,
        'spot/',
      ),
    ).toBe(3);
    // Two zones reclaimed within the hour: losses are likelier, a spare pays.
    const now = 100_000;
    const d = decideSpotServing(
      input({
        now,
        required: 2,
        runs: {
          'spot/us-east-1a': run({ ready: 1, preemptions: [now - 1800] }),
          'spot/us-east-1b': run({ ready: 1, preemptions: [now - 2400] }),
        },
      }),
    );
    expect(d.targets['spot/us-west-2a']).toBe(1);
  });

  it('keeps replicas where they run instead of moving them', () => {
    const d = decideSpotServing(
      input({
        runs: {
          'spot/us-east-1b': run({ ready: 1 }),
          'spot/us-west-2a': run({ ready: 1 }),
        },
      }),
    );
    expect(d.targets).toMatchObject({
      'spot/us-east-1a': 0,
      'spot/us-east-1b': 1,
      'spot/us-west-2a': 1,
      [onDemand.id]: 0,
    });
  });

  it('brings on-demand up at once on a notice when no spot pool takes a replacement', () => {
    const now = 100_000;
    const d = decideSpotServing(
      input({
        now,
        required: 2,
        runs: {
          // The pool under notice, and the others refusing launches right now.
          'spot/us-east-1a': run({ noticed: 2, preemptions: [now] }),
          'spot/us-east-1b': run({ failures: [now] }),
          'spot/us-west-2a': run({ failures: [now] }),
        },
      }),
    );
    expect(d.targets[onDemand.id]).toBe(2);
    expect(sum(d.targets, 'spot/')).toBe(0);
    expect(d.reason).toMatch(/fallback 2/);
  });

  it('replaces a noticed replica on spot elsewhere when a pool takes it', () => {
    const now = 100_000;
    const d = decideSpotServing(
      input({
        now,
        runs: {
          'spot/us-east-1a': run({ noticed: 1, preemptions: [now] }),
          'spot/us-east-1b': run({ ready: 1 }),
        },
      }),
    );
    // The spare in us-east-1b serves; a new spare goes to the third zone.
    expect(d.targets['spot/us-west-2a']).toBe(1);
    expect(d.targets['spot/us-east-1b']).toBe(1);
  });

  it('goes back to spot only after the hold since on-demand turned Ready', () => {
    const readyAt = 50_000;
    const at = (now: number) =>
      decideSpotServing(
        input({
          now,
          runs: {
            'spot/us-east-1b': run({ ready: 1 }),
            'spot/us-west-2a': run({ ready: 1 }),
            [onDemand.id]: run({ ready: 1, lastReadyAt: readyAt }),
          },
        }),
      );
    const holding = at(readyAt + 60);
    expect(holding.targets[onDemand.id]).toBe(1);
    expect(holding.reason).toMatch(/held 1/);
    expect(holding.reviewAt).toBe(readyAt + 60 + 300);
    const released = at(readyAt + SPOT_SERVING_DEFAULTS.holdSeconds + 1);
    expect(released.targets[onDemand.id]).toBe(0);
  });

  it('never stops an on-demand replica that is still starting', () => {
    const d = decideSpotServing(
      input({
        runs: {
          'spot/us-east-1b': run({ ready: 1 }),
          'spot/us-west-2a': run({ ready: 1 }),
          [onDemand.id]: run({ starting: 1 }),
        },
      }),
    );
    expect(d.targets[onDemand.id]).toBe(1);
  });

  it('keeps the base of on-demand replicas, clipped by maxOnDemandShare', () => {
    const d = decideSpotServing(
      input({
        required: 4,
        policy: { maxOnDemandShare: 0.5, baseOnDemandReplicas: 3 },
      }),
    );
    expect(d.targets[onDemand.id]).toBe(2);
    expect(sum(d.targets, 'spot/')).toBeGreaterThanOrEqual(2);
    expect(d.reason).toMatch(/base 2/);
  });

  it('runs no on-demand at all when maxOnDemandShare is 0, even without spot', () => {
    const now = 100_000;
    const d = decideSpotServing(
      input({
        now,
        required: 2,
        policy: { maxOnDemandShare: 0, baseOnDemandReplicas: 2 },
        runs: Object.fromEntries(
          pools
            .filter(p => p.capacity === 'spot')
            .map(p => [p.id, run({ failures: [now] })]),
        ),
      }),
    );
    expect(d.targets[onDemand.id]).toBe(0);
    expect(d.reason).toMatch(/no on-demand allowed/);
  });

  it('insures with on-demand when the only zone with capacity just came back', () => {
    const now = 100_000;
    const failedAll = Object.fromEntries(
      pools
        .filter(p => p.capacity === 'spot')
        .map(p => [p.id, run({ failures: [now - 60] })]),
    );
    const d = decideSpotServing(
      input({
        now,
        required: 2,
        runs: {
          ...failedAll,
          // Back 60 s ago, while every other zone refuses launches now.
          'spot/us-east-1a': run({ ready: 2, failures: [now - 60] }),
          'spot/us-east-1b': run({ failures: [now] }),
          'spot/us-west-2a': run({ failures: [now] }),
        },
      }),
    );
    expect(d.targets[onDemand.id]).toBeGreaterThan(0);
    expect(d.reason).toMatch(/insurance [1-9]/);
  });

  it('is pure: the same input gives the same decision and is not changed', () => {
    const x = input({
      required: 3,
      runs: { 'spot/us-east-1a': run({ ready: 1, preemptions: [10] }) },
    });
    const copy = JSON.parse(JSON.stringify(x));
    expect(decideSpotServing(x)).toEqual(decideSpotServing(x));
    expect(x).toEqual(copy);
  });
});

describe('the engine under alternating availability', () => {
  // One spot zone with capacity every other 200 s tick, another without
  // any: replicas there are reclaimed at every other tick.
  const flapping: SpotMarket[] = [
    {
      pool: spot('us-east-1a'),
      available: Uint8Array.from({ length: 500 }, (_, i) => (i % 2 ? 0 : 1)),
      gapSeconds: 200,
    },
    {
      pool: spot('us-east-1b'),
      available: new Uint8Array(500),
      gapSeconds: 200,
    },
    { pool: onDemand },
  ];
  const day = 86_400;
  const prepared = prepareMarkets(flapping, 60, day);
  const options = {
    horizonSeconds: day,
    provisionSeconds: 60,
    loadSeconds: 30,
    noticeSeconds: 60,
    policy: open,
  };

  it('does not flap between spot and on-demand', () => {
    const engine = replay(spotServingPolicy(), 1, prepared, options);
    const hedge = replay(spotHedgePolicy(), 1, prepared, options);
    // The zone is reclaimed 216 times a day; the engine holds on-demand.
    expect(engine.onDemandLaunches).toBeLessThanOrEqual(5);
    expect(hedge.onDemandLaunches).toBeGreaterThan(50);
    expect(engine.readyReplicaSeconds / day).toBeGreaterThan(0.99);
  });
});

describe('the engine next to a flapping market', () => {
  // The cheapest zone has capacity 20 min, then none 20 min, all day long;
  // two dearer zones never lose theirs.
  const flap = Uint8Array.from({ length: 800 }, (_, i) =>
    Math.floor(i / 6) % 2 ? 0 : 1,
  );
  const markets: SpotMarket[] = [
    { pool: spot('us-east-1a', 0.3), available: flap, gapSeconds: 200 },
    {
      pool: spot('us-east-1b', 0.4),
      available: new Uint8Array(800).fill(1),
      gapSeconds: 200,
    },
    {
      pool: spot('us-west-2a', 0.45, 'us-west-2'),
      available: new Uint8Array(800).fill(1),
      gapSeconds: 200,
    },
    { pool: onDemand },
  ];
  const day = 86_400;
  const prepared = prepareMarkets(markets, 120, day);
  const options = {
    horizonSeconds: day,
    provisionSeconds: 180,
    loadSeconds: 90,
    noticeSeconds: 120,
    policy: open,
  };

  it('does not keep relaunching into it once it has flapped', () => {
    const R = 8;
    const engine = replay(spotServingPolicy(), R, prepared, options);
    // The same engine blind to what a move costs, and SpotHedge-like.
    const blind = replay(
      spotServingPolicy({ moveWeight: 0 }),
      R,
      prepared,
      options,
    );
    const hedge = replay(spotHedgePolicy(), R, prepared, options);
    // 36 outages a day there: the engine leaves it after the first ones.
    expect(engine.reclaimed).toBeLessThanOrEqual(R);
    expect(engine.launches).toBeLessThanOrEqual(5);
    expect(engine.launches).toBeLessThan(blind.launches / 2);
    expect(engine.launches).toBeLessThan(hedge.launches / 2);
    expect(engine.readyReplicaSeconds / (R * day)).toBeGreaterThan(0.999);
  });
});
