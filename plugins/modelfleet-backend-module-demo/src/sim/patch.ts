import { clone, deepEqual, isPlainObject } from './objects';

/** An error in a patch document; the API server answers 422 (or 400). */
export class PatchError extends Error {
  constructor(message: string, readonly code: 400 | 422 = 422) {
    super(message);
  }
}

/**
 * RFC 7386 JSON merge patch: objects merge key by key, `null` removes a
 * key, everything else (arrays included) replaces.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  const result: Record<string, unknown> = isPlainObject(target)
    ? { ...target }
    : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** One operation of an RFC 6902 JSON patch. */
interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

/** `/a/b~1c` → ['a', 'b/c'] (RFC 6901). */
function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new PatchError(`invalid JSON pointer '${pointer}'`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map(t => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function parentOf(doc: unknown, tokens: string[], pointer: string) {
  let node: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(t)];
    else if (isPlainObject(node)) node = node[t];
    else node = undefined;
    if (node === undefined) {
      throw new PatchError(`doc is missing path: "${pointer}"`);
    }
  }
  if (!Array.isArray(node) && !isPlainObject(node)) {
    throw new PatchError(`doc is missing path: "${pointer}"`);
  }
  return node as Container;
}

function arrayIndex(
  arr: unknown[],
  token: string,
  forAdd: boolean,
  pointer: string,
) {
  if (forAdd && token === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(token)) {
    throw new PatchError(`invalid array index '${token}' in "${pointer}"`);
  }
  const i = Number(token);
  if (i > arr.length || (!forAdd && i === arr.length)) {
    throw new PatchError(`index out of range in "${pointer}"`);
  }
  return i;
}

function getAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const parent = parentOf(doc, tokens, pointer);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent))
    return parent[arrayIndex(parent, last, false, pointer)];
  if (!(last in parent))
    throw new PatchError(`doc is missing path: "${pointer}"`);
  return parent[last];
}

function removeAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0)
    throw new PatchError('cannot remove the whole document');
  const parent = parentOf(doc, tokens, pointer);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent, last, false, pointer);
    return parent.splice(i, 1)[0];
  }
  if (!(last in parent)) {
    throw new PatchError(
      `unable to remove nonexistent key: ${last}: missing value`,
    );
  }
  const value = parent[last];
  delete parent[last];
  return value;
}

function addAt(
  doc: unknown,
  pointer: string,
  value: unknown,
  replace: boolean,
): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return clone(value);
  const parent = parentOf(doc, tokens, pointer);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent, last, !replace, pointer);
    if (replace) parent[i] = clone(value);
    else parent.splice(i, 0, clone(value));
  } else {
    if (replace && !(last in parent)) {
      throw new PatchError(
        `replace operation does not apply: doc is missing key: ${pointer}: missing value`,
      );
    }
    parent[last] = clone(value);
  }
  return doc;
}

/** Applies an RFC 6902 JSON patch to a copy of `doc`. */
export function jsonPatch(doc: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) {
    throw new PatchError('a JSON patch must be an array of operations', 400);
  }
  let result = clone(doc);
  for (const raw of operations as Operation[]) {
    if (!isPlainObject(raw) || typeof raw.path !== 'string') {
      throw new PatchError('each operation needs an op and a path', 400);
    }
    switch (raw.op) {
      case 'add':
        result = addAt(result, raw.path, raw.value, false);
        break;
      case 'replace':
        result = addAt(result, raw.path, raw.value, true);
        break;
      case 'remove':
        removeAt(result, raw.path);
        break;
      case 'move': {
        const value = removeAt(result, raw.from ?? '');
        result = addAt(result, raw.path, value, false);
        break;
      }
      case 'copy':
        result = addAt(result, raw.path, getAt(result, raw.from ?? ''), false);
        break;
      case 'test':
        if (!deepEqual(getAt(result, raw.path), raw.value)) {
          throw new PatchError(`testing value ${raw.path} failed: test failed`);
        }
        break;
      default:
        throw new PatchError(`Unexpected kind: ${raw.op}`, 400);
    }
  }
  return result;
}
