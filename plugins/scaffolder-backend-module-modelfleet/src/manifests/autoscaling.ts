import { RUNTIME_METRICS } from '@modelfleet/plugin-modelfleet-node';
import { HTTP_PORT, KEDA_HTTP_ADDON, MONITORING } from './constants';
import { ResolvedRenderManifestsInput } from './input';
import { goDuration, scalesToZero, WAKE_TIMING, WakeTimings } from './wake';

/** The runtime's load metric, and how much of it one replica takes. */
export function runtimeLoad(v: ResolvedRenderManifestsInput) {
  const { name, namespace } = v;
  return {
    vllm: {
      metric: RUNTIME_METRICS.vllm.load,
      filter: `namespace="${namespace}",model_name="${name}"`,
      perReplica: 16,
    },
    tgi: {
      metric: RUNTIME_METRICS.tgi.load,
      filter: `namespace="${namespace}",pod=~"${name}-[a-z0-9]+-[a-z0-9]+"`,
      perReplica: 4,
    },
    triton: {
      metric: RUNTIME_METRICS.triton.load,
      filter: `namespace="${namespace}",model="${name}"`,
      perReplica: 8,
    },
  }[v.model.runtime];
}

interface AutoscalerOptions {
  v: ResolvedRenderManifestsInput;
  meta: (name: string, extra?: Record<string, unknown>) => Record<string, any>;
  /** How long a new replica may take to load (the first start downloads), seconds. */
  startupSeconds: number;
  wake: WakeTimings;
}

/**
 * The model's autoscalers: an HPA on the runtime's load metric when always
 * on or of the sleep idle tier (whose replicas stay up, at least one, while
 * their engines sleep); for a model that scales to zero, by `wakeOn`:
 *
 * - `http-addon`: an HTTPScaledObject, whose interceptor holds each
 *   request until a replica is Ready (business hours add a ScaledObject,
 *   see below);
 * - `keda-poll`: a KEDA ScaledObject with a Prometheus trigger (and a cron
 *   trigger for business hours), which wakes at its next poll;
 * - `knative`: none, the Knative Service scales itself.
 */
export function renderAutoscalers(
  options: AutoscalerOptions,
): Array<Record<string, any>> {
  const { v } = options;
  if (!scalesToZero(v)) return [renderHpa(options)];
  if (v.wakeOn === 'knative') return [];
  if (v.wakeOn === 'keda-poll') {
    return [renderScaledObject(options, prometheusTrigger(v))];
  }
  if (v.traffic === 'sporadic') {
    return [renderHttpScaledObject({ ...options, scaledByAddOn: true })];
  }
  // Business hours: an HTTPScaledObject cannot express a cron minimum.
  // The add-on then only routes and holds requests (its own ScaledObject
  // is skipped), and today's ScaledObject keeps the warm window with its
  // cron trigger; its `external-push` trigger reaches the add-on's scaler,
  // which pushes a held request at once, so a model outside the window
  // still wakes on request rather than at a poll.
  return [
    renderHttpScaledObject({ ...options, scaledByAddOn: false }),
    renderScaledObject(options, {
      type: 'external-push',
      name: 'requests',
      metadata: {
        scalerAddress: KEDA_HTTP_ADDON.externalScalerAddress,
        httpScaledObject: v.name,
      },
    }),
  ];
}

function renderHpa({ v, meta }: AutoscalerOptions): Record<string, any> {
  const { name } = v;
  const load = runtimeLoad(v);
  const minReplicas = Math.max(1, v.replicas.min);
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(name),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas,
      maxReplicas: Math.max(minReplicas, v.replicas.max),
      // Served by prometheus-adapter (custom.metrics.k8s.io).
      metrics: [
        {
          type: 'Pods',
          pods: {
            metric: { name: load.metric },
            target: {
              type: 'AverageValue',
              averageValue: String(load.perReplica),
            },
          },
        },
      ],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }],
        },
        // A replica takes minutes to load: do not flap.
        scaleDown: {
          stabilizationWindowSeconds: 600,
          policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }],
        },
      },
    },
  };
}

/** The Prometheus trigger on the runtime's load metric, polled. */
function prometheusTrigger(v: ResolvedRenderManifestsInput) {
  const load = runtimeLoad(v);
  return {
    type: 'prometheus',
    name: 'load',
    metadata: {
      serverAddress: MONITORING.prometheusUrl,
      query: `sum(${load.metric}{${load.filter}}) or vector(0)`,
      threshold: String(load.perReplica),
      activationThreshold: '0',
      ignoreNullValues: 'true',
    },
  };
}

/**
 * A KEDA ScaledObject scaling the Deployment to zero after the keep-alive,
 * with `trigger` and, for business hours, a cron trigger keeping the
 * window warm.
 */
function renderScaledObject(
  { v, meta, startupSeconds }: AutoscalerOptions,
  trigger: Record<string, any>,
): Record<string, any> {
  const { name } = v;
  const triggers: Array<Record<string, any>> = [];
  if (v.traffic === 'business-hours') {
    const bh = v.hibernation.businessHours;
    triggers.push({
      type: 'cron',
      name: 'business-hours',
      metadata: {
        timezone: bh.timezone,
        start: bh.start,
        end: bh.end,
        desiredReplicas: String(Math.max(v.replicas.min, 1)),
      },
    });
  }
  triggers.push(trigger);
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: meta(name, {
      annotations: { 'scaledobject.keda.sh/transfer-hpa-ownership': 'true' },
    }),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicaCount: 0,
      maxReplicaCount: v.replicas.max,
      pollingInterval: 30,
      cooldownPeriod: keepAliveSeconds(v),
      // Do not scale a freshly created model to zero before it has loaded.
      initialCooldownPeriod: startupSeconds,
      advanced: {
        horizontalPodAutoscalerConfig: {
          behavior: {
            scaleDown: {
              stabilizationWindowSeconds: 600,
              policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }],
            },
          },
        },
      },
      triggers,
    },
  };
}

/** How long an idle model stays up before scaling to zero, seconds. */
export function keepAliveSeconds(v: ResolvedRenderManifestsInput): number {
  return Math.round(v.hibernation.idleMinutes * 60);
}

/**
 * The KEDA HTTP add-on's HTTPScaledObject (`http.keda.sh/v1alpha1`, the
 * v0.8+ CRD): requests for the model's in-cluster host names reach the
 * add-on's interceptor, which holds them while the model is at zero until
 * a replica is Ready (`timeouts.conditionWait`, sized from the model's
 * load), then forwards them to the model's Service.
 *
 * `scaledByAddOn: false` (business hours) keeps the routing but lets a
 * ScaledObject of ours scale the model.
 */
function renderHttpScaledObject(
  options: AutoscalerOptions & { scaledByAddOn: boolean },
): Record<string, any> {
  const { v, meta, startupSeconds, wake, scaledByAddOn } = options;
  const { name } = v;
  return {
    apiVersion: 'http.keda.sh/v1alpha1',
    kind: 'HTTPScaledObject',
    metadata: meta(name, {
      annotations: {
        'httpscaledobject.keda.sh/skip-scaledobject-creation': String(
          !scaledByAddOn,
        ),
      },
    }),
    spec: {
      hosts: modelHosts(v),
      pathPrefixes: ['/'],
      scaleTargetRef: {
        name,
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        service: name,
        port: HTTP_PORT,
      },
      replicas: { min: 0, max: v.replicas.max },
      scaledownPeriod: keepAliveSeconds(v),
      initialCooldownPeriod: startupSeconds,
      // In-flight requests per replica, as the runtime's load metric counts them.
      scalingMetric: {
        concurrency: { targetValue: runtimeLoad(v).perReplica },
      },
      // Per-object overrides of the interceptor's KEDA_CONDITION_WAIT_TIMEOUT
      // and KEDA_RESPONSE_HEADER_TIMEOUT (the add-on's CRD since
      // kedacore/http-add-on#1285). The response-header clock starts once a
      // replica is Ready and has the request, so the wake is not in it.
      timeouts: {
        conditionWait: goDuration(wake.wakeSeconds),
        responseHeader: goDuration(WAKE_TIMING.firstResponseSeconds),
      },
    },
  };
}

/**
 * The host names a model's HTTPScaledObject routes: its Service's
 * in-cluster names, always with the namespace (the interceptor's routing
 * table is the whole cluster's; a bare `chat` would be every namespace's).
 *
 * @public
 */
export function modelHosts(v: { name: string; namespace: string }): string[] {
  const svc = `${v.name}.${v.namespace}`;
  return [`${svc}.svc.cluster.local`, `${svc}.svc`, svc];
}

/** Drains stay possible at one replica; at min ≥ 2 all but one stay up. */
export function renderDisruptionBudget(options: {
  v: ResolvedRenderManifestsInput;
  meta: (name: string) => Record<string, any>;
  selector: Record<string, string>;
}) {
  const { v, meta, selector } = options;
  const { name } = v;
  const pdb = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(name),
    spec: {
      selector: { matchLabels: selector },
      // At one replica keep drains possible; at min ≥ 2 keep all but one.
      ...(v.replicas.min >= 2
        ? { minAvailable: v.replicas.min - 1 }
        : { maxUnavailable: 1 }),
      // A pod still loading its model must not block a drain.
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };
  return pdb;
}
