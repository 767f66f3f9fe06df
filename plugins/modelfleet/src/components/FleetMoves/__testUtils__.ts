import {
  ActionStep,
  ModelFleetAction,
  MoveDetails,
} from '@modelfleet/plugin-modelfleet-common';

/** A move from an on-demand pool to a spot pool of another cluster, as the backend stores its figures. */
export const moveDetails: MoveDetails = {
  from: {
    pool: 'gpupool:default/prod-use1.l4-ondemand',
    title: 'l4-ondemand (prod-use1)',
    cluster: 'prod-use1',
    monthlyUsd: 1175.3,
  },
  to: {
    pool: 'gpupool:default/prod-usc1.g2-l4-spot',
    title: 'g2-l4-spot (prod-usc1)',
    cluster: 'prod-usc1',
    capacityType: 'spot',
    monthlyUsd: 421.68,
    preemptionsPerMonth: 2.5,
    availability: 0.995,
  },
  moveUsd: 3.61,
  paybackHours: 3.5,
  risk: 'spot: 2.5 preemptions a month expected, 99.50 % available',
};

/**
 * A consolidation of pool `demo-aws-use1.g5-a10g` as the backend plans it:
 * cordon each node, drain each node, wait for each moved workload to be
 * ready elsewhere; asked for by Jane 5 minutes ago, waiting for approval.
 */
export function consolidation(
  overrides: Partial<ModelFleetAction> = {},
  plan: { nodes?: string[]; workloads?: string[] } = {},
): ModelFleetAction {
  const cluster = 'demo-aws-use1';
  const nodes = plan.nodes ?? ['node-a', 'node-b'];
  const workloads = plan.workloads ?? ['search/llama-3-1-8b-chat'];
  const at = new Date(Date.now() - 5 * 60_000).toISOString();
  const steps: ActionStep[] = [
    ...nodes.map(node => ({
      description: `Cordon node ${node}: no new pod is placed there`,
      do: { op: 'cordon' as const, cluster, node, unschedulable: true },
      undo: { op: 'cordon' as const, cluster, node, unschedulable: false },
    })),
    ...nodes.map(node => ({
      description: `Drain node ${node}: evict its model pods, within their PodDisruptionBudgets`,
      do: { op: 'drain' as const, cluster, node, timeoutSeconds: 1200 },
    })),
    ...workloads.map(w => {
      const [namespace, name] = w.split('/');
      return {
        description: `Wait for Deployment ${w} to have its 2 replica(s) ready on other nodes`,
        do: {
          op: 'waitReady' as const,
          workload: { cluster, namespace, kind: 'Deployment' as const, name },
          replicas: 2,
          timeoutSeconds: 900,
          autoscaled: true,
        },
      };
    }),
  ];
  return {
    id: 'c1',
    idempotencyKey: 'recommendation:r1:2026-12-07',
    kind: 'consolidate',
    entityRef: `gpupool:default/${cluster}.g5-a10g`,
    cluster,
    steps,
    state: 'planned',
    stepIndex: -1,
    attempts: 0,
    version: 1,
    dryRun: true,
    requestedBy: 'user:default/jane',
    reason: `Empty ${nodes.length} nodes`,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
