import {
  HibernationState,
  PlatformPolicy,
} from '@modelfleet/plugin-modelfleet-common';
import { IdleDecision } from './types';
import { nextOpening, openWindowAt } from './windows';

/**
 * The next change ModelFleet expects for a model (pure): the end of an open
 * schedule window that keeps it warm, the opening of the next one, the end
 * of its keep-alive (it goes to zero), or its pre-warm; the earliest of
 * them after `now`.
 */
export function nextChangeOf(input: {
  policy: PlatformPolicy['hibernation'];
  state: HibernationState;
  /** ms; when its last request ended, if it is idle. */
  idleSince?: number;
  learned?: IdleDecision;
  now: number;
  /** True for a model of the sleep idle tier: it sleeps, not goes to zero. */
  sleepTier?: boolean;
}): { at: string; what: string } | undefined {
  const { policy, state, idleSince, learned, now, sleepTier } = input;
  const rest = sleepTier ? 'asleep' : 'atZero';
  if (policy.mode === 'off') return undefined;
  const options: Array<{ at: number; what: string }> = [];
  for (const s of policy.schedules) {
    if (s.minReplicas <= policy.minWarmReplicas) continue;
    const open = openWindowAt(s, now);
    if (open) {
      options.push({
        at: open.until,
        what: `schedule ${s.name} ends; ${s.minReplicas} warm no longer required`,
      });
    } else {
      const at = nextOpening(s, now);
      if (at !== undefined) {
        options.push({
          at,
          what: `schedule ${s.name} keeps ${s.minReplicas} warm`,
        });
      }
    }
  }
  if (learned && idleSince !== undefined && policy.minWarmReplicas === 0) {
    const k = learned.keepAliveSeconds;
    if (state !== rest && state !== 'atZero' && Number.isFinite(k)) {
      options.push({
        at: idleSince + k * 1000,
        what: sleepTier
          ? 'keep-alive ends: its engine sleeps unless a request comes'
          : 'keep-alive ends: goes to zero unless a request comes',
      });
    }
    if (state === rest && learned.prewarm) {
      options.push({
        at: idleSince + learned.prewarm.afterSeconds * 1000,
        what: 'pre-warm ahead of the demand it expects',
      });
    }
  }
  const next = options.filter(o => o.at > now).sort((a, b) => a.at - b.at)[0];
  return next && { at: new Date(next.at).toISOString(), what: next.what };
}
