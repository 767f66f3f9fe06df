import { busyIntervalsOf, learnKeepAlives, mergeBusySpans } from './history';

describe('busyIntervalsOf', () => {
  it('makes one interval of consecutive steps with requests, ignoring bad points', () => {
    expect(
      busyIntervalsOf(
        [
          [180, 0.5],
          [60, 0],
          [120, 2],
          [240, 0],
          [300, 0],
          [360, Number.NaN],
          [420, 0.1],
        ],
        60,
      ),
    ).toEqual([
      { start: 60, end: 180 },
      { start: 360, end: 420 },
    ]);
    expect(busyIntervalsOf([], 60)).toEqual([]);
  });
});

describe('mergeBusySpans', () => {
  it('sorts exact spans and merges those that overlap or touch, ignoring bad ones', () => {
    expect(
      mergeBusySpans([
        { start: 100, end: 101.5 },
        { start: 10, end: 11 },
        { start: 101, end: 102 },
        { start: 102, end: 103 },
        { start: 50, end: 50 },
        { start: Number.NaN, end: 60 },
        { start: 70, end: Number.POSITIVE_INFINITY },
        { start: 10.5, end: 11.25 },
      ]),
    ).toEqual([
      { start: 10, end: 11.25 },
      { start: 100, end: 103 },
    ]);
    expect(mergeBusySpans([])).toEqual([]);
  });

  it('bridges gaps shorter than it is told: a batch of requests seconds apart is one interval', () => {
    const batch = (t0: number) =>
      Array.from({ length: 60 }, (_, i) => ({
        start: t0 + 2 * i,
        end: t0 + 2 * i + 1.5,
      }));
    const spans = [...batch(0), ...batch(1200)];
    expect(mergeBusySpans(spans)).toHaveLength(120);
    expect(mergeBusySpans(spans, 60)).toEqual([
      { start: 0, end: 119.5 },
      { start: 1200, end: 1319.5 },
    ]);
    // A gap of exactly the bridge is bridged; a longer one is not.
    expect(
      mergeBusySpans(
        [
          { start: 0, end: 1 },
          { start: 61, end: 62 },
          { start: 122.5, end: 123 },
        ],
        60,
      ),
    ).toEqual([
      { start: 0, end: 62 },
      { start: 122.5, end: 123 },
    ]);
  });
});

describe('learnKeepAlives', () => {
  const cost = { loadSeconds: 30 };
  /** Busy a minute every `gap` seconds, `n` times, from `t0`. */
  const regular = (t0: number, gap: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      start: t0 + i * (gap + 60),
      end: t0 + i * (gap + 60) + 60,
    }));

  it('learns a keep-alive that covers a model’s short gaps, and says why', () => {
    const intervals = regular(0, 240, 40);
    const last = intervals[intervals.length - 1].end;
    const now = (last + 600) * 1000;
    const learned = learnKeepAlives(
      [{ model: 'a', intervals, cost }],
      now,
      60,
    ).get('a')!;
    expect(learned.intervals).toBe(40);
    expect(learned.idleSince).toBe(last * 1000);
    // Gaps of 4 min, far cheaper to wait through than a wake and a cold start.
    expect(learned.decision!.keepAliveSeconds).toBeGreaterThanOrEqual(240);
    expect(learned.decision!.reason).toMatch(/gap|keep-alive/);
  });

  it('learns short keep-alives for a model whose gaps are hours', () => {
    const intervals = regular(0, 4 * 3600, 30);
    const last = intervals[intervals.length - 1].end;
    const learned = learnKeepAlives(
      [{ model: 'b', intervals, cost }],
      (last + 60 * 5) * 1000,
      60,
      { coldStartPenaltySeconds: 60 },
    ).get('b')!;
    expect(learned.decision!.keepAliveSeconds).toBeLessThan(600);
  });

  it('takes a model whose last step had requests as busy, and one with no history as unknown', () => {
    const intervals = regular(0, 240, 5);
    const last = intervals[intervals.length - 1].end;
    const learned = learnKeepAlives(
      [
        { model: 'busy', intervals, cost },
        { model: 'new', intervals: [], cost },
      ],
      (last + 30) * 1000,
      60,
    );
    expect(learned.get('busy')!.idleSince).toBeUndefined();
    expect(learned.get('new')).toEqual({ intervals: 0 });
  });
});
