import type {
  KubernetesObject,
  V1Affinity,
  V1Deployment,
  V1ObjectMeta,
  V1Pod,
  V1PodDisruptionBudget,
  V1StatefulSet,
} from '@kubernetes/client-node';
import {
  MODEL_WORKLOAD_LABEL,
  ModelWorkloadObservation,
  WORKLOAD_ROLE_LABEL,
} from '@modelfleet/plugin-modelfleet-common';
import {
  BACKSTAGE_KUBERNETES_ID,
  KSERVE_COMPONENT_LABEL,
  KSERVE_ISVC_LABEL,
  POOL_LABELS,
} from '../labels';
import {
  ContainerLike,
  isPodReady,
  isPodTerminated,
  matchesSelector,
  mostCommon,
  podGpuUnits,
  PodSpecLike,
} from './common';
import {
  budgetsByNamespace,
  workloadDisruptionBudget,
} from './disruptionBudgets';

export { matchesSelector } from './common';

/**
 * The predictor of a KServe InferenceService: a pod spec plus the
 * component's settings, with the model server either in `model`, in
 * `containers`, or in a framework key such as `pytorch` or `huggingface`.
 */
export interface InferenceServicePredictor extends PodSpecLike {
  minReplicas?: number;
  maxReplicas?: number;
  nodeSelector?: Record<string, string>;
  affinity?: V1Affinity;
  [component: string]: unknown;
}

/** A KServe `serving.kserve.io/v1beta1` InferenceService, as far as it is read. */
export interface InferenceService extends KubernetesObject {
  spec?: { predictor?: InferenceServicePredictor };
}

/** Where the scheduler is told to put a pod. */
interface PlacementLike {
  nodeSelector?: Record<string, string>;
  affinity?: V1Affinity;
}

/**
 * The model a workload serves: its `modelfleet.io/model` label (on the
 * workload or its pod template), or else its `backstage.io/kubernetes-id`
 * annotation.
 */
export function modelIdOf(
  metadata: V1ObjectMeta | undefined,
  template?: V1ObjectMeta,
): string | undefined {
  const id =
    metadata?.labels?.[MODEL_WORKLOAD_LABEL] ??
    template?.labels?.[MODEL_WORKLOAD_LABEL] ??
    metadata?.annotations?.[BACKSTAGE_KUBERNETES_ID];
  return id?.trim() || undefined;
}

/**
 * The pool a pod spec is pinned to by a node selector or a required node
 * affinity on a pool label, if any.
 */
export function selectedPool(
  spec: PlacementLike | undefined,
): string | undefined {
  for (const key of POOL_LABELS) {
    const value = spec?.nodeSelector?.[key];
    if (value) return value;
  }
  const terms =
    spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const e of term.matchExpressions ?? []) {
      if (
        (POOL_LABELS as readonly string[]).includes(e.key) &&
        e.operator === 'In' &&
        e.values?.length === 1
      ) {
        return e.values[0];
      }
    }
  }
  return undefined;
}

/**
 * The pool a workload runs on: where most of its scheduled pods are, or else
 * where its pod spec pins it.
 */
function workloadPool(
  pods: readonly V1Pod[],
  nodePools: ReadonlyMap<string, string>,
  spec: PlacementLike | undefined,
): string | undefined {
  const onPools = pods.map(p =>
    p.spec?.nodeName ? nodePools.get(p.spec.nodeName) : undefined,
  );
  return mostCommon(onPools) ?? selectedPool(spec);
}

/**
 * What spot reclaims do to a workload now: its pods on nodes under a
 * reclaim notice, and its pods no node has taken (their replacements,
 * when spot capacity is gone).
 */
function spotSignals(
  pods: readonly V1Pod[],
  reclaims: ReadonlyMap<string, string>,
): Pick<ModelWorkloadObservation, 'reclaim' | 'unscheduled'> {
  let noticed = 0;
  let noticedAt = '';
  let waiting = 0;
  let since = '';
  for (const p of pods) {
    const node = p.spec?.nodeName;
    const at = node ? reclaims.get(node) : undefined;
    if (at) {
      noticed++;
      if (at > noticedAt) noticedAt = at;
    }
    if (!node) {
      waiting++;
      const created = p.metadata?.creationTimestamp
        ? new Date(p.metadata.creationTimestamp).toISOString()
        : '';
      if (created && (!since || created < since)) since = created;
    }
  }
  return {
    ...(noticed ? { reclaim: { replicas: noticed, noticedAt } } : {}),
    ...(waiting && since ? { unscheduled: { pods: waiting, since } } : {}),
  };
}

/** The containers of a KServe predictor, wherever the component puts them. */
export function predictorPodSpec(
  predictor: InferenceServicePredictor,
): PodSpecLike {
  const containers: ContainerLike[] = [...(predictor.containers ?? [])];
  for (const [key, value] of Object.entries(predictor)) {
    if (key === 'containers' || key === 'initContainers') continue;
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      'resources' in value
    ) {
      containers.push(value as ContainerLike);
    }
  }
  return { containers, initContainers: predictor.initContainers };
}

/** A workload a KServe InferenceService made; the InferenceService is reported instead. */
function madeByInferenceService(
  metadata: V1ObjectMeta | undefined,
  isvcs: ReadonlySet<string>,
): boolean {
  if (metadata?.ownerReferences?.some(o => o.kind === 'InferenceService')) {
    return true;
  }
  const isvc = metadata?.labels?.[KSERVE_ISVC_LABEL];
  return Boolean(isvc && isvcs.has(`${metadata?.namespace}/${isvc}`));
}

/**
 * The model workloads of a cluster: Deployments, StatefulSets and KServe
 * InferenceServices that carry a model id, with their replicas, the GPU
 * units each replica asks for (`nvidia.com/gpu` plus MIG slices, the same
 * units as the pools' `gpus`), the pool their pods run on, and the
 * PodDisruptionBudgets that select their pods.
 */
export function buildModelWorkloads(input: {
  cluster: string;
  deployments: readonly V1Deployment[];
  statefulSets: readonly V1StatefulSet[];
  inferenceServices: readonly InferenceService[];
  pods: readonly V1Pod[];
  /** The cluster's PodDisruptionBudgets; none when they cannot be read. */
  disruptionBudgets?: readonly V1PodDisruptionBudget[];
  /** The pool of each GPU node, by node name. */
  nodePools: ReadonlyMap<string, string>;
  /** The nodes under a spot reclaim notice, with its time, by node name. */
  reclaims?: ReadonlyMap<string, string>;
  /** Told each workload's pods, as they are matched to it. */
  onPods?: (w: ModelWorkloadObservation, pods: readonly V1Pod[]) => void;
}): ModelWorkloadObservation[] {
  const reclaims = input.reclaims ?? new Map<string, string>();
  const budgets = budgetsByNamespace(input.disruptionBudgets ?? []);
  const budgetOf = (namespace: string, podLabels: Record<string, string>) => {
    const budget = workloadDisruptionBudget(
      budgets.get(namespace) ?? [],
      podLabels,
    );
    return budget ? { disruptionBudget: budget } : {};
  };
  const podsByNamespace = new Map<string, V1Pod[]>();
  for (const pod of input.pods) {
    if (isPodTerminated(pod)) continue;
    const ns = pod.metadata?.namespace ?? 'default';
    const pods = podsByNamespace.get(ns);
    if (pods) pods.push(pod);
    else podsByNamespace.set(ns, [pod]);
  }
  const isvcNames = new Set(
    input.inferenceServices.map(
      i => `${i.metadata?.namespace ?? 'default'}/${i.metadata?.name}`,
    ),
  );
  const out: ModelWorkloadObservation[] = [];

  const workloadsOf = (
    kind: 'Deployment' | 'StatefulSet',
    items: readonly (V1Deployment | V1StatefulSet)[],
  ) => {
    for (const w of items) {
      const modelId = modelIdOf(w.metadata, w.spec?.template?.metadata);
      const name = w.metadata?.name;
      if (!modelId || !name || madeByInferenceService(w.metadata, isvcNames)) {
        continue;
      }
      const namespace = w.metadata?.namespace ?? 'default';
      // A model's spot fallback shares its labels but for its role: the
      // model's own workload does not count the fallback's pods.
      const role = w.metadata?.labels?.[WORKLOAD_ROLE_LABEL];
      const pods = (podsByNamespace.get(namespace) ?? []).filter(
        p =>
          matchesSelector(w.spec?.selector, p.metadata?.labels ?? {}) &&
          p.metadata?.labels?.[WORKLOAD_ROLE_LABEL] === role,
      );
      const pool = workloadPool(pods, input.nodePools, w.spec?.template?.spec);
      const observed: ModelWorkloadObservation = {
        cluster: input.cluster,
        namespace,
        kind,
        name,
        modelId,
        replicas: {
          desired: w.spec?.replicas ?? 1,
          ready: w.status?.readyReplicas ?? 0,
        },
        gpusPerReplica: podGpuUnits(w.spec?.template?.spec),
        ...(pool ? { pool } : {}),
        ...(role ? { role } : {}),
        ...spotSignals(pods, reclaims),
        ...budgetOf(namespace, w.spec?.template?.metadata?.labels ?? {}),
      };
      out.push(observed);
      input.onPods?.(observed, pods);
    }
  };
  workloadsOf('Deployment', input.deployments);
  workloadsOf('StatefulSet', input.statefulSets);

  for (const isvc of input.inferenceServices) {
    const modelId = modelIdOf(isvc.metadata);
    const name = isvc.metadata?.name;
    if (!modelId || !name) continue;
    const namespace = isvc.metadata?.namespace ?? 'default';
    const predictor = isvc.spec?.predictor ?? {};
    const pods = (podsByNamespace.get(namespace) ?? []).filter(p => {
      const labels = p.metadata?.labels ?? {};
      const component = labels[KSERVE_COMPONENT_LABEL];
      return (
        labels[KSERVE_ISVC_LABEL] === name &&
        (!component || component === 'predictor')
      );
    });
    const pool = workloadPool(pods, input.nodePools, predictor);
    const observed: ModelWorkloadObservation = {
      cluster: input.cluster,
      namespace,
      kind: 'InferenceService',
      name,
      modelId,
      replicas: {
        desired: Math.max(pods.length, predictor.minReplicas ?? 1),
        ready: pods.filter(isPodReady).length,
      },
      gpusPerReplica: podGpuUnits(predictorPodSpec(predictor)),
      ...(pool ? { pool } : {}),
      // KServe gives the predictor's pods the InferenceService's labels
      // and these two.
      ...budgetOf(namespace, {
        ...isvc.metadata?.labels,
        [KSERVE_ISVC_LABEL]: name,
        [KSERVE_COMPONENT_LABEL]: 'predictor',
      }),
    };
    out.push(observed);
    input.onPods?.(observed, pods);
  }

  const key = (w: ModelWorkloadObservation) =>
    `${w.namespace}/${w.kind}/${w.name}`;
  return out.sort((a, b) => key(a).localeCompare(key(b)));
}
