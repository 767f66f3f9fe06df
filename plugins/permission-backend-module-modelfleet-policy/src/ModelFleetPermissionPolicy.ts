import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  isTeamOrOwnedByTeam,
  modelfleetPermissions,
} from '@modelfleet/plugin-modelfleet-common';

const MODELFLEET = new Set(modelfleetPermissions.map(p => p.name));
const GROUP_REF = /^group:[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/;

/**
 * Reads `modelfleet.permissions.platformTeams`: full Group refs, lower-cased.
 * A value that is not a full Group ref is a configuration error naming it.
 */
export function readPlatformTeams(config: Config): string[] {
  const teams =
    config.getOptionalStringArray('modelfleet.permissions.platformTeams') ?? [];
  return teams.map((team, i) => {
    const ref = team.trim().toLocaleLowerCase('en-US');
    if (!GROUP_REF.test(ref)) {
      throw new Error(
        `modelfleet.permissions.platformTeams[${i}]: must be a full Group ref such as group:default/platform-team, got '${team}'`,
      );
    }
    return ref;
  });
}

/**
 * ModelFleet's permission policy.
 *
 * - A member of a platform team (`modelfleet.permissions.platformTeams`)
 *   may do everything ModelFleet offers.
 * - Anyone else gets a conditional decision on the catalog entity the
 *   permission is about: allowed where the entity is one of the user's
 *   teams or is owned by one of them (the catalog's ownership and
 *   membership relations, through the user's ownership claims). So a team
 *   sees its own costs and acts on its own models, and fleet-wide routes
 *   filter to what the caller may see.
 * - A ModelFleet permission that is not about a catalog entity is denied
 *   to them.
 *
 * {@link ModelFleetPermissionPolicy.decide} answers only ModelFleet's
 * permissions, for an organisation's own policy to delegate to; `handle`
 * allows the rest, as Backstage's allow-all policy does.
 */
export class ModelFleetPermissionPolicy implements PermissionPolicy {
  static fromConfig(config: Config): ModelFleetPermissionPolicy {
    return new ModelFleetPermissionPolicy(readPlatformTeams(config));
  }

  constructor(private readonly platformTeams: string[]) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    return this.decide(request, user) ?? { result: AuthorizeResult.ALLOW };
  }

  /** The decision on a ModelFleet permission; undefined for any other. */
  decide(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): PolicyDecision | undefined {
    const { permission } = request;
    if (!MODELFLEET.has(permission.name)) return undefined;
    const claims = (user?.info.ownershipEntityRefs ?? []).map(c =>
      c.toLocaleLowerCase('en-US'),
    );
    if (this.platformTeams.some(t => claims.includes(t))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!claims.length || !isResourcePermission(permission, 'catalog-entity')) {
      return { result: AuthorizeResult.DENY };
    }
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: isTeamOrOwnedByTeam(claims),
    };
  }
}
