export { allocateDay } from './allocate';
export { detectAnomalies, DEFAULT_ANOMALY_OPTIONS } from './anomalies';
export type { AnomalyOptions, DetectedAnomaly } from './anomalies';
export { budgetStatus, monthProjection } from './budget';
export * from './days';
export { reconcile } from './reconcile';
export { bucketSeries, totalsOf } from './series';
export { unallocatedOf } from './unallocated';
export type * from './types';
export { aggregateSamples, meanPerStep, resolvePoolPrice } from './usage';
export type {
  PoolDayAggregate,
  PoolSampleLike,
  WorkloadSampleLike,
} from './usage';
