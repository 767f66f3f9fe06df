/*
 * Inputs and outputs of the rightsizing and consolidation engines. Both are
 * pure: the backend gathers the samples (MetricsSource), the pools and the
 * running fleet, and the engines only compute.
 */
import type { GpuSharingMode } from '@modelfleet/plugin-modelfleet-common';

// ---------------------------------------------------------------- rightsizing

/** One sample of a model's metrics (`MetricsSource` series, aligned). */
export interface ModelSample {
  /** Unix seconds. */
  t: number;
  /** GPU memory used by one replica, the largest of its replicas. */
  gpuMemoryUsedMiB: number;
  /** GPU utilization of the model's replicas, mean, in percent (0–100). */
  gpuUtilization: number;
  /** Requests per second served by the whole model. */
  requestsPerSecond: number;
}

/** Where and how a model runs now. */
export interface CurrentServing {
  pool: string;
  gpu: string;
  /** GPU memory one replica has (its GPUs, or its share of one). */
  memoryMiBPerReplica: number;
  /** GPUs per replica: 1, 2, …, or a fraction under MIG / time-slicing. */
  gpusPerReplica: number;
  replicas: number;
  /** Price of one GPU-hour of the current pool. */
  usdPerGpuHour: number;
}

/** A pool a model could be moved to, with how it shares its GPUs. */
export interface CandidatePool {
  ref: string;
  /** How the evidence names the pool (e.g. `g6-l4 (demo-aws-use1)`); the ref when absent. */
  title?: string;
  gpu: string;
  /** Memory of one whole GPU. */
  gpuMemoryMiB: number;
  usdPerGpuHour: number;
  sharing: GpuSharingMode;
  /** Replicas per GPU under MIG or time-slicing (a share is 1/this of a GPU). */
  replicasPerGpu?: number;
  /** Relative throughput of one whole GPU against the current GPU (1 = same); 1 when unknown. */
  relativeSpeed?: number;
}

export interface RightsizingInput {
  model: string;
  current: CurrentServing;
  /** The memory estimate of one replica (estimateModelGpuMemory), MiB; absent when unknown. */
  estimateMiB?: number;
  samples: ModelSample[];
  candidates: CandidatePool[];
}

export interface RightsizingOptions {
  /** Headroom over max(estimate, observed peak): 0.2 = 20 %. */
  headroom?: number;
  /** GPU utilization a replica may be driven to, percent (70). */
  targetUtilization?: number;
  /** Options saving less than this a month are left out (1). */
  minMonthlySavingUsd?: number;
}

export type RightsizingKind =
  | 'smaller-gpu'
  | 'gpu-share'
  | 'fewer-gpus'
  | 'fewer-replicas';

/** How sure the figures are. */
export interface Confidence {
  level: 'high' | 'medium' | 'low';
  /** Days the samples cover. */
  days: number;
  /** Coefficient of variation of the daily p95 request rate (0 = steady). */
  variation: number;
  reason: string;
}

export interface RightsizingOption {
  kind: RightsizingKind;
  pool: string;
  gpu: string;
  gpusPerReplica: number;
  replicas: number;
  /** Memory one replica needs (with headroom) and what the target offers. */
  memoryNeedMiB: number;
  memoryOfferMiB: number;
  /** Requests per second the target replicas serve at the target utilization (0 when not measurable). */
  capacityRps: number;
  monthlyUsdBefore: number;
  monthlyUsdAfter: number;
  monthlySavingUsd: number;
  evidence: string;
  confidence: Confidence;
}

/** What a model's samples say. */
export interface UsageSummary {
  days: number;
  peakMemoryMiB: number;
  p95MemoryMiB: number;
  p95Utilization: number;
  meanUtilization: number;
  p95Rps: number;
  /** Requests per second one current replica serves at the target utilization. */
  perReplicaRps: number;
}

export interface RightsizingResult {
  model: string;
  usage: UsageSummary;
  /** Options that save money, largest saving first. */
  options: RightsizingOption[];
}

// ---------------------------------------------------------------- consolidation

/** A node of the running fleet. */
export interface FleetNode {
  id: string;
  /** Its pool (node group / Karpenter NodePool). */
  pool: string;
  gpu: string;
  /** Schedulable GPU units (GPUs, or slices under MIG / time-slicing). */
  units: number;
  /** GPU memory of one unit. */
  unitMemoryMiB: number;
  usdPerHour: number;
  labels?: Record<string, string>;
}

/** A node shape that can be added (an instance type of a pool). */
export interface NodeType {
  pool: string;
  gpu: string;
  units: number;
  unitMemoryMiB: number;
  usdPerHour: number;
  /** Most nodes of it that may be added; no limit when absent. */
  available?: number;
}

/** A running pod of a model. */
export interface FleetPod {
  id: string;
  model: string;
  team: string;
  node: string;
  units: number;
  /** GPU memory the pod needs. */
  memoryMiB: number;
  /** Higher is more important (Kubernetes priority). */
  priority: number;
  /** Pools it may run on; any when absent. */
  allowedPools?: string[];
  /** GPU products it may run on; any when absent. */
  allowedGpus?: string[];
}

/**
 * Karpenter's `disruption.budgets` idea, per team: at most `pods` pods, or
 * `percent` % of the team's pods (rounded down, at least 1), moved per pass;
 * the smaller when both are set.
 */
export interface DisruptionBudget {
  pods?: number;
  percent?: number;
}

export interface ConsolidationInput {
  nodes: FleetNode[];
  pods: FleetPod[];
  /** Node shapes replacements may use. */
  nodeTypes: NodeType[];
  /** PodDisruptionBudget per model: most of its pods moved at once (maxUnavailable). */
  maxUnavailable?: Record<string, number>;
  /** Per team; `defaultBudget` for teams not listed; no limit when neither. */
  budgets?: Record<string, DisruptionBudget>;
  defaultBudget?: DisruptionBudget;
  /** Most pods moved in the pass over all teams; no limit when absent. */
  maxPodsMoved?: number;
}

/** A pod moved, from a node to a node (an id of a node added for `to`). */
export interface PodMove {
  pod: string;
  model: string;
  team: string;
  from: string;
  to: string;
}

/** One step: nodes removed (and added), with the pods it moves. */
export interface ConsolidationStep {
  removed: string[];
  added: Array<{ id: string; pool: string; usdPerHour: number }>;
  moves: PodMove[];
  /** Monthly saving of the step (removed − added, 730 h). */
  monthlySavingUsd: number;
  reason: string;
}

export interface ConsolidationResult {
  steps: ConsolidationStep[];
  nodesRemoved: string[];
  nodesAdded: Array<{ id: string; pool: string; usdPerHour: number }>;
  podsMoved: number;
  monthlyUsdBefore: number;
  monthlyUsdAfter: number;
  /** Pods moved per team, and the team's budget. */
  budgetUse: Record<string, { moved: number; budget: number }>;
}
