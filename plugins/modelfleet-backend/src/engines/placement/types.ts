import {
  CapacityType,
  PlacementExclusionCode,
} from '@modelfleet/plugin-modelfleet-common';

/** A Kubernetes taint of a pool's nodes. */
export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** A GPU pool replicas may be placed on. */
export interface PlacementPool {
  /** The GpuPool entity ref. */
  ref: string;
  provider: string;
  region: string;
  capacityType: CapacityType;
  /** The nodes' instance type and zones, where the cluster names them. */
  instanceType?: string;
  zones?: string[];
  gpu: {
    product: string;
    /** Memory of one GPU. */
    memoryMiB: number;
    perNode: number;
    /** Schedulable units per GPU under MIG or time-slicing; 1 for whole GPUs. */
    replicasPerGpu?: number;
  };
  /** Price of one node-hour; null when unknown (the pool is then not used). */
  usdPerNodeHour: number | null;
  /** GPU units free on nodes already running (paid for already). */
  freeUnits: number;
  /** Nodes the pool may still add (its max minus its nodes, or a quota). */
  addableNodes: number;
  taints?: Taint[];
}

/** What one model needs. */
export interface PlacementRequest {
  /** The Model entity ref, or a name for a model not in the catalog yet. */
  id: string;
  replicas: number;
  /** GPU units one replica requests (GPUs, or slices on shared pools). */
  gpusPerReplica: number;
  /** GPU memory one replica needs (weights plus KV-cache headroom). */
  memoryMiB: number;
  /** GPU products allowed; all when absent. */
  allowedGpuTypes?: string[];
  spot: 'forbid' | 'allow' | 'require';
  /** Regions allowed (residency); all when absent. */
  regions?: string[];
  tolerations?: Array<{ key: string; value?: string; effect?: string }>;
  /** Higher is placed first when capacity binds. Defaults to 0. */
  priority?: number;
}

/** Why a pool cannot take a model (a budget is the service's, not the engine's). */
export type RejectionCode = Exclude<PlacementExclusionCode, 'budget'>;

/** A pool a model cannot use, and why. */
export interface Rejection {
  pool: string;
  code: RejectionCode;
  reason: string;
}

/** Where a model's replicas go. */
export interface PlacementDecision {
  id: string;
  assignments: Array<{ pool: string; replicas: number }>;
  /** Replicas no pool could take (capacity), placed in priority order. */
  unplaced: number;
  /** This model's share of the monthly cost of the nodes added (730 h). */
  monthlyUsd: number;
  rejected: Rejection[];
}

/** Result of {@link placeModels}. */
export interface PlacementResult {
  decisions: PlacementDecision[];
  /** Nodes added per pool. */
  nodes: Array<{ pool: string; added: number }>;
  /** Monthly cost of the nodes added (730 h). */
  monthlyUsd: number;
  /** `exact`: proven optimal by the MIP solver; `heuristic`: greedy, with `lowerBoundUsd`. */
  method: 'exact' | 'heuristic';
  /** A lower bound on the optimal monthly cost (the LP relaxation). */
  lowerBoundUsd: number;
  /**
   * The objective the engine minimises, of this placement: the monthly cost
   * plus a penalty per unplaced replica (above any node cost, higher for
   * higher priority).
   */
  objective?: number;
  /**
   * A lower bound on {@link PlacementResult.objective} over all placements:
   * the LP relaxation of the whole problem (the optimum itself when exact).
   */
  objectiveLowerBound?: number;
}
