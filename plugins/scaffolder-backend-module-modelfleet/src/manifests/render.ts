import {
  MODEL_WORKLOAD_LABEL,
  ModelEntityV1alpha1,
  parseModelSource,
} from '@modelfleet/plugin-modelfleet-common';
import yaml from 'yaml';
import { renderAutoscaler, renderDisruptionBudget } from './autoscaling';
import { renderNetworkPolicy, renderService } from './network';
import { CACHE_MOUNT, HF_TOKEN_SECRET, RUNTIME_IMAGES, UID } from './constants';
import { renderModelEntity } from './entity';
import { fetchInitContainer } from './fetch';
import { parseRenderInput, RenderManifestsInput } from './input';
import { serverSpec } from './server';
import { isMig, modelSizing } from './sizing';

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
  const v = parseRenderInput(input);
  const { name, namespace } = v;
  const runtime = v.model.runtime;
  // Validated by the input schema; parsed again for its kind.
  const source = parseModelSource(v.model.source);
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
  const server = serverSpec({
    v,
    modelRef,
    tp,
    prequantized: sizing.prequantized,
    meta,
  });
  const { readyPath, livePath, metricsPortName, metricsPort } = server;

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
    command: server.command,
    args: server.args,
    ports: server.ports,
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
      ...server.extraMounts,
    ],
  };

  // --- fetch init container for registry sources -------------------------
  const initContainers: Array<Record<string, any>> = [];
  if (source.kind !== 'hf') {
    initContainers.push(
      fetchInitContainer({
        source,
        localModelDir,
        securityContext: containerSecurity,
        volumeMounts: baseMounts,
      }),
    );
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
      ...server.extraVolumes,
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

  const service = renderService({ v, meta, selector });

  // --- autoscaling ---------------------------------------------------------
  const autoscaler = renderAutoscaler({
    v,
    meta,
    startupSeconds: sizing.startupSeconds,
  });

  const pdb = renderDisruptionBudget({ v, meta, selector });
  const networkPolicy = renderNetworkPolicy({
    v,
    meta,
    selector,
    metricsPortName,
  });

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
    ...server.configMaps,
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
