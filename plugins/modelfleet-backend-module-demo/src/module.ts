import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { DemoBillSource } from './DemoBillSource';
import { DemoClusterConnector } from './DemoClusterConnector';
import { createDemoFleet, loadTraces } from './DemoFleet';
import { DemoMetricsSource } from './DemoMetricsSource';

/**
 * The simulated demo fleet: three clusters on AWS, GCP and Azure with real
 * instance types, and models serving traffic replayed from real traces.
 * Registered behind the same connector interfaces as real clusters when
 * `modelfleet.demo.enabled` is true.
 *
 * @public
 */
export const modelfleetModuleDemo = createBackendModule({
  pluginId: 'modelfleet',
  moduleId: 'demo',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        connectors: modelfleetConnectorsExtensionPoint,
      },
      async init({ config, logger, connectors }) {
        if (!config.getOptionalBoolean('modelfleet.demo.enabled')) {
          logger.info('ModelFleet demo fleet is off (modelfleet.demo.enabled)');
          return;
        }
        const fleet = createDemoFleet(loadTraces());
        connectors.addClusterConnector(new DemoClusterConnector(fleet));
        connectors.addMetricsSource(new DemoMetricsSource(fleet));
        connectors.addBillSource(new DemoBillSource(fleet));
        logger.info(
          `ModelFleet demo fleet is on: ${fleet.clusters.length} clusters, ${fleet.pools.length} pools, ${fleet.models.length} models`,
        );
      },
    });
  },
});
