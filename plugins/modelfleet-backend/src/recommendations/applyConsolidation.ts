import { ConflictError } from '@backstage/errors';
import { WorkloadRef } from '@modelfleet/plugin-modelfleet-common';
import { ActionService } from '../actions/ActionService';
import { StoredAction } from '../database/ActionStore';
import { FleetStateStore } from '../database/FleetStateStore';
import { planConsolidation } from '../engines/actions/consolidationPlan';
import { PolicyService } from '../policy/PolicyService';
import { Finding } from './fromActions';
import { poolOf, refuseWhilePoolBusy } from './poolActions';
import { poolTitle } from './names';

const keyOf = (w: Pick<WorkloadRef, 'cluster' | 'namespace' | 'name'>) =>
  `${w.cluster}/${w.namespace}/${w.name}`;

/**
 * A consolidation recommendation as a `consolidate` action on its pool:
 * cordon the nodes that go, drain them one at a time through the Eviction
 * API, and wait for the moved workloads to be ready elsewhere
 * (`engines/actions/consolidationPlan`). It waits for approval when the
 * platform's default policy or the policy of any team whose pods move is
 * dry-run. One per pool at a time; the same recommendation applied twice a
 * day is one action.
 */
export async function applyConsolidation(
  deps: {
    actions: ActionService;
    policies: Pick<PolicyService, 'dryRunOf'>;
    fleet: Pick<
      FleetStateStore,
      'listModelPods' | 'listWorkloads' | 'listPools'
    >;
  },
  finding: Finding,
  context: { actor: string; day: string },
): Promise<StoredAction> {
  const { source } = finding;
  if (source.type !== 'consolidation') throw new Error('consolidation');
  const key = `recommendation:${finding.id}:${context.day}`;
  const stored = await deps.actions.byKey(key);
  if (stored) return stored;
  await refuseWhilePoolBusy(deps.actions, source.poolRef);
  const [pods, workloads, pools] = await Promise.all([
    deps.fleet.listModelPods(),
    deps.fleet.listWorkloads(),
    deps.fleet.listPools(),
  ]);
  const pool = poolOf(pools, source.poolRef);
  const desired = new Map(workloads.map(w => [keyOf(w), w.replicas.desired]));
  const plan = planConsolidation({
    cluster: source.cluster,
    nodes: source.nodes,
    // A KServe InferenceService's pods are evicted too; its readiness is
    // its controller's to restore, not a Deployment's to wait for.
    pods: pods.flatMap(p =>
      !p.stale && p.workload.kind !== 'InferenceService'
        ? [{ node: p.node, workload: p.workload as WorkloadRef }]
        : [],
    ),
    desired: w => desired.get(keyOf(w)),
  });
  if (!plan.ok) throw new ConflictError(`Not now: ${plan.reason}`);
  const dryRun =
    deps.policies.dryRunOf(undefined) ||
    source.teams.some(t => deps.policies.dryRunOf(t));
  const { action } = await deps.actions.request({
    idempotencyKey: key,
    kind: 'consolidate',
    entityRef: source.poolRef,
    cluster: plan.cluster,
    steps: plan.steps,
    dryRun,
    requestedBy: context.actor,
    reason: `${plan.summary}: recommendation ${finding.id} (${finding.title})`,
    // What the savings ledger counts the pool's nodes against later.
    consolidation: {
      pool: { ref: source.poolRef, title: poolTitle(pool) },
      nodes: [...source.nodes].sort(),
      nodesBefore: pool.nodes.current,
    },
  });
  return (await deps.actions.get(action.id)) ?? action;
}
