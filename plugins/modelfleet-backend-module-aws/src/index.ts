/**
 * ModelFleet's AWS connectors: on-demand GPU instance prices from the Price
 * List API, spot prices from EC2 spot price history, and daily costs by
 * cost-allocation tag from Cost Explorer, and the minimum size of EKS
 * managed node groups.
 *
 * @packageDocumentation
 */

export { modelfleetModuleAws as default } from './module';
export { modelfleetModuleAws } from './module';
export { AwsPricingPriceSource } from './AwsPricingPriceSource';
export type { AwsPricingPriceSourceOptions } from './AwsPricingPriceSource';
export { AwsSpotPriceSource } from './AwsSpotPriceSource';
export type { AwsSpotPriceSourceOptions } from './AwsSpotPriceSource';
export { AwsSpotPlacementScoreSource } from './AwsSpotPlacementScoreSource';
export type { AwsSpotPlacementScoreSourceOptions } from './AwsSpotPlacementScoreSource';
export {
  AwsCostExplorerBillSource,
  COST_METRICS,
  DEFAULT_COST_SERVICES,
  DEFAULT_TAG_KEYS,
} from './AwsCostExplorerBillSource';
export type {
  AwsCostExplorerBillSourceOptions,
  CostMetric,
} from './AwsCostExplorerBillSource';
export {
  EksNodePoolApi,
  DEFAULT_EKS_REQUEST_TIMEOUT_MS,
} from './EksNodePoolApi';
export type {
  EksClusterLocation,
  EksNodePoolApiOptions,
} from './EksNodePoolApi';
export type { AwsClientOptions, AwsStaticCredentials } from './client';
export { readAwsConfig, DEFAULT_INSTANCE_FAMILIES } from './config';
export type { AwsModuleOptions } from './config';
