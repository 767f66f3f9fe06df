import { interleave, WeightedSplit } from './split';

describe('WeightedSplit', () => {
  it('gives each target its share of a batch', () => {
    const s = new WeightedSplit<string>();
    const to = [
      { to: 'a', weight: 3 },
      { to: 'b', weight: 1 },
    ];
    expect(s.split('m', to, 8)).toEqual([
      ['a', 6],
      ['b', 2],
    ]);
  });

  it('keeps the proportion over single requests', () => {
    const s = new WeightedSplit<string>();
    const to = [
      { to: 'a', weight: 2 },
      { to: 'b', weight: 1 },
    ];
    const got: Record<string, number> = { a: 0, b: 0 };
    for (let i = 0; i < 30; i++)
      for (const [t, n] of s.split('m', to, 1)) got[t] += n;
    expect(got).toEqual({ a: 20, b: 10 });
  });

  it('sends everything to a single target', () => {
    expect(
      new WeightedSplit<string>().split('m', [{ to: 'a', weight: 0 }], 5),
    ).toEqual([['a', 5]]);
  });
});

describe('interleave', () => {
  it('spreads each target over the sequence', () => {
    expect(interleave([2, 1])).toEqual([0, 1, 0]);
    expect(interleave([0, 3])).toEqual([1, 1, 1]);
  });
});
