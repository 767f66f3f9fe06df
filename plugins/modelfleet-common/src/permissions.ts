import {
  createPermission,
  PermissionCondition,
} from '@backstage/plugin-permission-common';

/**
 * Read the cost and utilization of a catalog entity (a Model, a GpuPool or a
 * Group). A resource permission, so a policy can limit a team's costs to its
 * members and the platform team.
 *
 * @public
 */
export const modelfleetCostReadPermission = createPermission({
  name: 'modelfleet.cost.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Apply a model deployment to a cluster. A resource permission on the
 * Model, or on its owner Group while the Model is not yet in the catalog.
 *
 * @public
 */
export const modelfleetModelDeployPermission = createPermission({
  name: 'modelfleet.model.deploy',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/**
 * Scale, hibernate (scale to zero) or wake a model: a resource permission
 * on the Model.
 *
 * @public
 */
export const modelfleetModelHibernatePermission = createPermission({
  name: 'modelfleet.model.hibernate',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Apply a placement or arbitrage recommendation, or approve or cancel an
 * action: a resource permission on the Model it changes.
 *
 * @public
 */
export const modelfleetRecommendationApplyPermission = createPermission({
  name: 'modelfleet.recommendation.apply',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Every permission ModelFleet defines, for the permissions registry.
 *
 * @public
 */
/**
 * Running one of the backend's loops now (`POST /tasks/:id/run`), rather
 * than at its next scheduled time: a platform engineer's. Not about a
 * catalog entity, so ModelFleet's policy allows it to platform teams only.
 *
 * @public
 */
export const modelfleetTaskRunPermission = createPermission({
  name: 'modelfleet.task.run',
  attributes: { action: 'update' },
});

export const modelfleetPermissions = [
  modelfleetCostReadPermission,
  modelfleetModelDeployPermission,
  modelfleetModelHibernatePermission,
  modelfleetRecommendationApplyPermission,
  modelfleetTaskRunPermission,
];

/**
 * The catalog permission rule ModelFleet adds: the entity is one of the
 * given refs (a Group a user is in) or is owned by one of them. Conditions
 * on a team's costs and models use it, so a Group's own page and its
 * models' pages answer to the same claims.
 *
 * @public
 */
export const MODELFLEET_TEAM_RULE = 'MODELFLEET_IS_TEAM_OR_OWNED_BY_TEAM';

/**
 * A condition of {@link MODELFLEET_TEAM_RULE} for a user's ownership
 * claims (`user.identity.ownershipEntityRefs`).
 *
 * @public
 */
export function isTeamOrOwnedByTeam(
  claims: string[],
): PermissionCondition<'catalog-entity', { claims: string[] }> {
  return {
    rule: MODELFLEET_TEAM_RULE,
    resourceType: 'catalog-entity',
    params: { claims: claims.map(c => c.toLocaleLowerCase('en-US')) },
  };
}
