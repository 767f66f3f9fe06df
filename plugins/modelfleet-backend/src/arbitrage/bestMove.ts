import { ModelArbitrageReport } from '@modelfleet/plugin-modelfleet-common';
import {
  bestOpportunity,
  Opportunity,
} from '../engines/arbitrage/opportunities';
import { PoolOption } from '../engines/arbitrage/options';

type Option = ModelArbitrageReport['options'][number];

/**
 * The best move of a what-if (pure): the engine's `bestOpportunity` over
 * every pool the model may run on, its own cluster's (a rolling update)
 * and the other clusters' (make-before-break across clusters), under the
 * team's policy, with the engine's figures for the loop.
 */
export function bestMove(report: ModelArbitrageReport): {
  opportunity?: Opportunity;
  reason: string;
} {
  const current = report.options.find(o => o.current);
  if (!current) {
    return {
      reason: 'the pool it runs on now is not among those it may run on',
    };
  }
  const others = report.options.filter(o => !o.current);
  if (others.length === 0) {
    return { reason: 'no other pool it may run on' };
  }
  return bestOpportunity(
    {
      id: report.entityRef,
      from: [current.pool],
      currentMonthlyUsd: report.currentMonthlyUsd ?? 0,
      options: [current, ...others].map(poolOptionOf),
      rejected: [],
    },
    {
      minSavingsPercent: report.minSavingsPercent,
      paybackHorizonHours: report.paybackHorizonHours,
      minAvailability: report.minAvailability,
    },
  );
}

/** The engine's view of a what-if's pool. */
function poolOptionOf(o: Option): PoolOption {
  return {
    pool: o.pool,
    title: o.title,
    provider: o.provider,
    region: o.region,
    capacityType: o.capacityType,
    monthlyUsd: o.monthlyUsd,
    preemptionUsdPerMonth: o.preemptionUsdPerMonth,
    preemptionsPerMonth: o.preemptionsPerMonth,
    availability: o.availability,
    current: o.current,
    ...(o.move
      ? { move: { ...o.move, warmupUsd: o.move.usd - o.move.transferUsd } }
      : {}),
  };
}
