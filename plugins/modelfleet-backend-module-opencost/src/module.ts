import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { readOpenCostConfig } from './config';
import { OpenCostAllocationBillSource } from './OpenCostAllocationBillSource';

/**
 * Reads daily cost allocations from OpenCost when `modelfleet.opencost` is
 * configured.
 *
 * @public
 */
export const modelfleetModuleOpencost = createBackendModule({
  pluginId: 'modelfleet',
  moduleId: 'opencost',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        connectors: modelfleetConnectorsExtensionPoint,
      },
      async init({ config, logger, connectors }) {
        const instances = readOpenCostConfig(config);
        if (!instances) {
          logger.info(
            'ModelFleet reads no OpenCost allocations (modelfleet.opencost is not set)',
          );
          return;
        }
        for (const options of instances) {
          const source = new OpenCostAllocationBillSource(options);
          connectors.addBillSource(source);
          logger.info(
            `ModelFleet reads cost allocations from OpenCost at ${options.baseUrl} as bill source '${source.id}'`,
          );
        }
      },
    });
  },
});
