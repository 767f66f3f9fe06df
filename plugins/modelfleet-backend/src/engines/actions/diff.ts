import {
  ActionOperation,
  KubeObject,
  ObjectDiff,
} from '@modelfleet/plugin-modelfleet-common';

/** Fields the API server owns; a diff of what ModelFleet sends leaves them out. */
const SERVER_FIELDS = new Set([
  'metadata.resourceVersion',
  'metadata.uid',
  'metadata.generation',
  'metadata.creationTimestamp',
  'metadata.managedFields',
  'status',
]);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The fields of `desired` whose value differs in `current`, as a
 * server-side apply of `desired` would change them: maps are compared key by
 * key, lists and scalars as a whole. Fields of `current` that `desired` does
 * not mention are left alone by an apply, so they are not listed.
 */
export function changedFields(
  current: unknown,
  desired: unknown,
  path = '',
): Array<{ path: string; before: unknown; after: unknown }> {
  if (SERVER_FIELDS.has(path)) return [];
  if (isPlainObject(desired)) {
    const base = isPlainObject(current) ? current : {};
    return Object.keys(desired).flatMap(key =>
      changedFields(base[key], desired[key], path ? `${path}.${key}` : key),
    );
  }
  if (JSON.stringify(current) === JSON.stringify(desired)) return [];
  return [{ path, before: current ?? null, after: desired }];
}

const refOf = (r: { kind: string; namespace: string; name: string }) => ({
  kind: r.kind,
  namespace: r.namespace,
  name: r.name,
});

/** The object an operation changes, as `get` would be asked for it. */
export function targetsOf(op: ActionOperation): Array<{
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}> {
  switch (op.op) {
    case 'apply':
      return op.objects.map(o => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace: o.metadata.namespace,
        name: o.metadata.name,
      }));
    case 'remove':
      return [op.object];
    case 'scale':
    case 'waitReady':
      return [{ apiVersion: 'apps/v1', ...refOf(op.workload) }];
    case 'cordon':
      return [{ apiVersion: 'v1', kind: 'Node', name: op.node }];
    case 'pauseAutoscaler':
    case 'setKeepAlive':
      return [
        {
          apiVersion:
            op.autoscaler.kind === 'ScaledObject'
              ? 'keda.sh/v1alpha1'
              : 'http.keda.sh/v1alpha1',
          ...refOf(op.autoscaler),
        },
      ];
    default:
      return [];
  }
}

export const PAUSED_REPLICAS = 'autoscaling.keda.sh/paused-replicas';

/** What an operation would make of the object it changes (absent: it changes nothing). */
export function desiredPatch(
  op: ActionOperation,
  target: { kind: string; name: string; namespace?: string },
): Record<string, unknown> | undefined {
  switch (op.op) {
    case 'apply':
      return op.objects.find(
        o =>
          o.kind === target.kind &&
          o.metadata.name === target.name &&
          (o.metadata.namespace ?? undefined) === target.namespace,
      ) as KubeObject | undefined;
    case 'scale':
      return { spec: { replicas: op.replicas } };
    case 'cordon':
      // Uncordoned is unset, as `kubectl uncordon` leaves it.
      return { spec: { unschedulable: op.unschedulable ? true : null } };
    case 'pauseAutoscaler':
      return {
        metadata: {
          annotations: {
            [PAUSED_REPLICAS]:
              op.replicas === null ? null : String(op.replicas),
          },
        },
      };
    case 'setKeepAlive':
      return {
        spec: {
          [op.autoscaler.kind === 'ScaledObject'
            ? 'cooldownPeriod'
            : 'scaledownPeriod']: op.seconds,
        },
      };
    default:
      return undefined;
  }
}

/**
 * The diff of one step: for each object it changes, the fields that would
 * change, given the objects as they are now (`undefined`: absent).
 */
export function diffStep(
  step: number,
  cluster: string,
  op: ActionOperation,
  current: Array<KubeObject | undefined>,
): ObjectDiff[] {
  const out: ObjectDiff[] = [];
  if (op.op === 'remove') {
    // Deleting what is not there changes nothing.
    if (!current[0]) return out;
    return [
      {
        step,
        cluster,
        kind: op.object.kind,
        namespace: op.object.namespace,
        name: op.object.name,
        changes: [{ path: '(object)', before: 'exists', after: null }],
      },
    ];
  }
  targetsOf(op).forEach((target, i) => {
    const patch = desiredPatch(op, target);
    if (!patch) return;
    const changes = changedFields(current[i], patch).filter(
      // Removing an annotation that is not there changes nothing.
      c => !(c.after === null && (c.before === null || c.before === undefined)),
    );
    if (!changes.length) return;
    out.push({
      step,
      cluster,
      kind: target.kind,
      ...(target.namespace ? { namespace: target.namespace } : {}),
      name: target.name,
      changes,
    });
  });
  return out;
}
