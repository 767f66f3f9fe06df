import {
  applyToJson,
  applyToValue,
  cloneJson,
  expectedPaths,
  formatPath,
  jsonWith,
  Mutation,
  objectPaths,
  setAt,
  valuePaths,
} from './mutate';

const base = { name: 'x', replicas: { min: 1, max: 2 }, list: ['a', { b: 1 }] };

describe('paths', () => {
  it('lists every field, item and object below the root', () => {
    expect(valuePaths(base)).toEqual([
      ['name'],
      ['replicas'],
      ['replicas', 'min'],
      ['replicas', 'max'],
      ['list'],
      ['list', 0],
      ['list', 1],
      ['list', 1, 'b'],
    ]);
    expect(objectPaths(base)).toEqual([[], ['replicas'], ['list', 1]]);
  });

  it('formats a path', () => {
    expect(formatPath(['manifests', 0, 'metadata', 'name'])).toBe(
      'manifests[0].metadata.name',
    );
  });
});

describe('setAt', () => {
  it('sets a copy and leaves the original alone', () => {
    const out = setAt(base, ['replicas', 'min'], -1);
    expect(out.replicas.min).toBe(-1);
    expect(base.replicas.min).toBe(1);
  });

  it('makes __proto__ an own key instead of changing the prototype', () => {
    const out = setAt(base, ['replicas', '__proto__'], {
      polluted: true,
    }) as any;
    expect(Object.keys(out.replicas)).toContain('__proto__');
    expect(out.replicas.polluted).toBeUndefined();
    expect(({} as any).polluted).toBeUndefined();
    expect(JSON.stringify(out.replicas)).toBe(
      '{"min":1,"max":2,"__proto__":{"polluted":true}}',
    );
  });

  it('keeps own __proto__ keys when cloning', () => {
    const parsed = JSON.parse('{"__proto__":{"a":1}}');
    expect(JSON.stringify(cloneJson(parsed))).toBe('{"__proto__":{"a":1}}');
  });
});

describe('JSON with raw values', () => {
  it('writes 1e309 as raw text, which JSON.stringify cannot', () => {
    const text = jsonWith(base, ['replicas', 'max'], {
      value: Infinity,
      json: '1e309',
    });
    expect(text).toBe(
      '{"name":"x","replicas":{"min":1,"max":1e309},"list":["a",{"b":1}]}',
    );
    expect(JSON.parse(text).replicas.max).toBe(Infinity);
  });

  it('uses JSON.stringify when there is no raw text', () => {
    expect(jsonWith({ a: 1 }, ['a'], { value: 'é\ud800' })).toBe(
      '{"a":"é\\ud800"}',
    );
  });

  it('applies value and key mutations', () => {
    const value: Mutation = {
      kind: 'value',
      cls: 'non-finite',
      place: { where: 'body', path: ['name'] },
      hostile: { value: NaN, json: 'NaN' },
    };
    expect(applyToJson({ name: 'x' }, value)).toBe('{"name":NaN}');
    const key: Mutation = {
      kind: 'key',
      cls: 'unknown-keys',
      place: { where: 'input', path: ['replicas'] },
      key: { key: 'extra', value: { value: 1 } },
    };
    expect(applyToValue(base, key).replicas).toEqual({
      min: 1,
      max: 2,
      extra: 1,
    });
  });
});

describe('expectedPaths', () => {
  it('is the field replaced, the key added, or for a whole body "body" or a top-level field', () => {
    expect(
      expectedPaths({
        kind: 'value',
        cls: 'dates',
        place: { where: 'query', path: ['from'] },
        hostile: { value: 'x' },
      }),
    ).toEqual([['from']]);
    expect(
      expectedPaths({
        kind: 'key',
        cls: 'unknown-keys',
        place: { where: 'body', path: ['replicas'] },
        key: { key: 'k', value: { value: 1 } },
      }),
    ).toEqual([['replicas', 'k']]);
    expect(
      expectedPaths(
        { kind: 'body', cls: 'bad-body', body: { text: '', label: 'empty' } },
        { replicas: 1, reason: 'r' },
      ),
    ).toEqual([['body'], ['replicas'], ['reason']]);
    const nan = (where: 'body' | 'input'): Mutation => ({
      kind: 'value',
      cls: 'non-finite',
      place: { where, path: ['n'] },
      hostile: { value: NaN, json: 'NaN' },
    });
    expect(expectedPaths(nan('body'))).toEqual([['n'], ['body']]);
    expect(expectedPaths(nan('input'))).toEqual([['n']]);
    expect(
      expectedPaths({
        kind: 'value',
        cls: 'non-finite',
        place: { where: 'body', path: ['n'] },
        hostile: { value: Infinity, json: '1e309' },
      }),
    ).toEqual([['n']]);
  });
});
