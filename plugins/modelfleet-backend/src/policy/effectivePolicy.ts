import {
  PlatformPolicy,
  PolicySource,
} from '@modelfleet/plugin-modelfleet-common';
import { POLICIES_KEY, PolicyConfig, PolicyLayer } from './policyConfig';

/** ModelFleet's own defaults, under everything the platform team sets. */
export const BUILTIN_POLICY: PlatformPolicy = {
  monthlyBudgetUsd: null,
  allowedGpuTypes: null,
  spot: 'allow',
  maxOnDemandShare: 1,
  hibernation: {
    mode: 'recommend',
    idleMinutes: 30,
    coldStartPenaltyMinutes: 10,
    sleepWakeSeconds: 5,
    minWarmReplicas: 0,
    schedules: [],
  },
  arbitrage: {
    mode: 'recommend',
    minSavingsPercent: 20,
    maxMigrationsPerDay: 1,
    onDemandBaseReplicas: 0,
    spreadAcrossClusters: false,
  },
  consolidation: {
    maxDisruptedPods: null,
    maxDisruptedPercent: 10,
  },
  maintenanceWindows: [],
  dryRun: true,
};

/** Objects merged key by key; every other value (arrays too) is replaced whole. */
const NESTED = new Set(['hibernation', 'arbitrage', 'consolidation']);

function applyLayer(
  policy: PlatformPolicy,
  sources: Record<string, PolicySource>,
  layer: PolicyLayer | undefined,
  keyPrefix: string,
): void {
  if (!layer) return;
  const target = policy as unknown as Record<string, any>;
  for (const [key, value] of Object.entries(layer)) {
    if (value === undefined) continue;
    if (NESTED.has(key)) {
      for (const [sub, subValue] of Object.entries(value as object)) {
        if (subValue === undefined) continue;
        target[key][sub] = subValue;
        sources[`${key}.${sub}`] = `${keyPrefix}.${key}.${sub}`;
      }
    } else {
      target[key] = value;
      sources[key] = `${keyPrefix}.${key}`;
    }
  }
}

function builtinSources(): Record<string, PolicySource> {
  const sources: Record<string, PolicySource> = {};
  for (const [key, value] of Object.entries(BUILTIN_POLICY)) {
    if (NESTED.has(key)) {
      for (const sub of Object.keys(value))
        sources[`${key}.${sub}`] = 'builtin';
    } else {
      sources[key] = 'builtin';
    }
  }
  return sources;
}

/**
 * The policy in force for a team: ModelFleet's defaults, then
 * `modelfleet.policies.defaults`, then `modelfleet.policies.teams.<name>`,
 * with the source of every value. Pure.
 */
export function effectivePolicy(
  config: PolicyConfig,
  teamName: string | null,
): { policy: PlatformPolicy; sources: Record<string, PolicySource> } {
  const policy: PlatformPolicy = structuredClone(BUILTIN_POLICY);
  const sources = builtinSources();
  applyLayer(policy, sources, config.defaults, `${POLICIES_KEY}.defaults`);
  // An own key only: a team named `constructor` or `__proto__` must not
  // find Object.prototype's.
  const teams = config.teams;
  if (teamName && teams && Object.hasOwn(teams, teamName)) {
    applyLayer(
      policy,
      sources,
      teams[teamName],
      `${POLICIES_KEY}.teams.${teamName}`,
    );
  }
  return { policy, sources };
}
