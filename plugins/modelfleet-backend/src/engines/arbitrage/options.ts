import { rejectionOf, unitsPerNode } from '../placement/eligibility';
import { HOURS_PER_MONTH } from '../placement/place';
import { PlacementPool, PlacementRequest, Rejection } from '../placement/types';
import { LIST_EGRESS_USD_PER_GB, transferCost } from './egress';

/** A pool a model could run on, with what its history says of its risk. */
export interface ArbitragePool extends PlacementPool {
  /** How people name it, e.g. `l4-spot (prod-use1)`; its ref when absent. */
  title?: string;
  /**
   * Preemptions per node-month: observed on the pool, or the spot traces'
   * rate as a prior; 0 for on-demand and reserved capacity.
   */
  preemptionsPerNodeMonth: number;
  /** Share of time the pool had capacity to give, over its history (0–1). */
  availability: number;
}

/** One model: what it needs, where it runs, what a move of it costs. */
export interface ModelPosition {
  /** What the placement engine checks a pool against (its eligibility). */
  request: PlacementRequest;
  /** Where its replicas run now. */
  current: Array<{ pool: string; replicas: number }>;
  /** Seconds a replica takes to load the model once its node is up. */
  loadSeconds: number;
  /** Size of its weights: what a move to another region or cloud transfers. */
  weightsGiB: number;
}

/** Costs of a move the clusters' behaviour sets. */
export interface MoveSettings {
  /** Seconds a pool takes to add a node (its provisioning time). */
  provisioningSeconds: number;
  /**
   * Seconds the source keeps its replicas after the switch, so requests
   * under way finish (the drain).
   */
  drainSeconds: number;
  /** USD per GB of transfer, per cloud; the list prices by default. */
  egressUsdPerGB?: Record<string, { interRegion: number; internet: number }>;
}

/** What a move to a pool costs once, and of what. */
export interface MoveCost {
  usd: number;
  /**
   * GPU-minutes paid without serving: the target's replicas while their
   * nodes come up and load the model, the source's while they drain.
   */
  warmupGpuMinutes: number;
  warmupUsd: number;
  transferGiB: number;
  transferUsd: number;
  /** The parts, in words. */
  what: string[];
}

/** What a model would cost on one pool (all its replicas there). */
export interface PoolOption {
  pool: string;
  /** How people name it. */
  title: string;
  provider: string;
  region: string;
  capacityType: PlacementPool['capacityType'];
  /** Its replicas' share of the pool's node price, a month (730 h). */
  monthlyUsd: number;
  /** Replacing preempted replicas (a node and a load each), a month. */
  preemptionUsdPerMonth: number;
  /** Expected preemptions of its replicas a month. */
  preemptionsPerMonth: number;
  availability: number;
  /** Where it runs now: no move. */
  current: boolean;
  /** The one-off cost of moving there; absent where it runs now or unpriced. */
  move?: MoveCost;
}

/** A model's options: each eligible pool, and why the others are not. */
export interface ModelOptions {
  id: string;
  /** What it costs where it runs now, a month, preemptions included. */
  currentMonthlyUsd: number;
  options: PoolOption[];
  rejected: Rejection[];
}

const usdPerUnitHour = (pool: PlacementPool) =>
  (pool.usdPerNodeHour ?? 0) / unitsPerNode(pool);

/**
 * The monthly cost of `replicas` of a model on a pool: the GPU units they
 * request as a share of the node price (as showback charges them), and the
 * expected replacements of preempted ones, each a new node's provisioning
 * and a load paid without serving.
 */
function costOn(
  pool: ArbitragePool,
  model: ModelPosition,
  replicas: number,
  settings: MoveSettings,
): { monthlyUsd: number; preemptionUsd: number; preemptions: number } {
  const units = replicas * model.request.gpusPerReplica;
  const hourly = units * usdPerUnitHour(pool);
  const nodes = units / unitsPerNode(pool);
  const preemptions = pool.preemptionsPerNodeMonth * nodes;
  const replaceHours =
    (settings.provisioningSeconds + model.loadSeconds) / 3600;
  const perPreemption = (hourly / Math.max(1, replicas)) * replaceHours;
  return {
    monthlyUsd: hourly * HOURS_PER_MONTH,
    preemptionUsd: preemptions * perPreemption,
    preemptions,
  };
}

/**
 * What moving all a model's replicas to `target` costs once
 * (make-before-break): the target's replicas are paid from their node's
 * start until they are Ready (provisioning and load); the source's until
 * they have drained after the switch; the weights cross regions or clouds
 * at the source cloud's egress price.
 */
export function moveCost(
  model: ModelPosition,
  target: ArbitragePool,
  pools: Map<string, ArbitragePool>,
  settings: MoveSettings,
): MoveCost | undefined {
  const replicas = model.request.replicas;
  const units = replicas * model.request.gpusPerReplica;
  const warmupHours = (settings.provisioningSeconds + model.loadSeconds) / 3600;
  const targetWarmup = units * usdPerUnitHour(target) * warmupHours;
  let drainUsd = 0;
  let drainUnits = 0;
  let transfer = { usd: 0, gib: 0, what: '' };
  for (const c of model.current) {
    const source = pools.get(c.pool);
    if (!source) return undefined;
    const u = c.replicas * model.request.gpusPerReplica;
    drainUnits += u;
    drainUsd += (u * usdPerUnitHour(source) * settings.drainSeconds) / 3600;
    const t = transferCost(
      model.weightsGiB,
      source,
      target,
      settings.egressUsdPerGB ?? LIST_EGRESS_USD_PER_GB,
    );
    if (!t) return undefined;
    // The weights move once, from the dearest source to reach it from.
    if (t.usd > transfer.usd) transfer = t;
  }
  const warmupGpuMinutes =
    units * warmupHours * 60 + (drainUnits * settings.drainSeconds) / 60;
  const warmupUsd = targetWarmup + drainUsd;
  const what = [
    `${Math.round(
      warmupGpuMinutes,
    )} GPU-minutes without serving (the target's nodes starting and loading the model, the source draining)`,
  ];
  if (transfer.gib > 0) what.push(transfer.what);
  return {
    usd: warmupUsd + transfer.usd,
    warmupGpuMinutes,
    warmupUsd,
    transferGiB: transfer.gib,
    transferUsd: transfer.usd,
    what,
  };
}

/**
 * What a model would cost on each pool the placement engine finds
 * eligible for it (all its replicas there), and the one-off cost of
 * moving there; the pools it cannot use, with the reason (pure).
 */
export function modelOptions(
  model: ModelPosition,
  pools: ArbitragePool[],
  settings: MoveSettings,
): ModelOptions {
  const byRef = new Map(pools.map(p => [p.ref, p]));
  let currentMonthlyUsd = 0;
  for (const c of model.current) {
    const pool = byRef.get(c.pool);
    if (!pool) continue;
    const cost = costOn(pool, model, c.replicas, settings);
    currentMonthlyUsd += cost.monthlyUsd + cost.preemptionUsd;
  }
  const onlyHere =
    model.current.length === 1 ? model.current[0].pool : undefined;
  const options: PoolOption[] = [];
  const rejected: Rejection[] = [];
  for (const pool of pools) {
    const current = pool.ref === onlyHere;
    // A pool it runs on needs no room for what it has there already.
    const rejection = current ? undefined : rejectionOf(model.request, pool);
    if (rejection) {
      rejected.push(rejection);
      continue;
    }
    if (pool.usdPerNodeHour === null) continue;
    const cost = costOn(pool, model, model.request.replicas, settings);
    const move = current ? undefined : moveCost(model, pool, byRef, settings);
    options.push({
      pool: pool.ref,
      title: pool.title ?? pool.ref,
      provider: pool.provider,
      region: pool.region,
      capacityType: pool.capacityType,
      monthlyUsd: cost.monthlyUsd,
      preemptionUsdPerMonth: cost.preemptionUsd,
      preemptionsPerMonth: cost.preemptions,
      availability: pool.availability,
      current,
      ...(move ? { move } : {}),
    });
  }
  options.sort(
    (a, b) =>
      a.monthlyUsd +
      a.preemptionUsdPerMonth -
      (b.monthlyUsd + b.preemptionUsdPerMonth),
  );
  return { id: model.request.id, currentMonthlyUsd, options, rejected };
}
