/**
 * The figures and words a spot fallback (`spot-fallback` action) keeps:
 * what changes, on which pools, and why.
 *
 * @internal
 */
import {
  FallbackDetails,
  ModelArbitrageOption,
  ModelWorkloadObservation,
} from '@modelfleet/plugin-modelfleet-common';
import { FallbackInput } from '../engines/arbitrage/fallback';
import { Companion } from './spotCompanions';

const plural = (n: number) => `${n} replica${n === 1 ? '' : 's'}`;

/** The change in words: `on-demand stand-in 0 → 1 on …; spot companion on … 0 → 1`. */
export function describeChanges(changes: readonly Companion[]): string {
  return changes
    .filter(c => c.from !== c.to)
    .map(c =>
      c.capacity === 'on-demand'
        ? `On-demand stand-in ${c.from} → ${c.to} on ${c.title}`
        : `spot companion on ${c.title} ${c.from} → ${c.to}`,
    )
    .join('; ');
}

/** Whether a stored fallback asked for what the engine wants now. */
export function sameTargets(
  stored: FallbackDetails | undefined,
  changes: readonly Companion[],
): boolean {
  if (!stored) return false;
  for (const c of changes) {
    const want =
      c.capacity === 'on-demand'
        ? stored.replicas.to
        : stored.spread?.find(s => s.pool === c.pool)?.replicas.to ?? c.from;
    if (want !== c.to) return false;
  }
  return true;
}

/** Why spot companions change, in words, when only they do. */
export function spreadWhy(changes: readonly Companion[]): string {
  const up = changes.filter(c => c.capacity === 'spot' && c.to > c.from);
  if (up.length)
    return `spread the spot replicas over another spot market (${up
      .map(c => `${plural(c.to)} on ${c.title}`)
      .join(', ')}), so that one reclaim does not take them all`;
  return 'the spot companions are worth less than they cost now';
}

/** The figures the action keeps (the stand-in first among `changes`). */
export function fallbackDetails(input: {
  spotOption: ModelArbitrageOption;
  input: FallbackInput;
  changes: readonly Companion[];
  primary: ModelWorkloadObservation;
  poolNoticedAt?: string;
  launchesFail: boolean;
}): FallbackDetails {
  const [od, ...spots] = input.changes;
  const { spot } = input.input;
  let direction: FallbackDetails['direction'] = 'spread';
  if (od.to > od.from) direction = 'fallback';
  else if (od.to < od.from) direction = 'return';
  const noticedAt = input.primary.reclaim?.noticedAt ?? input.poolNoticedAt;
  const spread = spots.filter(c => c.from !== c.to);
  return {
    direction,
    spot: {
      pool: input.spotOption.pool,
      title: input.spotOption.title,
      usdPerHour: spot.pool.usdPerHour,
    },
    onDemand: { pool: od.pool, title: od.title, usdPerHour: od.usdPerHour },
    replicas: { from: od.from, to: od.to },
    required: spot.desired,
    spotReady: Math.max(0, spot.ready - spot.noticed),
    ...(noticedAt ? { noticedAt } : {}),
    ...(input.launchesFail && input.primary.unscheduled
      ? { unscheduledSince: input.primary.unscheduled.since }
      : {}),
    ...(spread.length
      ? {
          spread: spread.map(c => ({
            pool: c.pool,
            title: c.title,
            usdPerHour: c.usdPerHour,
            replicas: { from: c.from, to: c.to },
          })),
        }
      : {}),
  };
}

/** Why the companions change, in words. */
export function fallbackWhy(
  details: FallbackDetails,
  input: FallbackInput,
  changes: readonly Companion[],
): string {
  const spotTitle = details.spot.title;
  if (details.direction === 'spread') return spreadWhy(changes);
  if (details.direction === 'return') {
    return input.spot.desired === 0
      ? 'the model runs no replica'
      : `spot serves again on ${spotTitle}`;
  }
  if (details.noticedAt) return `a spot reclaim notice on ${spotTitle}`;
  if (details.unscheduledSince) {
    const waited = Math.round(
      (input.now - (input.spot.unscheduledSince ?? input.now)) / 1000,
    );
    return `spot replicas on ${spotTitle} found no node for ${waited} s (no spot capacity)`;
  }
  return `the policy keeps ${details.replicas.to} on-demand replica(s) beside spot`;
}
