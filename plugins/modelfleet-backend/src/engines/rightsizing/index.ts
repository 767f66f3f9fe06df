export { consolidate, placementProblem, POOL_TAINT } from './consolidation';
export type { ConsolidateOptions, ConsolidationTarget } from './consolidation';
export { validateFleet } from './fleet';
export { rightsize } from './rightsizing';
export { samplesFromSeries } from './samples';
export type * from './types';
