import fc from 'fast-check';
import { Mutation } from './mutate';
import {
  canonicalMutations,
  cellsOf,
  jsonType,
  mutationArb,
  Target,
} from './runner';

const base = { name: 'x', replicas: 2 };
const target = (over: Partial<Target> = {}): Target => ({
  id: 'test',
  surface: 'kinds',
  valuePlaces: [
    { where: 'input', path: ['name'] },
    { where: 'input', path: ['replicas'] },
  ],
  keyPlaces: [{ where: 'input', path: [] }],
  badBody: false,
  runs: 5,
  exampleCap: 100,
  valueAt: p => (base as any)[p.path[0]],
  run: async () => ({ verdict: 'accepted' }),
  describe: () => '',
  ...over,
});

const value = (m: Mutation) =>
  m.kind === 'value' ? m.hostile.value : undefined;

describe('canonicalMutations', () => {
  it('puts each canonical value at each field, breadth first, up to the cap', () => {
    const all = canonicalMutations(target(), 'dates');
    expect(all).toHaveLength(8);
    expect(all.slice(0, 2).map(value)).toEqual(['0000-01-01', '0000-01-01']);
    expect(canonicalMutations(target({ exampleCap: 3 }), 'dates')).toHaveLength(
      3,
    );
  });

  it('adds the canonical keys to every object', () => {
    const keys = canonicalMutations(target(), 'prototype-keys').filter(
      m => m.kind === 'key',
    );
    expect(keys.map(m => (m.kind === 'key' ? m.key.key : ''))).toEqual([
      '__proto__',
      'constructor',
    ]);
  });

  it('gives a field a wrong type only of another type than its value', () => {
    for (const m of canonicalMutations(target(), 'wrong-type')) {
      if (m.kind !== 'value') continue;
      const known = (base as any)[m.place.path[0]];
      expect(jsonType(m.hostile.value)).not.toBe(jsonType(known));
    }
    fc.assert(
      fc.property(mutationArb(target(), 'wrong-type')!, m => {
        if (m.kind !== 'value') return true;
        return (
          jsonType(m.hostile.value) !== jsonType((base as any)[m.place.path[0]])
        );
      }),
      { numRuns: 200 },
    );
  });

  it('sends whole bodies only to targets that take them', () => {
    expect(canonicalMutations(target(), 'bad-body')).toEqual([]);
    expect(
      canonicalMutations(target({ badBody: true }), 'bad-body').length,
    ).toBeGreaterThan(10);
  });
});

describe('cellsOf', () => {
  it('lists every canonical cell before any random one', () => {
    const cells = cellsOf([target(), target({ id: 'other' })]);
    const firstRandom = cells.findIndex(c => c.pass === 'random');
    expect(firstRandom).toBeGreaterThan(0);
    expect(cells.slice(firstRandom).every(c => c.pass === 'random')).toBe(true);
    expect(new Set(cells.map(c => c.t.id))).toEqual(new Set(['test', 'other']));
  });
});
