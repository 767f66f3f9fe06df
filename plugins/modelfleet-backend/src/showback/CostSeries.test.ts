import fc from 'fast-check';
import {
  BLOCK,
  CostSeries,
  dayNumber,
  dayString,
  DEMO,
  FIELDS,
  NONE,
} from './CostSeries';

const series = (day: number) =>
  new CostSeries('model', 'model:default/m', 'group:default/t', 'p', 0, 0, day);

/** What a series should hold: a row per day, or none. */
type Model = Map<number, { v: number[]; tag: number }>;

function naive(model: Model, from: number, to: number) {
  const out = { sums: new Array<number>(FIELDS).fill(0), rows: false };
  for (const [day, r] of model) {
    if (day < from || day >= to) continue;
    out.rows = true;
    r.v.forEach((x, f) => (out.sums[f] += x));
  }
  return out;
}

const close = (a: number, b: number) =>
  Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe('CostSeries', () => {
  it('sums any period like the days it holds, after any sets and clears', () => {
    const day = fc.integer({ min: 20_000, max: 20_000 + 5 * BLOCK });
    const value = fc.oneof(
      fc.constant(0),
      fc.double({ min: 0, max: 1e6, noNaN: true }),
    );
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('set' as const),
        day,
        v: fc.array(value, { minLength: FIELDS, maxLength: FIELDS }),
        demo: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('clear' as const), day }),
    );
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 1, maxLength: 80 }),
        fc.array(fc.tuple(day, day), { minLength: 1, maxLength: 10 }),
        (ops, periods) => {
          const model: Model = new Map();
          const s = series(ops[0].day);
          for (const o of ops) {
            if (o.kind === 'set') {
              const tag = o.day % 7 | (o.demo ? DEMO : 0);
              s.set(o.day, o.v, tag);
              model.set(o.day, { v: o.v, tag });
            } else {
              s.clear(o.day);
              model.delete(o.day);
            }
          }
          for (const [a, b] of periods) {
            const [from, to] = a <= b ? [a, b + 1] : [b, a + 1];
            const want = naive(model, from, to);
            const out = new Float64Array(1 + FIELDS);
            const rows = s.addTo(from, to, out, 1);
            expect(rows).toBe(want.rows);
            expect(out[0]).toBe(0);
            for (let f = 0; f < FIELDS; f++) {
              if (!close(out[1 + f], want.sums[f])) {
                throw new Error(
                  `field ${f} over [${from}, ${to}): ${out[1 + f]} != ${
                    want.sums[f]
                  }`,
                );
              }
              // A period without rows sums to exactly 0.
              if (!want.rows && out[1 + f] !== 0) {
                throw new Error(`field ${f} over [${from}, ${to}) is not 0`);
              }
            }
            const daily = new Float64Array((to - from) * FIELDS);
            const marks = new Uint8Array(to - from);
            s.addDaily(from, to, daily, marks);
            const tags: number[] = [];
            s.eachTag(from, to, t => tags.push(t));
            const held = [...model.entries()]
              .filter(([d]) => d >= from && d < to)
              .sort(([x], [y]) => x - y);
            expect(tags).toEqual(held.map(([, r]) => r.tag));
            expect([...marks].filter(Boolean).length).toBe(held.length);
            for (const [d, r] of held) {
              expect(marks[d - from]).toBe(1);
              r.v.forEach((x, f) =>
                expect(close(daily[(d - from) * FIELDS + f], x)).toBe(true),
              );
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('holds days before its first one and far after it', () => {
    const s = series(dayNumber('2026-06-15'));
    s.set(dayNumber('2026-06-15'), [1, 0, 1, 2, 3, 0.5], 0);
    s.set(dayNumber('2025-01-01'), [2, 0, 1, 0, 0, 1], 0);
    s.set(dayNumber('2027-03-01'), [4, 0, 1, 1, 0.5, 0.25], NONE + 1);
    const out = new Float64Array(FIELDS);
    expect(
      s.addTo(dayNumber('2024-12-01'), dayNumber('2027-04-01'), out, 0),
    ).toBe(true);
    expect([...out]).toEqual([7, 0, 3, 3, 3.5, 1.75]);
    expect(s.start % BLOCK).toBe(0);
    expect(dayString(dayNumber('2026-06-15'))).toBe('2026-06-15');
  });
});
