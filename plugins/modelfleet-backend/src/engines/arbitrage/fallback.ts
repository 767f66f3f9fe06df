/**
 * Spot serving for a model of one cluster: how many replicas its
 * companions should run now, beside the model's own Deployment on its
 * spot pool. The companions are Deployments behind the same Service: an
 * on-demand stand-in on an on-demand pool of the cluster, and spot
 * companions on the cluster's other spot pools (other markets), which
 * spread the model's spot replicas. What the cluster shows (replicas
 * under a reclaim notice, replicas no node takes) and the model's past
 * notices become the spot-serving engine's input (`decideSpotServing`),
 * whose hysteresis decides when a companion comes down again. Pure:
 * times are passed in, in ms.
 *
 * @internal
 */
import { decideSpotServing, SpotServingOptions } from './spotServing';
import { PoolRun, ServingPool, SpotServingPolicy } from './spotTypes';

/** A Deployment of the model on a spot pool, as the cluster shows it now. */
export interface SpotSide {
  pool: ServingPool;
  /** Replicas the workload wants (`spec.replicas`). */
  desired: number;
  /** Ready replicas, those under notice included. */
  ready: number;
  /** Replicas on nodes under a reclaim notice, and the notice's time. */
  noticed: number;
  noticedAt?: number;
  /**
   * When the pool's nodes are under a reclaim notice now (some of them):
   * the model's pods waiting for a node then wait for capacity being
   * taken away (a termination handler drains at the notice).
   */
  poolNoticedAt?: number;
  /** Pods no node has taken, and since when the oldest waits. */
  unscheduled: number;
  unscheduledSince?: number;
  /** When the latest of its Ready pods turned Ready. */
  lastReadyAt?: number;
  /** Times of the model's past reclaim notices and failed launches here (its stored fallbacks). */
  pastTrouble?: readonly number[];
}

/** The on-demand stand-in now (nothing when it does not exist yet). */
export interface OnDemandSide {
  pool: ServingPool;
  desired: number;
  ready: number;
  /** When the latest of its pods turned Ready. */
  lastReadyAt?: number;
}

export interface FallbackInput {
  now: number;
  /** The model's own Deployment: its replicas are what the model needs. */
  spot: SpotSide;
  onDemand: OnDemandSide;
  /** Spot companions on the cluster's other spot pools (none yet: desired 0). */
  spread?: readonly SpotSide[];
  /** Times of the model's past reclaim notices and failed launches on its own pool. */
  pastTrouble: readonly number[];
  policy: SpotServingPolicy;
  /** Seconds from a launch to Ready: provisioning plus the model's load. */
  startupSeconds: number;
  /** Seconds the cloud's notice comes before the reclaim. */
  noticeSeconds: number;
  /**
   * Seconds a spot pod may wait for a node before its launch counts as
   * failed (the pool has no capacity): the provisioning time, with slack.
   */
  launchTimeoutSeconds: number;
}

export interface FallbackDecision {
  /** Replicas the on-demand stand-in should run. */
  onDemand: number;
  /** Replicas each spot companion should run, by pool id. */
  spread: Record<string, number>;
  /** Whether launches on the model's own spot pool count as failing now. */
  launchesFail: boolean;
  reason: string;
}

/** A spot Deployment's run as the engine reads it. */
function spotRun(
  side: SpotSide,
  input: FallbackInput,
  past: readonly number[],
  standInUp: boolean,
): { run: PoolRun; launchesFail: boolean } {
  const s = (ms: number) => ms / 1000;
  const launchesFail =
    side.unscheduled > 0 &&
    side.unscheduledSince !== undefined &&
    input.now - side.unscheduledSince >= input.launchTimeoutSeconds * 1000;
  // Under a notice on the pool, replacements waiting for a node wait in
  // vain: they count as noticed (the engine launches them elsewhere).
  const noticed = Math.min(
    side.noticed + (side.poolNoticedAt !== undefined ? side.unscheduled : 0),
    side.desired,
  );
  const ready = Math.max(0, Math.min(side.ready, side.desired) - noticed);
  // Pods waiting for a node are starting, unless launches fail: then
  // nothing of them is on its way.
  const starting = launchesFail
    ? 0
    : Math.max(0, side.desired - ready - noticed);
  const trouble = [...past];
  if (side.noticedAt !== undefined) trouble.push(side.noticedAt);
  if (side.poolNoticedAt !== undefined) trouble.push(side.poolNoticedAt);
  // The engine's hold counts from then.
  if (standInUp && side.lastReadyAt !== undefined)
    trouble.push(side.lastReadyAt);
  const preemptions = trouble
    .filter(t => t <= input.now)
    .sort((a, b) => a - b)
    .map(s);
  return {
    launchesFail,
    run: {
      ready,
      starting,
      noticed,
      preemptions,
      failures: launchesFail ? [s(input.now)] : [],
      ...(side.lastReadyAt !== undefined
        ? { lastReadyAt: s(side.lastReadyAt) }
        : {}),
    },
  };
}

/**
 * Decides the companions' replicas: the spot-serving engine over the
 * model's spot pool, the cluster's other spot pools (each its own market)
 * and the on-demand pool. The model's own Deployment keeps what its
 * autoscaler sets; the companions hold the rest of the engine's answer.
 */
export function decideFallback(
  input: FallbackInput,
  options: Partial<SpotServingOptions> = {},
): FallbackDecision {
  const { spot, onDemand } = input;
  const spread = input.spread ?? [];
  const s = (ms: number) => ms / 1000;
  // While the on-demand stand-in serves for it, spot was not whole until
  // its latest replica turned Ready (a spot companion spreads; it stands
  // in for nothing).
  const standInUp = onDemand.desired > 0;
  const own = spotRun(spot, input, input.pastTrouble, standInUp);
  const runs: Record<string, PoolRun> = { [spot.pool.id]: own.run };
  for (const c of spread)
    runs[c.pool.id] = spotRun(c, input, c.pastTrouble ?? [], false).run;
  runs[onDemand.pool.id] = {
    ready: Math.min(onDemand.ready, onDemand.desired),
    starting: Math.max(0, onDemand.desired - onDemand.ready),
    noticed: 0,
    preemptions: [],
    failures: [],
    ...(onDemand.lastReadyAt !== undefined
      ? { lastReadyAt: s(onDemand.lastReadyAt) }
      : {}),
  };
  const decision = decideSpotServing(
    {
      now: s(input.now),
      required: spot.desired,
      pools: [spot.pool, ...spread.map(c => c.pool), onDemand.pool],
      runs,
      policy: input.policy,
      startupSeconds: input.startupSeconds,
      noticeSeconds: input.noticeSeconds,
    },
    options,
  );
  // A companion answers for the model's spot replicas only: never more
  // than the model wants.
  const cap = (n: number | undefined) => Math.min(spot.desired, n ?? 0);
  return {
    onDemand: cap(decision.targets[onDemand.pool.id]),
    spread: Object.fromEntries(
      spread.map(c => [c.pool.id, cap(decision.targets[c.pool.id])]),
    ),
    launchesFail: own.launchesFail,
    reason: decision.reason,
  };
}
