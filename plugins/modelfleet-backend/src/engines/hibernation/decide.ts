import {
  CronWindow,
  PlatformPolicy,
} from '@modelfleet/plugin-modelfleet-common';
import { IdleDecision } from './types';
import { openWindowAt, waitsForMaintenance } from './windows';

/** The annotation by which a Model or its workload opts out of hibernation. */
export const HIBERNATION_ANNOTATION = 'modelfleet.io/hibernation';

/** What the hibernation loop knows of one model now. */
export interface HibernationModel {
  /** Annotations of the Model entity and of its workload. */
  annotations?: Record<string, string>;
  replicas: { desired: number; ready: number };
  /** Requests being served or waiting for a replica now. */
  inFlight: number;
  /** When its last request ended (ms), if it is idle. */
  idleSince?: number;
  /** What the keep-alive policy decided when it became idle. */
  learned?: IdleDecision;
  /** Whether an autoscaler (KEDA) scales it, and its keep-alive now (s). */
  autoscaler?: {
    keepAliveSeconds: number;
    /** Paused at its replicas by the hibernation policy (a pre-warm, a schedule). */
    paused?: boolean;
  };
  /**
   * Who holds it at its replicas when someone other than the hibernation
   * policy paused its autoscaler (a person's Wake or Scale): the loop
   * leaves it until Hibernate hands it back.
   */
  heldBy?: string;
  /**
   * Deployed with the sleep idle tier (vLLM sleep mode behind a wake
   * gate): whether its engine sleeps now. Such a model is put to sleep,
   * not to zero, once its keep-alive has passed.
   */
  engine?: { sleeping: boolean; wakeSeconds: number };
}

/** One step the loop takes for a model (the action path carries it out). */
export type HibernationStep =
  | { action: 'none'; reason: string }
  | { action: 'hibernate'; reason: string }
  | { action: 'sleep'; reason: string }
  | { action: 'wake'; replicas: number; reason: string }
  | { action: 'setKeepAlive'; seconds: number; reason: string };

/** A keep-alive within this share of the one set is left as it is. */
const KEEP_ALIVE_TOLERANCE = 0.1;
/** Shortest keep-alive set on an autoscaler, in seconds (KEDA polls every 30 s). */
export const MIN_KEEP_ALIVE_SECONDS = 60;

/**
 * The replicas a model must keep warm at `now`: `minWarmReplicas`, or more
 * inside a schedule window; with the reason.
 */
export function warmFloor(
  policy: PlatformPolicy['hibernation'],
  now: number,
): { replicas: number; reason?: string } {
  let floor = {
    replicas: policy.minWarmReplicas,
    reason: undefined as string | undefined,
  };
  if (policy.minWarmReplicas > 0) {
    floor.reason = `the team keeps ${policy.minWarmReplicas} warm (minWarmReplicas)`;
  }
  for (const s of policy.schedules) {
    if (s.minReplicas <= floor.replicas) continue;
    const open = openWindowAt(s, now);
    if (open) {
      floor = {
        replicas: s.minReplicas,
        reason: `schedule ${s.name} keeps ${
          s.minReplicas
        } warm until ${new Date(open.until).toISOString()}`,
      };
    }
  }
  return floor;
}

/**
 * What the hibernation loop does for one model at `now` (pure). It never
 * takes a model to zero under `mode: off`, when the model or its workload
 * is annotated `modelfleet.io/hibernation: disabled`, with requests in
 * flight, below `minWarmReplicas`, or inside a schedule window's minimum;
 * it wakes a model below that floor. Otherwise it follows the keep-alive
 * policy's decision: on a model with an autoscaler it sets the learned
 * keep-alive there (KEDA then scales to zero, and the next request wakes
 * the model); on one without, it takes the model to zero once the
 * keep-alive has passed, inside a maintenance window where the team names
 * any (nothing wakes such a model on a request); and a model at zero is woken when the policy
 * pre-warms it ahead of demand.
 */
export function decideHibernation(
  model: HibernationModel,
  policy: PlatformPolicy['hibernation'],
  now: number,
  /** The team's maintenance windows: a disruption waits for one. */
  maintenanceWindows: CronWindow[] = [],
): HibernationStep {
  if (policy.mode === 'off') {
    return {
      action: 'none',
      reason: "hibernation is off in the team's policy",
    };
  }
  if (model.annotations?.[HIBERNATION_ANNOTATION] === 'disabled') {
    return {
      action: 'none',
      reason: `annotated ${HIBERNATION_ANNOTATION}: disabled`,
    };
  }
  const floor = warmFloor(policy, now);
  if (model.replicas.desired < floor.replicas) {
    return {
      action: 'wake',
      replicas: floor.replicas,
      reason: floor.reason!,
    };
  }
  const learned = model.learned;
  if (!learned || model.idleSince === undefined) {
    return {
      action: 'none',
      reason:
        model.inFlight > 0
          ? `${model.inFlight} request(s) in flight`
          : 'not idle, or no idle gap learned yet',
    };
  }
  const idleFor = (now - model.idleSince) / 1000;
  if (model.engine && model.replicas.desired > 0) {
    return decideSleep(model, learned, floor, idleFor);
  }
  if (model.replicas.desired === 0) {
    const pre = learned.prewarm;
    if (
      pre &&
      idleFor >= pre.afterSeconds &&
      idleFor < pre.afterSeconds + pre.windowSeconds
    ) {
      return {
        action: 'wake',
        replicas: Math.max(1, floor.replicas),
        reason: `pre-warm: ${learned.reason}`,
      };
    }
    // The keep-alive is set while the model sleeps too, so that it is the
    // learned one when the next request wakes it (the loop passes every
    // 30 s; an older, shorter one could take it back to zero before).
    const keep = model.heldBy ? undefined : keepAliveStep(model, learned);
    return (
      keep ?? { action: 'none', reason: 'at zero; the next request wakes it' }
    );
  }
  if (model.inFlight > 0) {
    return {
      action: 'none',
      reason: `${model.inFlight} request(s) in flight`,
    };
  }
  if (floor.replicas > 0) {
    return { action: 'none', reason: floor.reason! };
  }
  if (model.heldBy) {
    return {
      action: 'none',
      reason: `held at ${model.replicas.desired} by ${model.heldBy}; Hibernate hands it back to its autoscaler`,
    };
  }
  const pre = learned.prewarm;
  if (
    pre &&
    idleFor >= pre.afterSeconds &&
    idleFor < pre.afterSeconds + pre.windowSeconds
  ) {
    return {
      action: 'none',
      reason: `pre-warmed for the demand it expects, until ${new Date(
        model.idleSince + (pre.afterSeconds + pre.windowSeconds) * 1000,
      ).toISOString()}`,
    };
  }
  const set = keepAliveStep(model, learned);
  if (set) return set;
  const keepAlive = learned.keepAliveSeconds;
  if (Number.isFinite(keepAlive) && idleFor >= keepAlive) {
    if (model.autoscaler && !model.autoscaler.paused) {
      // KEDA takes it to zero when its keep-alive runs out; an action
      // would race it.
      return {
        action: 'none',
        reason: `${learned.reason}; its autoscaler takes it to zero`,
      };
    }
    // Nothing wakes it on a request at zero: a disruption, which waits
    // for a maintenance window where the team names any.
    const waits = waitsForMaintenance(maintenanceWindows, now);
    if (waits) {
      return {
        action: 'none',
        reason: `${learned.reason}; nothing would wake it on a request, so going to zero ${waits}`,
      };
    }
    return { action: 'hibernate', reason: learned.reason };
  }
  return { action: 'none', reason: learned.reason };
}

/**
 * A model of the sleep tier with replicas: its engine sleeps once the
 * keep-alive has passed (under the same rules as going to zero), and is
 * woken inside a pre-warm window; the wake gate wakes it on a request.
 */
function decideSleep(
  model: HibernationModel,
  learned: NonNullable<HibernationModel['learned']>,
  floor: { replicas: number; reason?: string },
  idleFor: number,
): HibernationStep {
  const engine = model.engine!;
  const pre = learned.prewarm;
  const inWindow =
    pre !== undefined &&
    idleFor >= pre.afterSeconds &&
    idleFor < pre.afterSeconds + pre.windowSeconds;
  if (engine.sleeping) {
    if (inWindow) {
      return {
        action: 'wake',
        replicas: Math.max(1, model.replicas.desired),
        reason: `pre-warm: ${learned.reason}`,
      };
    }
    return {
      action: 'none',
      reason: `asleep; the next request wakes its engine in about ${engine.wakeSeconds} s`,
    };
  }
  if (model.inFlight > 0) {
    return { action: 'none', reason: `${model.inFlight} request(s) in flight` };
  }
  if (floor.replicas > 0) return { action: 'none', reason: floor.reason! };
  if (model.heldBy) {
    return {
      action: 'none',
      reason: `held awake by ${model.heldBy}`,
    };
  }
  if (inWindow) {
    return { action: 'none', reason: 'awake for the demand it expects' };
  }
  if (
    Number.isFinite(learned.keepAliveSeconds) &&
    idleFor >= learned.keepAliveSeconds
  ) {
    return { action: 'sleep', reason: learned.reason };
  }
  return { action: 'none', reason: learned.reason };
}

/**
 * The learned keep-alive for the model's autoscaler, when the one set there
 * is more than 10 % off (and at least the autoscaler's shortest).
 */
function keepAliveStep(
  model: HibernationModel,
  learned: NonNullable<HibernationModel['learned']>,
): HibernationStep | undefined {
  const keepAlive = learned.keepAliveSeconds;
  if (!model.autoscaler || !Number.isFinite(keepAlive)) return undefined;
  const seconds = Math.max(MIN_KEEP_ALIVE_SECONDS, Math.round(keepAlive));
  const set = model.autoscaler.keepAliveSeconds;
  if (Math.abs(seconds - set) <= KEEP_ALIVE_TOLERANCE * set) return undefined;
  return { action: 'setKeepAlive', seconds, reason: learned.reason };
}
