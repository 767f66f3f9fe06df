import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { GcpBillingCatalogPriceSource } from './catalog/GcpBillingCatalogPriceSource';
import { readGcpConfig } from './config';
import { GcpBillingExportBillSource } from './export/GcpBillingExportBillSource';
import { GkeNodePoolApi } from './nodePools/GkeNodePoolApi';

/**
 * Reads live GPU prices from the Cloud Billing Catalog and daily costs from
 * the Cloud Billing export in BigQuery, and sets the minimum of GKE node
 * pools, as configured under `modelfleet.gcp`.
 *
 * @public
 */
export const modelfleetModuleGcp = createBackendModule({
  pluginId: 'modelfleet',
  moduleId: 'gcp',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        connectors: modelfleetConnectorsExtensionPoint,
      },
      async init({ config, logger, connectors }) {
        const gcp = readGcpConfig(config);
        if (!gcp) {
          logger.info(
            'ModelFleet reads no GCP prices or bills (modelfleet.gcp is not set)',
          );
          return;
        }
        if (gcp.billingCatalog) {
          connectors.addPriceSource(
            new GcpBillingCatalogPriceSource(gcp.billingCatalog),
          );
          logger.info(
            `ModelFleet reads GCP GPU prices of ${gcp.regions.join(
              ', ',
            )} from the Cloud Billing Catalog`,
          );
        }
        if (gcp.billingExport) {
          const source = new GcpBillingExportBillSource(gcp.billingExport);
          connectors.addBillSource(source);
          logger.info(
            `ModelFleet reads GCP bills from the billing export ${gcp.billingExport.table}`,
          );
        }
        if (gcp.nodePools) {
          connectors.addNodePoolApi(new GkeNodePoolApi(gcp.nodePools, logger));
          const clusters = Object.entries(gcp.nodePools.clusters).map(
            ([name, c]) =>
              `${name} (${c.project}/${c.location}/${c.gkeCluster})`,
          );
          logger.info(
            `ModelFleet manages the GKE node pools of ${clusters.join(', ')}`,
          );
        }
        if (!gcp.billingCatalog && !gcp.billingExport) {
          logger.info(
            'ModelFleet reads no GCP prices or bills (neither modelfleet.gcp.billingCatalog nor billingExport is set)',
          );
        }
      },
    });
  },
});
