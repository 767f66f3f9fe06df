/**
 * ModelFleet's scaffolder actions.
 *
 * @packageDocumentation
 */

export { scaffolderModuleModelfleet as default } from './module';
export { createEstimateMemoryAction } from './actions/estimateMemory';
