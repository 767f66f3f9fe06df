/*
 * Whether an error message names the field a mutation touched.
 *
 * "Names" means: the message contains the field's path, written as a dot
 * path (`replicas.min`, `manifests[0].kind` or `manifests.0.kind`) or a
 * JSON pointer (`/spec/replicas/min`), as a whole word (not inside a
 * longer name: `name` is not named by `namespace`); or, for a nested
 * field, its parent's path and its own key as separate words
 * (`replicas: unknown field(s) foo`, `/spec must NOT have additional
 * properties - additionalProperty: foo`); or, for a field of a list item,
 * the list and the path within the item (`manifests: … Deployment/chat
 * /metadata/namespace: …`, where the item is named by kind and name rather
 * than index). Case is ignored.
 */
import { formatPath, Path } from './mutate';

const WORD = /[a-z0-9_]/;

/** Whether `needle` occurs in `hay` with no letter, digit or `_` on either side. */
export function containsWord(hay: string, needle: string): boolean {
  if (!needle) return false;
  const h = hay.toLocaleLowerCase('en-US');
  const n = needle.toLocaleLowerCase('en-US');
  for (let i = h.indexOf(n); i >= 0; i = h.indexOf(n, i + 1)) {
    const before = i > 0 ? h[i - 1] : '';
    const after = h[i + n.length] ?? '';
    const startsWord = WORD.test(n[0]);
    const endsWord = WORD.test(n[n.length - 1]);
    if (
      (!startsWord || !WORD.test(before)) &&
      (!endsWord || !WORD.test(after))
    ) {
      return true;
    }
  }
  return false;
}

/** The ways a message may write a path. */
export function renderings(path: Path): string[] {
  if (path.length === 0) return [];
  const parts = path.map(String);
  // A JSON pointer escapes `~` and `/` in a key (RFC 6901).
  const pointer = parts.map(p => p.replace(/~/g, '~0').replace(/\//g, '~1'));
  return [
    ...new Set([
      formatPath(path),
      parts.join('.'),
      `/${parts.join('/')}`,
      `/${pointer.join('/')}`,
    ]),
  ];
}

const namesExactly = (message: string, path: Path) =>
  renderings(path).some(r => containsWord(message, r));

/** Whether the message names the field at `path`. */
export function namesPath(message: string, path: Path): boolean {
  if (path.length === 0) return false;
  if (namesExactly(message, path)) return true;
  if (path.length === 1) return false;
  const parent = path.slice(0, -1);
  const leaf = String(path[path.length - 1]);
  if (namesExactly(message, parent) && containsWord(message, leaf)) return true;
  // An item of a list named its own way (`manifests: … Deployment/chat
  // /metadata/namespace: …`): the list, and the path within the item.
  return path.some(
    (p, i) =>
      typeof p === 'number' &&
      i > 0 &&
      i < path.length - 1 &&
      namesExactly(message, path.slice(0, i)) &&
      namesExactly(message, path.slice(i + 1)),
  );
}

/** Whether the message names any of the paths. */
export function namesAny(message: string, paths: Path[]): boolean {
  return paths.some(p => namesPath(message, p));
}
