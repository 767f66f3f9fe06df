import { addSpan, clipSpans, dropSpansBefore, Spans } from './busySpans';

describe('busy spans', () => {
  it('adds spans in any order, merging those that overlap or touch', () => {
    const spans: Spans = [];
    addSpan(spans, 10, 11);
    addSpan(spans, 20, 21);
    addSpan(spans, 30, 31);
    expect(spans).toEqual([
      [10, 11],
      [20, 21],
      [30, 31],
    ]);
    // Late, and bridging two.
    addSpan(spans, 20.5, 30);
    expect(spans).toEqual([
      [10, 11],
      [20, 31],
    ]);
    // Before all, and inside one.
    addSpan(spans, 1, 2);
    addSpan(spans, 21, 22);
    // Empty or reversed: nothing.
    addSpan(spans, 5, 5);
    addSpan(spans, 6, 4);
    expect(spans).toEqual([
      [1, 2],
      [10, 11],
      [20, 31],
    ]);
    // Covering everything.
    addSpan(spans, 0, 100);
    expect(spans).toEqual([[0, 100]]);
  });

  it('agrees with merging sorted spans, whatever the order they come in', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let run = 0; run < 50; run++) {
      const raw = Array.from({ length: 30 }, () => {
        const s = Math.floor(random() * 200);
        return [s, s + 1 + Math.floor(random() * 10)] as [number, number];
      });
      const spans: Spans = [];
      for (const [s, e] of raw) addSpan(spans, s, e);
      const merged: Spans = [];
      for (const [s, e] of [...raw].sort((a, b) => a[0] - b[0])) {
        const last = merged[merged.length - 1];
        if (last && s <= last[1]) last[1] = Math.max(last[1], e);
        else merged.push([s, e]);
      }
      expect(spans).toEqual(merged);
    }
  });

  it('clips to a window and drops what ended before a time', () => {
    const spans: Spans = [
      [0, 10],
      [20, 30],
      [40, 50],
    ];
    expect(clipSpans(spans, 5, 45)).toEqual([
      [5, 10],
      [20, 30],
      [40, 45],
    ]);
    expect(clipSpans(spans, 10, 20)).toEqual([]);
    expect(dropSpansBefore(spans, 25)).toEqual([
      [20, 30],
      [40, 50],
    ]);
    expect(dropSpansBefore(spans, 0)).toBe(spans);
    expect(dropSpansBefore(spans, 51)).toEqual([]);
  });
});
