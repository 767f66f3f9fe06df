import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { ModelFleetEntitiesProcessor } from './processor/ModelFleetEntitiesProcessor';

/**
 * Adds the ModelFleet `Model` and `GpuPool` kinds to the catalog.
 *
 * @public
 */
export const catalogModuleModelfleet = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'modelfleet',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor(new ModelFleetEntitiesProcessor());
      },
    });
  },
});
