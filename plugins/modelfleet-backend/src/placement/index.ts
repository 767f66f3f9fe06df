export { PlacementService } from './PlacementService';
export type { PlacementServiceOptions } from './PlacementService';
export { createHighsLoader } from './highs';
export { parsePlacementRequest } from './parseRequest';
export { poolScheduling } from './scheduling';
export { PlacementWorker } from './PlacementWorker';
export type { PlacementRunner, PlacementRunOptions } from './PlacementWorker';
