import { createPoolRisk, readBundledSpotPrior, spotPriorOf } from './poolRisk';

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
    expect(risk(pool)).toBe(prior);
    expect(risk({ ...pool, capacityType: 'on-demand' })).toEqual({
      preemptionsPerNodeMonth: 0,
      availability: 1,
      source: 'on-demand capacity is not preempted',
    });
    expect(readBundledSpotPrior('/nonexistent')).toBeUndefined();
  });
});
