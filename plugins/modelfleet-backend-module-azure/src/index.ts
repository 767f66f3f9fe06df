/**
 * ModelFleet's Azure connectors: live list prices of GPU VM sizes from the
 * Azure Retail Prices API, and daily costs per resource from Azure Cost
 * Management.
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
