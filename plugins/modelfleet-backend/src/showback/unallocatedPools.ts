import {
  CostBreakdownItem,
  CostUnallocatedPool,
  IdleCostPolicy,
} from '@modelfleet/plugin-modelfleet-common';

/** Amounts under half a cent are rounding, not capacity nobody used. */
const HALF_CENT = 0.005;

/**
 * Whether a report's Unallocated row holds the pools' unallocated capacity:
 * the fleet's, unless the platform team pays it (`platform-team`); then
 * the platform team's, whose row it is on its own page.
 */
export function holdsPoolCapacity(options: {
  scope: 'fleet' | 'team';
  entityRef: string | null;
  idleCostPolicy: IdleCostPolicy;
  platformTeamRef?: string;
}): boolean {
  const { scope, entityRef, idleCostPolicy, platformTeamRef } = options;
  if (idleCostPolicy === 'platform-team') {
    return scope === 'team' && !!entityRef && entityRef === platformTeamRef;
  }
  return scope === 'fleet';
}

/**
 * The pools whose capacity no model used, largest first: for each pool,
 * its cost less what the models on it are charged (their share of its
 * unallocated capacity included, under `shared-proportionally`), to the
 * cent. `pools` are the pools' own totals, `modelsByPool` the models'
 * totals summed by the pool they ran on.
 */
export function unallocatedPools(
  pools: CostBreakdownItem[],
  modelsByPool: CostBreakdownItem[],
): CostUnallocatedPool[] {
  const charged = new Map<string, number>();
  for (const m of modelsByPool) {
    charged.set(m.entityRef, (charged.get(m.entityRef) ?? 0) + m.costUsd);
  }
  return pools
    .map(p => ({
      entityRef: p.entityRef,
      idleUsd: p.costUsd - (charged.get(p.entityRef) ?? 0),
    }))
    .filter(p => p.idleUsd >= HALF_CENT)
    .map(p => ({ ...p, idleUsd: Math.round(p.idleUsd * 100) / 100 }))
    .sort(
      (a, b) => b.idleUsd - a.idleUsd || a.entityRef.localeCompare(b.entityRef),
    );
}
