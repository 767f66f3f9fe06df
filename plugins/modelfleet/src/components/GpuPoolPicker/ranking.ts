/** The orders the user can rank the fitting pools in: what the cloud bill grows by, or what the team pays. */
import type { PlacementOption } from '@modelfleet/plugin-modelfleet-common';

/**
 * `bill`: what the pool adds to the cloud bill a month (the backend's
 * order: free GPUs on running nodes cost nothing more); `team`: what
 * showback charges the owner team a month.
 */
export type PoolOrder = 'bill' | 'team';

/**
 * The options in `order`, each with its rank in that order. Options that
 * break a policy rule stay last, as the backend ranks them; ties keep the
 * backend's order.
 */
export function rankOptions(
  options: PlacementOption[],
  order: PoolOrder,
): Array<{ option: PlacementOption; rank: number }> {
  const sorted =
    order === 'bill'
      ? [...options].sort((a, b) => a.rank - b.rank)
      : [...options].sort(
          (a, b) =>
            Number(a.violations.length > 0) - Number(b.violations.length > 0) ||
            a.chargedMonthlyUsd - b.chargedMonthlyUsd ||
            a.monthlyUsd - b.monthlyUsd ||
            a.rank - b.rank,
        );
  return sorted.map((option, i) => ({ option, rank: i + 1 }));
}
