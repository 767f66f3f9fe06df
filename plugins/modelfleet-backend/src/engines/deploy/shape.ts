/**
 * Shape checks of a manifest that the API server would otherwise make
 * (naming the map, not the key) or fail at (a body nested thousands of
 * levels deep exhausts a decoder's stack): run before any cluster call.
 */

/** How deep a manifest may nest; a rendered model object nests about 10. */
export const MAX_MANIFEST_DEPTH = 64;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/**
 * A value of the request quoted in a reason: a string cut short (a
 * 20,000-character kind is not repeated whole), a number as is, anything
 * else by its type (an object whose `toString` is no function cannot even
 * be turned into a string).
 */
export function quote(v: unknown): string {
  if (typeof v === 'string') return v.length > 80 ? `${v.slice(0, 80)}…` : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** The value at `path`, own properties only (never one of Object.prototype's). */
export function at(root: unknown, path: string[]): unknown {
  let v = root;
  for (const key of path) {
    if (!isObject(v) || !Object.hasOwn(v, key)) return undefined;
    v = v[key];
  }
  return v;
}

/**
 * The path of the first object or array nested deeper than `max` levels
 * below `root`, or undefined. Walked without recursion, so a body nested
 * 5,000 levels deep cannot exhaust the stack.
 */
export function tooDeepAt(
  root: unknown,
  max = MAX_MANIFEST_DEPTH,
): string | undefined {
  const stack: Array<[unknown, string, number]> = [[root, '', 0]];
  while (stack.length) {
    const [v, path, depth] = stack.pop()!;
    const isList = Array.isArray(v);
    if (!isList && !isObject(v)) continue;
    if (depth > max) return path;
    if (isList) {
      v.forEach((item, i) => stack.push([item, `${path}[${i}]`, depth + 1]));
    } else {
      for (const [k, item] of Object.entries(v)) {
        stack.push([item, join(path, k), depth + 1]);
      }
    }
  }
  return undefined;
}

/**
 * Refuses `labels` and `annotations` of the `metadata` at `path` (`''` for
 * the object's own, `spec.template.metadata` for its pod template) that are
 * not maps of string to string, naming each key whose value is not a
 * string.
 */
export function checkStringMaps(
  metadata: unknown,
  path: string,
  refuse: (path: string, reason: string) => void,
) {
  if (!isObject(metadata)) return;
  for (const map of ['labels', 'annotations']) {
    if (!Object.hasOwn(metadata, map)) continue;
    const value = metadata[map];
    const mapPath = join(path, map);
    if (!isObject(value)) {
      refuse(mapPath, 'must be a map of strings to strings');
      continue;
    }
    for (const [key, v] of Object.entries(value)) {
      if (typeof v !== 'string') {
        refuse(`${mapPath}.${key}`, 'must be a string');
      }
    }
  }
}

/**
 * Numbers JSON cannot carry on: `1e999` parses as Infinity, which the
 * Kubernetes client would send as `null`. Walked without recursion, so a
 * deeply nested body cannot exhaust the stack.
 */
export function checkNumbers(
  o: unknown,
  refuse: (path: string, reason: string) => void,
) {
  const stack: Array<[unknown, string]> = [[o, '']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'number' && !Number.isFinite(v)) {
      refuse(path, `${v} is not a finite number`);
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, `${path}[${i}]`]));
    } else if (isObject(v)) {
      for (const [k, item] of Object.entries(v)) {
        stack.push([item, path ? `${path}.${k}` : k]);
      }
    }
  }
}

/**
 * Refuses a workload's `spec.selector.matchLabels` that is not a map of
 * string to string, or selects a label its pod template (at
 * `templateLabels`, `spec.template.metadata.labels`) does not carry: the
 * API server would refuse it naming only the template's labels, when the
 * selector may be what changed. Both are named.
 */
export function checkSelector(
  o: unknown,
  templateLabels: string,
  refuse: (path: string, reason: string) => void,
) {
  const path = 'spec.selector.matchLabels';
  const selector = at(o, path.split('.'));
  if (selector === undefined) return;
  if (!isObject(selector)) {
    refuse(path, 'must be a map of strings to strings');
    return;
  }
  const labels = at(o, templateLabels.split('.'));
  for (const [key, value] of Object.entries(selector)) {
    if (typeof value !== 'string') {
      refuse(`${path}.${key}`, 'must be a string');
      continue;
    }
    const label =
      isObject(labels) && Object.hasOwn(labels, key) ? labels[key] : undefined;
    if (label !== value) {
      refuse(
        `${path}.${key}`,
        `selects ${key}=${value.slice(
          0,
          63,
        )}, which the pod template's ${templateLabels}.${key} does not carry`,
      );
    }
  }
}
