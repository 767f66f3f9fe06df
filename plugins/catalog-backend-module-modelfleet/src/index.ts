/**
 * The ModelFleet module for the catalog: the `Model` and `GpuPool` kinds,
 * their validation and their relations.
 *
 * @packageDocumentation
 */

export { catalogModuleModelfleet as default } from './module';
export { ModelFleetEntitiesProcessor } from './processor/ModelFleetEntitiesProcessor';
export { ModelFleetGitOpsProvider } from './providers/ModelFleetGitOpsProvider';
export { isTeamOrOwnedByTeam as modelfleetTeamRule } from './permissions/teamRule';
