import {
  DemoCluster,
  DemoModel,
  DemoPool,
  isLlmTraffic,
  replicasAt,
} from '../definition';
import { poolLabelKey, poolTaints } from './nodes';
import { KubeObject, MODEL_LABEL } from './objects';
import {
  WAKE_GATE_HEALTH_PATH,
  WAKE_GATE_IMAGE,
  WAKE_GATE_PORT,
} from './wakeGate';

const IMAGES: Record<DemoModel['runtime'], string> = {
  vllm: 'vllm/vllm-openai:v0.6.3',
  tgi: 'ghcr.io/huggingface/text-generation-inference:2.4.0',
  triton: 'nvcr.io/nvidia/tritonserver:24.10-py3',
  generic: 'ghcr.io/modelfleet/model-server:1.0.0',
};

/** A vLLM release with sleep mode, for models of the sleep idle tier. */
const SLEEP_MODE_VLLM_IMAGE = 'vllm/vllm-openai:v0.10.1';

/** How a demo model scales to zero, if it does. */
export type ScaleToZero = {
  kind: 'ScaledObject' | 'HTTPScaledObject';
  keepAliveSeconds: number;
};

/**
 * The demo models that scale to zero: the image, vision and speech models,
 * whose traffic (the Alibaba GenAI trace, or a batch job's) leaves them idle
 * between bursts. The
 * speech model uses the KEDA HTTP add-on, the others a ScaledObject with a
 * Prometheus trigger. The LLMs serve steady traffic and do not.
 */
export function scaleToZeroOf(model: DemoModel): ScaleToZero | undefined {
  if (!model.deployment || !model.traffic || isLlmTraffic(model.traffic))
    return undefined;
  // The sleep idle tier keeps its replicas; its engine sleeps instead.
  if (model.deployment.idleTier === 'sleep') return undefined;
  return {
    kind: model.id === 'whisper-large-v3' ? 'HTTPScaledObject' : 'ScaledObject',
    keepAliveSeconds: 300,
  };
}

/** The Deployment of a demo model, pinned to its pool, as a team would apply it. */
export function modelDeployment(
  cluster: DemoCluster,
  pool: DemoPool,
  model: DemoModel,
  at: Date,
): KubeObject {
  const dep = model.deployment!;
  const labels = {
    'app.kubernetes.io/name': model.id,
    'app.kubernetes.io/part-of': 'modelfleet-demo',
    [MODEL_LABEL]: model.id,
    'backstage.io/kubernetes-id': model.id,
  };
  const tolerations = [
    ...poolTaints(cluster, pool).map(t => ({
      key: t.key,
      operator: 'Equal',
      value: t.value,
      effect: t.effect,
    })),
    { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
  ].filter((t, i, all) => all.findIndex(o => o.key === t.key) === i);
  const gpus = String(dep.gpusPerReplica);
  const sleeps = dep.idleTier === 'sleep';
  // The sleep idle tier as the template renders it: vLLM with sleep mode
  // (a release that has it) on its engine port, and the annotations the
  // backend reads to reach the engine and its wake gate through the pod
  // proxy, and the gate (the template's OpenResty sidecar) on the `http`
  // port. The simulator's traffic replay reaches the engine as the gate
  // would: a request to a sleeping engine wakes it, and the gate logs it.
  const server = sleeps
    ? {
        image: SLEEP_MODE_VLLM_IMAGE,
        command: ['vllm', 'serve'],
        args: [
          model.id,
          '--served-model-name',
          model.id,
          '--port',
          '8000',
          '--enable-sleep-mode',
        ],
        ports: [{ name: 'engine', containerPort: 8000 }],
        env: [
          { name: 'MODEL_ID', value: model.id },
          { name: 'VLLM_SERVER_DEV_MODE', value: '1' },
        ],
      }
    : {
        image: IMAGES[model.runtime],
        ports: [{ name: 'http', containerPort: 8000 }],
        env: [{ name: 'MODEL_ID', value: model.id }],
      };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: model.id,
      namespace: model.namespace,
      labels,
      annotations: {
        'modelfleet.io/team': model.team,
        ...(sleeps
          ? {
              'modelfleet.io/idle-tier': 'sleep',
              'modelfleet.io/engine-port': '8000',
              'modelfleet.io/wake-gate-port': String(WAKE_GATE_PORT),
            }
          : {}),
      },
    },
    spec: {
      replicas: replicasAt(dep, at),
      selector: { matchLabels: { 'app.kubernetes.io/name': model.id } },
      template: {
        metadata: { labels },
        spec: {
          nodeSelector: { [poolLabelKey(cluster)]: pool.name },
          tolerations,
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name: 'server',
              ...server,
              resources: {
                requests: { cpu: '2', memory: '16Gi', 'nvidia.com/gpu': gpus },
                limits: { 'nvidia.com/gpu': gpus },
              },
              readinessProbe: {
                httpGet: { path: '/health', port: sleeps ? 'engine' : 'http' },
                periodSeconds: 5,
              },
            },
            ...(sleeps
              ? [
                  {
                    name: 'wake-gate',
                    image: WAKE_GATE_IMAGE,
                    ports: [
                      {
                        name: 'http',
                        containerPort: WAKE_GATE_PORT,
                        protocol: 'TCP',
                      },
                    ],
                    resources: {
                      requests: { cpu: '100m', memory: '64Mi' },
                      limits: { memory: '256Mi' },
                    },
                    readinessProbe: {
                      httpGet: { path: WAKE_GATE_HEALTH_PATH, port: 'http' },
                      periodSeconds: 10,
                    },
                  },
                ]
              : []),
          ],
        },
      },
    },
  };
}

/** The KEDA object of a model that scales to zero. */
export function modelAutoscaler(model: DemoModel, s: ScaleToZero): KubeObject {
  const max = Math.max(1, model.deployment!.replicas);
  if (s.kind === 'HTTPScaledObject') {
    return {
      apiVersion: 'http.keda.sh/v1alpha1',
      kind: 'HTTPScaledObject',
      metadata: {
        name: model.id,
        namespace: model.namespace,
        labels: { [MODEL_LABEL]: model.id },
      },
      spec: {
        hosts: [`${model.id}.${model.namespace}.svc.cluster.local`],
        scaleTargetRef: {
          name: model.id,
          kind: 'Deployment',
          apiVersion: 'apps/v1',
          service: model.id,
          port: 8000,
        },
        replicas: { min: 0, max },
        scaledownPeriod: s.keepAliveSeconds,
        scalingMetric: {
          requestRate: { targetValue: 10, granularity: '1s', window: '1m' },
        },
      },
    };
  }
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: {
      name: model.id,
      namespace: model.namespace,
      labels: { [MODEL_LABEL]: model.id },
    },
    spec: {
      scaleTargetRef: { name: model.id },
      minReplicaCount: 0,
      maxReplicaCount: max,
      pollingInterval: 30,
      cooldownPeriod: s.keepAliveSeconds,
      triggers: [
        {
          type: 'prometheus',
          metadata: {
            serverAddress: 'http://prometheus.monitoring.svc:9090',
            query: `sum(rate(http_requests_total{namespace="${model.namespace}",model="${model.id}"}[1m]))`,
            threshold: '5',
            activationThreshold: '0',
          },
        },
      ],
    },
  };
}
