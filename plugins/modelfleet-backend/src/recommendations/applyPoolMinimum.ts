import { ActionService } from '../actions/ActionService';
import { StoredAction } from '../database/ActionStore';
import { FleetStateStore } from '../database/FleetStateStore';
import { PolicyService } from '../policy/PolicyService';
import { Finding } from './fromActions';
import { poolOf, refuseWhilePoolBusy } from './poolActions';
import { poolTitle } from './names';

/**
 * An empty-capacity recommendation whose pool's minimum keeps its idle
 * nodes, as a `poolMinimum` action on the pool: one step that sets the
 * minimum through the cloud's node-pool API (undone by setting it back),
 * after which the cluster autoscaler removes the idle nodes. It waits for
 * approval when the platform's default policy is dry-run. One action per
 * pool at a time; the same recommendation applied twice a day is one.
 */
export async function applyPoolMinimum(
  deps: {
    actions: ActionService;
    policies: Pick<PolicyService, 'dryRunOf'>;
    fleet: Pick<FleetStateStore, 'listPools'>;
  },
  finding: Finding,
  context: { actor: string; day: string },
): Promise<StoredAction> {
  const { source } = finding;
  if (source.type !== 'showback' || !source.minimum) {
    throw new Error('a lowered pool minimum');
  }
  const key = `recommendation:${finding.id}:${context.day}`;
  const stored = await deps.actions.byKey(key);
  if (stored) return stored;
  await refuseWhilePoolBusy(deps.actions, source.poolRef);
  const pool = poolOf(await deps.fleet.listPools(), source.poolRef);
  const { from, to } = source.minimum;
  const title = poolTitle(pool);
  const summary = `Lower the minimum size of ${title} from ${from} to ${to}, so that its cluster autoscaler removes ${
    source.idleNodes === 1
      ? 'its idle node'
      : `its ${source.idleNodes} idle nodes`
  }`;
  const { action } = await deps.actions.request({
    idempotencyKey: key,
    kind: 'poolMinimum',
    entityRef: source.poolRef,
    cluster: pool.cluster,
    steps: [
      {
        description: `Set the minimum size of ${title} to ${to} on its cloud`,
        do: {
          op: 'setPoolMinimum',
          cluster: pool.cluster,
          pool: pool.name,
          min: to,
        },
        // Read again from the cloud just before the step first runs.
        undo: {
          op: 'setPoolMinimum',
          cluster: pool.cluster,
          pool: pool.name,
          min: from,
        },
      },
    ],
    dryRun: deps.policies.dryRunOf(undefined),
    requestedBy: context.actor,
    reason: `${summary}: recommendation ${finding.id} (${finding.title})`,
    consolidation: {
      pool: { ref: source.poolRef, title },
      nodes: [],
      nodesBefore: pool.nodes.current,
      nodesFreed: source.idleNodes,
      minimum: { from, to },
    },
  });
  return (await deps.actions.get(action.id)) ?? action;
}
