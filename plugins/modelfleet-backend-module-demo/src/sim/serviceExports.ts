import { ClusterContext } from './controllers/context';
import { Controller } from './controllers/manager';
import { isPlainObject, StoredObject } from './objects';
import type { TrafficController } from './traffic';

/** The Multi-Cluster Services API (KEP-1645) version the simulation serves. */
export const SERVICE_EXPORT_API_VERSION = 'multicluster.x-k8s.io/v1alpha1';

/** The field manager of the simulated MCS controller's status writes. */
const MANAGER = 'mcs-controller';

const typesOf = (ctx: ClusterContext) => ({
  serviceExport: ctx.store.type(SERVICE_EXPORT_API_VERSION, 'ServiceExport'),
  service: ctx.store.type('v1', 'Service'),
});

/** Whether a Service's selector (a plain map) selects pods with these labels. */
function selects(selector: unknown, labels: Record<string, string>): boolean {
  if (!isPlainObject(selector) || Object.keys(selector).length === 0)
    return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/**
 * Whether a cluster exports a model's Service to the cluster set: it has a
 * ServiceExport in the model's namespace named after the model (the demo's
 * models and ModelFleet's template name their Service so) or after a
 * Service there that selects the pods of the model's Deployment.
 */
export function exportsModel(
  ctx: ClusterContext,
  namespace: string,
  model: string,
  deployment: StoredObject | undefined,
): boolean {
  const types = typesOf(ctx);
  const names = new Set(
    ctx.store
      .list(types.serviceExport, { namespace })
      .map(e => e.metadata.name),
  );
  if (names.size === 0) return false;
  if (names.has(model)) return true;
  const labels = deployment?.spec?.template?.metadata?.labels;
  if (!isPlainObject(labels)) return false;
  return ctx.store
    .list(types.service, { namespace })
    .some(
      s =>
        names.has(s.metadata.name) &&
        selects(s.spec?.selector, labels as Record<string, string>),
    );
}

/** A cluster of the fleet, as the traffic's routing sees it. */
export interface RoutedCluster {
  readonly ctx: ClusterContext;
  readonly traffic: TrafficController;
}

/**
 * Where a model's requests go in a fleet, as a Multi-Cluster Services
 * implementation sends them: over the Ready endpoints of every cluster
 * that exports its Service (its clients' `clusterset.local` address), so
 * each such cluster in proportion to its Ready replicas; when none has a
 * Ready replica, to the first exporting cluster (in the fleet's order),
 * where they wait (a cold start); when no cluster exports it, to its home
 * cluster.
 */
export function destinationsOf<C extends RoutedCluster>(
  clusters: C[],
  home: C,
  namespace: string,
  model: string,
): Array<{ cluster: C; weight: number }> {
  const exporting = clusters.filter(c =>
    exportsModel(
      c.ctx,
      namespace,
      model,
      c.traffic.deploymentOf(namespace, model),
    ),
  );
  if (exporting.length === 0) return [{ cluster: home, weight: 1 }];
  const ready = exporting
    .map(c => ({
      cluster: c,
      weight: c.traffic.readyReplicas(namespace, model),
    }))
    .filter(d => d.weight > 0);
  return ready.length ? ready : [{ cluster: exporting[0], weight: 1 }];
}

/**
 * The MCS controller's status of each ServiceExport: `Valid` and `Ready`
 * (reason `Exported`) True, `Conflict` False, as an implementation sets
 * them once the export is in the cluster set. The simulation does not
 * check the Service (the demo's models have no Service object): every
 * export is valid, and routes its model's traffic (see
 * {@link destinationsOf}).
 */
export class ServiceExportController implements Controller {
  readonly name = 'service-exports';

  constructor(private readonly ctx: ClusterContext) {}

  reconcile(): void {
    const type = typesOf(this.ctx).serviceExport;
    for (const e of this.ctx.store.list(type)) {
      const old = e.status ?? {};
      const cond = (
        t: string,
        status: 'True' | 'False',
        reason: string,
        message: string,
      ) => {
        const prev = (old.conditions ?? []).find((c: any) => c.type === t);
        return {
          type: t,
          status,
          observedGeneration: e.metadata.generation ?? 1,
          lastTransitionTime:
            prev?.status === status && prev.lastTransitionTime
              ? prev.lastTransitionTime
              : this.ctx.time(),
          reason,
          message,
        };
      };
      const status = {
        conditions: [
          cond('Valid', 'True', 'Valid', 'the ServiceExport is valid'),
          cond(
            'Ready',
            'True',
            'Exported',
            `the Service ${e.metadata.namespace}/${e.metadata.name} is exported to the cluster set`,
          ),
          cond('Conflict', 'False', 'NoConflicts', 'no conflicts'),
        ],
      };
      if (JSON.stringify(old) === JSON.stringify(status)) continue;
      this.ctx.modify(
        type,
        e,
        MANAGER,
        draft => {
          draft.status = status;
        },
        'status',
      );
    }
  }
}
