import {
  MODEL_WORKLOAD_LABEL,
  ModelEntityV1alpha1,
  parseModelSource,
} from '@modelfleet/plugin-modelfleet-common';
import yaml from 'yaml';
import { renderAutoscalers, renderDisruptionBudget } from './autoscaling';
import { renderNetworkPolicy, renderService } from './network';
import { CACHE_MOUNT } from './constants';
import { renderModelEntity } from './entity';
import { parseRenderInput, RenderManifestsInput } from './input';
import { renderKnativeService } from './knative';
import { renderPodTemplate } from './pod';
import { serverSpec } from './server';
import { isMig, modelSizing } from './sizing';
import { wakeModeOf, wakeTimings } from './wake';
import { renderWakeGate } from './wakeGate';

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
 * The file an object is written to under `manifests/`: its kind in lower
 * case, `knative-service.yaml` for a Knative Service.
 */
export function fileNameOf(obj: Record<string, any>): string {
  const kind = String(obj.kind).toLowerCase();
  return String(obj.apiVersion).startsWith('serving.knative.dev/')
    ? `knative-${kind}.yaml`
    : `${kind}.yaml`;
}

/**
 * Renders the Kubernetes manifests and the `Model` catalog entity of a model
 * placed on a GPU pool: ServiceAccount, model-cache PVC, (Triton) model
 * repository ConfigMap, (sleep idle tier) wake gate ConfigMap, Deployment,
 * Service and its autoscalers (an HPA, the KEDA HTTP add-on's
 * HTTPScaledObject, a KEDA ScaledObject; see `wakeOn` and `idleTier`) or
 * a Knative Service in their place, PodDisruptionBudget and
 * NetworkPolicy. Pure; throws an `InputError` naming the field for bad
 * input.
 *
 * @public
 */
export function renderModelManifests(
  input: RenderManifestsInput,
): RenderedModel {
  const v = parseRenderInput(input);
  const { name, namespace } = v;
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

  const server = serverSpec({
    v,
    modelRef,
    tp,
    prequantized: sizing.prequantized,
    meta,
  });
  const wake = wakeTimings(sizing.downloadGiB);
  const knative = wakeModeOf(v) === 'knative';
  // The sleep idle tier: vLLM asleep between bursts behind a wake gate.
  const gate =
    v.idleTier === 'sleep' ? renderWakeGate({ name, meta }) : undefined;
  const pod = renderPodTemplate({
    v,
    source,
    server,
    sizing,
    localModelDir,
    labels,
    selector,
    knative,
    gate,
  });

  const annotations: Record<string, string> = {
    'modelfleet.io/pool': v.pool.ref,
    'modelfleet.io/cluster': v.pool.cluster,
    'modelfleet.io/region': v.pool.region,
    'modelfleet.io/gpu-product': v.gpu.product,
    'modelfleet.io/traffic': v.traffic,
  };
  const wakeOn = wakeModeOf(v);
  if (wakeOn) annotations['modelfleet.io/wake-on'] = wakeOn;
  // What the ModelFleet backend reads to put the engine to sleep, and on
  // which port (through the API server's pod proxy).
  if (gate) Object.assign(annotations, gate.annotations);

  // The workload, its Service and autoscalers; a Knative Service renders
  // its own Deployment, Services and autoscaler.
  const serving: Array<Record<string, any>> = knative
    ? [
        renderKnativeService({
          v,
          meta,
          labels,
          annotations,
          pod,
          startupSeconds: sizing.startupSeconds,
          wake,
        }),
      ]
    : [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: meta(name, { annotations }),
          spec: {
            // No `replicas`: the HPA or KEDA owns the count, and a GitOps
            // sync must not reset it. A new Deployment starts at one
            // replica, which warms the model cache.
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
            template: pod,
          },
        },
        renderService({ v, meta, selector }),
        ...renderAutoscalers({
          v,
          meta,
          startupSeconds: sizing.startupSeconds,
          wake,
        }),
      ];

  const pdb = renderDisruptionBudget({ v, meta, selector });
  const networkPolicy = renderNetworkPolicy({
    v,
    meta,
    selector,
    metricsPortName: server.metricsPortName,
    metricsPort: server.metricsPort,
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
    ...(gate ? [gate.configMap] : []),
    ...serving,
    pdb,
    networkPolicy,
  ];

  const entity = renderModelEntity(v, selector);

  const header = `# Rendered by modelfleet:manifests:render for model ${name}.\n`;
  const fileOf = (obj: Record<string, any>) => `manifests/${fileNameOf(obj)}`;
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
        resources: manifests.map(fileNameOf),
      }),
  });
  files.push({ path: 'catalog-info.yaml', content: yaml.stringify(entity) });

  return { manifests, files, entity };
}
