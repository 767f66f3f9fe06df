import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { LocalGitRepositories } from '@modelfleet/plugin-modelfleet-node';
import { createDeployAction } from './actions/deploy';
import { createEstimateMemoryAction } from './actions/estimateMemory';
import {
  createPublishLocalAction,
  createRegisterLocalAction,
} from './actions/gitops';
import {
  createPlacementClient,
  createRecommendPlacementAction,
} from './actions/recommendPlacement';
import { createRenderManifestsAction } from './actions/renderManifests';

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
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
      },
      async init({
        scaffolder,
        config,
        discovery,
        auth,
        auditor,
        catalog,
        events,
      }) {
        const repos = LocalGitRepositories.fromConfig(config);
        scaffolder.addActions(
          createEstimateMemoryAction(),
          createRecommendPlacementAction({
            client: createPlacementClient({ discovery, auth }),
            catalog,
          }),
          createRenderManifestsAction({ catalog }),
          createDeployAction({ discovery, auth, auditor, catalog }),
          createPublishLocalAction({ repos }),
          createRegisterLocalAction({ repos, catalog, events }),
        );
      },
    });
  },
});
