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
}

/**
 * What a cluster connector saw in one cluster. A cluster that could not be
 * read carries `error` and the last state known, so one unreachable cluster
 * never hides the others.
 *
 * @public
 */
export interface ClusterSnapshot {
  cluster: ClusterInfo;
  /** ISO 8601 time of the observation. */
  observedAt: string;
  pools: GpuPoolObservation[];
  workloads: ModelWorkloadObservation[];
  /** Set when the cluster could not be read; the data is then stale. */
  error?: string;
}

/**
 * Reads GPU pools and model workloads from Kubernetes clusters.
 *
 * @public
 */
export interface ClusterConnector {
  /** Unique id of this connector, e.g. `kubernetes` or `demo`. */
  readonly id: string;
  listClusters(): Promise<ClusterInfo[]>;
  snapshot(cluster: string): Promise<ClusterSnapshot>;
}

/**
 * A time window and resolution for metrics queries.
 *
 * @public
 */
export interface MetricsWindow {
  start: Date;
  end: Date;
  stepSeconds: number;
}

/**
 * A labelled time series; each point is `[unix seconds, value]`.
 *
 * @public
 */
export interface MetricSeries {
  labels: Record<string, string>;
  points: Array<[number, number]>;
}

/**
 * The metric a {@link MetricsSource} is asked for.
 *
 * @public
 */
export type ModelMetric =
  | 'gpuUtilization'
  | 'gpuMemoryUsedMiB'
  | 'requestsPerSecond'
  | 'tokensPerSecond';

/**
 * Reads GPU and traffic metrics per model (e.g. from Prometheus with
 * dcgm-exporter and the serving runtime's own metrics).
 *
 * @public
 */
export interface MetricsSource {
  readonly id: string;
  query(
    metric: ModelMetric,
    model: { modelId: string; cluster?: string; namespace?: string },
    window: MetricsWindow,
  ): Promise<MetricSeries[]>;
}

/**
 * A price for one machine in one place. `usdPerHour` is `null` when the
 * source has no price (unknown, never zero); `flags` say why a price must not
 * be trusted as the cheapest (e.g. `spot-above-on-demand`, `zero-placeholder`).
 *
 * @public
 */
export interface PriceQuote {
  provider: CloudProvider;
  /** Instance type, VM size or, for prices of GPUs alone, the GPU SKU. */
  instanceType: string;
  region: string;
  zone?: string;
  capacityType: CapacityType;
  usdPerHour: number | null;
  gpu?: { product: string; count: number; memoryMiB?: number };
  /** Where the price came from, e.g. `bundled-catalog` or `aws-pricing-api`. */
  source: string;
  /** ISO 8601 time the source published or was read. */
  observedAt: string;
  flags?: string[];
}

/**
 * Filter for {@link PriceSource.listPrices}.
 *
 * @public
 */
export interface PriceFilter {
  provider?: CloudProvider;
  regions?: string[];
  instanceTypes?: string[];
}

/**
 * A source of cloud list prices (a bundled catalog or a live price API).
 *
 * @public
 */
export interface PriceSource {
  readonly id: string;
  listPrices(filter?: PriceFilter): Promise<PriceQuote[]>;
}

/**
 * One line of a cloud bill or cost allocation.
 *
 * @public
 */
export interface BillLine {
  source: string;
  account: string;
  /** ISO 8601 start (inclusive) and end (exclusive) of the period billed. */
  periodStart: string;
  periodEnd: string;
  resourceId: string;
  service?: string;
  tags: Record<string, string>;
  costUsd: number;
  usage?: { quantity: number; unit: string };
}

/**
 * A source of billed costs (AWS Cost Explorer, Azure Cost Management, GCP
 * billing export, OpenCost).
 *
 * @public
 */
export interface BillSource {
  readonly id: string;
  fetchLines(window: { start: Date; end: Date }): AsyncIterable<BillLine>;
}
