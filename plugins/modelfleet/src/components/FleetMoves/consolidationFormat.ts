import { ModelFleetAction } from '@modelfleet/plugin-modelfleet-common';

/** What a consolidation that moves no pod says instead of the workloads. */
export const NO_MODEL_POD = 'none: the nodes run no model pod';

/**
 * A consolidation's pool as people read it, e.g. `g5-a10g (demo-aws-use1)`
 * for `gpupool:default/demo-aws-use1.g5-a10g` of cluster `demo-aws-use1`
 * (pool entities are named `<cluster>.<pool>`); the entity's name where it
 * is not.
 */
export function consolidationPool(
  action: Pick<ModelFleetAction, 'entityRef' | 'cluster'>,
): string {
  const name = action.entityRef.replace(/^[^:]*:/, '').replace(/^[^/]*\//, '');
  const prefix = `${action.cluster}.`;
  if (action.cluster && name.startsWith(prefix) && name.length > prefix.length)
    return `${name.slice(prefix.length)} (${action.cluster})`;
  const match = /^([^.]+)\.(.+)$/.exec(name);
  return match ? `${match[2]} (${match[1]})` : name;
}

/** The kinds the card lists: node consolidations and lowered pool minimums. */
export const NODE_POOL_KINDS: ModelFleetAction['kind'][] = [
  'consolidate',
  'poolMinimum',
];

/**
 * What a lowered pool minimum (`poolMinimum`) changes, in words, e.g.
 * `minimum 1 → 0: 1 idle node goes`; undefined for other kinds.
 */
export function poolMinimumText(
  action: Pick<ModelFleetAction, 'kind' | 'steps' | 'consolidation'>,
): string | undefined {
  if (action.kind !== 'poolMinimum') return undefined;
  const m = action.consolidation?.minimum;
  const freed = action.consolidation?.nodesFreed;
  const step = action.steps.find(s => s.do.op === 'setPoolMinimum')?.do;
  const to = m?.to ?? (step?.op === 'setPoolMinimum' ? step.min : undefined);
  const change = m ? `minimum ${m.from} → ${m.to}` : `minimum to ${to}`;
  return freed
    ? `${change}: ${
        freed === 1 ? '1 idle node goes' : `${freed} idle nodes go`
      }`
    : change;
}

/** The nodes a consolidation empties: those its steps cordon, in order. */
export function consolidationNodes(
  action: Pick<ModelFleetAction, 'steps'>,
): string[] {
  const nodes: string[] = [];
  for (const { do: op } of action.steps) {
    if (op.op === 'cordon' && op.unschedulable && !nodes.includes(op.node))
      nodes.push(op.node);
  }
  return nodes;
}

/**
 * The workloads whose pods a consolidation moves, as `namespace/name`:
 * those it waits for to be ready again on other nodes.
 */
export function consolidationWorkloads(
  action: Pick<ModelFleetAction, 'steps'>,
): string[] {
  const names: string[] = [];
  for (const { do: op } of action.steps) {
    if (op.op !== 'waitReady') continue;
    const name = `${op.workload.namespace}/${op.workload.name}`;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** The workloads whose pods move in words, or why none does. */
export function consolidationWorkloadsText(
  action: Pick<ModelFleetAction, 'steps' | 'kind'>,
): string {
  if (action.kind === 'poolMinimum') return 'none: its idle nodes go';
  const names = consolidationWorkloads(action);
  return names.length ? names.join(', ') : NO_MODEL_POD;
}

/**
 * A consolidation's state in words: a short `label` (its chip) and, where
 * there is more to say, a `detail` under it (why it rolled back, what a
 * finished one leaves to the cluster autoscaler).
 */
export interface ConsolidationState {
  label: string;
  detail?: string;
}

/** The state of a consolidation in words, e.g. `Cordoning and draining: step 2 of 5`. */
export function consolidationState(
  action: Pick<
    ModelFleetAction,
    'state' | 'stepIndex' | 'steps' | 'dryRun' | 'lastError'
  > &
    Partial<Pick<ModelFleetAction, 'kind'>>,
): ConsolidationState {
  const of = `step ${Math.max(0, action.stepIndex) + 1} of ${
    action.steps.length
  }`;
  const error = action.lastError ? { detail: action.lastError } : {};
  switch (action.state) {
    case 'planned':
      return action.dryRun
        ? { label: 'Waiting for approval' }
        : { label: 'About to start' };
    case 'applying':
      return {
        label:
          action.kind === 'poolMinimum'
            ? `Lowering the minimum: ${of}`
            : `Cordoning and draining: ${of}`,
        ...(action.steps[action.stepIndex]
          ? { detail: action.steps[action.stepIndex].description }
          : {}),
      };
    case 'verifying':
      return { label: 'Verifying: checking what the steps changed' };
    case 'done':
      return {
        label: 'Done',
        detail:
          action.kind === 'poolMinimum'
            ? 'the cluster autoscaler removes the idle nodes'
            : 'the nodes are empty; the cluster autoscaler removes them',
      };
    case 'rollingBack':
      return { label: `Rolling back: ${of}`, ...error };
    case 'rolledBack':
      return { label: 'Rolled back', ...error };
    case 'failed':
      return { label: 'Failed', ...error };
    case 'cancelled':
      return { label: 'Cancelled' };
    default:
      return { label: String(action.state) };
  }
}

/** A consolidation's state as one sentence, e.g. `Rolled back: <why>`. */
export function consolidationStateText(
  action: Parameters<typeof consolidationState>[0],
): string {
  const { label, detail } = consolidationState(action);
  return detail ? `${label}: ${detail}` : label;
}

/** The consolidations newest first, by when they were asked for. */
export function newestFirst(actions: ModelFleetAction[]): ModelFleetAction[] {
  return [...actions].sort(
    (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt),
  );
}
