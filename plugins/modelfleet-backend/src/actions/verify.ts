import {
  ActionStep,
  KubeObject,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-common';
import { ClusterActuator } from '@modelfleet/plugin-modelfleet-node';
import {
  changedFields,
  desiredPatch,
  targetsOf,
} from '../engines/actions/diff';
import { clusterOf } from './operations';

const name = (r: { namespace: string; name: string; kind: string }) =>
  `${r.kind} ${r.namespace}/${r.name}`;

/**
 * What in the cluster no longer matches the action's steps, in words, or
 * `undefined` when all holds. For each object the last step that sets a
 * field wins; replicas an autoscaler may change (`autoscaled`) and waits
 * are not checked.
 */
export async function verifySteps(
  actuator: ClusterActuator,
  steps: ActionStep[],
): Promise<string | undefined> {
  const expected = new Map<
    string,
    {
      ref: ReturnType<typeof targetsOf>[number];
      cluster: string;
      patches: Record<string, unknown>[];
      /** Deleted by the last step that touches it: expected absent. */
      removed?: boolean;
    }
  >();
  const keyOf = (cluster: string, ref: ReturnType<typeof targetsOf>[number]) =>
    `${cluster}/${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${
      ref.name
    }`;
  for (const step of steps) {
    const op = step.do;
    if (op.op === 'waitReady') continue;
    const cluster = clusterOf(op);
    if (op.op === 'scale' && op.autoscaled) {
      // An autoscaler owns the count from here: no earlier step's count
      // (an apply's spec.replicas) holds either.
      const entry = expected.get(
        keyOf(cluster, { apiVersion: 'apps/v1', ...op.workload }),
      );
      if (entry) entry.patches = entry.patches.map(withoutReplicas);
      continue;
    }
    for (const ref of targetsOf(op)) {
      const key = keyOf(cluster, ref);
      if (op.op === 'remove') {
        expected.set(key, { ref, cluster, patches: [], removed: true });
        continue;
      }
      const patch = desiredPatch(op, ref);
      if (!patch) continue;
      const entry = expected.get(key) ?? { ref, cluster, patches: [] };
      entry.removed = false;
      entry.patches.push(patch);
      expected.set(key, entry);
    }
  }
  const problems: string[] = [];
  // An engine's sleep is no object's field: ask the engines whether the
  // last wake holds. A sleep is not held: the wake gate wakes the engine
  // on the next request, as an autoscaler changes replicas.
  const woken = new Map<string, WorkloadRef>();
  for (const step of steps) {
    const op = step.do;
    if (op.op !== 'sleepEngine') continue;
    const key = JSON.stringify(op.workload);
    if (op.level === null) woken.set(key, op.workload);
    else woken.delete(key);
  }
  for (const workload of woken.values()) {
    const state = await actuator.engineSleep?.(workload);
    const asleep = (state?.pods ?? []).filter(p => p.sleeping);
    if (asleep.length) {
      problems.push(
        `the engine of ${name(workload)} is asleep in ${asleep
          .map(p => p.name)
          .join(', ')}`,
      );
    }
  }
  // A pool's minimum is its cloud's, not an object's field: ask the cloud
  // whether the last minimum set holds.
  const minimums = new Map<
    string,
    { cluster: string; pool: string; min: number }
  >();
  for (const step of steps) {
    const op = step.do;
    if (op.op === 'setPoolMinimum') {
      minimums.set(`${op.cluster}/${op.pool}`, op);
    }
  }
  for (const m of minimums.values()) {
    const size = await actuator.poolSize?.({
      cluster: m.cluster,
      pool: m.pool,
    });
    if (size && size.min !== m.min) {
      problems.push(
        `the minimum size of pool ${m.pool} is ${size.min}, expected ${m.min}`,
      );
    }
  }
  for (const { ref, cluster, patches, removed } of expected.values()) {
    const current = await actuator.get(cluster, ref);
    const label = `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${
      ref.name
    }`;
    if (removed) {
      if (current) problems.push(`${label} still exists on ${cluster}`);
      continue;
    }
    if (!current) {
      // A drained node the cluster autoscaler removed is what a
      // consolidation is for.
      if (ref.kind === 'Node') continue;
      problems.push(`${label} does not exist`);
      continue;
    }
    // Later patches override earlier ones field by field.
    const fields = new Map<string, unknown>();
    for (const patch of patches) {
      for (const c of changedFields(undefined, patch))
        fields.set(c.path, c.after);
    }
    for (const [path, after] of fields) {
      const before = valueAt(current, path);
      const absent = before === undefined || before === null;
      if (
        after === null
          ? !absent
          : JSON.stringify(before) !== JSON.stringify(after)
      ) {
        problems.push(
          `${label}: ${path} is ${
            absent ? 'unset' : JSON.stringify(before)
          }, expected ${after === null ? 'unset' : JSON.stringify(after)}`,
        );
      }
    }
  }
  return problems.length ? problems.join('; ') : undefined;
}

/** A patch without `spec.replicas`. */
function withoutReplicas(patch: Record<string, unknown>) {
  const spec = patch.spec as Record<string, unknown> | undefined;
  if (!spec || !('replicas' in spec)) return patch;
  const { replicas: _replicas, ...rest } = spec;
  return { ...patch, spec: rest };
}

/** The key of `record` that `path` starts with, the longest one. */
function longestKeyOf(record: Record<string, unknown>, path: string) {
  return Object.keys(record)
    .filter(k => path === k || path.startsWith(`${k}.`))
    .sort((a, b) => b.length - a.length)[0];
}

function valueAt(object: KubeObject, path: string): unknown {
  // Annotation keys contain dots: match the longest key at each level.
  let value: unknown = object;
  let rest = path;
  while (rest) {
    if (typeof value !== 'object' || value === null) return undefined;
    const record = value as Record<string, unknown>;
    const key = longestKeyOf(record, rest);
    if (key === undefined) return undefined;
    value = record[key];
    rest = rest.slice(key.length + 1);
  }
  return value;
}
