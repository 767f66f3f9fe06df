/*
 * Recommendations from stored actions that wait for approval: the
 * hibernation loop's (hibernate, keep-alive, sleep), the arbitrage loop's
 * moves (`migrate`) and the spot fallback loop's (`spot-fallback`), each
 * with the saving its details carry. Pure.
 */
import {
  formatUsd,
  ModelFleetAction,
  Recommendation,
  RecommendationDisruption,
} from '@modelfleet/plugin-modelfleet-common';
import { HOURS_PER_MONTH } from '../engines/placement';
import { dollars } from './format';
import { recommendationId } from './ids';
import { EntityNames } from './names';

/** A recommendation before the caller's state is added. */
export type Finding = Omit<Recommendation, 'state' | 'snoozedUntil'>;

/** A model's allocated-but-unused cost, as a monthly rate. */
export interface UnusedCost {
  monthlyUsd: number;
  monthlyCostUsd: number;
  days: number;
}

const APPLY = { allowed: true };

// Each takes the model's name as people read it (its title), never its ref.
const HIBERNATION_TITLES = {
  hibernate: (model: string) => `Hibernate ${model} while it is idle`,
  sleep: (model: string) => `Put ${model}'s engines to sleep while it is idle`,
  keepAlive: (model: string) => `Shorten ${model}'s keep-alive`,
};

const FALLBACK_TITLES = {
  return: (model: string) => `Return ${model} to spot`,
  spread: (model: string) => `Spread ${model}'s spot replicas`,
  fallback: (model: string) =>
    `Stand in for ${model}'s spot replicas with on-demand`,
};

/** Replicas stopped by an action: `spec.replicas` falling in its diff. */
function replicasDropped(a: ModelFleetAction): number {
  let n = 0;
  for (const d of a.diff ?? []) {
    for (const c of d.changes) {
      if (
        c.path === 'spec.replicas' &&
        typeof c.before === 'number' &&
        typeof c.after === 'number' &&
        c.after < c.before
      ) {
        n += c.before - c.after;
      }
    }
  }
  return n;
}

function hibernation(
  a: ModelFleetAction,
  teamRef: string | undefined,
  unused: UnusedCost | undefined,
  model: string,
): Finding {
  const pods = replicasDropped(a);
  const disruption: RecommendationDisruption =
    a.kind === 'hibernate'
      ? {
          level: 'restart',
          podsAffected: pods,
          description: `its ${
            pods || 'running'
          } replica(s) stop; the next request waits for a cold start`,
        }
      : {
          level: 'none',
          podsAffected: 0,
          description:
            a.kind === 'sleep'
              ? 'its engines sleep; the next request waits for them to wake'
              : 'only the keep-alive before it scales to zero changes',
        };
  const evidence = [`The hibernation loop planned it: ${a.reason}.`];
  if (unused) {
    evidence.push(
      `Over the last ${unused.days} days its GPUs did no work for ${dollars(
        unused.monthlyUsd,
      )} a month of its ${dollars(
        unused.monthlyCostUsd,
      )} (allocated but unused cost); that is the most hibernating can save.`,
    );
  } else {
    evidence.push(
      'Its allocated but unused cost is not known (no GPU metrics in its cost roll-ups), so no saving is counted.',
    );
  }
  return {
    id: recommendationId('hibernation', { modelRef: a.entityRef }, a.kind),
    kind: 'hibernation',
    subject: { modelRef: a.entityRef, ...(teamRef ? { teamRef } : {}) },
    title:
      HIBERNATION_TITLES[
        a.kind === 'hibernate' || a.kind === 'sleep' ? a.kind : 'keepAlive'
      ](model),
    monthlySavingUsd: unused?.monthlyUsd ?? 0,
    disruption,
    confidence: unused
      ? {
          level: unused.days >= 7 ? 'medium' : 'low',
          reason: `the saving is an upper bound from ${unused.days} days of GPU utilization; how long it stays idle decides the rest`,
        }
      : { level: 'low', reason: 'no GPU metrics to price the idle time' },
    evidence,
    source: { type: 'action', actionId: a.id, actionKind: a.kind },
    applicable: APPLY,
  };
}

function move(
  a: ModelFleetAction,
  teamRef: string | undefined,
  model: string,
): Finding {
  const d = a.details;
  const saving =
    d && d.from.monthlyUsd !== undefined
      ? d.from.monthlyUsd - d.to.monthlyUsd
      : 0;
  const evidence = [`The arbitrage loop planned it: ${a.reason}.`];
  if (d) {
    evidence.push(
      `${d.from.title} costs ${
        d.from.monthlyUsd !== undefined
          ? dollars(d.from.monthlyUsd)
          : 'an unknown amount'
      } a month, ${d.to.title} (${d.to.capacityType}) ${dollars(
        d.to.monthlyUsd,
      )}.`,
      `The move itself costs ${formatUsd(d.moveUsd)}${
        d.paybackHours !== undefined
          ? `, paid back in ${Math.ceil(d.paybackHours)} hours`
          : ', and the saving never pays it back'
      }; risk: ${d.risk}.`,
    );
  }
  const pods = replicasDropped(a);
  return {
    id: recommendationId(
      'arbitrage',
      { modelRef: a.entityRef, poolRef: d?.to.pool },
      'migrate',
    ),
    kind: 'arbitrage',
    subject: {
      modelRef: a.entityRef,
      ...(d ? { poolRef: d.to.pool } : {}),
      ...(teamRef ? { teamRef } : {}),
    },
    title: d
      ? `Move ${model} from ${d.from.title} to ${d.to.title}`
      : `Move ${model}`,
    monthlySavingUsd: saving,
    disruption: {
      level: 'move',
      podsAffected: pods,
      description:
        'make before break: the new replicas start and become ready before the old ones stop',
    },
    confidence: d
      ? {
          level: d.to.availability >= 0.99 ? 'high' : 'medium',
          reason: `priced from the price book when planned; the target's availability is ${(
            d.to.availability * 100
          ).toFixed(1)} %`,
        }
      : { level: 'low', reason: 'the action carries no figures' },
    evidence,
    source: { type: 'action', actionId: a.id, actionKind: a.kind },
    applicable: APPLY,
  };
}

function fallback(
  a: ModelFleetAction,
  teamRef: string | undefined,
  model: string,
): Finding {
  const f = a.fallback;
  let hourly = 0;
  if (f) {
    hourly = (f.replicas.from - f.replicas.to) * f.onDemand.usdPerHour;
    for (const s of f.spread ?? []) {
      hourly += (s.replicas.from - s.replicas.to) * s.usdPerHour;
    }
  }
  const evidence = [`The spot fallback loop planned it: ${a.reason}.`];
  if (f) {
    evidence.push(
      `${f.spotReady} of the ${f.required} replicas it needs are ready on spot (${f.spot.title}).`,
    );
    if (f.replicas.from !== f.replicas.to) {
      evidence.push(
        `Its on-demand stand-in on ${f.onDemand.title} goes from ${
          f.replicas.from
        } to ${f.replicas.to} replica(s) at ${formatUsd(
          f.onDemand.usdPerHour,
        )} an hour each.`,
      );
    }
    for (const c of f.spread ?? []) {
      evidence.push(
        `Its spot companion on ${c.title} goes from ${c.replicas.from} to ${
          c.replicas.to
        } replica(s) at ${formatUsd(c.usdPerHour)} an hour each.`,
      );
    }
    if (hourly < 0) {
      evidence.push(
        f.direction === 'spread'
          ? 'This costs money rather than saving it: it spreads the spot replicas so that one reclaim does not take them all.'
          : 'This costs money rather than saving it: it keeps the model serving while its spot capacity is gone.',
      );
    }
  }
  const direction = f?.direction ?? 'fallback';
  return {
    id: recommendationId('spot-fallback', { modelRef: a.entityRef }, direction),
    kind: 'spot-fallback',
    subject: { modelRef: a.entityRef, ...(teamRef ? { teamRef } : {}) },
    title: FALLBACK_TITLES[direction](model),
    monthlySavingUsd: hourly * HOURS_PER_MONTH,
    disruption: {
      level: direction === 'return' ? 'restart' : 'none',
      podsAffected: replicasDropped(a),
      description:
        direction === 'return'
          ? 'the on-demand stand-in stops once spot replicas serve'
          : 'replicas are added; none stop',
    },
    confidence: {
      level: f ? 'high' : 'low',
      reason: f
        ? "from the cluster's replica counts and the pools' prices when planned"
        : 'the action carries no figures',
    },
    evidence,
    source: { type: 'action', actionId: a.id, actionKind: a.kind },
    applicable: APPLY,
  };
}

/**
 * The recommendations of the policies' actions that wait for approval
 * (`planned`, `dryRun`). A person's own request waiting for approval is
 * not a recommendation and is left out.
 */
export function recommendationsFromActions(
  actions: ModelFleetAction[],
  context: {
    teamOf(modelRef: string): string | undefined;
    unusedOf(modelRef: string): UnusedCost | undefined;
    names: EntityNames;
  },
): Finding[] {
  const out: Finding[] = [];
  for (const a of actions) {
    if (a.state !== 'planned' || !a.dryRun) continue;
    if (!a.requestedBy.startsWith('policy:')) continue;
    const team = context.teamOf(a.entityRef);
    const model = context.names.model(a.entityRef);
    if (a.kind === 'migrate') out.push(move(a, team, model));
    else if (a.kind === 'spot-fallback') out.push(fallback(a, team, model));
    else if (a.requestedBy === 'policy:hibernation') {
      out.push(hibernation(a, team, context.unusedOf(a.entityRef), model));
    }
  }
  return out;
}
