import type {
  V1LabelSelector,
  V1PodDisruptionBudget,
} from '@kubernetes/client-node';
import { ModelWorkloadObservation } from '@modelfleet/plugin-modelfleet-common';
import { matchesSelector } from './common';

/** What a workload is told of the budgets that cover its pods. */
export type WorkloadDisruptionBudget = NonNullable<
  ModelWorkloadObservation['disruptionBudget']
>;

/**
 * Whether a `policy/v1` PodDisruptionBudget's selector selects pods with
 * these labels: a missing (null) selector selects none, an empty one
 * (`{}`) every pod of the namespace, as in `policy/v1`.
 */
export function budgetSelects(
  selector: V1LabelSelector | null | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector) return false;
  const empty =
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0;
  return empty || matchesSelector(selector, labels);
}

/**
 * The disruptions a budget allows now, as its status says: 0 while the
 * disruption controller has not written a status for its current spec
 * (`status.observedGeneration` absent or below `metadata.generation`),
 * which is the safe side.
 */
export function disruptionsAllowedNow(budget: V1PodDisruptionBudget): number {
  const observed = budget.status?.observedGeneration;
  const generation = budget.metadata?.generation;
  if (observed === undefined || observed === null) return 0;
  if (generation !== undefined && generation !== null && observed < generation)
    return 0;
  const allowed = budget.status?.disruptionsAllowed ?? 0;
  return Number.isFinite(allowed) && allowed > 0 ? Math.floor(allowed) : 0;
}

/**
 * PodDisruptionBudgets grouped by namespace, so that each workload looks
 * only at those of its own.
 */
export function budgetsByNamespace(
  budgets: readonly V1PodDisruptionBudget[],
): Map<string, V1PodDisruptionBudget[]> {
  const out = new Map<string, V1PodDisruptionBudget[]>();
  for (const b of budgets) {
    const ns = b.metadata?.namespace ?? 'default';
    const list = out.get(ns);
    if (list) list.push(b);
    else out.set(ns, [b]);
  }
  return out;
}

/**
 * The budgets of a workload's namespace that select its pods (by its pod
 * template's labels): their names, sorted, and the fewest disruptions any
 * of them allows now; undefined when none selects them. Pure.
 */
export function workloadDisruptionBudget(
  budgets: readonly V1PodDisruptionBudget[],
  podLabels: Record<string, string>,
): WorkloadDisruptionBudget | undefined {
  const selecting = budgets.filter(b =>
    budgetSelects(b.spec?.selector, podLabels),
  );
  if (selecting.length === 0) return undefined;
  return {
    names: selecting.map(b => b.metadata?.name ?? '').sort(),
    disruptionsAllowed: Math.min(...selecting.map(disruptionsAllowedNow)),
  };
}
