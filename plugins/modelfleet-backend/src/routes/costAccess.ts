import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CostAnomaly,
  CostPoint,
  CostReport,
  CostTotals,
  modelfleetCostReadPermission,
  PlacementResponse,
} from '@modelfleet/plugin-modelfleet-common';
import { CostQuery, CostReportService } from '../showback/CostReportService';
import { allowedRefs, isAllowedOn } from './access';

const addTotals = (a: CostTotals, b: CostTotals): CostTotals => ({
  costUsd: a.costUsd + b.costUsd,
  idleUsd: a.idleUsd + b.idleUsd,
  unusedUsd: a.unusedUsd + b.unusedUsd,
  gpuHours: a.gpuHours + b.gpuHours,
  savedGpuHours: a.savedGpuHours + b.savedGpuHours,
  savedUsd: a.savedUsd + b.savedUsd,
  daysWithData: Math.max(a.daysWithData, b.daysWithData),
});

const ZERO: CostTotals = {
  costUsd: 0,
  idleUsd: 0,
  unusedUsd: 0,
  gpuHours: 0,
  savedGpuHours: 0,
  savedUsd: 0,
  daysWithData: 0,
};

function addSeries(reports: CostPoint[][]): CostPoint[] {
  const byDate = new Map<string, CostPoint>();
  for (const series of reports) {
    for (const p of series) {
      const had = byDate.get(p.date);
      byDate.set(
        p.date,
        had
          ? {
              date: p.date,
              costUsd: had.costUsd + p.costUsd,
              idleUsd: had.idleUsd + p.idleUsd,
              unusedUsd: had.unusedUsd + p.unusedUsd,
              gpuHours: had.gpuHours + p.gpuHours,
              savedGpuHours: had.savedGpuHours + p.savedGpuHours,
              savedUsd: had.savedUsd + p.savedUsd,
            }
          : { ...p },
      );
    }
  }
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * The fleet report as a caller who may see only some teams sees it: the sum
 * of those teams' own reports (so each dollar means what it means on the
 * team's page), with the breakdown and anomalies limited to them. Pools are
 * shared capacity whose cost spans teams: a restricted view lists none.
 */
export function restrictFleetReport(
  fleet: CostReport,
  teams: CostReport[],
  visible: Set<string>,
): CostReport {
  const teamRefs = teams.map(t => t.entityRef!).sort();
  return {
    ...fleet,
    total: teams.map(t => t.total).reduce(addTotals, ZERO),
    series: addSeries(teams.map(t => t.series)),
    previous: {
      ...fleet.previous,
      total: teams.map(t => t.previous.total).reduce(addTotals, ZERO),
      series: addSeries(teams.map(t => t.previous.series)),
    },
    breakdown: {
      teams: fleet.breakdown.teams.filter(i => visible.has(i.entityRef)),
      models: fleet.breakdown.models.filter(i => visible.has(i.entityRef)),
      pools: [],
    },
    anomalies: fleet.anomalies.filter(
      a => visible.has(a.entityRef) || (a.team && visible.has(a.team)),
    ),
    restrictedTo: teamRefs,
  };
}

/** Whether `modelfleet.cost.read` holds on every entity, some, or none. */
export async function costReach(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
): Promise<'all' | 'some' | 'none'> {
  const [d] = await permissions.authorizeConditional(
    [{ permission: modelfleetCostReadPermission }],
    { credentials },
  );
  if (d.result === AuthorizeResult.ALLOW) return 'all';
  return d.result === AuthorizeResult.CONDITIONAL ? 'some' : 'none';
}

/**
 * The fleet cost report for the caller: whole for a platform team, else
 * {@link restrictFleetReport} over the teams whose costs they may see.
 */
export async function fleetCostFor(
  options: {
    permissions: PermissionsService;
    costs: CostReportService;
    credentials: BackstageCredentials;
  },
  q: CostQuery,
): Promise<CostReport> {
  const { permissions, costs, credentials } = options;
  const reach = await costReach(permissions, credentials);
  if (reach === 'none') {
    throw new NotAllowedError('modelfleet.cost.read is not allowed');
  }
  const fleet = await costs.cost('fleet', null, q);
  if (reach === 'all') return fleet;
  const visible = await allowedRefs(
    permissions,
    modelfleetCostReadPermission,
    [
      ...fleet.breakdown.teams.map(t => t.entityRef),
      ...fleet.breakdown.models.map(m => m.entityRef),
    ],
    credentials,
  );
  const teams = fleet.breakdown.teams
    .map(t => t.entityRef)
    .filter(ref => visible.has(ref));
  const reports = await Promise.all(
    teams.map(ref => costs.cost('team', ref, q)),
  );
  return restrictFleetReport(fleet, reports, visible);
}

/** The anomalies of what the caller may see. */
export async function anomaliesFor(
  options: {
    permissions: PermissionsService;
    costs: CostReportService;
    credentials: BackstageCredentials;
  },
  q: CostQuery,
): Promise<{ items: CostAnomaly[] }> {
  const { permissions, costs, credentials } = options;
  const reach = await costReach(permissions, credentials);
  if (reach === 'none') {
    throw new NotAllowedError('modelfleet.cost.read is not allowed');
  }
  const all = await costs.anomalies(q);
  if (reach === 'all') return all;
  const visible = await allowedRefs(
    permissions,
    modelfleetCostReadPermission,
    all.items.flatMap(a => (a.team ? [a.entityRef, a.team] : [a.entityRef])),
    credentials,
  );
  return {
    items: all.items.filter(
      a => visible.has(a.entityRef) || (a.team && visible.has(a.team)),
    ),
  };
}

/** Figures only a platform team sees (the whole fleet, the whole bill). */
export async function authorizeWholeFleet(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  what: string,
): Promise<void> {
  if ((await costReach(permissions, credentials)) !== 'all') {
    throw new NotAllowedError(
      `modelfleet.cost.read is not allowed on the whole fleet, which ${what} covers; platform teams have it`,
    );
  }
}

/** A placement without the owner team's money unless the caller may see it. */
export async function placementFor(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  response: PlacementResponse,
): Promise<PlacementResponse> {
  const team = response.policy.team;
  if (!team) return response;
  const ref = team.includes(':') ? team : `group:default/${team}`;
  const ok = await isAllowedOn(
    permissions,
    modelfleetCostReadPermission,
    ref.toLocaleLowerCase('en-US'),
    credentials,
  );
  if (ok) return response;
  return {
    ...response,
    policy: {
      ...response.policy,
      monthlyBudgetUsd: null,
      teamForecastThisMonthUsd: null,
    },
  };
}
