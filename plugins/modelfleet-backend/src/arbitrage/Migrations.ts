import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  poolEntityName,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-common';
import { ModelRenderer } from '@modelfleet/plugin-modelfleet-node';
import { ModelTargets } from '../actions/ModelTargets';
import { ActionRequester, ActuatorDirectory } from '../actions/types';
import { FleetStateStore } from '../database/FleetStateStore';
import { StoredAction } from '../database/ActionStore';
import { fallbackName } from '../engines/arbitrage/fallbackPlan';
import { moveDetails } from '../engines/arbitrage/moveDetails';
import {
  migratedTo,
  planMigration,
  SERVICE_EXPORT_API,
} from '../engines/arbitrage/migration';
import { PlacementCandidateSources } from '../placement/candidates';
import { ArbitrageReports } from './ArbitrageReports';
import { renderForPool } from './renderForPool';
import { isSpreadOf } from './serving';

/** A request to move a model to a pool. */
export interface MoveRequest {
  /** The GpuPool ref to move to. */
  pool: string;
  /** Stop at `planned` for approval, whatever the team's policy says. */
  dryRun: boolean;
  /** Who asks: a person's ref, or `policy:arbitrage`. */
  requestedBy: string;
  reason?: string;
  /** The caller's key, for retries; one is made otherwise. */
  idempotencyKey: string;
}

/** Options of {@link Migrations}. */
export interface MigrationsOptions {
  targets: ModelTargets;
  reports: ArbitrageReports;
  fleet: FleetStateStore;
  actuators: ActuatorDirectory;
  actions: ActionRequester & {
    list(filter: {
      entityRef?: string;
      states?: StoredAction['state'][];
      kinds?: StoredAction['kind'][];
      limit?: number;
    }): Promise<StoredAction[]>;
  };
  candidates: PlacementCandidateSources;
  renderer: () => ModelRenderer | undefined;
  /** Namespaces no model goes to (`modelfleet.deploy.deniedNamespaces`). */
  deniedNamespaces: string[];
  provisioningSeconds: number;
  /** The team's policy says dry-run: every move waits for approval. */
  dryRunOf: (teamRef: string) => boolean;
}

/** Lists actions, newest first. */
type ListActions = MigrationsOptions['actions']['list'];

/**
 * Where a model's last completed move took it: the workload that serves
 * it now, whatever its entity says (for `ModelTargets`).
 */
export function lastMoveReader(list: ListActions) {
  return async (entityRef: string): Promise<WorkloadRef | undefined> => {
    const [last] = await list({
      entityRef,
      kinds: ['migrate'],
      states: ['done'],
      limit: 1,
    });
    return last ? migratedTo(last.steps) : undefined;
  };
}

/**
 * Moves models between pools: renders the model for the target pool with
 * the Deploy template's renderer, checks the objects as a deployment is
 * checked, plans the make-before-break steps (`engines/arbitrage/migration`)
 * and stores them as a `migrate` action, which the action runner applies
 * (or which waits for approval when dry-run).
 */
export class Migrations {
  constructor(private readonly options: MigrationsOptions) {}

  async request(
    namespace: string,
    name: string,
    move: MoveRequest,
    credentials: BackstageCredentials,
    /** Throws when the caller may not move the model. */
    authorize: (entityRef: string) => Promise<void>,
  ): Promise<{ action: StoredAction; created: boolean }> {
    const { targets, reports, actuators, actions } = this.options;
    const model = await targets.resolve(namespace, name, credentials);
    await authorize(model.entityRef);
    if (!model.target) throw new ConflictError(`migrate: ${model.missing}`);
    const poolRef = move.pool.toLocaleLowerCase('en-US');

    // Only where the model may run: the what-if's eligible pools.
    const whatIf = await reports.report(
      namespace,
      name,
      credentials,
      authorize,
    );
    if (whatIf.missing) throw new ConflictError(`migrate: ${whatIf.missing}`);
    const excluded = whatIf.excluded.find(x => x.pool === poolRef);
    if (excluded) {
      throw new InputError(
        `pool: the model may not run on ${excluded.title}: ${excluded.reason}`,
      );
    }
    const option = whatIf.options.find(o => o.pool === poolRef);
    if (!option) {
      throw new InputError(
        `pool: '${move.pool.slice(0, 200)}' is not a GpuPool ModelFleet knows`,
      );
    }
    const current = whatIf.options.find(o => o.current);
    const source = model.target;
    const companions = await this.refuseWhileStandInServes(source.workload);
    const sourceActuator = await actuators.forCluster(source.workload.cluster);
    const { objects, cluster: targetCluster } = await renderForPool(
      this.options,
      { ...model, target: source },
      { ref: poolRef, title: option.title },
      'migrate',
    );
    const targetActuator = await actuators.forCluster(targetCluster);
    const deployment = objects.find(o => o.kind === 'Deployment');
    const service = objects.find(o => o.kind === 'Service');
    const there = deployment
      ? await targetActuator.get(targetCluster, {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: source.workload.namespace,
          name: deployment.metadata.name,
        })
      : undefined;
    const exported = service
      ? Boolean(
          await sourceActuator.get(source.workload.cluster, {
            apiVersion: SERVICE_EXPORT_API,
            kind: 'ServiceExport',
            namespace: source.workload.namespace,
            name: service.metadata.name,
          }),
        )
      : false;
    // Within its own cluster the move rolls its Deployment over: as it is now.
    const live =
      targetCluster === source.workload.cluster
        ? await sourceActuator.get(source.workload.cluster, {
            apiVersion: 'apps/v1',
            kind: source.workload.kind,
            namespace: source.workload.namespace,
            name: source.workload.name,
          })
        : undefined;
    const plan = planMigration(
      {
        workload: source.workload,
        ...(live ? { live } : {}),
        ...(source.autoscaler ? { autoscaler: source.autoscaler } : {}),
        replicas: source.replicas,
        pool:
          current?.pool ??
          `gpupool:default/${poolEntityName(source.workload.cluster, '')}`,
        exported,
        companions,
      },
      {
        pool: poolRef,
        cluster: targetCluster,
        title: option.title,
        objects,
        ...(there
          ? {
              existing: {
                desired: Number((there.spec as any)?.replicas ?? 0),
              },
            }
          : {}),
      },
      {
        provisioningSeconds: this.options.provisioningSeconds,
        loadSeconds: whatIf.loadSeconds ?? 0,
      },
    );
    if (!plan.ok) throw new ConflictError(`migrate: not now, ${plan.reason}`);

    const details = moveDetails(
      whatIf,
      option,
      current,
      source.workload.cluster,
    );
    const delta =
      details.from.monthlyUsd === undefined
        ? undefined
        : Math.round(details.from.monthlyUsd - details.to.monthlyUsd);
    let saving = '';
    if (delta !== undefined) {
      saving =
        delta >= 0
          ? `, saving $${delta}/month`
          : `, costing $${-delta}/month more`;
    }
    return actions.request({
      idempotencyKey: move.idempotencyKey,
      kind: 'migrate',
      entityRef: model.entityRef,
      cluster: plan.cluster,
      steps: plan.steps,
      dryRun: move.dryRun || this.options.dryRunOf(model.teamRef),
      requestedBy: move.requestedBy,
      reason: `${plan.summary}${saving}${
        move.reason ? `: ${move.reason}` : ''
      }`,
      details,
    });
  }

  /**
   * Refuses while the model's on-demand stand-in (the spot fallback)
   * serves: the move would take the model's own Deployment and leave the
   * stand-in behind; it moves once the fallback has returned to spot.
   * Answers its spot companions (the spread over other spot pools, of its
   * cluster or of others), which are drained with it.
   */
  private async refuseWhileStandInServes(
    source: WorkloadRef,
  ): Promise<Array<{ name: string; desired: number; cluster?: string }>> {
    const name = fallbackName(source.name);
    const workloads = await this.options.fleet.listWorkloads();
    const standIn = workloads.find(
      w =>
        w.cluster === source.cluster &&
        w.namespace === source.namespace &&
        w.name === name &&
        w.replicas.desired > 0,
    );
    if (standIn) {
      throw new ConflictError(
        `migrate: not now, the on-demand stand-in ${name} serves ${standIn.replicas.desired} replica(s) while spot is short; the model moves once the spot fallback has returned to spot`,
      );
    }
    // Its spread may reach spot pools of other clusters.
    return workloads
      .filter(w => isSpreadOf(w, source) && w.replicas.desired > 0)
      .map(w => ({
        name: w.name,
        desired: w.replicas.desired,
        ...(w.cluster === source.cluster ? {} : { cluster: w.cluster }),
      }));
  }
}
