import type {
  CapacityType,
  CloudProvider,
  ClusterInfo,
  GpuPoolObservation,
  ModelWorkloadObservation,
} from '@modelfleet/plugin-modelfleet-common';

export type {
  CapacityType,
  CloudProvider,
  ClusterInfo,
  GpuPoolObservation,
  GpuSharingMode,
  ModelWorkloadObservation,
} from '@modelfleet/plugin-modelfleet-common';

/**
 * What a cluster connector saw in one cluster.
 *
 * @public
 */
export interface ClusterSnapshot {
  cluster: ClusterInfo;
  /** ISO 8601 time of the observation. */
  observedAt: string;
  pools: GpuPoolObservation[];
  workloads: ModelWorkloadObservation[];
  /**
   * The cluster's GPU nodes, for consolidation. Optional: a connector that
   * does not read nodes leaves it out, and consolidation then skips the
   * cluster.
   */
  nodes?: ClusterNodeObservation[];
  /** The scheduled pods of its model workloads, with the node each runs on. */
  pods?: ModelPodObservation[];
}

/**
 * A GPU node of a cluster, as consolidation needs it.
 *
 * @public
 */
export interface ClusterNodeObservation {
  name: string;
  /** Its pool, named as {@link GpuPoolObservation} `name`. */
  pool: string;
  /** Schedulable GPU units: `nvidia.com/gpu` plus MIG slices. */
  gpuUnits: number;
  /** GPU memory of one unit (a whole GPU, or its slice), when known. */
  unitMemoryMiB?: number;
  /** GPU units requested by pods of no model workload (which ModelFleet does not move). */
  otherGpuUnits?: number;
  /** Cordoned (`spec.unschedulable`): being drained already, takes no pods. */
  cordoned?: boolean;
}

/**
 * A scheduled pod of a model workload.
 *
 * @public
 */
export interface ModelPodObservation {
  name: string;
  /** The node it runs on (`spec.nodeName`). */
  node: string;
  /** The workload it belongs to, named as its {@link ModelWorkloadObservation}. */
  workload: {
    cluster: string;
    namespace: string;
    kind: ModelWorkloadObservation['kind'];
    name: string;
  };
  /** GPU units it requests, as the pools' `gpus` count them. */
  gpuUnits: number;
  /** `spec.priority`, 0 when unset. */
  priority: number;
  /** The pool its node selector or required node affinity pins it to, if any. */
  pinnedPool?: string;
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
  /**
   * The cluster's GPU pools and model workloads now. Throws when the cluster
   * cannot be read; the backend then keeps the last snapshot, marked stale
   * with the error, and goes on with the other clusters.
   */
  snapshot(cluster: string): Promise<ClusterSnapshot>;
}

/**
 * The past of some clusters: what they were at a past time. The showback
 * loop fills in the hours of its `backfillDays` it has no samples of from
 * it; the present is read from the clusters' {@link ClusterConnector}, never
 * from here (the simulated demo fleet, whose traffic replay is a function
 * of time).
 *
 * @public
 */
export interface ClusterHistorySource {
  readonly id: string;
  listClusters(): Promise<ClusterInfo[]>;
  snapshotAt(cluster: string, at: Date): Promise<ClusterSnapshot>;
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
  /**
   * When the model was busy in the window, exactly: each request from its
   * arrival for its execution time (at least 1 s), overlapping ones
   * merged, in time order, clipped to the window. Only a source that sees
   * each request's arrival has it (the demo's simulated clusters, which
   * replay traces request by request); `undefined` when it does not know
   * this model's requests, and the request rate is used instead.
   */
  busySpans?(
    model: { modelId: string; cluster?: string; namespace?: string },
    window: { start: Date; end: Date },
  ): Promise<BusySpan[] | undefined>;
}

/**
 * A span of time a model was busy serving requests, unix seconds:
 * `[start, end)`.
 *
 * @public
 */
export interface BusySpan {
  start: number;
  end: number;
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
 * One line of a cloud bill or cost allocation: what one resource cost in one
 * account over one period. A source sums its raw lines so that each
 * (source, account, period, resource) appears once; ingestion stores lines
 * under that key, so fetching the same window again changes nothing.
 *
 * @public
 */
export interface BillLine {
  /** Id of the {@link BillSource} that produced the line. */
  source: string;
  provider: CloudProvider;
  /** AWS account, Azure subscription or scope, GCP billing account or project, OpenCost cluster. */
  account: string;
  /** ISO 8601 start (inclusive) and end (exclusive) of the period billed. */
  periodStart: string;
  periodEnd: string;
  /** The resource billed (instance id, VM resource id, node pool, or a tag value the source groups by). */
  resourceId: string;
  service?: string;
  /** Cost-allocation tags or labels, e.g. `modelfleet.io/model`, `team`. */
  tags: Record<string, string>;
  /** Cost in US dollars after credits and discounts the source applies. */
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
  /**
   * The lines whose period lies in the window (UTC days: `start` inclusive,
   * `end` exclusive). Throws with the source's own error when the bill cannot
   * be read; lines already yielded are kept by the ingestion.
   */
  fetchLines(window: { start: Date; end: Date }): AsyncIterable<BillLine>;
}
