import {
  CostBreakdownItem,
  CostTotals,
  CostUnallocated,
  IdleCostPolicy,
  unallocatedPayerText,
} from '@modelfleet/plugin-modelfleet-common';

/** Differences below half a cent are rounding, not cost. */
const cents = (v: number) => (Math.abs(v) < 0.005 ? 0 : v);

/**
 * What the rows of a report do not account for, so that the rows plus it
 * equal the total: the fleet's total minus its teams (unallocated capacity
 * the idle-cost policy charges no team, and models with no owning team),
 * or a team's total minus its models (unallocated capacity the policy
 * charges the team itself, under `platform-team`). Says who pays it.
 *
 * Pure: no I/O, no clock.
 */
export function unallocatedOf(options: {
  scope: 'fleet' | 'team';
  total: Pick<CostTotals, 'costUsd' | 'idleUsd' | 'unusedUsd'>;
  rows: Array<Pick<CostBreakdownItem, 'costUsd' | 'idleUsd' | 'unusedUsd'>>;
  idleCostPolicy: IdleCostPolicy;
  platformTeamRef?: string;
}): CostUnallocated {
  const { scope, total, rows, idleCostPolicy, platformTeamRef } = options;
  const sum = (f: 'costUsd' | 'idleUsd' | 'unusedUsd') =>
    cents(total[f] - rows.reduce((s, r) => s + r[f], 0));
  const paidBy =
    scope === 'fleet'
      ? unallocatedPayerText(idleCostPolicy, platformTeamRef)
      : `This team pays the pools' unallocated capacity under the idle-cost policy ${idleCostPolicy}; no model of the team requested it.`;
  return {
    costUsd: sum('costUsd'),
    idleUsd: sum('idleUsd'),
    unusedUsd: sum('unusedUsd'),
    paidBy,
  };
}
