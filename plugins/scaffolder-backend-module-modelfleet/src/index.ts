/**
 * ModelFleet's scaffolder actions.
 *
 * @packageDocumentation
 */

export { scaffolderModuleModelfleet as default } from './module';
export { createEstimateMemoryAction } from './actions/estimateMemory';
export {
  createRecommendPlacementAction,
  createPlacementClient,
} from './actions/recommendPlacement';
export type { PlacementClient } from './actions/recommendPlacement';
export { createRenderManifestsAction } from './actions/renderManifests';
export { createDeployAction } from './actions/deploy';
export {
  createPublishLocalAction,
  createRegisterLocalAction,
} from './actions/gitops';
export { modelfleetModuleManifests } from './manifestsModule';
export { renderModelManifests } from './manifests/render';
export type { RenderedModel } from './manifests/render';
