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
  idleUsd: number;
  gpuHours: number;
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
