/**
 * On-demand fallback for a model served on a spot pool of a cluster: how
 * many replicas its on-demand stand-in (a second Deployment on an
 * on-demand pool of the same cluster, behind the same Service) should run
 * now. What the cluster shows (replicas under a reclaim notice, replicas
 * no node takes) and the model's past notices become the spot-serving
 * engine's input (`decideSpotServing`), whose hysteresis decides when the
 * stand-in comes down again. Pure: times are passed in, in ms.
 *
 * @internal
 */
import { decideSpotServing, SpotServingOptions } from './spotServing';
import { ServingPool, SpotServingPolicy } from './spotTypes';

/** The model's spot replicas as the cluster shows them now. */
export interface SpotSide {
  pool: ServingPool;
  /** Replicas the model's workload wants (`spec.replicas`). */
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
  spot: SpotSide;
  onDemand: OnDemandSide;
  /** Times of the model's past reclaim notices and failed launches here (its stored fallbacks). */
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
  /** Whether spot launches count as failing now. */
  launchesFail: boolean;
  reason: string;
}

/**
 * Decides the stand-in's replicas: the spot-serving engine over two pools
 * (the model's spot pool, as one zone, and the on-demand pool).
 */
export function decideFallback(
  input: FallbackInput,
  options: Partial<SpotServingOptions> = {},
): FallbackDecision {
  const { spot, onDemand } = input;
  const s = (ms: number) => ms / 1000;
  const now = s(input.now);
  const launchesFail =
    spot.unscheduled > 0 &&
    spot.unscheduledSince !== undefined &&
    input.now - spot.unscheduledSince >= input.launchTimeoutSeconds * 1000;
  // Under a notice on the pool, replacements waiting for a node wait in
  // vain: they count as noticed (the engine launches them elsewhere).
  const noticed = Math.min(
    spot.noticed + (spot.poolNoticedAt !== undefined ? spot.unscheduled : 0),
    spot.desired,
  );
  const ready = Math.max(0, Math.min(spot.ready, spot.desired) - noticed);
  // Pods waiting for a node are starting, unless launches fail: then
  // nothing of them is on its way.
  const starting = launchesFail
    ? 0
    : Math.max(0, spot.desired - ready - noticed);
  const trouble = [...input.pastTrouble];
  if (spot.noticedAt !== undefined) trouble.push(spot.noticedAt);
  if (spot.poolNoticedAt !== undefined) trouble.push(spot.poolNoticedAt);
  // While the stand-in runs, spot was not whole until its latest replica
  // turned Ready: the engine's hold counts from then.
  if (onDemand.desired > 0 && spot.lastReadyAt !== undefined)
    trouble.push(spot.lastReadyAt);
  const preemptions = trouble
    .filter(t => t <= input.now)
    .sort((a, b) => a - b)
    .map(s);
  const decision = decideSpotServing(
    {
      now,
      required: spot.desired,
      pools: [spot.pool, onDemand.pool],
      runs: {
        [spot.pool.id]: {
          ready,
          starting,
          noticed,
          preemptions,
          failures: launchesFail ? [now] : [],
          ...(spot.lastReadyAt !== undefined
            ? { lastReadyAt: s(spot.lastReadyAt) }
            : {}),
        },
        [onDemand.pool.id]: {
          ready: Math.min(onDemand.ready, onDemand.desired),
          starting: Math.max(0, onDemand.desired - onDemand.ready),
          noticed: 0,
          preemptions: [],
          failures: [],
          ...(onDemand.lastReadyAt !== undefined
            ? { lastReadyAt: s(onDemand.lastReadyAt) }
            : {}),
        },
      },
      policy: input.policy,
      startupSeconds: input.startupSeconds,
      noticeSeconds: input.noticeSeconds,
    },
    options,
  );
  return {
    // The stand-in answers for spot only: never more than the model wants.
    onDemand: Math.min(spot.desired, decision.targets[onDemand.pool.id] ?? 0),
    launchesFail,
    reason: decision.reason,
  };
}
