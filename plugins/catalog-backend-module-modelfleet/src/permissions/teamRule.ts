import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { EntitiesSearchFilter } from '@backstage/plugin-catalog-node';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { PermissionRule } from '@backstage/plugin-permission-node';
import { MODELFLEET_TEAM_RULE } from '@modelfleet/plugin-modelfleet-common';
import { z } from 'zod/v3';

/** Lower-case full refs; a claim that is not an entity ref matches nothing. */
function refsOf(claims: string[]) {
  const out: Array<{ kind: string; namespace: string; name: string }> = [];
  for (const claim of claims) {
    try {
      const ref = parseEntityRef(claim);
      out.push({
        kind: ref.kind.toLocaleLowerCase('en-US'),
        namespace: ref.namespace.toLocaleLowerCase('en-US'),
        name: ref.name.toLocaleLowerCase('en-US'),
      });
    } catch {
      // Not a ref: no entity is it.
    }
  }
  return out;
}

/**
 * `MODELFLEET_IS_TEAM_OR_OWNED_BY_TEAM`: the entity is one of the claims (a
 * Group the user is a member of) or is owned by one of them. The catalog's
 * own `IS_ENTITY_OWNER` covers only the second half, so a team could not
 * see its own Group page's costs with it.
 */
export const isTeamOrOwnedByTeam: PermissionRule<
  Entity,
  EntitiesSearchFilter,
  'catalog-entity',
  { claims: string[] }
> = {
  name: MODELFLEET_TEAM_RULE,
  description:
    'Allow entities that are one of the given teams or are owned by one of them',
  resourceType: 'catalog-entity',
  // Typed loosely: zod's types nest too deep for the rule's schema union.
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs of the teams (a user ownership claims)'),
  }) as any,
  apply: (entity, { claims }) => {
    const wanted = new Set(
      refsOf(claims).map(r => stringifyEntityRef(r).toLocaleLowerCase('en-US')),
    );
    if (wanted.has(stringifyEntityRef(entity).toLocaleLowerCase('en-US'))) {
      return true;
    }
    return (entity.relations ?? []).some(
      r =>
        r.type === RELATION_OWNED_BY &&
        wanted.has(r.targetRef.toLocaleLowerCase('en-US')),
    );
  },
  toQuery: ({ claims }): PermissionCriteria<EntitiesSearchFilter> => {
    const refs = refsOf(claims);
    const owned: EntitiesSearchFilter = {
      key: 'relations.ownedBy',
      values: refs.map(r => stringifyEntityRef(r)),
    };
    const selves = refs.map(
      (r): PermissionCriteria<EntitiesSearchFilter> => ({
        allOf: [
          { key: 'kind', values: [r.kind] },
          { key: 'metadata.namespace', values: [r.namespace] },
          { key: 'metadata.name', values: [r.name] },
        ],
      }),
    );
    return { anyOf: [owned, ...selves] };
  },
};
