/**
 * PodDisruptionBudgets as Kubernetes' disruption controller computes them
 * (`pkg/controller/disruption`): which pods a budget selects, how many of
 * them must stay healthy and how many may be disrupted now. Pure: the
 * eviction subresource (`eviction.ts`) and the simulated disruption
 * controller (`controllers/disruption.ts`) use it.
 */
import { controllerOf } from './controllers/context';
import { isPodReady } from './controllers/placement';
import { KubeObject } from './objects';
import { matchesLabelSelector } from './selectors';

/** The computed part of a `policy/v1` PodDisruptionBudget's status. */
export interface BudgetStatus {
  /** Pods the budget counts on: its controllers' desired replicas, or its pods. */
  expectedPods: number;
  /** Selected pods that are Ready and not being deleted. */
  currentHealthy: number;
  /** Pods that must stay healthy. */
  desiredHealthy: number;
  /** Evictions allowed now: healthy minus desired, 0 when negative or nothing is expected. */
  disruptionsAllowed: number;
}

/**
 * The desired replicas of a pod's controller, as the disruption
 * controller's finders read them: a ReplicaSet's Deployment, else the
 * ReplicaSet, a StatefulSet; keyed by the controller's uid so that pods of
 * one controller count it once.
 */
export type ControllerScale = (
  pod: KubeObject,
) => { uid: string; replicas: number } | undefined;

/**
 * The pods a budget selects in its namespace: a missing selector selects
 * none, an empty one (`{}`) all, as `LabelSelectorAsSelector` does.
 */
export function podsOfBudget(
  budget: KubeObject,
  pods: KubeObject[],
): KubeObject[] {
  const selector = budget.spec?.selector;
  if (!selector) return [];
  return pods.filter(
    p =>
      p.metadata?.namespace === budget.metadata?.namespace &&
      matchesLabelSelector(selector, p.metadata?.labels),
  );
}

/** Whether a selector is empty: it names no label and no expression. */
const isEmptySelector = (selector: any) =>
  !selector ||
  (Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0);

/**
 * The budgets that cover a pod, as the eviction subresource finds them:
 * those of its namespace whose selector matches its labels; a budget with
 * a missing or empty selector covers nothing.
 */
export function budgetsOfPod(
  pod: KubeObject,
  budgets: KubeObject[],
): KubeObject[] {
  return budgets.filter(
    b =>
      b.metadata?.namespace === pod.metadata?.namespace &&
      !isEmptySelector(b.spec?.selector) &&
      matchesLabelSelector(b.spec.selector, pod.metadata?.labels),
  );
}

/**
 * An int-or-percent of a total, rounded up
 * (`intstr.GetScaledValueFromIntOrPercent(…, roundUp=true)`); throws
 * naming the field when it is neither.
 */
export function scaledValue(
  value: number | string,
  total: number,
  field: string,
): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) {
    throw new Error(
      `${field}: invalid value "${value}": an integer or a percentage like "50%"`,
    );
  }
  return Math.ceil((Number(m[1]) * total) / 100);
}

/**
 * The expected scale of a budget's pods: the desired replicas of their
 * controllers, each counted once. Pods without a controller are left out,
 * as the disruption controller leaves out unmanaged pods (it warns with an
 * `UnmanagedPods` event); a controller the finders do not know counts its
 * pods here one each (the real controller then fails the budget safe).
 */
export function expectedScale(
  pods: KubeObject[],
  scaleOf: ControllerScale,
): number {
  const scales = new Map<string, number>();
  let unknown = 0;
  for (const pod of pods) {
    if (!controllerOf(pod)) continue;
    const scale = scaleOf(pod);
    if (scale) scales.set(scale.uid, scale.replicas);
    else unknown += 1;
  }
  return [...scales.values()].reduce((a, b) => a + b, unknown);
}

/**
 * A budget's status over the pods of its namespace, as the disruption
 * controller's `trySync` computes it: `minAvailable` as an integer is the
 * desired healthy count against the selected pods; as a percentage, and
 * `maxUnavailable` either way, it is scaled by the controllers' desired
 * replicas (rounded up). Neither set: nothing desired and nothing
 * expected, so no disruption allowed.
 */
export function budgetStatus(
  budget: KubeObject,
  pods: KubeObject[],
  scaleOf: ControllerScale,
): BudgetStatus {
  const selected = podsOfBudget(budget, pods);
  const currentHealthy = selected.filter(
    p => !p.metadata?.deletionTimestamp && isPodReady(p),
  ).length;
  const spec = budget.spec ?? {};
  let expectedPods = 0;
  let desiredHealthy = 0;
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    expectedPods = expectedScale(selected, scaleOf);
    const maxUnavailable = scaledValue(
      spec.maxUnavailable,
      expectedPods,
      'spec.maxUnavailable',
    );
    desiredHealthy = Math.max(0, expectedPods - maxUnavailable);
  } else if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') {
      desiredHealthy = spec.minAvailable;
      expectedPods = selected.length;
    } else {
      expectedPods = expectedScale(selected, scaleOf);
      desiredHealthy = scaledValue(
        spec.minAvailable,
        expectedPods,
        'spec.minAvailable',
      );
    }
  }
  let disruptionsAllowed = currentHealthy - desiredHealthy;
  if (expectedPods <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
  return { expectedPods, currentHealthy, desiredHealthy, disruptionsAllowed };
}

/** The eviction subresource's verdict on one pod. */
export type EvictionVerdict =
  | { allowed: true; budget?: string }
  | {
      allowed: false;
      code: 429 | 500;
      message: string;
      cause?: string;
      budget?: string;
    };

/** The message of a 429 refusal. */
export const BUDGET_VIOLATION =
  "Cannot evict pod as it would violate the pod's disruption budget.";

/** The message of the 500 for a pod two or more budgets cover. */
export const MULTIPLE_BUDGETS =
  'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

/**
 * Whether the eviction subresource may delete a pod, as `EvictionREST`
 * decides: a Pending, Succeeded or Failed pod, or one being deleted, at
 * once; a pod no budget covers, yes; more than one budget, 500; a pod
 * that is not Ready, yes when the budget's `unhealthyPodEvictionPolicy`
 * is `AlwaysAllow` or the budget is met (healthy >= desired > 0);
 * otherwise only when the budget allows a disruption, else 429 with the
 * budget's numbers.
 */
export function evictionVerdict(
  pod: KubeObject,
  budgets: KubeObject[],
  pods: KubeObject[],
  scaleOf: ControllerScale,
): EvictionVerdict {
  const phase = pod.status?.phase;
  if (
    ['Pending', 'Succeeded', 'Failed'].includes(phase) ||
    pod.metadata?.deletionTimestamp
  ) {
    return { allowed: true };
  }
  const covering = budgetsOfPod(pod, budgets);
  if (covering.length > 1) {
    return { allowed: false, code: 500, message: MULTIPLE_BUDGETS };
  }
  if (covering.length === 0) return { allowed: true };
  const budget = covering[0];
  const name = budget.metadata?.name ?? '';
  const status = budgetStatus(budget, pods, scaleOf);
  if (!isPodReady(pod)) {
    if (budget.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow')
      return { allowed: true, budget: name };
    if (
      status.currentHealthy >= status.desiredHealthy &&
      status.desiredHealthy > 0
    ) {
      return { allowed: true, budget: name };
    }
  }
  if (status.disruptionsAllowed === 0) {
    return {
      allowed: false,
      code: 429,
      message: BUDGET_VIOLATION,
      budget: name,
      cause: `The disruption budget ${name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`,
    };
  }
  return { allowed: true, budget: name };
}
