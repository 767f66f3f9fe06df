import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { isTeamOrOwnedByTeam } from './permissions/teamRule';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { LocalGitRepositories } from '@modelfleet/plugin-modelfleet-node';
import { ModelFleetGitOpsProvider } from './providers/ModelFleetGitOpsProvider';
import { ModelFleetEntitiesProcessor } from './processor/ModelFleetEntitiesProcessor';
import { PlacementReader } from './processor/PlacementReader';
import { ModelFleetGpuPoolProvider } from './providers/ModelFleetGpuPoolProvider';

/**
 * Adds the ModelFleet `Model` and `GpuPool` kinds to the catalog, the
 * provider that keeps a `GpuPool` entity for every pool of the connected
 * clusters, and, when `modelfleet.gitops.local.root` is set, the provider
 * that registers the repositories of the local GitOps target, and the
 * catalog permission rule `MODELFLEET_IS_TEAM_OR_OWNED_BY_TEAM`.
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
        events: eventsServiceRef,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({
        catalog,
        config,
        discovery,
        auth,
        logger,
        scheduler,
        events,
        permissionsRegistry,
      }) {
        // The rule ModelFleet's permission policy writes its conditions with.
        permissionsRegistry.addPermissionRules([isTeamOrOwnedByTeam]);
        // A Model runsOn the pools it runs on now (after a move too).
        const placements = new PlacementReader({ discovery, auth, logger });
        catalog.addProcessor(
          new ModelFleetEntitiesProcessor({ placements: placements.poolsOf }),
        );
        catalog.addEntityProvider(
          ModelFleetGpuPoolProvider.fromConfig(config, {
            discovery,
            auth,
            logger,
            scheduler,
          }),
        );
        const repos = LocalGitRepositories.fromConfig(config);
        if (repos) {
          catalog.addEntityProvider(
            new ModelFleetGitOpsProvider({
              repos,
              events,
              logger,
              taskRunner: scheduler.createScheduledTaskRunner({
                frequency: { minutes: 1 },
                timeout: { minutes: 2 },
              }),
            }),
          );
        }
      },
    });
  },
});
