/**
 * What a spot-serving policy is told and what it answers: the engine's
 * (spotServing.ts) and the baselines' (spotBaselines.ts), so that the
 * replay (spotSim.ts) scores every one of them the same way. Times are
 * seconds on any one clock, passed in; nothing here reads a clock.
 *
 * @internal
 */

export type ServingCapacity = 'spot' | 'on-demand';

/** A place a model's replicas can run: one instance type in one zone (spot) or region (on-demand). */
export interface ServingPool {
  id: string;
  cloud: string;
  region: string;
  /** Spot pools are per zone; an on-demand pool may leave it out. */
  zone?: string;
  capacity: ServingCapacity;
  /** Price of one replica (one instance), USD per hour. */
  usdPerHour: number;
}

/** What a model has in one pool now, and what it saw happen there. */
export interface PoolRun {
  /** Replicas Ready and under no preemption notice. */
  ready: number;
  /** Replicas launched, not Ready yet, under no notice. */
  starting: number;
  /** Replicas under a preemption notice: they serve (if Ready) until the reclaim, then are gone. */
  noticed: number;
  /** Times of the preemption notices the model's replicas here received, oldest first. */
  preemptions: readonly number[];
  /** Times launches here failed for want of capacity, oldest first. */
  failures: readonly number[];
  /** When a replica here last turned Ready. */
  lastReadyAt?: number;
}

/** The platform policy's part in spot serving. */
export interface SpotServingPolicy {
  /** Ceiling (0–1) of the share of the model's replicas on on-demand in steady state. */
  maxOnDemandShare: number;
  /** On-demand replicas the model always keeps (clipped by the ceiling). */
  baseOnDemandReplicas: number;
}

export interface SpotServingInput {
  now: number;
  /** Replicas the model needs Ready at all times. */
  required: number;
  pools: readonly ServingPool[];
  /** By pool id; a pool missing here has nothing and saw nothing. */
  runs: Readonly<Record<string, PoolRun>>;
  policy: SpotServingPolicy;
  /** Seconds from a launch to Ready (provisioning plus the model's load), when known. */
  startupSeconds?: number;
  /** Seconds a preemption notice comes before the reclaim, when known (AWS: 120). */
  noticeSeconds?: number;
}

export interface SpotServingDecision {
  /**
   * Replicas wanted per pool id now, counting those launched or Ready and
   * not under notice; a pool left out wants none. More than there are:
   * launch; fewer: stop (those still starting first).
   */
  targets: Record<string, number>;
  reason: string;
  /** When to ask again if nothing happens before (a hold running out). */
  reviewAt?: number;
}

/** A policy the replay can drive. */
export interface ServingPolicy {
  readonly name: string;
  decide(input: SpotServingInput): SpotServingDecision;
}

/** Ids in a stable order, for ties. */
export function compareIds(a: string, b: string) {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The replicas a pool's run counts as there now (not under notice). */
export const alive = (r: PoolRun | undefined) => (r ? r.ready + r.starting : 0);

/** The base of on-demand replicas the policy keeps, clipped by its ceiling and the need. */
export function baseOnDemand(policy: SpotServingPolicy, required: number) {
  const share = Math.min(1, Math.max(0, policy.maxOnDemandShare));
  const ceiling = Math.floor(share * required + 1e-9);
  return Math.max(
    0,
    Math.min(Math.floor(policy.baseOnDemandReplicas), ceiling, required),
  );
}

/**
 * Puts `count` on-demand replicas on the pools (sorted cheapest first):
 * those running stay where they are, new ones go to the cheapest.
 */
export function placeOnDemand(
  onDemand: readonly ServingPool[],
  runs: SpotServingInput['runs'],
  count: number,
  targets: Record<string, number>,
) {
  let left = count;
  for (const p of onDemand) {
    const keep = Math.min(left, alive(runs[p.id]));
    targets[p.id] = keep;
    left -= keep;
  }
  if (left > 0 && onDemand.length)
    targets[onDemand[0].id] = (targets[onDemand[0].id] ?? 0) + left;
}
