export { PlacementService } from './PlacementService';
export type { PlacementServiceOptions } from './PlacementService';
export { createHighsLoader } from './highs';
export { parsePlacementRequest } from './parseRequest';
export { poolScheduling } from './scheduling';
export { inProcessConsolidator, PlacementWorker } from './PlacementWorker';
export type {
  ConsolidationRunner,
  ConsolidationRunOptions,
  PlacementRunner,
  PlacementRunOptions,
} from './PlacementWorker';
