import { keepAliveSeconds, runtimeLoad } from './autoscaling';
import { ResolvedRenderManifestsInput } from './input';
import { PodTemplate } from './pod';
import { WakeTimings } from './wake';

/**
 * The model as a Knative Service (`serving.knative.dev/v1`), for
 * `wakeOn: knative`: Knative renders the Deployment, the Services and the
 * autoscaler itself, and its activator holds each request for a revision
 * at zero until a pod is Ready.
 *
 * - `min-scale` 0 and `max-scale` the replica bound; one pod at creation
 *   (`initial-scale`), which warms the model cache;
 * - `scale-to-zero-pod-retention-period`: the keep-alive of the team's
 *   hibernation policy (`hibernation.idleMinutes`, at most 1h);
 * - concurrency target: the in-flight requests one replica takes;
 * - `target-burst-capacity` -1 keeps the activator in the request path,
 *   so requests reach pods only through it (the NetworkPolicy admits the
 *   activator, not every client);
 * - `timeoutSeconds` and `responseStartTimeoutSeconds` count from the
 *   activator, so they hold the wake (node plus load) and then the
 *   response; the progress deadline holds the first start's download;
 * - visibility `cluster-local`, like the ClusterIP Service of a Deployment.
 *
 * The cluster needs Knative Serving with the pod-spec features the model
 * uses enabled (config-features: `kubernetes.podspec-nodeselector`,
 * `-tolerations`, `-securitycontext`, `-persistent-volume-claim`,
 * `-persistent-volume-write`, `-init-containers` for registry sources,
 * `-topologyspreadconstraints` above one replica) and a
 * `max-revision-timeout-seconds` (config-defaults) of at least
 * `timeoutSeconds`.
 */
export function renderKnativeService(options: {
  v: ResolvedRenderManifestsInput;
  meta: (name: string, extra?: Record<string, unknown>) => Record<string, any>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  pod: PodTemplate;
  /** How long the first start (download included) may take, seconds. */
  startupSeconds: number;
  wake: WakeTimings;
}): Record<string, any> {
  const { v, meta, pod, wake } = options;
  const seconds = (n: number) => `${n}s`;
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: meta(v.name, {
      labels: {
        ...options.labels,
        'networking.knative.dev/visibility': 'cluster-local',
      },
      annotations: options.annotations,
    }),
    spec: {
      template: {
        metadata: {
          labels: pod.metadata.labels,
          annotations: {
            ...pod.metadata.annotations,
            'autoscaling.knative.dev/class': 'kpa.autoscaling.knative.dev',
            'autoscaling.knative.dev/metric': 'concurrency',
            'autoscaling.knative.dev/target': String(runtimeLoad(v).perReplica),
            'autoscaling.knative.dev/min-scale': '0',
            'autoscaling.knative.dev/max-scale': String(v.replicas.max),
            'autoscaling.knative.dev/initial-scale': '1',
            'autoscaling.knative.dev/scale-to-zero-pod-retention-period':
              seconds(keepAliveSeconds(v)),
            'autoscaling.knative.dev/target-burst-capacity': '-1',
            'serving.knative.dev/progress-deadline': seconds(
              options.startupSeconds + 600,
            ),
          },
        },
        spec: {
          ...pod.spec,
          // No hard limit: the autoscaler's target is soft, and a runtime
          // batches whatever it is given.
          containerConcurrency: 0,
          timeoutSeconds: wake.requestSeconds,
          responseStartTimeoutSeconds: wake.responseStartSeconds,
        },
      },
    },
  };
}
