import {
  CapacityType,
  CostProvenance,
  IdleCostPolicy,
} from '@modelfleet/plugin-modelfleet-common';

/** What one GPU pool was over one day. */
export interface PoolDayUsage {
  /** The GpuPool entity ref, e.g. `gpupool:default/demo-aws-use1.g5-a10g`. */
  poolRef: string;
  capacityType: CapacityType;
  /** Σ nodes × hours. */
  nodeHours: number;
  /** Σ nodes × GPUs per node × hours. */
  gpuHours: number;
  /** Σ nodes × schedulable GPU units per node × hours (MIG slices, time-slices). */
  unitHours: number;
  /**
   * GPUs and schedulable GPU units of one node, as sampled: what prices a
   * unit-hour (node price / units per node) on a day the pool had no nodes.
   * When absent, they are read from the hours above (which need nodes).
   */
  gpusPerNode?: number;
  unitsPerNode?: number;
  /** Price of one node-hour; null when no source knows it. */
  usdPerNodeHour: number | null;
  /** Where the price came from, or why there is none. */
  provenance: CostProvenance[];
  demo: boolean;
}

/** Metrics of a model over one day, where a metrics source has them. */
export interface ModelDayMetrics {
  /** GPU-hours × mean utilization. */
  busyGpuHours?: number;
  /** Memory used × hours, MiB-hours. */
  memUsedMiBHours?: number;
  /** Hours the utilization and memory figures cover. */
  metricHours?: number;
  tokens?: number;
  requests?: number;
}

/** What one model requested on one pool over one day. */
export interface WorkloadDayUsage {
  modelRef: string;
  /** The owning Group's ref; '' when no catalog entity says. */
  teamRef: string;
  poolRef: string;
  /** Σ replicas × GPU units per replica × hours. */
  unitHours: number;
  /**
   * Σ GPU units per replica × hours of the samples with 0 replicas: the
   * unit-hours of one replica the model did not hold while hibernated,
   * against keeping one replica always on. 0 when absent.
   */
  savedUnitHours?: number;
  metrics?: ModelDayMetrics;
}

/** A daily roll-up row. */
export interface CostRow {
  day: string;
  scope: 'model' | 'team' | 'pool' | 'fleet';
  /** Model, Group or GpuPool ref; '' for the fleet. */
  entityRef: string;
  teamRef: string;
  poolRef: string;
  costUsd: number;
  /** Unallocated capacity: a pool's cost no model requested, or the share the policy charges. */
  idleUsd: number;
  /** Allocated but unused: direct cost whose GPU time did no work (models), summed above. */
  unusedUsd: number;
  gpuHours: number;
  /**
   * Hibernation savings: GPU-hours of one replica not held while the
   * model was at zero (scope model), summed for teams, pools and the fleet.
   */
  savedGpuHours: number;
  /** `savedGpuHours` at the unit price the day charges the pool, no idle share. */
  savedUsd: number;
  busyGpuHours: number | null;
  memUsedMiBHours: number | null;
  metricHours: number | null;
  tokens: number | null;
  requests: number | null;
  spotNodeHours: number;
  nodeHours: number;
  provenance: CostProvenance[];
  demo: boolean;
}

/** Inputs of {@link allocateDay}. */
export interface AllocateDayInput {
  day: string;
  pools: PoolDayUsage[];
  workloads: WorkloadDayUsage[];
  idleCostPolicy: IdleCostPolicy;
  /** Group ref that pays idle cost under `platform-team`. */
  platformTeamRef?: string;
}

/** Result of {@link allocateDay}. */
export interface AllocateDayResult {
  rows: CostRow[];
  /** Figures that could not be priced or placed, each with its reason. */
  warnings: string[];
}
