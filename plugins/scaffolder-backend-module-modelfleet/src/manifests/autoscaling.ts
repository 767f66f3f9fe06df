import { MONITORING } from './constants';
import { ResolvedRenderManifestsInput } from './input';

/**
 * The model's autoscaler: an HPA on the runtime's load metric when always
 * on, a KEDA ScaledObject scaling to zero otherwise (with a cron trigger
 * for business hours).
 */
export function renderAutoscaler(options: {
  v: ResolvedRenderManifestsInput;
  meta: (name: string, extra?: Record<string, unknown>) => Record<string, any>;
  /** How long a new replica may take to load, seconds. */
  startupSeconds: number;
}): Record<string, any> {
  const { v, meta, startupSeconds } = options;
  const { name, namespace } = v;
  const runtime = v.model.runtime;
  const load = {
    vllm: {
      metric: 'vllm:num_requests_running',
      filter: `namespace="${namespace}",model_name="${name}"`,
      perReplica: 16,
    },
    tgi: {
      metric: 'tgi_queue_size',
      filter: `namespace="${namespace}",pod=~"${name}-[a-z0-9]+-[a-z0-9]+"`,
      perReplica: 4,
    },
    triton: {
      metric: 'nv_inference_pending_request_count',
      filter: `namespace="${namespace}",model="${name}"`,
      perReplica: 8,
    },
  }[runtime];
  const idleSeconds = Math.round(v.hibernation.idleMinutes * 60);
  let autoscaler: Record<string, any>;
  if (v.traffic === 'always-on') {
    const minReplicas = Math.max(1, v.replicas.min);
    autoscaler = {
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
  } else {
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
    triggers.push({
      type: 'prometheus',
      name: 'load',
      metadata: {
        serverAddress: MONITORING.prometheusUrl,
        query: `sum(${load.metric}{${load.filter}}) or vector(0)`,
        threshold: String(load.perReplica),
        activationThreshold: '0',
        ignoreNullValues: 'true',
      },
    });
    autoscaler = {
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
        cooldownPeriod: idleSeconds,
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
  return autoscaler;
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
