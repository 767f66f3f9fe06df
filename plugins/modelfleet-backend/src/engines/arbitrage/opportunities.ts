import { HOURS_PER_MONTH } from '../placement/place';
import { ModelOptions, MoveCost, PoolOption } from './options';

/** What makes a move worth it, from the team's `arbitrage` policy. */
export interface OpportunityPolicy {
  /** Smallest saving, in percent of the model's cost, worth a move. */
  minSavingsPercent: number;
  /**
   * Hours within which a move must pay for itself: the saving over them,
   * less the move's cost, is what must clear `minSavingsPercent`.
   */
  paybackHorizonHours: number;
  /** Lowest availability of a pool a move may go to (0–1). */
  minAvailability: number;
}

/** The builtin horizon: a move pays for itself within a week. */
export const DEFAULT_PAYBACK_HORIZON_HOURS = 168;
/** The builtin floor: a pool out of capacity more than 1 % of the time is no target. */
export const DEFAULT_MIN_AVAILABILITY = 0.99;

/** A move worth making, with its figures and its risk. */
export interface Opportunity {
  /** The model (its Model entity ref). */
  id: string;
  /** The pools it runs on now. */
  from: string[];
  to: PoolOption;
  currentMonthlyUsd: number;
  /** On the target, a month, preemptions included. */
  targetMonthlyUsd: number;
  savingUsdPerMonth: number;
  /** The monthly saving as a share of the current cost, in percent. */
  savingPercent: number;
  /** Over the payback horizon, less the move's cost, in percent of the cost then. */
  netSavingPercent: number;
  move: MoveCost;
  /** Hours of saving that pay for the move. */
  paybackHours: number;
  risk: {
    preemptionsPerMonth: number;
    availability: number;
    migrationUsd: number;
    paybackHours: number;
  };
  /** Why, in words. */
  reason: string;
}

const usd = (v: number) =>
  v >= 100 ? `$${Math.round(v).toLocaleString('en-US')}` : `$${v.toFixed(2)}`;
const hours = (h: number) =>
  h < 1 ? `${Math.max(1, Math.round(h * 60))} min` : `${Math.round(h)} h`;
const percent = (v: number) => `${Math.round(v * 10) / 10} %`;

const monthly = (o: PoolOption) => o.monthlyUsd + o.preemptionUsdPerMonth;

function describe(o: Opportunity): string {
  const t = o.to;
  return [
    `to ${t.title} (${t.provider} ${t.region}, ${t.capacityType}): ${usd(
      o.savingUsdPerMonth,
    )} a month less (${percent(o.savingPercent)})`,
    `the move costs ${usd(o.move.usd)} once (${o.move.what.join(
      '; ',
    )}), paid back in ${hours(o.paybackHours)}`,
    `${
      t.preemptionsPerMonth > 0
        ? `${t.preemptionsPerMonth.toFixed(1)} preemptions a month expected`
        : 'no preemptions expected'
    }, capacity available ${percent(t.availability * 100)} of the time`,
  ].join('; ');
}

/**
 * The best move for a model, if one is worth it (pure): of the pools it
 * could run on, those whose availability is at least the policy's floor
 * and whose saving over the payback horizon, less the move's one-off
 * cost, clears `minSavingsPercent` of its cost then; the one that saves
 * most. Otherwise why none is, naming the closest.
 */
export function bestOpportunity(
  model: ModelOptions & { from: string[] },
  policy: OpportunityPolicy,
): { opportunity?: Opportunity; reason: string } {
  const current = model.currentMonthlyUsd;
  if (!(current > 0)) {
    return { reason: 'no price is known for where it runs now' };
  }
  const horizonShare = policy.paybackHorizonHours / HOURS_PER_MONTH;
  let best: Opportunity | undefined;
  let closest: { option: PoolOption; net: number; why: string } | undefined;
  for (const option of model.options) {
    if (option.current || !option.move) continue;
    const saving = current - monthly(option);
    const net =
      ((saving * horizonShare - option.move.usd) / (current * horizonShare)) *
      100;
    let why: string | undefined;
    if (option.availability < policy.minAvailability) {
      why = `capacity available ${percent(
        option.availability * 100,
      )} of the time, under ${percent(policy.minAvailability * 100)}`;
    } else if (net < policy.minSavingsPercent) {
      why = `saves ${percent(net)} over ${hours(
        policy.paybackHorizonHours,
      )} after the move's cost, under ${percent(policy.minSavingsPercent)}`;
    }
    if (why) {
      if (!closest || net > closest.net) closest = { option, net, why };
      continue;
    }
    const o: Opportunity = {
      id: model.id,
      from: model.from,
      to: option,
      currentMonthlyUsd: current,
      targetMonthlyUsd: monthly(option),
      savingUsdPerMonth: saving,
      savingPercent: (saving / current) * 100,
      netSavingPercent: net,
      move: option.move,
      paybackHours: option.move.usd / (saving / HOURS_PER_MONTH),
      risk: {
        preemptionsPerMonth: option.preemptionsPerMonth,
        availability: option.availability,
        migrationUsd: option.move.usd,
        paybackHours: option.move.usd / (saving / HOURS_PER_MONTH),
      },
      reason: '',
    };
    o.reason = describe(o);
    if (!best || o.savingUsdPerMonth > best.savingUsdPerMonth) best = o;
  }
  if (best) return { opportunity: best, reason: best.reason };
  if (!closest) {
    return { reason: 'no other pool it may run on' };
  }
  return {
    reason: `no move clears the policy: the closest, ${closest.option.title}, ${closest.why}`,
  };
}
