import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { modelfleetTeamRule } from '@modelfleet/plugin-catalog-backend-module-modelfleet';
import { ModelFleetPermissionPolicy } from '@modelfleet/plugin-permission-backend-module-modelfleet-policy';

/**
 * A permissions service that decides as the portal does: ModelFleet's real
 * policy, and its conditional decisions evaluated with the real catalog
 * rule against the given entities (what the catalog does for the
 * permission backend). Users' claims are their ref plus their teams.
 */
export function policyPermissions(options: {
  entities: Entity[];
  teamsOf: Record<string, string[]>;
  platformTeams?: string[];
}) {
  const policy = ModelFleetPermissionPolicy.fromConfig(
    new ConfigReader({
      modelfleet: {
        permissions: {
          platformTeams: options.platformTeams ?? [
            'group:default/platform-team',
          ],
        },
      },
    }),
  );
  const byRef = new Map(
    options.entities.map(e => [
      stringifyEntityRef(e).toLocaleLowerCase('en-US'),
      e,
    ]),
  );
  const decide = (
    permission: any,
    credentials: BackstageCredentials,
  ): PolicyDecision => {
    const principal = credentials.principal as
      | BackstageUserPrincipal
      | { type: string };
    if (principal.type === 'service') return { result: AuthorizeResult.ALLOW };
    const user = (principal as BackstageUserPrincipal).userEntityRef;
    const claims = [user, ...(options.teamsOf[user] ?? [])];
    return (
      policy.decide({ permission }, {
        credentials: credentials as any,
        info: { userEntityRef: user, ownershipEntityRefs: claims },
      } as any) ?? { result: AuthorizeResult.ALLOW }
    );
  };
  return mockServices.permissions.mock({
    authorizeConditional: async (queries, { credentials }) =>
      queries.map(q => decide(q.permission, credentials)) as any,
    authorize: async (requests, { credentials }) =>
      requests.map(r => {
        const d = decide(r.permission, credentials);
        if (d.result !== AuthorizeResult.CONDITIONAL)
          return { result: d.result };
        const entity = byRef.get(
          String((r as any).resourceRef ?? '').toLocaleLowerCase('en-US'),
        );
        const condition = d.conditions as any;
        const ok =
          entity !== undefined &&
          condition.rule === modelfleetTeamRule.name &&
          modelfleetTeamRule.apply(entity, condition.params);
        return { result: ok ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
      }),
  });
}
