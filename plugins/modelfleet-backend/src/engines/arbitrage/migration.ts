import {
  ActionStep,
  AutoscalerRef,
  KubeObject,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-common';
import { PAUSED_REPLICAS } from '../actions/diff';
import { ModelPlan, STOP_TIMEOUT_SECONDS, strip } from '../actions/modelPlans';
import { planInClusterMove } from './inClusterMove';
import { serviceExportOf } from './serviceExport';

export { SERVICE_EXPORT_API } from './serviceExport';

/** Where a model runs now, as the migration planner sees it. */
export interface MigrationSource {
  workload: WorkloadRef;
  /** Its KEDA autoscaler, and the count it is paused at, if paused. */
  autoscaler?: AutoscalerRef & { pausedReplicas?: number };
  replicas: { desired: number; ready: number };
  /** The GpuPool ref it runs on. */
  pool: string;
  /** Its Service, exported to the cluster set (a `ServiceExport` exists). */
  exported: boolean;
  /**
   * Its spot companions on other spot pools (the spot fallback's spread),
   * with the replicas they run and their cluster when not the source's:
   * drained with it.
   */
  companions?: Array<{ name: string; desired: number; cluster?: string }>;
  /**
   * Its Deployment as the cluster holds it now: a move within its cluster
   * rolls it over to the target pool, and a rollback applies it back.
   */
  live?: KubeObject;
}

/** The pool to move to, and the model's objects rendered for it. */
export interface MigrationTarget {
  pool: string;
  cluster: string;
  /** `g6-l4-spot (demo-aws-use1)`. */
  title: string;
  /** The template renderer's objects for the target pool, in apply order. */
  objects: KubeObject[];
  /** The model's workload there now, when one exists (a move there before). */
  existing?: { desired: number };
}

/** How long the target may take: its nodes and the model's load. */
export interface MigrationTimings {
  provisioningSeconds: number;
  loadSeconds: number;
}

const label = (w: { kind: string; namespace: string; name: string }) =>
  `${w.kind} ${w.namespace}/${w.name}`;
const plural = (n: number) => `${n} replica${n === 1 ? '' : 's'}`;

const isAutoscaler = (o: KubeObject) =>
  (o.kind === 'ScaledObject' && o.apiVersion === 'keda.sh/v1alpha1') ||
  (o.kind === 'HTTPScaledObject' && o.apiVersion === 'http.keda.sh/v1alpha1');

/**
 * The objects as applied first on the target: the Deployment at zero
 * replicas and every KEDA autoscaler paused at zero, so nothing runs (or
 * costs) there until the next steps ask for it, and a rollback that
 * scales it back to zero leaves it as it was applied.
 */
function parked(objects: KubeObject[]): KubeObject[] {
  return objects.map(o => {
    if (o.kind === 'Deployment') {
      return { ...o, spec: { ...(o.spec as object), replicas: 0 } };
    }
    if (isAutoscaler(o)) {
      return {
        ...o,
        metadata: {
          ...o.metadata,
          annotations: { ...o.metadata.annotations, [PAUSED_REPLICAS]: '0' },
        },
      };
    }
    return o;
  });
}

const serviceExport = (
  cluster: string,
  namespace: string,
  name: string,
): { cluster: string; object: KubeObject } => ({
  cluster,
  object: serviceExportOf(namespace, name),
});

/**
 * The steps that move a model to another pool, make-before-break (pure).
 * Within its own cluster its Deployment rolls over in place
 * (`planInClusterMove`); to another cluster's pool:
 *
 * 1. apply its objects there, rendered for the pool by the template's
 *    renderer, parked at zero;
 * 2. bring them up to the replicas it runs now and wait until they are
 *    Ready (the readiness probe is the model's health endpoint), for at most
 *    twice its load time plus a node's provisioning; past that, or when a
 *    step fails, the action rolls back: the target goes back to zero and
 *    the source never stopped serving;
 * 3. switch its traffic: export its Service from the target cluster
 *    (Kubernetes Multi-Cluster Services, `ServiceExport`) and withdraw the
 *    source's export;
 * 4. drain the source: pause its autoscaler at zero and scale it to zero
 *    (pods end within their termination grace period, finishing the
 *    requests they hold), and wait until it has stopped;
 * 5. hand the target to its autoscaler when the source was in its
 *    autoscaler's hands.
 *
 * Nothing is deleted but the ServiceExport: the source stays parked at
 * zero, the way back if a later move returns there.
 */
export function planMigration(
  source: MigrationSource,
  target: MigrationTarget,
  timings: MigrationTimings,
): ModelPlan {
  const from = source.workload;
  if (target.pool === source.pool) {
    return { ok: false, reason: `it already runs on ${target.title}` };
  }
  if (target.cluster === from.cluster) {
    // A pool of its own cluster: its Deployment rolls over in place.
    return source.live
      ? planInClusterMove({ ...source, live: source.live }, target, timings)
      : {
          ok: false,
          reason: `${label(from)} on ${
            from.cluster
          } could not be read, and a move within its cluster rolls it over`,
        };
  }
  if ((target.existing?.desired ?? 0) > 0) {
    return {
      ok: false,
      reason: `it already runs ${plural(target.existing!.desired)} on cluster ${
        target.cluster
      }`,
    };
  }
  const deployment = target.objects.find(o => o.kind === 'Deployment');
  const service = target.objects.find(o => o.kind === 'Service');
  if (!deployment || !service) {
    return {
      ok: false,
      reason:
        'its objects for the target have no Deployment and Service (a Knative model cannot be moved yet)',
    };
  }
  const namespace = deployment.metadata.namespace ?? from.namespace;
  const to: WorkloadRef = {
    cluster: target.cluster,
    namespace,
    kind: 'Deployment',
    name: deployment.metadata.name,
  };
  const toScaler = target.objects.find(
    o =>
      isAutoscaler(o) &&
      (o.spec as Record<string, any> | undefined)?.scaleTargetRef?.name ===
        to.name,
  );
  const toAutoscaler: AutoscalerRef | undefined = toScaler && {
    cluster: target.cluster,
    namespace,
    kind: toScaler.kind as AutoscalerRef['kind'],
    name: toScaler.metadata.name,
  };
  const n = source.replicas.desired;
  // The source in KEDA's hands (not paused): the target goes to KEDA too.
  const handBack = Boolean(
    toAutoscaler &&
      source.autoscaler &&
      source.autoscaler.pausedReplicas === undefined,
  );
  const timeoutSeconds =
    2 * (timings.loadSeconds + timings.provisioningSeconds);

  const steps: ActionStep[] = [
    {
      description: `Apply the model's objects on cluster ${
        target.cluster
      }, rendered for ${target.title}, at zero replicas${
        toAutoscaler ? ' with its autoscaler paused' : ''
      }`,
      do: {
        op: 'apply',
        cluster: target.cluster,
        objects: parked(target.objects),
      },
    },
  ];
  if (n > 0) {
    if (toAutoscaler) {
      steps.push({
        description: `Hold the ${toAutoscaler.kind} ${toAutoscaler.name} on ${
          target.cluster
        } at ${plural(n)}`,
        do: { op: 'pauseAutoscaler', autoscaler: toAutoscaler, replicas: n },
        undo: { op: 'pauseAutoscaler', autoscaler: toAutoscaler, replicas: 0 },
      });
    }
    steps.push(
      {
        description: `Scale ${label(to)} on ${target.cluster} to ${plural(n)}`,
        do: {
          op: 'scale',
          workload: to,
          replicas: n,
          ...(handBack ? { autoscaled: true } : {}),
        },
        undo: { op: 'scale', workload: to, replicas: 0, ifReplicas: n },
      },
      {
        description: `Wait until ${plural(n)} of ${label(to)} on ${
          target.cluster
        } ${n === 1 ? 'is' : 'are'} ready (at most ${Math.round(
          timeoutSeconds / 60,
        )} min: twice a node's provisioning and the model's load)`,
        do: { op: 'waitReady', workload: to, replicas: n, timeoutSeconds },
      },
    );
  }
  const exportTo = serviceExport(
    target.cluster,
    namespace,
    service.metadata.name,
  );
  const exportFrom = serviceExport(
    from.cluster,
    from.namespace,
    service.metadata.name,
  );
  const exportRef = (e: typeof exportTo) => ({
    apiVersion: e.object.apiVersion,
    kind: e.object.kind,
    namespace: e.object.metadata.namespace!,
    name: e.object.metadata.name,
  });
  steps.push({
    description: `Switch its traffic to cluster ${target.cluster}: export the Service ${namespace}/${service.metadata.name} from there (Multi-Cluster Services)`,
    do: { op: 'apply', cluster: exportTo.cluster, objects: [exportTo.object] },
    undo: {
      op: 'remove',
      cluster: exportTo.cluster,
      object: exportRef(exportTo),
    },
  });
  if (source.exported) {
    steps.push({
      description: `Withdraw the export of the Service from cluster ${from.cluster}`,
      do: {
        op: 'remove',
        cluster: from.cluster,
        object: exportRef(exportFrom),
      },
      undo: {
        op: 'apply',
        cluster: from.cluster,
        objects: [exportFrom.object],
      },
    });
  }
  if (source.autoscaler) {
    steps.push({
      description: `Pause the ${source.autoscaler.kind} ${source.autoscaler.name} on ${from.cluster} at zero`,
      do: {
        op: 'pauseAutoscaler',
        autoscaler: strip(source.autoscaler),
        replicas: 0,
      },
      undo: {
        op: 'pauseAutoscaler',
        autoscaler: strip(source.autoscaler),
        replicas: source.autoscaler.pausedReplicas ?? null,
      },
    });
  }
  steps.push(
    {
      description: `Drain ${label(from)} on ${from.cluster}: scale it to zero`,
      do: { op: 'scale', workload: from, replicas: 0 },
      undo: { op: 'scale', workload: from, replicas: n, ifReplicas: 0 },
    },
    {
      description: `Wait until ${label(from)} on ${from.cluster} has stopped`,
      do: {
        op: 'waitReady',
        workload: from,
        replicas: 0,
        timeoutSeconds: STOP_TIMEOUT_SECONDS,
      },
    },
  );
  for (const c of source.companions ?? []) {
    if (c.desired <= 0) continue;
    const ref = { ...from, name: c.name, cluster: c.cluster ?? from.cluster };
    steps.push({
      description: `Drain its spot companion ${label(ref)} on ${
        ref.cluster
      }: scale it to zero`,
      do: { op: 'scale', workload: ref, replicas: 0 },
      undo: { op: 'scale', workload: ref, replicas: c.desired, ifReplicas: 0 },
    });
  }
  if (handBack && toAutoscaler) {
    steps.push({
      description: `Hand ${label(to)} on ${target.cluster} back to its ${
        toAutoscaler.kind
      }`,
      do: { op: 'pauseAutoscaler', autoscaler: toAutoscaler, replicas: null },
      undo: { op: 'pauseAutoscaler', autoscaler: toAutoscaler, replicas: n },
    });
  }
  return {
    ok: true,
    kind: 'migrate',
    cluster: target.cluster,
    steps,
    summary: `move from cluster ${from.cluster} to ${
      target.title
    }, make-before-break (${plural(n)})`,
  };
}

/** The workload a migration action moved its model to, from its steps. */
export function migratedTo(steps: ActionStep[]): WorkloadRef | undefined {
  for (const step of steps) {
    if (step.do.op !== 'apply') continue;
    const d = step.do.objects.find(o => o.kind === 'Deployment');
    if (d) {
      return {
        cluster: step.do.cluster,
        namespace: d.metadata.namespace ?? '',
        kind: 'Deployment',
        name: d.metadata.name,
      };
    }
  }
  return undefined;
}
