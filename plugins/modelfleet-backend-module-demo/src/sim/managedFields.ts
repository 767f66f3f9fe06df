import {
  clone,
  deepEqual,
  FieldsV1,
  isPlainObject,
  KubeObject,
  ManagedFieldsEntry,
} from './objects';
import { ApiError } from './status';

/**
 * Field ownership of server-side apply, simplified: maps merge key by key
 * and everything else (lists included) is one atomic field. Each manager
 * owns the leaf fields it applied (operation `Apply`) or changed
 * (operation `Update`), recorded in `metadata.managedFields` as FieldsV1.
 */

type Path = string[];

const SERVER_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
  'generateName',
]);

/** Leaf fields of an object that can be owned. */
export function leafPaths(object: unknown, ignoreStatus: boolean): Path[] {
  const out: Path[] = [];
  const walk = (value: unknown, path: Path) => {
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) {
        if (path.length === 0 && ['apiVersion', 'kind'].includes(k)) continue;
        if (path.length === 0 && k === 'status' && ignoreStatus) continue;
        if (
          path.length === 1 &&
          path[0] === 'metadata' &&
          SERVER_METADATA.has(k)
        ) {
          continue;
        }
        walk(v, [...path, k]);
      }
    } else if (path.length > 0) out.push(path);
  };
  walk(object, []);
  return out;
}

export function getPath(object: unknown, path: Path): unknown {
  let node = object;
  for (const key of path) {
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

function deletePath(object: Record<string, unknown>, path: Path): void {
  let node: unknown = object;
  for (const key of path.slice(0, -1)) {
    if (!isPlainObject(node)) return;
    node = node[key];
  }
  if (isPlainObject(node)) delete node[path[path.length - 1]];
}

export function toFieldsV1(paths: Path[]): FieldsV1 {
  const root: FieldsV1 = {};
  for (const path of paths) {
    let node = root;
    for (const key of path) {
      const k = `f:${key}`;
      node[k] = node[k] ?? {};
      node = node[k];
    }
  }
  return root;
}

export function fromFieldsV1(fields: FieldsV1 | undefined): Path[] {
  const out: Path[] = [];
  const walk = (node: FieldsV1, path: Path) => {
    const children = Object.keys(node).filter(k => k.startsWith('f:'));
    if (children.length === 0) {
      if (path.length > 0) out.push(path);
      return;
    }
    for (const k of children) walk(node[k], [...path, k.slice(2)]);
  };
  walk(fields ?? {}, []);
  return out;
}

const isPrefix = (a: Path, b: Path) =>
  a.length <= b.length && a.every((k, i) => b[i] === k);
const related = (a: Path, b: Path) => isPrefix(a, b) || isPrefix(b, a);
const longer = (a: Path, b: Path) => (a.length >= b.length ? a : b);
const dotted = (p: Path) => `.${p.join('.')}`;

/** Maps merge; everything else replaces. */
function applyMerge(live: unknown, config: unknown, depth: number): unknown {
  if (!isPlainObject(live) || !isPlainObject(config)) return clone(config);
  const out: Record<string, unknown> = { ...live };
  for (const [k, v] of Object.entries(config)) {
    if (depth === 1 && SERVER_METADATA.has(k)) continue;
    out[k] = applyMerge(out[k], v, depth + 1);
  }
  return out;
}

interface Ownership {
  entries: ManagedFieldsEntry[];
  paths: Path[][];
}

function read(object: KubeObject | undefined): Ownership {
  const entries = clone(object?.metadata?.managedFields ?? []);
  return { entries, paths: entries.map(e => fromFieldsV1(e.fieldsV1)) };
}

function write(
  object: KubeObject,
  own: Ownership,
  apiVersion: string,
  time: string,
): void {
  const entries: ManagedFieldsEntry[] = [];
  own.entries.forEach((e, i) => {
    if (own.paths[i].length === 0) return;
    const fieldsV1 = toFieldsV1(own.paths[i]);
    const same = deepEqual(fieldsV1, e.fieldsV1);
    entries.push({
      ...e,
      apiVersion: same ? e.apiVersion : apiVersion,
      time: same ? e.time : time,
      fieldsV1,
    });
  });
  object.metadata = object.metadata ?? {};
  if (entries.length > 0) object.metadata.managedFields = entries;
  else delete object.metadata.managedFields;
}

function entryIndex(
  own: Ownership,
  manager: string,
  operation: 'Apply' | 'Update',
  subresource: string | undefined,
  apiVersion: string,
  time: string,
): number {
  let i = own.entries.findIndex(
    e =>
      e.manager === manager &&
      e.operation === operation &&
      (e.subresource ?? undefined) === subresource,
  );
  if (i < 0) {
    own.entries.push({
      manager,
      operation,
      apiVersion,
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: {},
      ...(subresource ? { subresource } : {}),
    });
    own.paths.push([]);
    i = own.entries.length - 1;
  }
  return i;
}

/**
 * Server-side apply of `config` by `manager` onto `live` (absent when
 * creating). Conflicts with fields other managers own and set to other
 * values fail with 409, unless `force` moves them to this manager. Fields
 * this manager applied before and no longer applies are removed, unless
 * another manager owns them too.
 */
export function serverSideApply(input: {
  live: KubeObject | undefined;
  config: KubeObject;
  manager: string;
  force: boolean;
  ignoreStatus: boolean;
  time: string;
}): KubeObject {
  const { live, config, manager, force, ignoreStatus, time } = input;
  const apiVersion = config.apiVersion ?? live?.apiVersion ?? 'v1';
  const own = read(live);
  const applied = leafPaths(config, ignoreStatus);
  const conflicts: string[] = [];
  own.entries.forEach((e, i) => {
    if (e.manager === manager) return;
    own.paths[i] = own.paths[i].filter(q => {
      const hits = applied.filter(p => related(p, q));
      const differs = hits.some(p => {
        const at = longer(p, q);
        return !deepEqual(getPath(live, at), getPath(config, at));
      });
      if (!differs) return true;
      const sub = e.subresource ? ` with subresource "${e.subresource}"` : '';
      conflicts.push(
        `conflict with "${e.manager}"${sub} using ${e.apiVersion}: ${dotted(
          q,
        )}`,
      );
      return false; // forced: the field moves to this manager
    });
  });
  if (conflicts.length > 0 && !force) {
    const n = conflicts.length;
    throw new ApiError(
      409,
      `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${conflicts.join(
        '\n',
      )}`,
      'Conflict',
      {
        causes: conflicts.map(c => ({
          reason: 'FieldManagerConflict',
          message: c,
          field: c.slice(c.lastIndexOf(': ') + 2),
        })),
      },
    );
  }

  const mine = entryIndex(own, manager, 'Apply', undefined, apiVersion, time);
  let base: KubeObject = clone(live ?? {});
  for (const p of own.paths[mine]) {
    if (applied.some(a => related(a, p))) continue;
    const sharedWith = own.paths.some(
      (paths, i) => i !== mine && paths.some(q => related(p, q)),
    );
    if (!sharedWith) deletePath(base, p);
  }
  if (ignoreStatus && live) {
    base = { ...base, status: live.status };
    if (live.status === undefined) delete base.status;
  }
  const configNoStatus = ignoreStatus ? { ...config } : config;
  if (ignoreStatus) delete configNoStatus.status;
  const result = applyMerge(base, configNoStatus, 0) as KubeObject;
  own.paths[mine] = applied;
  write(result, own, apiVersion, time);
  return result;
}

/**
 * Field ownership after a write that is not an apply (create, update,
 * merge or JSON patch, scale, a controller's change): the fields it
 * changed move to `manager` (operation `Update`).
 */
export function trackUpdate(input: {
  before: KubeObject | undefined;
  after: KubeObject;
  manager: string;
  subresource?: string;
  ignoreStatus: boolean;
  time: string;
}): void {
  const { before, after, manager, subresource, time } = input;
  const ignoreStatus = input.ignoreStatus && subresource !== 'status';
  const apiVersion = after.apiVersion ?? 'v1';
  const own = read(before);
  const now = leafPaths(after, ignoreStatus);
  const old = before ? leafPaths(before, ignoreStatus) : [];
  const changed = now.filter(
    p => !deepEqual(getPath(before, p), getPath(after, p)),
  );
  const removed = old.filter(p => getPath(after, p) === undefined);
  if (changed.length === 0 && removed.length === 0) {
    write(after, own, apiVersion, time);
    return;
  }
  own.paths = own.paths.map(paths =>
    paths.filter(
      q =>
        !changed.some(p => related(p, q)) && !removed.some(p => related(p, q)),
    ),
  );
  const mine = entryIndex(
    own,
    manager,
    'Update',
    subresource,
    apiVersion,
    time,
  );
  own.paths[mine] = [...own.paths[mine], ...changed];
  write(after, own, apiVersion, time);
}
