/** Spans of time `[start, end)`, sorted by start, none overlapping. */
export type Spans = Array<[number, number]>;

/**
 * Adds `[start, end)` to `spans` (sorted, disjoint), merging it with those
 * it overlaps or touches. Quick for spans added in about time order.
 */
export function addSpan(spans: Spans, start: number, end: number): void {
  if (!(end > start)) return;
  let i = spans.length;
  while (i > 0 && spans[i - 1][0] > start) i--;
  if (i > 0 && spans[i - 1][1] >= start) {
    i -= 1;
    spans[i][1] = Math.max(spans[i][1], end);
  } else {
    spans.splice(i, 0, [start, end]);
  }
  while (i + 1 < spans.length && spans[i + 1][0] <= spans[i][1]) {
    spans[i][1] = Math.max(spans[i][1], spans[i + 1][1]);
    spans.splice(i + 1, 1);
  }
}

/** The parts of `spans` within `[from, to)`. */
export function clipSpans(spans: Spans, from: number, to: number): Spans {
  const out: Spans = [];
  for (const [s, e] of spans) {
    if (e <= from || s >= to) continue;
    out.push([Math.max(s, from), Math.min(e, to)]);
  }
  return out;
}

/** Drops the spans that ended before `before`; returns them kept. */
export function dropSpansBefore(spans: Spans, before: number): Spans {
  const i = spans.findIndex(([, e]) => e >= before);
  if (i < 0) return [];
  return i === 0 ? spans : spans.slice(i);
}
