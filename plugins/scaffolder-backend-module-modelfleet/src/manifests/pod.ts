import { ModelSource } from '@modelfleet/plugin-modelfleet-common';
import {
  CACHE_MOUNT,
  HF_TOKEN_SECRET,
  HTTP_PORT,
  KNATIVE,
  RUNTIME_IMAGES,
  UID,
} from './constants';
import { fetchInitContainer } from './fetch';
import { ResolvedRenderManifestsInput } from './input';
import { ServerSpec } from './server';
import { modelSizing } from './sizing';
import { WakeGate } from './wakeGate';

/** A pod template: its labels and annotations, and its spec. */
export interface PodTemplate {
  metadata: {
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: Record<string, any>;
}

/**
 * The model's pod: the serving container, the init container fetching
 * registry sources into the model cache, volumes, scheduling on the pool.
 *
 * `knative` shapes it for a Knative revision, whose webhook refuses what a
 * Deployment takes: one container port, named `http1`; no startup probe,
 * no `lifecycle`, no `terminationGracePeriodSeconds` (Knative drains the
 * pod itself) and no `fsGroupChangePolicy`; probes on the container port
 * by number (the only port a revision may probe); no mount on the reserved `/tmp` (the scratch
 * directory moves to KNATIVE.scratchMount).
 */
export function renderPodTemplate(options: {
  v: ResolvedRenderManifestsInput;
  source: ModelSource;
  server: ServerSpec;
  sizing: ReturnType<typeof modelSizing>;
  localModelDir: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  knative: boolean;
  /** The wake gate in front of the server (the sleep idle tier). */
  gate?: WakeGate;
}): PodTemplate {
  const { v, source, server, sizing, localModelDir, knative, gate } = options;
  const { name } = v;
  const runtime = v.model.runtime;
  const scratch = knative ? KNATIVE.scratchMount : '/tmp';

  const cacheEnv = [
    { name: 'HOME', value: scratch },
    ...(knative ? [{ name: 'TMPDIR', value: scratch }] : []),
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
    { name: 'tmp', mountPath: scratch },
  ];

  const periodSeconds = 10;
  // Asleep (sleep mode level 1), vLLM keeps its weights in host memory: at
  // most their size as downloaded (fp8 quantized on load takes half).
  const memoryGiB =
    sizing.memoryGiB + (gate ? Math.ceil(sizing.downloadGiB) : 0);
  const resources = {
    requests: {
      cpu: String(sizing.cpu),
      memory: `${memoryGiB}Gi`,
      'ephemeral-storage': '1Gi',
      [v.pool.scheduling.gpuResource]: String(v.gpu.count),
    },
    limits: {
      memory: `${memoryGiB}Gi`,
      'ephemeral-storage': '12Gi',
      [v.pool.scheduling.gpuResource]: String(v.gpu.count),
    },
  };
  // Knative takes a probe port only when it is the revision's one
  // container port ("may only probe containerPort"), by number.
  const httpGet = (path: string) =>
    knative ? { path, port: HTTP_PORT } : { path, port: server.probePort };
  const probes = knative
    ? {
        readinessProbe: {
          httpGet: httpGet(server.readyPath),
          periodSeconds,
          timeoutSeconds: 5,
          failureThreshold: 3,
        },
        // No startup probe on a revision: liveness waits out the first
        // start (the download), as a startup probe would.
        livenessProbe: {
          httpGet: httpGet(server.livePath),
          initialDelaySeconds: sizing.startupSeconds,
          periodSeconds: 30,
          timeoutSeconds: 10,
          failureThreshold: 5,
        },
      }
    : {
        startupProbe: {
          httpGet: httpGet(server.readyPath),
          periodSeconds,
          timeoutSeconds: 5,
          failureThreshold: Math.ceil(sizing.startupSeconds / periodSeconds),
        },
        readinessProbe: {
          httpGet: httpGet(server.readyPath),
          periodSeconds: 10,
          timeoutSeconds: 5,
          failureThreshold: 3,
        },
        livenessProbe: {
          httpGet: httpGet(server.livePath),
          periodSeconds: 30,
          timeoutSeconds: 10,
          failureThreshold: 5,
        },
      };
  const container = {
    name: 'server',
    image: RUNTIME_IMAGES[runtime],
    imagePullPolicy: 'IfNotPresent',
    command: server.command,
    args: server.args,
    // A revision has one port, the one requests arrive on; Triton's gRPC
    // and metrics ports are still served, on the pod's address.
    ports: knative
      ? [{ name: 'http1', containerPort: HTTP_PORT, protocol: 'TCP' }]
      : server.ports,
    env: [...cacheEnv, ...server.env, hfTokenEnv],
    resources,
    ...probes,
    ...(knative
      ? {}
      : {
          lifecycle: {
            // Let endpoints drop the pod before the server stops taking requests.
            preStop: { sleep: { seconds: 10 } },
          },
        }),
    securityContext: containerSecurity,
    volumeMounts: [
      ...baseMounts,
      { name: 'dshm', mountPath: '/dev/shm' },
      ...server.extraMounts,
    ],
  };

  const initContainers: Array<Record<string, any>> = [];
  if (source.kind !== 'hf') {
    initContainers.push(
      fetchInitContainer({
        source,
        localModelDir,
        home: scratch,
        securityContext: containerSecurity,
        volumeMounts: baseMounts,
      }),
    );
  }

  const tolerations: Array<Record<string, any>> =
    v.pool.scheduling.tolerations.map(t => ({ ...t }));
  if (!tolerations.some(t => t.key === 'nvidia.com/gpu')) {
    tolerations.push({
      key: 'nvidia.com/gpu',
      operator: 'Exists',
      effect: 'NoSchedule',
    });
  }
  const spotCapacity = v.pool.capacityType === 'spot';
  const spec: Record<string, any> = {
    serviceAccountName: name,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    // Spot reclaim notices are 30 s (GCP, Azure) to 2 min (AWS).
    ...(knative
      ? {}
      : { terminationGracePeriodSeconds: spotCapacity ? 25 : 120 }),
    securityContext: {
      runAsNonRoot: true,
      runAsUser: UID,
      runAsGroup: UID,
      fsGroup: UID,
      ...(knative ? {} : { fsGroupChangePolicy: 'OnRootMismatch' }),
      seccompProfile: { type: 'RuntimeDefault' },
    },
    nodeSelector: { ...v.pool.scheduling.nodeSelector },
    tolerations,
    ...(initContainers.length ? { initContainers } : {}),
    containers: gate
      ? [container, { ...gate.container, securityContext: containerSecurity }]
      : [container],
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
      ...server.extraVolumes,
      ...(gate ? gate.volumes : []),
    ],
  };
  if (v.replicas.max > 1) {
    spec.topologySpreadConstraints = [
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: options.selector },
      },
    ];
  }

  return {
    metadata: {
      labels: {
        ...options.labels,
        'modelfleet.io/runtime': runtime,
        'modelfleet.io/capacity-type': v.pool.capacityType,
      },
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(server.metricsPort),
        'prometheus.io/path': '/metrics',
        ...(gate ? { ...gate.annotations, ...gate.podAnnotations } : {}),
      },
    },
    spec,
  };
}
