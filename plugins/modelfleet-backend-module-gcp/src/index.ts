/**
 * ModelFleet's GCP connectors: live GPU prices from the Cloud Billing
 * Catalog API, daily costs from the Cloud Billing export in BigQuery, and
 * the minimum of GKE node pools.
 *
 * @packageDocumentation
 */

export { modelfleetModuleGcp as default } from './module';
export {
  GcpBillingCatalogPriceSource,
  parseApiEndpoint,
} from './catalog/GcpBillingCatalogPriceSource';
export type { GcpBillingCatalogPriceSourceOptions } from './catalog/GcpBillingCatalogPriceSource';
export { GcpBillingExportBillSource } from './export/GcpBillingExportBillSource';
export type { GcpBillingExportBillSourceOptions } from './export/GcpBillingExportBillSource';
export { readGcpConfig } from './config';
export type { GcpModuleConfig } from './config';
export type { GcpCredentials } from './credentials';
export type { RetryOptions } from './retry';
export { GkeNodePoolApi } from './nodePools/GkeNodePoolApi';
export type { GkeNodePoolApiOptions } from './nodePools/GkeNodePoolApi';
export type { GkeClusterRef } from './nodePools/gkeNodePools';
