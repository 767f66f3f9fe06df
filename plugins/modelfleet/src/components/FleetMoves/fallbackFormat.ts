import {
  FallbackDetails,
  formatUsd,
  ModelFleetAction,
} from '@modelfleet/plugin-modelfleet-common';

/** `1 replica`, `2 replicas`. */
export function replicasText(count: number): string {
  return `${count} ${count === 1 ? 'replica' : 'replicas'}`;
}

/** A spot fallback's direction in words. */
export function fallbackDirection(
  details: Pick<FallbackDetails, 'direction'>,
): string {
  switch (details.direction) {
    case 'fallback':
      return 'Fallback to on-demand';
    case 'spread':
      return 'Spread over spot pools';
    default:
      return 'Return to spot';
  }
}

/**
 * A spot fallback's route, e.g. `g6-l4-spot (prod-use1) → on-demand
 * stand-in on l4-ondemand (prod-use1)`, or back; its reason when it stored
 * no figures.
 */
export function fallbackRoute(
  action: Pick<ModelFleetAction, 'fallback' | 'reason'>,
): string {
  const d = action.fallback;
  if (!d) return action.reason || '—';
  const standIn = `on-demand stand-in on ${d.onDemand.title}`;
  const companions = (d.spread ?? []).map(c => c.title).join(', ');
  if (d.direction === 'spread')
    return `${d.spot.title} + spot on ${companions}`;
  return d.direction === 'fallback'
    ? `${d.spot.title} → ${standIn}`
    : `${standIn} → ${d.spot.title}`;
}

/** The stand-in's replicas before and after, e.g. `stand-in 0 → 2 replicas`. */
export function fallbackReplicas(
  details: Pick<FallbackDetails, 'replicas' | 'spread'>,
): string {
  const { from, to } = details.replicas;
  const parts =
    from === to && details.spread?.length
      ? []
      : [`stand-in ${from} → ${to} ${to === 1 ? 'replica' : 'replicas'}`];
  for (const c of details.spread ?? [])
    parts.push(
      `spot on ${c.title} ${c.replicas.from} → ${c.replicas.to} ${
        c.replicas.to === 1 ? 'replica' : 'replicas'
      }`,
    );
  return parts.join('; ');
}

/**
 * What a spot fallback answered: a reclaim notice, spot replicas no node
 * took (no spot capacity), or, for a return, spot serving again.
 */
export function fallbackCause(
  details: Pick<
    FallbackDetails,
    'direction' | 'noticedAt' | 'unscheduledSince'
  >,
): string {
  if (details.direction === 'return') return 'spot serves again';
  if (details.direction === 'spread')
    return 'one reclaim should not take every spot replica';
  if (details.noticedAt) return 'spot reclaim notice';
  if (details.unscheduledSince) return 'no spot capacity (no node for spot)';
  return 'spot unavailable';
}

/**
 * The hourly prices a spot fallback was decided on, one meaning per
 * dollar: `on-demand stand-in $0.80 per replica-hour vs $0.31 per
 * replica-hour on spot`.
 */
export function fallbackPrices(
  details: Pick<FallbackDetails, 'spot' | 'onDemand'>,
): string {
  return `on-demand stand-in ${formatUsd(
    details.onDemand.usdPerHour,
  )} per replica-hour vs ${formatUsd(
    details.spot.usdPerHour,
  )} per replica-hour on spot`;
}

/** What each stand-in replica costs more than a spot one, per replica-hour. */
export function standInPremium(
  details: Pick<FallbackDetails, 'spot' | 'onDemand'>,
): number {
  return details.onDemand.usdPerHour - details.spot.usdPerHour;
}

/** A spot fallback's state and decision in words, e.g. `applying (step 2 of 3)`. */
export function fallbackStateLabel(
  action: Pick<ModelFleetAction, 'state' | 'stepIndex' | 'steps' | 'dryRun'>,
): string {
  const of = `step ${action.stepIndex + 1} of ${action.steps.length}`;
  switch (action.state) {
    case 'planned':
      return action.dryRun ? 'waiting for approval' : 'about to apply';
    case 'applying':
      return `applying (${of})`;
    case 'verifying':
      return 'applying (verifying)';
    case 'rollingBack':
      return `rolling back (${of})`;
    case 'rolledBack':
      return 'rolled back';
    default:
      return action.state;
  }
}

/** Whether an action waits for someone to approve it. */
export function waitsForApproval(
  action: Pick<ModelFleetAction, 'state' | 'dryRun'>,
): boolean {
  return action.state === 'planned' && action.dryRun;
}
