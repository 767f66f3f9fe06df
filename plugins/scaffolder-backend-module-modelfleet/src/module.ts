import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createEstimateMemoryAction } from './actions/estimateMemory';

/**
 * ModelFleet's scaffolder actions.
 *
 * @public
 */
export const scaffolderModuleModelfleet = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'modelfleet',
  register(reg) {
    reg.registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        scaffolder.addActions(createEstimateMemoryAction());
      },
    });
  },
});
