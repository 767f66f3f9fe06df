import { jsonPatch, mergePatch, PatchError } from './patch';
import { parseLabelSelector } from './selectors';

describe('patches', () => {
  it('merge patches as RFC 7386 says', () => {
    expect(
      mergePatch({ a: 'b', c: { d: 'e', f: 'g' } }, { a: 'z', c: { f: null } }),
    ).toEqual({
      a: 'z',
      c: { d: 'e' },
    });
    expect(mergePatch({ a: [1, 2] }, { a: [3] })).toEqual({ a: [3] });
    expect(mergePatch({ a: 'b' }, { a: { c: 1 } })).toEqual({ a: { c: 1 } });
  });

  it('applies RFC 6902 operations', () => {
    const doc = { a: { b: [1, 2] }, k: 'v' };
    expect(
      jsonPatch(doc, [
        { op: 'add', path: '/a/b/-', value: 3 },
        { op: 'add', path: '/a/b/0', value: 0 },
        { op: 'remove', path: '/k' },
        { op: 'copy', from: '/a/b', path: '/c' },
        { op: 'move', from: '/c', path: '/d~1e' },
        { op: 'replace', path: '/a/b/1', value: 9 },
        { op: 'test', path: '/a/b', value: [0, 9, 2, 3] },
      ]),
    ).toEqual({ a: { b: [0, 9, 2, 3] }, 'd/e': [0, 1, 2, 3] });
    expect(doc).toEqual({ a: { b: [1, 2] }, k: 'v' });
    expect(() =>
      jsonPatch(doc, [{ op: 'replace', path: '/nope', value: 1 }]),
    ).toThrow(PatchError);
    expect(() => jsonPatch(doc, [{ op: 'remove', path: '/a/b/5' }])).toThrow(
      PatchError,
    );
    expect(() => jsonPatch(doc, { op: 'add' })).toThrow(PatchError);
  });

  it('parses label selectors and refuses bad ones', () => {
    expect(parseLabelSelector('a=b,c!=d,e in (f, g),!h,i')).toEqual([
      { key: 'a', op: '=', value: 'b' },
      { key: 'c', op: '!=', value: 'd' },
      { key: 'e', op: 'in', values: ['f', 'g'] },
      { key: 'h', op: '!exists' },
      { key: 'i', op: 'exists' },
    ]);
    expect(() => parseLabelSelector('a b c')).toThrow(
      /unable to parse requirement/,
    );
  });
});
