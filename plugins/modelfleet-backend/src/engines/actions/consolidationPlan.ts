/*
 * The steps of a consolidation: empty the nodes a recommendation removes,
 * as a person would with kubectl, through the action path. Pure.
 */
import { ActionStep, WorkloadRef } from '@modelfleet/plugin-modelfleet-common';
import { STOP_TIMEOUT_SECONDS, WAKE_TIMEOUT_SECONDS } from './modelPlans';

/** What the plan is made from. */
export interface ConsolidationPlanInput {
  cluster: string;
  /** The nodes to empty, by name. */
  nodes: string[];
  /** The model pods the cluster runs now, with their node and workload. */
  pods: Array<{ node: string; workload: WorkloadRef }>;
  /** The replicas each workload wants now (the stored observation). */
  desired: (w: WorkloadRef) => number | undefined;
}

/** The plan, or why there is none. */
export type ConsolidationPlan =
  | {
      ok: true;
      cluster: string;
      steps: ActionStep[];
      /** The workloads whose pods the drains move. */
      workloads: WorkloadRef[];
      summary: string;
    }
  | { ok: false; reason: string };

/**
 * How long a drain may take: every pod's grace period, and the waits a
 * PodDisruptionBudget imposes while the pods evicted before start again
 * elsewhere (a node to add, the weights to load).
 */
export const DRAIN_TIMEOUT_SECONDS =
  STOP_TIMEOUT_SECONDS + WAKE_TIMEOUT_SECONDS;

const keyOf = (w: WorkloadRef) =>
  `${w.cluster}/${w.namespace}/${w.kind}/${w.name}`;
const label = (w: WorkloadRef) => `${w.kind} ${w.namespace}/${w.name}`;

/**
 * The nodes are cordoned first, all of them, so that a pod evicted from
 * one never lands on the next to go; then drained one at a time (each
 * eviction through the API server, which keeps what a PodDisruptionBudget
 * protects, retried until the node runs no model pod); then each moved
 * workload is waited for until its replicas are ready again. Cordons are
 * undone on failure (their undo is read from the node when the step first
 * runs, so a node cordoned before stays so). The emptied nodes are left
 * to the cluster autoscaler, as `kubectl drain` leaves them.
 */
export function planConsolidation(
  input: ConsolidationPlanInput,
): ConsolidationPlan {
  const nodes = [...new Set(input.nodes)].sort();
  if (!nodes.length) return { ok: false, reason: 'it names no node' };
  const on = new Set(nodes);
  const moved = new Map<string, WorkloadRef>();
  for (const p of input.pods) {
    if (p.workload.cluster === input.cluster && on.has(p.node)) {
      moved.set(keyOf(p.workload), p.workload);
    }
  }
  const workloads = [...moved.values()].sort((a, b) =>
    keyOf(a).localeCompare(keyOf(b)),
  );
  const steps: ActionStep[] = [];
  for (const node of nodes) {
    steps.push({
      description: `Cordon node ${node}: no new pod is placed there`,
      do: { op: 'cordon', cluster: input.cluster, node, unschedulable: true },
      undo: {
        op: 'cordon',
        cluster: input.cluster,
        node,
        unschedulable: false,
      },
    });
  }
  for (const node of nodes) {
    steps.push({
      description: `Drain node ${node}: evict its model pods, within their PodDisruptionBudgets`,
      do: {
        op: 'drain',
        cluster: input.cluster,
        node,
        timeoutSeconds: DRAIN_TIMEOUT_SECONDS,
      },
    });
  }
  for (const w of workloads) {
    const replicas = input.desired(w);
    if (replicas === undefined || replicas === 0) continue;
    steps.push({
      description: `Wait for ${label(
        w,
      )} to have its ${replicas} replica(s) ready on other nodes`,
      do: {
        op: 'waitReady',
        workload: w,
        replicas,
        timeoutSeconds: WAKE_TIMEOUT_SECONDS,
        // The count is its autoscaler's or its owner's, not this action's:
        // when it changes meanwhile, the wait is over.
        autoscaled: true,
      },
    });
  }
  const count = `${nodes.length} node${nodes.length === 1 ? '' : 's'}`;
  return {
    ok: true,
    cluster: input.cluster,
    steps,
    workloads,
    summary: workloads.length
      ? `Empty ${count} (${nodes.join(', ')}): move the pods of ${workloads
          .map(label)
          .join(', ')} onto other nodes`
      : `Empty ${count} (${nodes.join(', ')}), which run no model pod`,
  };
}
