/**
 * ModelFleet's Azure connectors: live list prices of GPU VM sizes from the
 * Azure Retail Prices API, daily costs per resource from Azure Cost
 * Management, and the AKS node-pool API that sets agent pools' minimums.
 *
 * @packageDocumentation
 */

export { modelfleetModuleAzure as default } from './module';
export {
  AzureRetailPriceSource,
  DEFAULT_AZURE_GPU_SKU_PREFIXES,
} from './retail/AzureRetailPriceSource';
export type { AzureRetailPriceSourceOptions } from './retail/AzureRetailPriceSource';
export { azureGpuSize } from './retail/azureGpuSizes';
export type { AzureGpuSize } from './retail/azureGpuSizes';
export {
  AzureCostManagementBillSource,
  DEFAULT_AZURE_MODEL_TAG,
} from './costManagement/AzureCostManagementBillSource';
export type { AzureCostManagementBillSourceOptions } from './costManagement/AzureCostManagementBillSource';
export { readAzureConfig } from './config';
export type { AzureModuleConfig } from './config';
export {
  AzureSpotEvictionRateSource,
  parseEvictionBand,
} from './spot/AzureSpotEvictionRateSource';
export type { AzureSpotEvictionRateSourceOptions } from './spot/AzureSpotEvictionRateSource';
export { AksNodePoolApi } from './nodePools/AksNodePoolApi';
export type {
  AksClusterLocation,
  AksNodePoolApiOptions,
} from './nodePools/AksNodePoolApi';
export { AKS_ACTION_STEP_TAG } from './nodePools/agentPools';
