import {
  ModelFleetAction,
  ModelServing,
  ServingReplicas,
} from '@modelfleet/plugin-modelfleet-common';
import { displayRef } from '../Access';
import { formatRelative, isActive } from '../EntityModelActivityCard/format';
import { replicasText } from '../FleetMoves/fallbackFormat';

/** How the status line reads: all well, worth knowing, or spot in trouble. */
export type SpotTone = 'success' | 'info' | 'warning';

/** The model's serving mix in one sentence, with its tone. */
export interface SpotStatus {
  text: string;
  tone: SpotTone;
}

/** Where replicas run, for people: the pool's title, else its name. */
export function poolText(replicas: Pick<ServingReplicas, 'title' | 'pool'>) {
  if (replicas.title) return replicas.title;
  return replicas.pool
    ? displayRef(replicas.pool)
    : 'a pool ModelFleet does not know';
}

/** Whether the model's own Deployment runs on a spot pool. */
export function onSpot(serving: ModelServing): boolean {
  return serving.primary.capacityType === 'spot';
}

/** `Ready / desired`, e.g. `2 / 2 Ready`. */
export function readyText(
  replicas: Pick<ServingReplicas, 'ready' | 'desired'>,
) {
  return `${replicas.ready} / ${replicas.desired} Ready`;
}

/** `2 min ago`, or nothing when the time is not known. */
const ago = (iso: string | undefined, now: number) =>
  iso ? ` ${formatRelative(iso, now)}` : '';

/** What the stand-in does while spot is in trouble. */
function standInPart(serving: ModelServing, pending: boolean): string {
  const { primary, standIn } = serving;
  if (!standIn || standIn.desired === 0) {
    return pending
      ? 'no on-demand stand-in serves yet; a fallback waits for approval'
      : 'no on-demand stand-in serves yet';
  }
  if (standIn.ready < standIn.desired) {
    return `the on-demand stand-in on ${poolText(standIn)} is starting (${
      standIn.ready
    } of ${standIn.desired} Ready)`;
  }
  return `the on-demand stand-in serves ${standIn.ready} of ${primary.desired} replicas`;
}

/** The status of a model whose own Deployment is not on spot. */
function offSpotStatus(serving: ModelServing): SpotStatus {
  const { primary, standIn } = serving;
  const where = poolText(primary);
  if (standIn && standIn.desired > 0) {
    return {
      text: `Runs on ${where}; its on-demand stand-in ${
        standIn.name
      } still wants ${replicasText(standIn.desired)}.`,
      tone: 'info',
    };
  }
  if (!primary.capacityType) {
    return {
      text: `Runs on ${where}, whose capacity type is not known: no spot fallback shown.`,
      tone: 'info',
    };
  }
  return {
    text: `Runs on ${primary.capacityType} capacity, ${where}: no spot fallback needed.`,
    tone: 'info',
  };
}

/**
 * The model's serving mix in one sentence: served on spot, under a
 * reclaim notice or short of spot capacity with what the on-demand
 * stand-in does, back on spot with the stand-in parked, or not on spot at
 * all. `pending` tells that a fallback waits for approval.
 */
export function servingStatus(
  serving: ModelServing | undefined,
  options: { missing?: string; pending?: boolean; now?: number } = {},
): SpotStatus {
  const now = options.now ?? Date.now();
  const pending = !!options.pending;
  if (!serving) {
    return {
      text: `Not known how it is served: ${
        options.missing ?? 'ModelFleet has not seen its Deployment on a cluster'
      }.`,
      tone: 'info',
    };
  }
  if (!onSpot(serving)) return offSpotStatus(serving);
  const { primary, standIn } = serving;
  const where = poolText(primary);
  if (primary.underNotice > 0) {
    return {
      text: `Spot reclaim notice${ago(
        primary.noticedAt,
        now,
      )} on ${replicasText(primary.underNotice)}: ${standInPart(
        serving,
        pending,
      )}.`,
      tone: 'warning',
    };
  }
  if (primary.waitingForNode > 0) {
    return {
      text: `No spot capacity: ${replicasText(
        primary.waitingForNode,
      )} waiting for a node${
        primary.waitingSince
          ? ` since ${formatRelative(primary.waitingSince, now)}`
          : ''
      }; ${standInPart(serving, pending)}.`,
      tone: 'warning',
    };
  }
  if (standIn && standIn.desired > 0) {
    return {
      text: `Spot serves again: ${primary.ready} of ${primary.desired} Ready on ${where}; the on-demand stand-in stays up for a hold, then is parked at 0.`,
      tone: 'info',
    };
  }
  if (primary.desired === 0) {
    return {
      text: `At 0 replicas on spot, ${where}: nothing to fall back for.`,
      tone: 'info',
    };
  }
  const companions = (serving.spread ?? []).filter(c => c.desired > 0);
  const served = `${primary.ready} of ${
    primary.desired
  } replicas Ready on ${where}${companions
    .map(c => `, ${c.ready} of ${c.desired} on ${poolText(c)}`)
    .join('')}`;
  if (standIn) {
    return {
      text: `Back on spot: ${served}; the on-demand stand-in is parked at 0.`,
      tone: 'success',
    };
  }
  return { text: `Served on spot: ${served}.`, tone: 'success' };
}

/**
 * Whether something is under way, so the card reads again: an action
 * that is not final, replicas under a reclaim notice or waiting for a
 * node, or a stand-in that serves or is coming up.
 */
export function underWay(
  serving: ModelServing | undefined,
  actions: Array<Pick<ModelFleetAction, 'state'>>,
): boolean {
  if (actions.some(isActive)) return true;
  if (!serving) return false;
  const { primary, standIn } = serving;
  return (
    primary.underNotice > 0 ||
    primary.waitingForNode > 0 ||
    (!!standIn && (standIn.desired > 0 || standIn.ready > 0))
  );
}
