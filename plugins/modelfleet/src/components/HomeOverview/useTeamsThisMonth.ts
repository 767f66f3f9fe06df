import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { CostReport } from '@modelfleet/plugin-modelfleet-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ModelFleetApi, modelfleetApiRef } from '../../api';
import { DayPeriod } from './period';

/** A team on the home page, with its report for the month when it was read. */
export interface TeamMonth {
  /** The Group's ref, e.g. `group:default/search-team`. */
  ref: string;
  /** Whether the signed-in user is a member. */
  mine: boolean;
  report?: CostReport;
  error?: Error;
}

/** What the home page shows about the month so far. */
export interface TeamsThisMonth {
  period: DayPeriod;
  /** The fleet report for the month, as far as the user may see it. */
  fleet: CostReport;
  /** The teams shown: the user's own first, then by cost. */
  teams: TeamMonth[];
  /** The user's Group refs (from the identity's ownership refs). */
  myTeams: string[];
  /**
   * True when the user may see every team's cost (a platform team's
   * member): the teams shown are then every team with a cost this month.
   */
  everyTeam: boolean;
}

const GROUP_REF = /^group:(?:([^/:]+)\/)?([^/:]+)$/i;

/** A Group ref's namespace and name, or undefined for any other ref. */
export function parseGroupRef(
  ref: string,
): { namespace: string; name: string } | undefined {
  const match = GROUP_REF.exec(ref.trim());
  if (!match) return undefined;
  return {
    namespace: (match[1] ?? 'default').toLocaleLowerCase('en-US'),
    name: match[2].toLocaleLowerCase('en-US'),
  };
}

/**
 * The Group refs among the signed-in user's ownership refs, as
 * `group:<namespace>/<name>`.
 */
export function groupRefsOf(ownershipEntityRefs: string[]): string[] {
  const groups = new Set<string>();
  for (const raw of ownershipEntityRefs) {
    const group = parseGroupRef(raw);
    if (group) groups.add(`group:${group.namespace}/${group.name}`);
  }
  return [...groups];
}

/**
 * Which teams to show: those the fleet report is restricted to (the user's
 * teams whose costs they may see), or, when it is not restricted, every
 * team with a cost this month. The user's own teams come first, then the
 * most expensive.
 */
export function teamsToShow(fleet: CostReport, myTeams: string[]): string[] {
  const costOf = new Map(
    fleet.breakdown.teams.map(t => [t.entityRef, t.costUsd]),
  );
  const refs =
    fleet.restrictedTo ?? fleet.breakdown.teams.map(t => t.entityRef);
  const mine = new Set(myTeams);
  return [...new Set(refs)].sort(
    (a, b) =>
      Number(mine.has(b)) - Number(mine.has(a)) ||
      (costOf.get(b) ?? 0) - (costOf.get(a) ?? 0) ||
      a.localeCompare(b),
  );
}

/** Reads the month so far: the fleet as the user sees it, then each team. */
export async function loadTeamsThisMonth(
  api: ModelFleetApi,
  ownershipEntityRefs: string[],
  period: DayPeriod,
): Promise<TeamsThisMonth> {
  const myTeams = groupRefsOf(ownershipEntityRefs);
  const fleet = await api.getFleetCost({ ...period, granularity: 'month' });
  const refs = teamsToShow(fleet, myTeams);
  const mine = new Set(myTeams);
  const teams = await Promise.all(
    refs.map(async (ref): Promise<TeamMonth> => {
      const group = parseGroupRef(ref);
      if (!group) {
        return { ref, mine: false, error: new Error(`${ref} is not a Group`) };
      }
      try {
        const report = await api.getEntityCost(
          { kind: 'group', ...group },
          { ...period, granularity: 'month' },
        );
        return { ref, mine: mine.has(ref), report };
      } catch (error) {
        return { ref, mine: mine.has(ref), error: error as Error };
      }
    }),
  );
  return {
    period,
    fleet,
    teams,
    myTeams,
    everyTeam: fleet.restrictedTo === undefined,
  };
}

/** {@link loadTeamsThisMonth} for the signed-in user. */
export function useTeamsThisMonth(period: DayPeriod) {
  const api = useApi(modelfleetApiRef);
  const identityApi = useApi(identityApiRef);
  return useAsyncRetry(async () => {
    const identity = await identityApi.getBackstageIdentity();
    return loadTeamsThisMonth(api, identity.ownershipEntityRefs, period);
  }, [api, identityApi, period.from, period.to]);
}
