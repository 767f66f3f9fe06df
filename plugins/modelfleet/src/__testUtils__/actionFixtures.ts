import {
  ModelActionsCapabilities,
  ModelFleetAction,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-common';

/** An ISO time `minutes` before now. */
export const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000).toISOString();

export const workload: WorkloadRef = {
  cluster: 'demo-aws-use1',
  namespace: 'search',
  kind: 'Deployment',
  name: 'llama-3-1-8b-chat',
};

/** What a person allowed to do everything may do with the test model. */
export function modelCapabilities(
  overrides: Partial<ModelActionsCapabilities> = {},
): ModelActionsCapabilities {
  return {
    entityRef: 'model:search/llama-3-1-8b-chat',
    workload,
    autoscaler: {
      cluster: workload.cluster,
      namespace: workload.namespace,
      kind: 'ScaledObject',
      name: 'llama-3-1-8b-chat',
    },
    replicas: { desired: 2, ready: 1 },
    scale: { allowed: true },
    hibernate: { allowed: true },
    wake: { allowed: true },
    approve: { allowed: true },
    dryRun: false,
    ...overrides,
  };
}

/**
 * A scale-to-3 action of the test model with three steps (pause the
 * autoscaler, scale, wait until ready), planned 2 minutes ago by Jane.
 */
export function modelAction(
  overrides: Partial<ModelFleetAction> = {},
): ModelFleetAction {
  const autoscaler = {
    cluster: workload.cluster,
    namespace: workload.namespace,
    kind: 'ScaledObject' as const,
    name: 'llama-3-1-8b-chat',
  };
  return {
    id: 'a1',
    idempotencyKey: 'k1',
    kind: 'scale',
    entityRef: 'model:search/llama-3-1-8b-chat',
    cluster: workload.cluster,
    steps: [
      {
        description: 'Pause the autoscaler at 3 replicas',
        do: { op: 'pauseAutoscaler', autoscaler, replicas: 3 },
        undo: { op: 'pauseAutoscaler', autoscaler, replicas: null },
      },
      {
        description: 'Scale Deployment search/llama-3-1-8b-chat to 3 replicas',
        do: { op: 'scale', workload, replicas: 3 },
        undo: { op: 'scale', workload, replicas: 2 },
      },
      {
        description: 'Wait until 3 replicas are ready',
        do: { op: 'waitReady', workload, replicas: 3, timeoutSeconds: 600 },
      },
    ],
    state: 'planned',
    stepIndex: -1,
    attempts: 0,
    version: 1,
    dryRun: false,
    requestedBy: 'user:default/jane',
    reason: 'launch traffic',
    createdAt: minutesAgo(2),
    updatedAt: minutesAgo(2),
    events: [
      {
        at: minutesAgo(2),
        from: null,
        to: 'planned',
        actor: 'user:default/jane',
        outcome: 'info',
        message: 'planned',
      },
    ],
    ...overrides,
  };
}
