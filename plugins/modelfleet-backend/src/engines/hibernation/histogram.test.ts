import {
  binCountCv,
  emptyIdleHistogram,
  histogramDecision,
  histogramPolicy,
  HistogramPolicyOptions,
  recordIdleTime,
} from './histogram';

const cost = { loadSeconds: 20 };
const repeat = (n: number, seconds: number) =>
  new Array<number>(n).fill(seconds);
/** To the microsecond: 660 × 1.1 is not exactly 726 in floating point. */
const roundDecision = <
  T extends {
    keepAliveSeconds: number;
    prewarm?: { afterSeconds: number; windowSeconds: number };
  },
>(
  d: T,
) => {
  const r = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    ...d,
    keepAliveSeconds: r(d.keepAliveSeconds),
    ...(d.prewarm
      ? {
          prewarm: {
            afterSeconds: r(d.prewarm.afterSeconds),
            windowSeconds: r(d.prewarm.windowSeconds),
          },
        }
      : {}),
  };
};
const decisionFor = (gaps: number[], options: HistogramPolicyOptions = {}) => {
  const h = emptyIdleHistogram(options);
  for (const g of gaps) recordIdleTime(h, g, options);
  const { reason, ...d } = histogramDecision(h, cost, options);
  expect(reason).toBeTruthy();
  return roundDecision(d);
};

describe('binCountCv', () => {
  it('is the population standard deviation over the mean', () => {
    expect(binCountCv([1, 1, 1, 1])).toBe(0);
    // mean 1, variance (9 + 1 + 1 + 1) / 4 = 3
    expect(binCountCv([4, 0, 0, 0])).toBeCloseTo(Math.sqrt(3), 12);
    expect(binCountCv([0, 0])).toBe(0);
  });
});

describe('histogramDecision', () => {
  it('pre-warms at the head − 10 % and keeps to the tail + 10 %', () => {
    // 10 idle times in bin 2 (2–3 min), 85 in bin 10, 5 in bin 21
    const gaps = [...repeat(10, 150), ...repeat(85, 600), ...repeat(5, 1300)];
    // p5 is in bin 2: head = its lower edge, 120 s → pre-warm at 108 s.
    // p99 is in bin 21: tail = its upper edge, 1320 s → 1452 s from the
    // end, so 1452 − 108 = 1344 s from the pre-warm point.
    expect(decisionFor(gaps)).toEqual({
      keepAliveSeconds: 0,
      prewarm: { afterSeconds: 108, windowSeconds: 1344 },
    });
    // p90 is in bin 10 (95 of 100 by its end): tail 660 s → 726 − 108
    expect(decisionFor(gaps, { tailPercentile: 90 }).prewarm).toEqual({
      afterSeconds: 108,
      windowSeconds: 618,
    });
  });

  it('stays warm from the end when the head is in the first bin', () => {
    // p5 in bin 0 (under a minute): no pre-warm; p99 in bin 10 → 660 × 1.1
    const d = decisionFor([...repeat(10, 30), ...repeat(90, 600)]);
    expect(d.prewarm).toBeUndefined();
    expect(d.keepAliveSeconds).toBeCloseTo(726, 9);
  });

  it('keeps a pre-warm window of at least the load time', () => {
    // 10 idle times all in bin 10: head 600 → 540, tail 660 → 726 − 540 = 186
    expect(decisionFor(repeat(10, 600))).toEqual({
      keepAliveSeconds: 0,
      prewarm: { afterSeconds: 540, windowSeconds: 186 },
    });
    const h = emptyIdleHistogram();
    for (const g of repeat(10, 600)) recordIdleTime(h, g);
    const slow = roundDecision(histogramDecision(h, { loadSeconds: 300 }));
    expect(slow.prewarm).toEqual({ afterSeconds: 540, windowSeconds: 300 });
  });

  it('falls back to a 4 h keep-alive on a flat histogram', () => {
    // one idle time in each of the 240 bins: every count 1, CV 0 < 2
    const flat = Array.from({ length: 240 }, (_, i) => i * 60 + 30);
    expect(decisionFor(flat)).toEqual({ keepAliveSeconds: 14400 });
  });

  it('falls back to a 4 h keep-alive with too few idle times', () => {
    expect(decisionFor(repeat(9, 600))).toEqual({ keepAliveSeconds: 14400 });
    expect(decisionFor([])).toEqual({ keepAliveSeconds: 14400 });
  });

  it('forecasts when most idle times are beyond the range', () => {
    const gaps = [...repeat(4, 600), 20000, 30000, 16000, 50000, 18000, 22000];
    // 6 of 10 out of range; the last 5 (30000, 16000, 50000, 18000, 22000)
    // have the median 22000: pre-warm at 22000 × 0.85 for 22000 × 0.3
    expect(decisionFor(gaps)).toEqual({
      keepAliveSeconds: 0,
      prewarm: { afterSeconds: 18700, windowSeconds: 6600 },
    });
    // exactly half beyond the range is not most: the histogram (5 in bin 10)
    const half = [...repeat(5, 600), ...repeat(5, 20000)];
    expect(decisionFor(half)).toEqual({
      keepAliveSeconds: 0,
      prewarm: { afterSeconds: 540, windowSeconds: 186 },
    });
  });
});

describe('histogramPolicy', () => {
  it('learns idle times from busy end to next busy start, per model', () => {
    const p = histogramPolicy();
    // model m: busy 100 s every 700 s, so idle 600 s (start to start is 700)
    const decisions = [];
    for (let i = 0; i <= 10; i++) {
      p.observeBusyStart('m', i * 700, cost);
      decisions.push(p.decide('m', i * 700 + 100, cost));
    }
    // 9 idle times after the 10th busy interval: still too few
    expect(decisions[9].keepAliveSeconds).toBe(14400);
    expect(roundDecision(decisions[10])).toMatchObject({
      keepAliveSeconds: 0,
      prewarm: { afterSeconds: 540, windowSeconds: 186 },
    });
    // another model has seen nothing
    p.observeBusyStart('n', 5, cost);
    expect(p.decide('n', 6, cost).keepAliveSeconds).toBe(14400);
  });
});
