/**
 * ModelFleet's OpenCost bill connector: daily cost per cluster and per model
 * (or namespace, pod, controller), idle cost included, from OpenCost's
 * `/allocation` API.
 *
 * @packageDocumentation
 */

export { modelfleetModuleOpencost as default } from './module';
export {
  InvalidOpenCostOptionError,
  OpenCostAllocationBillSource,
} from './OpenCostAllocationBillSource';
export type { OpenCostAllocationBillSourceOptions } from './OpenCostAllocationBillSource';
export type { OpenCostClusterMapping } from './lines';
export { readOpenCostConfig } from './config';
