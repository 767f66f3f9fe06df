import type { ModelPrecision } from './memory';
import type { CapacityType, CloudProvider, GpuSharingMode } from './fleet';
import type { ModelRuntime } from './kinds/ModelEntityV1alpha1';

/**
 * Spot tolerance of a model being placed: `forbid` never uses spot or
 * preemptible capacity, `allow` uses whichever is cheapest, `require` uses
 * spot only.
 *
 * @public
 */
export type PlacementSpotTolerance = 'forbid' | 'allow' | 'require';

/**
 * How a model's traffic arrives, which decides its hibernation policy and
 * autoscaler: `always-on` keeps `replicas.min` warm, `business-hours` scales
 * to zero outside the team's business-hours window, `sporadic` scales to zero
 * after the policy's idle time.
 *
 * @public
 */
export type TrafficPattern = 'always-on' | 'business-hours' | 'sporadic';

/**
 * Body of `POST /api/modelfleet/placement`: one model to place.
 *
 * @public
 */
export interface PlacementRequestBody {
  /** Name of the model (the Model entity's name, existing or to be). */
  name: string;
  /** Owner team, a Group entity ref (`group:default/search-team`) or name; its policy applies. */
  owner?: string;
  runtime?: ModelRuntime;
  /**
   * GPU memory one replica needs, in MiB. Either this or
   * `parametersBillions` with `precision` (then weights plus KV-cache
   * headroom plus runtime overhead are estimated).
   */
  memoryMiB?: number;
  parametersBillions?: number;
  precision?: ModelPrecision;
  /** GPUs (or GPU slices on shared pools) one replica requests. Defaults to 1. */
  gpusPerReplica?: number;
  replicas: { min: number; max: number };
  traffic?: TrafficPattern;
  spot?: PlacementSpotTolerance;
  /** Regions allowed (data residency); any when absent or empty. */
  regions?: string[];
  /** GPU products wanted; narrowed further by the team's policy. */
  gpuTypes?: string[];
  /** Monthly budget for this model, USD. The team's remaining budget applies too. */
  monthlyBudgetUsd?: number;
  /** Higher is placed first when capacity binds. */
  priority?: number;
  /** The GpuPool entity ref the caller picked; its fit and policy are checked. */
  pool?: string;
}

/**
 * Why a pool cannot take the model: a physical misfit (`gpu-memory`,
 * `taint`, `no-capacity`, `no-price`), a request constraint (`region`,
 * `spot-required`) or a policy rule (`gpu-type`, `spot-forbidden`,
 * `budget`).
 *
 * @public
 */
export type PlacementExclusionCode =
  | 'gpu-type'
  | 'gpu-memory'
  | 'spot-forbidden'
  | 'spot-required'
  | 'region'
  | 'taint'
  | 'no-price'
  | 'no-capacity'
  | 'budget';

/**
 * What the model's pods need to land on a pool's nodes.
 *
 * @public
 */
export interface PoolScheduling {
  nodeSelector: Record<string, string>;
  tolerations: Array<{
    key: string;
    operator: 'Equal' | 'Exists';
    value?: string;
    effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  }>;
  /** Kubernetes extended resource the pods request (`nvidia.com/gpu`, or a MIG resource). */
  gpuResource: string;
}

/**
 * A pool, as the placement sees it.
 *
 * @public
 */
export interface PlacementPoolSummary {
  /** GpuPool entity ref. */
  ref: string;
  title: string;
  cluster: string;
  provider: CloudProvider;
  region: string;
  instanceType?: string;
  capacityType: CapacityType;
  gpu: {
    product: string;
    memoryMiB: number;
    perNode: number;
    /** How its GPUs are shared: whole, MIG slices, or time-slicing. */
    sharing?: GpuSharingMode;
  };
}

/**
 * A pool that fits, with what running the model there costs.
 *
 * @public
 */
export interface PlacementOption extends PlacementPoolSummary {
  /** 1 is the cheapest. */
  rank: number;
  /** Replicas one node holds. */
  replicasPerNode: number;
  usdPerNodeHour: number;
  priceSource: string;
  /**
   * What running the model here adds to the cloud bill a month at
   * `replicas.min` (at least 1): the nodes to add; free GPU units on running
   * nodes are paid for already. The ranking key.
   */
  monthlyUsd: number;
  /** What it adds at `replicas.max`. */
  monthlyUsdAtMax: number;
  /**
   * What showback charges the team a month at `replicas.min` (at least 1):
   * the GPU units it requests at the pool's price per unit, before any
   * share of idle capacity. Budgets are checked against it.
   */
  chargedMonthlyUsd: number;
  /** What showback charges at `replicas.max`. */
  chargedMonthlyUsdAtMax: number;
  /** What the pool can still take, and where that figure came from. */
  capacity: { freeUnits: number; addableNodes: number; source: string };
  scheduling: PoolScheduling;
  /** Policy rules this option breaks (e.g. over budget); empty when allowed. */
  violations: Array<{ code: PlacementExclusionCode; reason: string }>;
}

/**
 * A pool that cannot take the model, and why.
 *
 * @public
 */
export interface PlacementExclusion extends PlacementPoolSummary {
  code: PlacementExclusionCode;
  reason: string;
}

/**
 * Response of `POST /api/modelfleet/placement`.
 *
 * @public
 */
export interface PlacementResponse {
  /** The request with defaults applied and GPU memory resolved. */
  request: PlacementRequestBody & {
    memoryMiB: number;
    gpusPerReplica: number;
    spot: PlacementSpotTolerance;
    traffic: TrafficPattern;
  };
  /** How `memoryMiB` was reached, when estimated from parameters. */
  memory?: {
    weightsGiB: number;
    kvCacheGiB: number;
    runtimeOverheadGiB: number;
    totalGiB: number;
  };
  /** The owner team's policy values that shaped the answer. */
  policy: {
    team: string | null;
    allowedGpuTypes: string[] | null;
    spot: string;
    monthlyBudgetUsd: number | null;
    /** The team's showback forecast for this month (spend so far plus the run rate), when known. */
    teamForecastThisMonthUsd: number | null;
  };
  /** Pools that fit, cheapest first (options with violations included, ranked last). */
  options: PlacementOption[];
  excluded: PlacementExclusion[];
  /** The cheapest allowed option's pool ref, or null when none. */
  recommended: string | null;
  /** The picked pool (`request.pool`) when given: its option, or its exclusion. */
  picked?: { option?: PlacementOption; exclusion?: PlacementExclusion };
  /** Reasons the request cannot be deployed as is; empty when it can. */
  blocking: string[];
  /** `exact` (MIP, proven optimal) or `heuristic` (greedy with a lower bound). */
  method: 'exact' | 'heuristic';
  /**
   * Hours a month the monthly figures count: 730 when always on or sporadic
   * (an upper bound), the business-hours window's share otherwise.
   */
  hoursPerMonth?: number;
}
