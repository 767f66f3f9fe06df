/**
 * The plugin id shared by every ModelFleet package.
 *
 * @public
 */
export const MODELFLEET_PLUGIN_ID = 'modelfleet';

/**
 * The apiVersion of the ModelFleet catalog kinds.
 *
 * @public
 */
export const MODELFLEET_API_VERSION = 'modelfleet.io/v1alpha1';

/**
 * Catalog kind of a deployed or deployable AI model.
 *
 * @public
 */
export const MODEL_KIND = 'Model';

/**
 * Catalog kind of a set of identical GPU nodes in one cluster.
 *
 * @public
 */
export const GPU_POOL_KIND = 'GpuPool';

/**
 * Kubernetes label that ties a workload to its Model entity.
 *
 * @public
 */
export const MODEL_WORKLOAD_LABEL = 'modelfleet.io/model';

/**
 * Relation from a Model to a GpuPool it runs on.
 *
 * @public
 */
export const RELATION_RUNS_ON = 'runsOn';

/**
 * Relation from a GpuPool to a Model it hosts (the reverse of `runsOn`).
 *
 * @public
 */
export const RELATION_HOSTS = 'hosts';
