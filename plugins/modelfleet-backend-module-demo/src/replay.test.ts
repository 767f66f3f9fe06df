import { TraceReplay } from './replay';
import { Trace } from './traces';

const trace: Trace = {
  periodSeconds: 100,
  offsets: Float64Array.from([5, 10, 50, 90, 99]),
  weights: Float64Array.from([1, 2, 3, 4, 5]),
};

describe('TraceReplay', () => {
  it('counts requests and weight in a window, wrapping at the period', () => {
    const r = new TraceReplay(trace, { share: 1, offsetSeconds: 0, seed: 1 });
    expect(r.between(0, 20)).toEqual({ count: 2, weight: 3 });
    expect(r.between(1000, 1020)).toEqual({ count: 2, weight: 3 });
    // [95, 110) wraps: 99 and 105→5, 10 excluded (=110 mod 100 = 10, half-open)
    expect(r.between(95, 110)).toEqual({ count: 2, weight: 6 });
    // Two whole periods (2 × 5 requests, 2 × 15 weight) plus [0, 50).
    expect(r.between(0, 250)).toEqual({ count: 12, weight: 33 });
  });

  it('shifts by the offset', () => {
    const r = new TraceReplay(trace, { share: 1, offsetSeconds: 40, seed: 1 });
    expect(r.between(0, 20)).toEqual({ count: 1, weight: 3 }); // trace [40, 60)
  });

  it('keeps a stable share of the requests', () => {
    const big: Trace = {
      periodSeconds: 10000,
      offsets: Float64Array.from({ length: 10000 }, (_, i) => i),
      weights: new Float64Array(10000).fill(1),
    };
    const r = new TraceReplay(big, { share: 0.3, offsetSeconds: 0, seed: 42 });
    expect(r.requestsPerPeriod / 10000).toBeCloseTo(0.3, 1);
    expect(r.between(0, 10000).count).toBe(r.requestsPerPeriod);
    const again = new TraceReplay(big, {
      share: 0.3,
      offsetSeconds: 0,
      seed: 42,
    });
    expect(again.between(123, 4567)).toEqual(r.between(123, 4567));
  });

  it('tells how long ago the last request was', () => {
    const r = new TraceReplay(trace, { share: 1, offsetSeconds: 0, seed: 1 });
    expect(r.secondsSinceLastRequest(60)).toBe(10);
    expect(r.secondsSinceLastRequest(102)).toBe(3); // last was 99
  });

  it('visits each request of a window at its real time, in order, as between() counts them', () => {
    const r = new TraceReplay(trace, { share: 1, offsetSeconds: 40, seed: 1 });
    const seen: Array<[number, number]> = [];
    r.forEachRequest(0, 120, (t, w) => seen.push([t, w]));
    // Trace seconds 50, 90, 99 at 10, 50, 59; then 5, 10, 50 of the next loop.
    expect(seen).toEqual([
      [10, 3],
      [50, 4],
      [59, 5],
      [65, 1],
      [70, 2],
      [110, 3],
    ]);
    for (const [from, to] of [
      [0, 0],
      [7, 8],
      [-250, 37],
      [95, 110],
      [1234.5, 1777.25],
      [0, 1000],
    ]) {
      let count = 0;
      let weight = 0;
      let last = -Infinity;
      r.forEachRequest(from, to, (t, w) => {
        expect(t).toBeGreaterThanOrEqual(Math.max(from, last));
        expect(t).toBeLessThan(to);
        last = t;
        count += 1;
        weight += w;
      });
      expect({ count, weight }).toEqual(r.between(from, to));
    }
  });

  it('rejects a bad share and a reversed window', () => {
    expect(
      () => new TraceReplay(trace, { share: 0, offsetSeconds: 0, seed: 1 }),
    ).toThrow(/share/);
    const r = new TraceReplay(trace, { share: 1, offsetSeconds: 0, seed: 1 });
    expect(() => r.between(10, 5)).toThrow(/before its start/);
  });
});
