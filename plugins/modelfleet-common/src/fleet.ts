/**
 * Cloud a cluster, pool, price or bill belongs to.
 *
 * @public
 */
export type CloudProvider = 'aws' | 'gcp' | 'azure' | 'other';

/**
 * How the nodes of a pool are bought.
 *
 * @public
 */
export type CapacityType = 'on-demand' | 'spot' | 'reserved';

/**
 * How the GPUs of a node are shared between pods.
 *
 * @public
 */
export type GpuSharingMode = 'whole' | 'mig' | 'time-slicing';

/**
 * A connected Kubernetes cluster.
 *
 * @public
 */
export interface ClusterInfo {
  /** The name the cluster has in `kubernetes.clusterLocatorMethods`. */
  name: string;
  provider: CloudProvider;
  region?: string;
  /** True for clusters of the simulated demo fleet. */
  demo?: boolean;
}

/**
 * A GPU pool as seen in a cluster at one moment: a set of identical GPU nodes
 * (EKS node group, GKE node pool, AKS agent pool or Karpenter NodePool).
 *
 * @public
 */
export interface GpuPoolObservation {
  cluster: string;
  /** The pool's name in its platform (node group, node pool, …). */
  name: string;
  provider: CloudProvider;
  region?: string;
  zones: string[];
  instanceType?: string;
  capacityType: CapacityType;
  gpu: {
    /** GPU product as the GPU feature discovery labels name it, e.g. `NVIDIA-A100-SXM4-80GB`. */
    product: string;
    memoryMiB?: number;
    perNode: number;
    sharing: GpuSharingMode;
    /** Schedulable replicas per physical GPU under MIG or time-slicing. */
    replicasPerGpu?: number;
  };
  nodes: { current: number; min?: number; max?: number };
  /** GPUs the pods of the pool request, against what the nodes offer. */
  gpus: { allocatable: number; allocated: number };
  /**
   * Its nodes under a spot reclaim notice now (a taint the clouds'
   * termination handlers set), and the latest notice's time (ISO 8601);
   * `notices` names each node under one, with its notice's time (the
   * taint's `timeAdded`, else when it was read).
   */
  reclaim?: {
    nodes: number;
    noticedAt: string;
    notices?: Array<{ node: string; noticedAt: string }>;
  };
}

/**
 * A Kubernetes workload that serves a model.
 *
 * @public
 */
export interface ModelWorkloadObservation {
  cluster: string;
  namespace: string;
  kind: 'Deployment' | 'StatefulSet' | 'InferenceService';
  name: string;
  /** The `modelfleet.io/model` label or `backstage.io/kubernetes-id` annotation value. */
  modelId: string;
  replicas: { desired: number; ready: number };
  gpusPerReplica: number;
  /** The pool its pods run on, where known. */
  pool?: string;
  /**
   * Its `modelfleet.io/role` label: `spot-fallback` for the on-demand
   * Deployment that stands in for a model's spot replicas.
   */
  role?: string;
  /**
   * Its replicas on nodes under a spot reclaim notice (a taint the
   * clouds' termination handlers set), and the latest notice's time.
   */
  reclaim?: { replicas: number; noticedAt: string };
  /** Its pods that no node has taken, and since when the oldest waits (ISO 8601). */
  unscheduled?: { pods: number; since: string };
  /**
   * The PodDisruptionBudgets of its namespace that select its pods, as the
   * cluster reports them: their names, and the fewest disruptions any of
   * them allows now (`status.disruptionsAllowed`; 0 for a budget whose
   * status is not up to date). Absent when none selects them, or when the
   * connector cannot read PodDisruptionBudgets.
   */
  disruptionBudget?: { names: string[]; disruptionsAllowed: number };
}

/**
 * The label naming what a workload is to its model; see
 * {@link FALLBACK_ROLE}.
 *
 * @public
 */
export const WORKLOAD_ROLE_LABEL = 'modelfleet.io/role';

/**
 * The role of the on-demand Deployment that stands in for a model's spot
 * replicas while spot capacity is gone.
 *
 * @public
 */
export const FALLBACK_ROLE = 'spot-fallback';

/**
 * The role of a spot companion: a Deployment of the model on another spot
 * pool of its cluster (another spot market), which spreads its spot
 * replicas so that one reclaim does not take them all.
 *
 * @public
 */
export const SPREAD_ROLE = 'spot-spread';

/**
 * A connected cluster and whether its last snapshot succeeded.
 *
 * @public
 */
export interface ClusterStatus extends ClusterInfo {
  connectorId: string;
  /** ISO 8601 time of the last successful snapshot. */
  observedAt?: string;
  /** Error of the last snapshot, when it failed. */
  error?: string;
  errorAt?: string;
  /** True when the last snapshot failed: its pools are as last seen. */
  stale: boolean;
}

/**
 * A GPU pool as last observed, with the state of its cluster.
 *
 * @public
 */
export interface GpuPoolStatus extends GpuPoolObservation {
  observedAt: string;
  stale: boolean;
  demo: boolean;
}

/**
 * Body of `GET /api/modelfleet/clusters`.
 *
 * @public
 */
export interface ClustersResponse {
  items: ClusterStatus[];
}

/**
 * Body of `GET /api/modelfleet/pools`.
 *
 * @public
 */
export interface GpuPoolsResponse {
  items: GpuPoolStatus[];
}

/**
 * Body of `GET /api/modelfleet/workloads`.
 *
 * @public
 */
export interface ModelWorkloadsResponse {
  items: Array<
    ModelWorkloadObservation & { observedAt: string; stale: boolean }
  >;
}

/**
 * Where each Model runs now, as the clusters show it: the GpuPool refs of
 * its workloads with replicas (its own, after any move, and its spot
 * companions and on-demand stand-in). `GET /placements`; the catalog's
 * `runsOn` relations follow it.
 *
 * @public
 */
export interface ModelPlacementsResponse {
  items: Array<{ entityRef: string; pools: string[] }>;
}
