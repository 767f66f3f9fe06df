import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { ModelFleetEntitiesProcessor } from './processor/ModelFleetEntitiesProcessor';
import { ModelFleetGpuPoolProvider } from './providers/ModelFleetGpuPoolProvider';

/**
 * Adds the ModelFleet `Model` and `GpuPool` kinds to the catalog, and the
 * provider that keeps a `GpuPool` entity for every pool of the connected
 * clusters.
 *
 * @public
 */
export const catalogModuleModelfleet = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'modelfleet',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, config, discovery, auth, logger, scheduler }) {
        catalog.addProcessor(new ModelFleetEntitiesProcessor());
        catalog.addEntityProvider(
          ModelFleetGpuPoolProvider.fromConfig(config, {
            discovery,
            auth,
            logger,
            scheduler,
          }),
        );
      },
    });
  },
});
