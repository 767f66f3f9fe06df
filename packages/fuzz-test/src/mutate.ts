/*
 * Mutations of a known-good input: one field replaced by a hostile value,
 * one key added to one object, or (for REST bodies) the whole body
 * replaced. Each mutation knows which field it touched, so a rejection can
 * be checked for naming it.
 */
import { Hostile, HostileBody, HostileClass, HostileKey } from './hostile';

/** A path into an input: object keys and array indices. */
export type Path = Array<string | number>;

/** Where a field lives: a URL path parameter, a query parameter, a header, the JSON body, or an in-process input. */
export type Where = 'path' | 'query' | 'header' | 'body' | 'input';

/** A field (or, for key mutations, an object) of an input. */
export interface Place {
  where: Where;
  path: Path;
}

/** One mutated input. */
export type Mutation =
  | { kind: 'value'; cls: HostileClass; place: Place; hostile: Hostile }
  | { kind: 'key'; cls: HostileClass; place: Place; key: HostileKey }
  | { kind: 'body'; cls: HostileClass; body: HostileBody };

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Every path below the root of a JSON value: its fields, array items and
 * the objects and arrays themselves.
 */
export function valuePaths(root: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [];
  const walk = (x: unknown, at: Path) => {
    if (Array.isArray(x)) {
      x.forEach((item, i) => {
        out.push([...at, i]);
        walk(item, [...at, i]);
      });
    } else if (isPlainObject(x)) {
      for (const [k, item] of Object.entries(x)) {
        out.push([...at, k]);
        walk(item, [...at, k]);
      }
    }
  };
  walk(root, prefix);
  return out;
}

/** The paths of the plain objects of a JSON value, the root included. */
export function objectPaths(root: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [];
  const walk = (x: unknown, at: Path) => {
    if (Array.isArray(x)) x.forEach((item, i) => walk(item, [...at, i]));
    else if (isPlainObject(x)) {
      out.push(at);
      for (const [k, item] of Object.entries(x)) walk(item, [...at, k]);
    }
  };
  walk(root, prefix);
  return out;
}

/** Sets an own property, also for `__proto__` (which `=` would not). */
export function setOwn(obj: object, key: string | number, value: unknown) {
  Object.defineProperty(obj, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** A deep copy of a JSON value (own keys only, `__proto__` kept as a key). */
export function cloneJson<T>(x: T): T {
  if (Array.isArray(x)) return x.map(cloneJson) as unknown as T;
  if (isPlainObject(x)) {
    const out = {};
    for (const [k, item] of Object.entries(x)) setOwn(out, k, cloneJson(item));
    return out as T;
  }
  return x;
}

/** The value at a path, or undefined. */
export function getAt(root: unknown, path: Path): unknown {
  let x: any = root;
  for (const p of path) {
    if (x === null || typeof x !== 'object') return undefined;
    x = Object.prototype.hasOwnProperty.call(x, p) ? x[p] : undefined;
  }
  return x;
}

/** A copy of `root` with `value` at `path` (whose parent must exist). */
export function setAt<T>(root: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const copy = cloneJson(root);
  const parent = getAt(copy, path.slice(0, -1));
  if (parent === null || typeof parent !== 'object') {
    throw new Error(`no object at ${path.slice(0, -1).join('.')}`);
  }
  setOwn(parent, path[path.length - 1], value);
  return copy;
}

/** A marker for a raw JSON value, replaced after JSON.stringify. */
const RAW = '\u0001fuzz-raw\u0001';
const RAW_JSON = JSON.stringify(RAW);

/**
 * JSON text of `root` with the hostile value at `path`: its raw text when
 * it has one (`1e309`), else JSON.stringify's.
 */
export function jsonWith(root: unknown, path: Path, h: Hostile): string {
  if (h.json === undefined) return JSON.stringify(setAt(root, path, h.value));
  const text = JSON.stringify(setAt(root, path, RAW));
  return text.replace(RAW_JSON, () => h.json!);
}

/** The input with the mutation applied, as a JavaScript value. */
export function applyToValue<T>(root: T, m: Mutation): T {
  if (m.kind === 'value') return setAt(root, m.place.path, m.hostile.value);
  if (m.kind === 'key') {
    return setAt(root, [...m.place.path, m.key.key], m.key.value.value);
  }
  throw new Error('a whole-body mutation has no value');
}

/** The input with the mutation applied, as JSON text. */
export function applyToJson(root: unknown, m: Mutation): string {
  if (m.kind === 'value') return jsonWith(root, m.place.path, m.hostile);
  if (m.kind === 'key') {
    return jsonWith(root, [...m.place.path, m.key.key], m.key.value);
  }
  throw new Error('a whole-body mutation has no JSON');
}

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/**
 * The field paths a rejection of the mutation may name, any one of them:
 * the field replaced (or `body`, when its raw text is no JSON and so spoils
 * the body), the key added (with its object's path), or for a
 * whole body, `body`, one of the known-good body's top-level fields (an
 * empty body is fairly refused as "name: required") or a key the body has.
 */
export function expectedPaths(m: Mutation, baseBody?: unknown): Path[] {
  if (m.kind !== 'body') {
    const hostile = m.kind === 'value' ? m.hostile : m.key.value;
    const path =
      m.kind === 'value' ? m.place.path : [...m.place.path, m.key.key];
    // Raw text that is no JSON (NaN) makes the whole body unparsable.
    const spoilsBody =
      m.place.where === 'body' &&
      hostile.json !== undefined &&
      !isJson(hostile.json);
    return spoilsBody ? [path, ['body']] : [path];
  }
  const top = isPlainObject(baseBody) ? Object.keys(baseBody) : [];
  return [['body'], ...[...top, ...(m.body.keys ?? [])].map(k => [k])];
}

/** `a.b[0].c` */
export function formatPath(path: Path): string {
  return path
    .map((p, i) => {
      if (typeof p === 'number') return `[${p}]`;
      return i === 0 ? p : `.${p}`;
    })
    .join('');
}
