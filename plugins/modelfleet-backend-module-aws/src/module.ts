import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { AwsCostExplorerBillSource } from './AwsCostExplorerBillSource';
import { AwsPricingPriceSource } from './AwsPricingPriceSource';
import { AwsSpotPriceSource } from './AwsSpotPriceSource';
import { AwsSpotPlacementScoreSource } from './AwsSpotPlacementScoreSource';
import { readAwsConfig } from './config';
import { EksNodePoolApi } from './EksNodePoolApi';

/**
 * AWS prices (Price List API, EC2 spot price history), bills (Cost
 * Explorer) and the EKS node-pool API for ModelFleet, when `modelfleet.aws`
 * is configured.
 *
 * @public
 */
export const modelfleetModuleAws = createBackendModule({
  pluginId: 'modelfleet',
  moduleId: 'aws',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        connectors: modelfleetConnectorsExtensionPoint,
      },
      async init({ config, logger, connectors }) {
        const options = readAwsConfig(config);
        if (!options) {
          logger.info(
            'ModelFleet reads no AWS prices or bills (modelfleet.aws is not set)',
          );
          return;
        }
        const { pricing, spot, spotPlacementScores, costExplorer, nodePools } =
          options;
        const on: string[] = [];
        if (pricing) {
          connectors.addPriceSource(new AwsPricingPriceSource(pricing));
          on.push(`on-demand prices for ${pricing.regions.join(', ')}`);
        }
        if (spot) {
          connectors.addPriceSource(new AwsSpotPriceSource(spot));
          on.push(`spot prices for ${spot.regions.join(', ')}`);
        }
        if (spotPlacementScores) {
          connectors.addSpotRiskSource(
            new AwsSpotPlacementScoreSource(spotPlacementScores),
          );
          on.push(
            `spot placement scores for ${spotPlacementScores.regions.join(
              ', ',
            )}`,
          );
        }
        if (costExplorer) {
          connectors.addBillSource(new AwsCostExplorerBillSource(costExplorer));
          on.push(
            `Cost Explorer bills by tag ${costExplorer.tagKeys!.join(', ')}`,
          );
        }
        if (nodePools) {
          connectors.addNodePoolApi(
            new EksNodePoolApi({ ...nodePools, logger }),
          );
          const managed = Object.entries(nodePools.clusters).map(
            ([name, at]) => `${name} (EKS ${at.eksCluster}, ${at.region})`,
          );
          logger.info(
            `ModelFleet manages the EKS node groups' minimum size of clusters ${managed.join(
              ', ',
            )}`,
          );
        }
        if (on.length > 0) {
          logger.info(`ModelFleet reads AWS ${on.join('; ')}`);
        } else if (!nodePools) {
          logger.info(
            'ModelFleet reads nothing from AWS (every AWS source is disabled)',
          );
        }
      },
    });
  },
});
