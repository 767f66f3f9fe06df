import { InputError } from '@backstage/errors';
import {
  BYTES_PER_PARAMETER,
  MODEL_KIND,
  MODEL_WORKLOAD_LABEL,
  MODELFLEET_API_VERSION,
  ModelEntityV1alpha1,
  SpotPolicy,
} from '@modelfleet/plugin-modelfleet-common';
import yaml from 'yaml';
import {
  RenderManifestsInput,
  renderManifestsInputSchema,
  ResolvedRenderManifestsInput,
} from './input';

/**
 * Pinned serving images. Bump deliberately: a tag that moves under a running
 * model changes its behaviour on the next reschedule.
 *
 * @public
 */
export const RUNTIME_IMAGES = {
  vllm: 'vllm/vllm-openai:v0.10.1.1',
  tgi: 'ghcr.io/huggingface/text-generation-inference:3.3.4',
  triton: 'nvcr.io/nvidia/tritonserver:25.06-vllm-python-py3',
} as const;

/** Images of the init containers fetching weights from non-Hugging Face sources. */
export const FETCH_IMAGES = {
  s3: 'amazon/aws-cli:2.27.50',
  gs: 'gcr.io/google.com/cloudsdktool/google-cloud-cli:530.0.0-slim',
  oci: 'ghcr.io/oras-project/oras:v1.2.3',
  https: 'curlimages/curl:8.15.0',
} as const;

/** Where KEDA reaches Prometheus, and the namespace it and the scrapers run in. */
export const MONITORING = {
  namespace: 'monitoring',
  prometheusUrl: 'http://prometheus-operated.monitoring.svc.cluster.local:9090',
};

/** Namespaces carrying this label may call every model's serving port. */
export const MODEL_CLIENTS_LABEL = 'modelfleet.io/model-clients';

/** Optional Secret (key `token`) holding a Hugging Face token for gated models. */
export const HF_TOKEN_SECRET = 'modelfleet-hf-token';

const GIB = 1024 ** 3;
const HTTP_PORT = 8000;
const GRPC_PORT = 8001;
const TRITON_METRICS_PORT = 8002;
const CACHE_MOUNT = '/data';
const UID = 1000;

/**
 * A file to write, relative to the action's `targetPath`.
 *
 * @public
 */
export interface RenderedFile {
  path: string;
  content: string;
}

/**
 * What {@link renderModelManifests} produces.
 *
 * @public
 */
export interface RenderedModel {
  /** The Kubernetes objects, in apply order. */
  manifests: Array<Record<string, any>>;
  /** `manifests/<kind>.yaml` per object, `manifests/kustomization.yaml` and `catalog-info.yaml`. */
  files: RenderedFile[];
  entity: ModelEntityV1alpha1;
}

type Source =
  | { kind: 'hf'; id: string }
  | { kind: 's3' | 'gs' | 'oci' | 'https'; uri: string };

const PREQUANTIZED =
  /(awq|gptq|fp8|int8|int4|w8a8|w4a16|gguf|exl2|bnb|4bit|8bit|quantized)/i;

function parseSource(source: string): Source {
  if (source.startsWith('hf://')) return { kind: 'hf', id: source.slice(5) };
  const scheme = /^(s3|gs|oci|https):\/\//.exec(source)?.[1];
  if (scheme)
    return { kind: scheme as 's3' | 'gs' | 'oci' | 'https', uri: source };
  return { kind: 'hf', id: source };
}

const isMig = (resource: string) => /^nvidia\.com\/mig-/.test(resource);

const ceilTo = (n: number, step: number) => Math.ceil(n / step) * step;

/** Sizes derived from the model, shared by the manifests and the tests. */
export function modelSizing(input: {
  source: string;
  parametersBillions: number;
  precision: keyof typeof BYTES_PER_PARAMETER;
  gpuCount: number;
}) {
  const prequantized = PREQUANTIZED.test(input.source);
  const bytes = BYTES_PER_PARAMETER[input.precision];
  // Weights not published pre-quantized are downloaded in 16 bit and
  // quantized when loaded.
  const downloadGiB =
    (input.parametersBillions *
      1e9 *
      (prequantized ? bytes : Math.max(bytes, 2))) /
    GIB;
  // Download at ~100 MiB/s, load, then CUDA-graph capture: a 70B bf16 model
  // gets ~45 minutes, anything at least 10, nothing more than 2 hours.
  const startupSeconds = Math.min(
    7200,
    Math.max(600, Math.round(300 + downloadGiB * 18)),
  );
  const shmGiB = Math.min(32, 4 * input.gpuCount);
  return {
    prequantized,
    downloadGiB,
    cacheGiB: ceilTo(downloadGiB * 1.15 + 5, 10),
    startupSeconds,
    shmGiB,
    memoryGiB:
      Math.min(256, Math.max(16, Math.ceil(downloadGiB * 0.5) + 8)) + shmGiB,
    cpu: Math.min(32, 2 + 2 * input.gpuCount),
  };
}

function parseInput(input: RenderManifestsInput): ResolvedRenderManifestsInput {
  const parsed = renderManifestsInputSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      i => `${i.path.join('.') || 'input'}: ${i.message}`,
    );
    throw new InputError(`Invalid input: ${issues.join('; ')}`);
  }
  const v = parsed.data;
  if (isMig(v.pool.scheduling.gpuResource) && v.gpu.count > 1) {
    throw new InputError(
      `gpu.count: a CUDA process uses a single MIG instance, so requesting ${
        v.gpu.count
      } × ${v.pool.scheduling.gpuResource} per replica wastes ${
        v.gpu.count - 1
      }; use 1 or a larger MIG profile`,
    );
  }
  if (v.spot === 'forbid' && v.pool.capacityType === 'spot') {
    throw new InputError(
      `pool.capacityType: pool ${v.pool.ref} is spot capacity but spot is 'forbid'`,
    );
  }
  if (v.spot === 'require' && v.pool.capacityType !== 'spot') {
    throw new InputError(
      `pool.capacityType: spot is 'require' but pool ${v.pool.ref} is ${v.pool.capacityType}`,
    );
  }
  return v;
}

/**
 * Renders the Kubernetes manifests and the `Model` catalog entity of a model
 * placed on a GPU pool: ServiceAccount, model-cache PVC, (Triton) model
 * repository ConfigMap, Deployment, Service, HPA or KEDA ScaledObject,
 * PodDisruptionBudget and NetworkPolicy. Pure; throws an `InputError`
 * naming the field for bad input.
 *
 * @public
 */
export function renderModelManifests(
  input: RenderManifestsInput,
): RenderedModel {
  const v = parseInput(input);
  const { name, namespace } = v;
  const runtime = v.model.runtime;
  const source = parseSource(v.model.source);
  const mig = isMig(v.pool.scheduling.gpuResource);
  // Tensor parallelism over whole GPUs; a shared/MIG slice serves alone.
  const tp = mig ? 1 : v.gpu.count;
  const sizing = modelSizing({
    source: v.model.source,
    parametersBillions: v.model.parametersBillions,
    precision: v.model.precision,
    gpuCount: v.gpu.count,
  });
  const localModelDir = `${CACHE_MOUNT}/models/${name}`;
  const modelRef = source.kind === 'hf' ? source.id : localModelDir;
  const spotCapacity = v.pool.capacityType === 'spot';

  const selector = {
    'app.kubernetes.io/name': name,
    [MODEL_WORKLOAD_LABEL]: name,
  };
  const labels = {
    ...selector,
    'app.kubernetes.io/component': 'model-server',
    'app.kubernetes.io/managed-by': 'modelfleet',
    'backstage.io/kubernetes-id': name,
  };
  const meta = (objName: string, extra: Record<string, unknown> = {}) => ({
    name: objName,
    namespace,
    labels,
    ...extra,
  });

  // --- runtime container -------------------------------------------------
  const ports: Array<Record<string, any>> = [
    { name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' },
  ];
  let command: string[];
  let args: string[];
  let readyPath = '/health';
  let livePath = '/health';
  let metricsPortName = 'http';
  let metricsPort = HTTP_PORT;
  const extraVolumes: Array<Record<string, any>> = [];
  const extraMounts: Array<Record<string, any>> = [];
  const manifestsBefore: Array<Record<string, any>> = [];

  const vllmDtype = {
    fp32: 'float32',
    fp16: 'float16',
    bf16: 'bfloat16',
    fp8: 'auto',
    int8: 'auto',
    int4: 'auto',
  }[v.model.precision];
  const quantizeFp8 = v.model.precision === 'fp8' && !sizing.prequantized;

  if (runtime === 'vllm') {
    command = ['vllm', 'serve'];
    args = [
      modelRef,
      '--served-model-name',
      name,
      '--host',
      '0.0.0.0',
      '--port',
      String(HTTP_PORT),
      '--dtype',
      vllmDtype,
      '--tensor-parallel-size',
      String(tp),
      '--gpu-memory-utilization',
      '0.90',
      ...(quantizeFp8 ? ['--quantization', 'fp8'] : []),
    ];
  } else if (runtime === 'tgi') {
    command = ['text-generation-launcher'];
    const quantize = sizing.prequantized
      ? undefined
      : { fp8: 'fp8', int8: 'bitsandbytes', int4: 'bitsandbytes-nf4' }[
          v.model.precision as 'fp8' | 'int8' | 'int4'
        ];
    const dtype = { fp16: 'float16', bf16: 'bfloat16' }[
      v.model.precision as 'fp16' | 'bf16'
    ];
    args = [
      '--model-id',
      modelRef,
      '--hostname',
      '0.0.0.0',
      '--port',
      String(HTTP_PORT),
      '--num-shard',
      String(tp),
      ...(dtype ? ['--dtype', dtype] : []),
      ...(quantize ? ['--quantize', quantize] : []),
    ];
  } else {
    // Triton serves LLMs through its vLLM backend, from a model repository
    // rendered into a ConfigMap.
    readyPath = '/v2/health/ready';
    livePath = '/v2/health/live';
    metricsPortName = 'metrics';
    metricsPort = TRITON_METRICS_PORT;
    ports.push(
      { name: 'grpc', containerPort: GRPC_PORT, protocol: 'TCP' },
      { name: 'metrics', containerPort: TRITON_METRICS_PORT, protocol: 'TCP' },
    );
    command = ['tritonserver'];
    args = [
      '--model-repository=/models/repository',
      `--http-port=${HTTP_PORT}`,
      `--grpc-port=${GRPC_PORT}`,
      `--metrics-port=${TRITON_METRICS_PORT}`,
      '--allow-metrics=true',
      '--allow-gpu-metrics=true',
    ];
    const modelJson = {
      model: modelRef,
      served_model_name: name,
      dtype: vllmDtype,
      tensor_parallel_size: tp,
      gpu_memory_utilization: 0.9,
      disable_log_requests: true,
      ...(quantizeFp8 ? { quantization: 'fp8' } : {}),
    };
    const repoName = `${name}-triton-repository`;
    manifestsBefore.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(repoName),
      data: {
        'config.pbtxt': `backend: "vllm"\ninstance_group [\n  {\n    count: 1\n    kind: KIND_MODEL\n  }\n]\n`,
        'model.json': `${JSON.stringify(modelJson, null, 2)}\n`,
      },
    });
    extraVolumes.push({
      name: 'model-repository',
      configMap: {
        name: repoName,
        items: [
          { key: 'config.pbtxt', path: `${name}/config.pbtxt` },
          { key: 'model.json', path: `${name}/1/model.json` },
        ],
      },
    });
    extraMounts.push({
      name: 'model-repository',
      mountPath: '/models/repository',
      readOnly: true,
    });
  }

  const cacheEnv = [
    { name: 'HOME', value: '/tmp' },
    { name: 'HF_HOME', value: `${CACHE_MOUNT}/huggingface` },
    { name: 'HF_HUB_CACHE', value: `${CACHE_MOUNT}/huggingface/hub` },
    { name: 'HUGGINGFACE_HUB_CACHE', value: `${CACHE_MOUNT}/huggingface/hub` },
    { name: 'XDG_CACHE_HOME', value: `${CACHE_MOUNT}/cache` },
    { name: 'VLLM_CACHE_ROOT', value: `${CACHE_MOUNT}/cache/vllm` },
    { name: 'TRITON_CACHE_DIR', value: `${CACHE_MOUNT}/cache/triton` },
    { name: 'TORCHINDUCTOR_CACHE_DIR', value: `${CACHE_MOUNT}/cache/inductor` },
    { name: 'HF_HUB_OFFLINE', value: source.kind === 'hf' ? '0' : '1' },
  ];
  const hfTokenEnv = {
    name: 'HF_TOKEN',
    valueFrom: {
      secretKeyRef: { name: HF_TOKEN_SECRET, key: 'token', optional: true },
    },
  };

  const containerSecurity = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: UID,
    runAsGroup: UID,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
  const baseMounts = [
    { name: 'model-cache', mountPath: CACHE_MOUNT },
    { name: 'tmp', mountPath: '/tmp' },
  ];

  const periodSeconds = 10;
  const container = {
    name: 'server',
    image: RUNTIME_IMAGES[runtime],
    imagePullPolicy: 'IfNotPresent',
    command,
    args,
    ports,
    env: [...cacheEnv, hfTokenEnv],
    resources: {
      requests: {
        cpu: String(sizing.cpu),
        memory: `${sizing.memoryGiB}Gi`,
        'ephemeral-storage': '1Gi',
        [v.pool.scheduling.gpuResource]: String(v.gpu.count),
      },
      limits: {
        memory: `${sizing.memoryGiB}Gi`,
        'ephemeral-storage': '12Gi',
        [v.pool.scheduling.gpuResource]: String(v.gpu.count),
      },
    },
    startupProbe: {
      httpGet: { path: readyPath, port: 'http' },
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold: Math.ceil(sizing.startupSeconds / periodSeconds),
    },
    readinessProbe: {
      httpGet: { path: readyPath, port: 'http' },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 3,
    },
    livenessProbe: {
      httpGet: { path: livePath, port: 'http' },
      periodSeconds: 30,
      timeoutSeconds: 10,
      failureThreshold: 5,
    },
    lifecycle: {
      // Let endpoints drop the pod before the server stops taking requests.
      preStop: { sleep: { seconds: 10 } },
    },
    securityContext: containerSecurity,
    volumeMounts: [
      ...baseMounts,
      { name: 'dshm', mountPath: '/dev/shm' },
      ...extraMounts,
    ],
  };

  // --- fetch init container for registry sources -------------------------
  const initContainers: Array<Record<string, any>> = [];
  if (source.kind !== 'hf') {
    const fetchBase = {
      name: 'fetch-model',
      image: FETCH_IMAGES[source.kind],
      imagePullPolicy: 'IfNotPresent',
      env: [
        { name: 'HOME', value: '/tmp' },
        { name: 'MODEL_SOURCE', value: source.uri },
        { name: 'MODEL_DIR', value: localModelDir },
      ],
      resources: {
        requests: { cpu: '1', memory: '1Gi' },
        limits: { memory: '2Gi' },
      },
      securityContext: containerSecurity,
      volumeMounts: baseMounts,
    };
    const commands: Record<
      typeof source.kind,
      { command: string[]; args: string[] }
    > = {
      s3: {
        command: ['aws'],
        args: ['s3', 'sync', '--only-show-errors', source.uri, localModelDir],
      },
      gs: {
        command: ['gcloud'],
        args: ['storage', 'rsync', '--recursive', source.uri, localModelDir],
      },
      oci: {
        command: ['oras'],
        args: [
          'pull',
          source.uri.replace(/^oci:\/\//, ''),
          '--output',
          localModelDir,
        ],
      },
      https: {
        command: ['sh', '-ec'],
        args: [
          'if [ -f "$MODEL_DIR/.complete" ]; then exit 0; fi; mkdir -p "$MODEL_DIR"; curl -fsSL --retry 5 "$MODEL_SOURCE" | tar -xz -C "$MODEL_DIR"; touch "$MODEL_DIR/.complete"',
        ],
      },
    };
    initContainers.push({ ...fetchBase, ...commands[source.kind] });
  }

  // --- pod -----------------------------------------------------------------
  const tolerations: Array<Record<string, any>> =
    v.pool.scheduling.tolerations.map(t => ({ ...t }));
  if (!tolerations.some(t => t.key === 'nvidia.com/gpu')) {
    tolerations.push({
      key: 'nvidia.com/gpu',
      operator: 'Exists',
      effect: 'NoSchedule',
    });
  }
  const podSpec: Record<string, any> = {
    serviceAccountName: name,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    // Spot reclaim notices are 30 s (GCP, Azure) to 2 min (AWS).
    terminationGracePeriodSeconds: spotCapacity ? 25 : 120,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: UID,
      runAsGroup: UID,
      fsGroup: UID,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    },
    nodeSelector: { ...v.pool.scheduling.nodeSelector },
    tolerations,
    ...(initContainers.length ? { initContainers } : {}),
    containers: [container],
    volumes: [
      {
        name: 'model-cache',
        persistentVolumeClaim: { claimName: `${name}-model-cache` },
      },
      { name: 'tmp', emptyDir: { sizeLimit: '10Gi' } },
      {
        name: 'dshm',
        emptyDir: { medium: 'Memory', sizeLimit: `${sizing.shmGiB}Gi` },
      },
      ...extraVolumes,
    ],
  };
  if (v.replicas.max > 1) {
    podSpec.topologySpreadConstraints = [
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: selector },
      },
    ];
  }

  const annotations = {
    'modelfleet.io/pool': v.pool.ref,
    'modelfleet.io/cluster': v.pool.cluster,
    'modelfleet.io/region': v.pool.region,
    'modelfleet.io/gpu-product': v.gpu.product,
    'modelfleet.io/traffic': v.traffic,
  };

  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, { annotations }),
    spec: {
      // No `replicas`: the HPA or ScaledObject owns the count, and a GitOps
      // sync must not reset it. A new Deployment starts at one replica,
      // which warms the model cache.
      revisionHistoryLimit: 3,
      progressDeadlineSeconds: sizing.startupSeconds + 600,
      selector: { matchLabels: selector },
      // Never ask for a spare GPU to roll: replace in place.
      strategy:
        v.replicas.max > 1
          ? {
              type: 'RollingUpdate',
              rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
            }
          : { type: 'Recreate' },
      template: {
        metadata: {
          labels: {
            ...labels,
            'modelfleet.io/runtime': runtime,
            'modelfleet.io/capacity-type': v.pool.capacityType,
          },
          annotations: {
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': String(metricsPort),
            'prometheus.io/path': '/metrics',
          },
        },
        spec: podSpec,
      },
    },
  };

  const servicePorts: Array<Record<string, any>> = [
    {
      name: 'http',
      port: HTTP_PORT,
      targetPort: 'http',
      protocol: 'TCP',
      appProtocol: 'http',
    },
  ];
  if (runtime === 'triton') {
    servicePorts.push(
      {
        name: 'grpc',
        port: GRPC_PORT,
        targetPort: 'grpc',
        protocol: 'TCP',
        appProtocol: 'grpc',
      },
      {
        name: 'metrics',
        port: TRITON_METRICS_PORT,
        targetPort: 'metrics',
        protocol: 'TCP',
        appProtocol: 'http',
      },
    );
  }
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name),
    spec: { type: 'ClusterIP', selector, ports: servicePorts },
  };

  // --- autoscaling ---------------------------------------------------------
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
        initialCooldownPeriod: sizing.startupSeconds,
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

  const servingPorts = [{ protocol: 'TCP', port: 'http' }];
  if (runtime === 'triton')
    servingPorts.push({ protocol: 'TCP', port: 'grpc' });
  const networkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(name),
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [
            { podSelector: {} },
            {
              namespaceSelector: {
                matchLabels: { [MODEL_CLIENTS_LABEL]: 'true' },
              },
            },
          ],
          ports: servingPorts,
        },
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: {
                  'kubernetes.io/metadata.name': MONITORING.namespace,
                },
              },
            },
          ],
          ports: [{ protocol: 'TCP', port: metricsPortName }],
        },
      ],
      egress: [
        {
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
        {
          // Model download (Hugging Face, object storage, registries).
          to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
          ports: [{ protocol: 'TCP', port: 443 }],
        },
      ],
    },
  };

  const pvc = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(`${name}-model-cache`, {
      annotations: {
        'modelfleet.io/sized-for': `${sizing.downloadGiB.toFixed(
          1,
        )} GiB of weights`,
      },
    }),
    spec: {
      // Replicas on different nodes share the cache, which needs RWX.
      accessModes: [v.replicas.max > 1 ? 'ReadWriteMany' : 'ReadWriteOnce'],
      volumeMode: 'Filesystem',
      ...(v.cacheStorageClass ? { storageClassName: v.cacheStorageClass } : {}),
      resources: { requests: { storage: `${sizing.cacheGiB}Gi` } },
    },
  };

  const serviceAccount = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(name),
    automountServiceAccountToken: false,
  };

  const manifests = [
    serviceAccount,
    pvc,
    ...manifestsBefore,
    deployment,
    service,
    autoscaler,
    pdb,
    networkPolicy,
  ];

  const entity = renderModelEntity(v, selector);

  const header = `# Rendered by modelfleet:manifests:render for model ${name}.\n`;
  const fileOf = (obj: Record<string, any>) =>
    `manifests/${String(obj.kind).toLowerCase()}.yaml`;
  const files: RenderedFile[] = manifests.map(obj => ({
    path: fileOf(obj),
    content: header + yaml.stringify(obj),
  }));
  files.push({
    path: 'manifests/kustomization.yaml',
    content:
      header +
      yaml.stringify({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: manifests.map(obj =>
          fileOf(obj).replace(/^manifests\//, ''),
        ),
      }),
  });
  files.push({ path: 'catalog-info.yaml', content: yaml.stringify(entity) });

  return { manifests, files, entity };
}

const SPOT_POLICY: Record<'forbid' | 'allow' | 'require', SpotPolicy> = {
  forbid: 'forbid',
  allow: 'allow',
  // The entity cannot say "spot only"; the placement already enforced it.
  require: 'prefer',
};

function renderModelEntity(
  v: ResolvedRenderManifestsInput,
  selector: Record<string, string>,
): ModelEntityV1alpha1 {
  const scalesToZero = v.traffic !== 'always-on';
  const policy: NonNullable<ModelEntityV1alpha1['spec']['policy']> = {
    ...(v.spot ? { spot: SPOT_POLICY[v.spot] } : {}),
    ...(v.monthlyBudgetUsd !== undefined
      ? { monthlyBudgetUsd: v.monthlyBudgetUsd }
      : {}),
    hibernation: scalesToZero
      ? {
          mode: 'enforce',
          idleMinutes: v.hibernation.idleMinutes,
          minWarmReplicas: 0,
        }
      : { mode: 'off', minWarmReplicas: Math.max(1, v.replicas.min) },
  };
  return {
    apiVersion: MODELFLEET_API_VERSION,
    kind: MODEL_KIND,
    metadata: {
      name: v.name,
      ...(v.title ? { title: v.title } : {}),
      ...(v.description ? { description: v.description } : {}),
      annotations: {
        'backstage.io/kubernetes-id': v.name,
        'backstage.io/kubernetes-namespace': v.namespace,
      },
      tags: [v.model.runtime, v.model.precision],
    },
    spec: {
      type: 'llm',
      lifecycle: v.lifecycle,
      owner: v.owner,
      ...(v.system ? { system: v.system } : {}),
      source: v.model.source,
      parametersBillions: v.model.parametersBillions,
      precision: v.model.precision,
      runtime: v.model.runtime,
      gpu: {
        types: [v.gpu.product],
        count: v.gpu.count,
        memoryGiB: v.gpu.memoryGiB,
      },
      replicas: { min: v.replicas.min, max: v.replicas.max },
      workload: {
        cluster: v.pool.cluster,
        namespace: v.namespace,
        kind: 'Deployment',
        name: v.name,
        selector,
      },
      runsOn: [v.pool.ref],
      policy,
    },
  };
}
