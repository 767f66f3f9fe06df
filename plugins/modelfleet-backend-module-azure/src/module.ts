import {
  ClientSecretCredential,
  DefaultAzureCredential,
} from '@azure/identity';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { readAzureConfig } from './config';
import { AzureCostManagementBillSource } from './costManagement/AzureCostManagementBillSource';
import { AksNodePoolApi } from './nodePools/AksNodePoolApi';
import { AzureRetailPriceSource } from './retail/AzureRetailPriceSource';
import { AzureSpotEvictionRateSource } from './spot/AzureSpotEvictionRateSource';

/**
 * Reads Azure GPU VM list prices (Retail Prices API) and Azure bills (Cost
 * Management), and sets AKS agent pools' minimum sizes, as
 * `modelfleet.azure` configures.
 *
 * @public
 */
export const modelfleetModuleAzure = createBackendModule({
  pluginId: 'modelfleet',
  moduleId: 'azure',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        connectors: modelfleetConnectorsExtensionPoint,
      },
      async init({ config, logger, connectors }) {
        const azure = readAzureConfig(config);
        if (!azure) {
          logger.info(
            'ModelFleet reads no Azure prices or bills (modelfleet.azure is not set)',
          );
          return;
        }
        const {
          retailPrices,
          costManagement,
          spotEvictionRates,
          nodePools,
          credentials,
        } = azure;
        if (retailPrices) {
          connectors.addPriceSource(new AzureRetailPriceSource(retailPrices));
          logger.info(
            `ModelFleet reads Azure retail prices of GPU VM sizes in ${retailPrices.regions.join(
              ', ',
            )}`,
          );
        }
        const makeCredential = () =>
          credentials
            ? new ClientSecretCredential(
                credentials.tenantId,
                credentials.clientId,
                credentials.clientSecret,
              )
            : new DefaultAzureCredential();
        const credential =
          costManagement || spotEvictionRates || nodePools
            ? makeCredential()
            : undefined;
        const who = credentials
          ? `service principal ${credentials.clientId}`
          : 'the default Azure credential';
        if (spotEvictionRates && credential) {
          connectors.addSpotRiskSource(
            new AzureSpotEvictionRateSource({
              ...spotEvictionRates,
              credential,
            }),
          );
          logger.info(
            `ModelFleet reads Azure spot eviction rates in ${spotEvictionRates.regions.join(
              ', ',
            )} as ${who}`,
          );
        }
        if (costManagement && credential) {
          connectors.addBillSource(
            new AzureCostManagementBillSource({
              ...costManagement,
              credential,
            }),
          );
          logger.info(
            `ModelFleet reads Azure Cost Management bills of ${costManagement.scopes.join(
              ', ',
            )} as ${who}`,
          );
        }
        if (nodePools && credential) {
          connectors.addNodePoolApi(
            new AksNodePoolApi({ ...nodePools, credential, logger }),
          );
          logger.info(
            `ModelFleet manages the AKS agent pools of ${Object.entries(
              nodePools.clusters,
            )
              .map(
                ([name, c]) =>
                  `${name} (${c.resourceGroup}/${c.aksCluster} in subscription ${c.subscriptionId})`,
              )
              .join(', ')} as ${who}`,
          );
        }
        if (
          !retailPrices &&
          !costManagement &&
          !spotEvictionRates &&
          !nodePools
        ) {
          logger.info(
            'ModelFleet reads no Azure prices or bills (modelfleet.azure sets neither regions nor costManagement)',
          );
        }
      },
    });
  },
});
