import { createPermission } from '@backstage/plugin-permission-common';

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
 * Apply a model deployment to a cluster.
 *
 * @public
 */
export const modelfleetModelDeployPermission = createPermission({
  name: 'modelfleet.model.deploy',
  attributes: { action: 'create' },
});

/**
 * Hibernate (scale to zero) or wake a model.
 *
 * @public
 */
export const modelfleetModelHibernatePermission = createPermission({
  name: 'modelfleet.model.hibernate',
  attributes: { action: 'update' },
});

/**
 * Apply a placement or arbitrage recommendation.
 *
 * @public
 */
export const modelfleetRecommendationApplyPermission = createPermission({
  name: 'modelfleet.recommendation.apply',
  attributes: { action: 'update' },
});

/**
 * Every permission ModelFleet defines, for the permissions registry.
 *
 * @public
 */
export const modelfleetPermissions = [
  modelfleetCostReadPermission,
  modelfleetModelDeployPermission,
  modelfleetModelHibernatePermission,
  modelfleetRecommendationApplyPermission,
];
