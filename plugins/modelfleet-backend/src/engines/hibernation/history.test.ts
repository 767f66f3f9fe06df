import { busyIntervalsOf, learnKeepAlives } from './history';

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
