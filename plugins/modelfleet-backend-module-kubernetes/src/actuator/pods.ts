import {
  ActuatorError,
  PodStart,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-node';

/** A workload's `spec.selector`, as the API server returns it. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: string;
    values?: string[];
  }>;
}

/**
 * The `labelSelector` query of a workload's selector
 * (`app=chat,tier in (a,b),!canary`), or `undefined` when the selector
 * selects nothing this way (empty, or an operator Kubernetes does not
 * have): a workload always has a non-empty selector, so that is bad data.
 */
export function selectorQuery(
  selector: LabelSelector | undefined,
): string | undefined {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) {
    parts.push(`${k}=${v}`);
  }
  for (const e of selector?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
      default:
        return undefined;
    }
  }
  return parts.length ? parts.join(',') : undefined;
}

interface Pod {
  metadata?: { name?: string; creationTimestamp?: string };
  status?: {
    conditions?: Array<{
      type?: string;
      status?: string;
      lastTransitionTime?: string;
    }>;
  };
}

/** The pods of a list, with their creation and Ready times; oldest first. */
export function podStartsOf(items: Pod[]): PodStart[] {
  const out: PodStart[] = [];
  for (const p of items) {
    const name = p.metadata?.name;
    const createdAt = p.metadata?.creationTimestamp;
    if (!name || !createdAt || Number.isNaN(Date.parse(createdAt))) continue;
    const ready = p.status?.conditions?.find(
      c => c.type === 'Ready' && c.status === 'True',
    );
    const readyAt =
      ready?.lastTransitionTime &&
      !Number.isNaN(Date.parse(ready.lastTransitionTime))
        ? ready.lastTransitionTime
        : undefined;
    out.push({ name, createdAt, ...(readyAt ? { readyAt } : {}) });
  }
  return out.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
}

/**
 * The `labelSelector` query of a workload's selector, or an ActuatorError
 * naming the workload when it has none this actuator can read.
 */
export function podSelectorOf(
  workload: WorkloadRef,
  what: string,
  selector: LabelSelector | undefined,
): string {
  const query = selectorQuery(selector);
  if (!query) {
    throw new ActuatorError(
      'invalid',
      `${what} on cluster ${workload.cluster} has no selector this actuator can read`,
      false,
    );
  }
  return query;
}
