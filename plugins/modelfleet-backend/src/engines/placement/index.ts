export { rejectionOf, unitMemoryMiB, unitsPerNode } from './eligibility';
export { HOURS_PER_MONTH, placeModels } from './place';
export type { HighsSolve, PlaceOptions } from './place';
export type * from './types';
