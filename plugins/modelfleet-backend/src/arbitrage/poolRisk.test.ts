import type { PoolHistory } from '../database/PoolHistoryStore';
import {
  blendPoolRisk,
  createPoolRisk,
  PoolRiskBook,
  readBundledSpotPrior,
  spotPriorOf,
} from './poolRisk';

const POOL = {
  ref: 'gpupool:default/demo-aws-use1.g6-l4-spot',
  provider: 'aws',
  region: 'us-east-1',
  capacityType: 'spot' as const,
  gpu: { product: 'L4', memoryMiB: 23_034, perNode: 1 },
  usdPerNodeHour: 0.3,
  freeUnits: 0,
  addableNodes: 1,
};

const history = (h: Partial<PoolHistory>): PoolHistory => ({
  cluster: 'demo-aws-use1',
  pool: 'g6-l4-spot',
  capacityType: 'spot',
  firstObservedAt: '2026-12-01T00:00:00.000Z',
  lastObservedAt: '2026-12-06T00:00:00.000Z',
  observedSeconds: 0,
  nodeSeconds: 0,
  downSeconds: 0,
  preemptions: 0,
  ...h,
});

describe('the risk of a pool', () => {
  it('reads preemptions and availability from availability traces, 1 a tick without capacity', () => {
    // 10 ticks of an hour: two outages (3 ticks down), 70 % available.
    const prior = spotPriorOf(
      [{ gapSeconds: 3600, data: [0, 1, 1, 0, 0, 0, 1, 0, 0, 0] }],
      'test',
    )!;
    expect(prior.availability).toBeCloseTo(0.7, 9);
    // 2 preemptions in 10 h: 146 in a 730 h month.
    expect(prior.preemptionsPerNodeMonth).toBeCloseTo(146, 6);
    // A trace starting without capacity has no preemption at its start.
    expect(
      spotPriorOf([{ gapSeconds: 3600, data: [1, 0] }], 'x')!
        .preemptionsPerNodeMonth,
    ).toBe(0);
    expect(spotPriorOf([{ gapSeconds: 0, data: [1] }], 'x')).toBeUndefined();
  });

  it('has the bundled traces as the spot prior, and no preemption on on-demand capacity', () => {
    const prior = readBundledSpotPrior()!;
    expect(prior.availability).toBeGreaterThan(0);
    expect(prior.availability).toBeLessThan(1);
    expect(prior.preemptionsPerNodeMonth).toBeGreaterThan(0);
    const risk = createPoolRisk(prior);
    const pool = {
      ref: 'p',
      provider: 'aws',
      region: 'us-east-1',
      capacityType: 'spot' as const,
      gpu: { product: 'NVIDIA-L4', memoryMiB: 23_034, perNode: 1 },
      usdPerNodeHour: 0.3,
      freeUnits: 0,
      addableNodes: 1,
    };
    expect(risk(pool)).toEqual({
      ...prior,
      source: `no history of its own yet: the prior of ${prior.source}`,
    });
    expect(prior.source).toMatch(/^the bundled AWS spot traces \(9 zones, /);
    expect(risk({ ...pool, capacityType: 'on-demand' })).toEqual({
      preemptionsPerNodeMonth: 0,
      availability: 1,
      source: 'on-demand capacity is not preempted',
    });
    expect(readBundledSpotPrior('/nonexistent')).toBeUndefined();
  });
});

describe('a pool’s own history, weighed with the prior', () => {
  const prior = {
    preemptionsPerNodeMonth: 7.3,
    availability: 0.9,
    source: 'traces',
  };
  const NO_HISTORY = 'no history of its own yet: the prior of traces';

  it('is the prior until the pool has been watched', () => {
    expect(blendPoolRisk(prior, undefined, 730)).toBe(prior);
    expect(blendPoolRisk(prior, history({}), 730)).toBe(prior);
  });

  it('moves from the prior towards what the pool did, by how long it was watched', () => {
    // As long as the prior weighs, with no preemption: half the prior's rate.
    const quiet = blendPoolRisk(
      prior,
      history({ observedSeconds: 730 * 3600, nodeSeconds: 730 * 3600 }),
      730,
    )!;
    expect(quiet.preemptionsPerNodeMonth).toBeCloseTo(3.65, 9);
    // Available all the time it was watched: halfway from 0.9 to 1.
    expect(quiet.availability).toBeCloseTo(0.95, 9);
    expect(quiet.source).toMatch(
      /^its own since 1 Dec 2026: 0 preemptions in 730 node-hours, capacity 100.00 % of 730 h, weighed with the prior \(worth 730 node-hours\) of traces$/,
    );
    // Ten times as long with 73 preemptions (7.3 a node-month) and 10 % down.
    const busy = blendPoolRisk(
      prior,
      history({
        observedSeconds: 7300 * 3600,
        nodeSeconds: 7300 * 3600,
        downSeconds: 730 * 3600,
        preemptions: 73,
      }),
      730,
    )!;
    expect(busy.preemptionsPerNodeMonth).toBeCloseTo(7.3, 9);
    expect(busy.availability).toBeCloseTo(0.9, 9);
    // A prior that weighs nothing: the pool's own figures alone.
    const own = blendPoolRisk(
      prior,
      history({ observedSeconds: 3600, nodeSeconds: 2 * 3600, preemptions: 1 }),
      0,
    )!;
    expect(own.preemptionsPerNodeMonth).toBeCloseTo(365, 9);
    expect(own.availability).toBe(1);
  });

  it('is what the risk of a spot pool says, read again by the book when old', async () => {
    let rows: PoolHistory[] = [];
    let now = 0;
    const book = new PoolRiskBook({
      prior,
      store: { list: async () => rows },
      priorHours: 730,
      maxAgeMs: 30_000,
      now: () => now,
    });
    await book.refresh();
    expect(book.riskOf(POOL)).toEqual({ ...prior, source: NO_HISTORY });
    rows = [
      history({
        observedSeconds: 730 * 3600,
        nodeSeconds: 730 * 3600,
        preemptions: 10,
      }),
    ];
    now = 10_000;
    await book.refresh();
    expect(book.riskOf(POOL)).toEqual({ ...prior, source: NO_HISTORY });
    now = 40_000;
    await book.refresh();
    expect(book.riskOf(POOL).preemptionsPerNodeMonth).toBeCloseTo(
      (7.3 + 10) / 2,
      9,
    );
    expect(book.riskOf({ ...POOL, ref: 'gpupool:default/other' })).toEqual({
      ...prior,
      source: NO_HISTORY,
    });
    expect(
      createPoolRisk(prior)({ ...POOL, capacityType: 'on-demand' }),
    ).toMatchObject({ preemptionsPerNodeMonth: 0 });
  });
});
