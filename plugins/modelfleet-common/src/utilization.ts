/**
 * The utilization report (`GET /api/modelfleet/utilization/...`): how much
 * of the GPU time paid for did work.
 */

import { CostGranularity, CostProvenance, CostScope } from './cost';

/**
 * One bucket of a utilization series.
 *
 * @public
 */
export interface UtilizationPoint {
  date: string;
  /** Mean GPU utilization, 0–1; null where no metrics exist. */
  gpuUtilization: number | null;
  memoryUsedMiB: number | null;
  /** GPU memory used per GPU held (see {@link UtilizationReport.memoryPerGpuMiB}). */
  memoryPerGpuMiB: number | null;
  /** Share (0–1) of paid GPU time that did no work. */
  idleShare: number | null;
  /** Allocated but unused ({@link COST_IDEAS}), as the cost report's `unusedUsd`. */
  unusedUsd: number;
  /** @deprecated The same figure as `unusedUsd`. */
  idleCostUsd: number;
}

/**
 * Body of `GET /api/modelfleet/utilization/...`.
 *
 * @public
 */
export interface UtilizationReport {
  scope: CostScope;
  entityRef: string | null;
  from: string;
  to: string;
  granularity: CostGranularity;
  gpuUtilization: number | null;
  /** GPU memory used, summed over the entity's GPUs (all replicas), mean over time. */
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  /**
   * GPU memory used per GPU held: the mean memory used over the mean GPUs
   * held on the days with memory metrics (for pools and the fleet, per GPU
   * provisioned).
   */
  memoryPerGpuMiB: number | null;
  /**
   * For models: what a replica holds now, to read memory per replica
   * against its capacity.
   */
  model?: {
    /** Replicas desired now, summed over the model's workloads. */
    replicas: number;
    /** GPUs of one replica (a MIG slice or time-slice is a fraction). */
    gpusPerReplica: number;
    /** GPU memory of one replica, MiB; null when the pool does not say. */
    memoryPerReplicaMiB: number | null;
    /** GPU product of its pool, e.g. `NVIDIA-A10G`; null when unknown. */
    gpu: string | null;
  };
  /**
   * Share (0–1) of GPU time that did no work: of the requested GPU time for
   * models and teams, of the provisioned GPU time for pools and the fleet.
   */
  idleShare: number | null;
  /**
   * Allocated but unused ({@link COST_IDEAS}): the same figure as the cost
   * report's `total.unusedUsd` for the same entity and period.
   */
  unusedUsd: number;
  /** @deprecated The same figure as `unusedUsd`. */
  idleCostUsd: number;
  series: UtilizationPoint[];
  /** For pools: capacity, allocation and price now. */
  pool?: {
    nodes: number;
    gpusAllocatable: number;
    gpusAllocated: number;
    /** allocated / allocatable, 0–1 */
    allocation: number;
    capacityType: string;
    usdPerNodeHour: number | null;
    usdPerGpuHour: number | null;
    /** Share of node-hours in the period on spot and on on-demand (or reserved) capacity. */
    capacityMix: { spot: number; onDemand: number };
    price?: CostProvenance;
  };
  demo: boolean;
}
