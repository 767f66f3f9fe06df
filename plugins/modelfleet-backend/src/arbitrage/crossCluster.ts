import { ModelArbitrageReport } from '@modelfleet/plugin-modelfleet-common';
import {
  bestOpportunity,
  Opportunity,
} from '../engines/arbitrage/opportunities';
import { PoolOption } from '../engines/arbitrage/options';

type Option = ModelArbitrageReport['options'][number];

/**
 * The best move of a what-if to a pool of another cluster (pure): the
 * report's own best may be a pool of the model's cluster, which a move
 * cannot reach yet, so the engine's `bestOpportunity` is asked again over
 * the other clusters' pools, under the same policy.
 */
export function crossClusterOpportunity(report: ModelArbitrageReport): {
  opportunity?: Opportunity;
  reason: string;
} {
  const current = report.options.find(o => o.current);
  if (!current) {
    return {
      reason: 'the pool it runs on now is not among those it may run on',
    };
  }
  const others = report.options.filter(o => o.cluster !== current.cluster);
  if (others.length === 0) {
    return { reason: 'no pool of another cluster it may run on' };
  }
  const best = bestOpportunity(
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
  if (best.opportunity) return best;
  const within = report.opportunity
    ? report.options.find(o => o.pool === report.opportunity!.to)
    : undefined;
  return {
    reason: `${best.reason}${
      within
        ? ` (the best move, to ${within.title}, stays on cluster ${within.cluster}: not built yet)`
        : ''
    }`,
  };
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
