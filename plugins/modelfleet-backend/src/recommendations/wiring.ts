import { AuthService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { ActuatorDirectory } from '../actions/types';
import { TaskRegistry } from '../tasks/TaskRegistry';
import { readRecommendationsConfig } from './config';
import { CatalogEntityNames } from './names';
import {
  RecommendationService,
  RecommendationServiceOptions,
} from './RecommendationService';
import { RecommendationStateStore } from './RecommendationStateStore';
import { createRecommendationsTask } from './task';
import { Knex } from 'knex';

/**
 * The recommendations service with its per-person state (in the plugin's
 * database), the names it writes in (the catalog's titles), and the
 * scheduled pass that notifies the owning teams
 * (`modelfleet.recommendations`).
 */
export async function startRecommendations(
  options: Omit<RecommendationServiceOptions, 'states' | 'names'> & {
    db: Knex;
    config: Config;
    catalog: CatalogService;
    auth: AuthService;
    notifications: Pick<NotificationService, 'send'>;
    tasks: TaskRegistry;
    /** The clusters' actuators: their node-pool APIs read the pools' sizes. */
    actuators: ActuatorDirectory;
  },
): Promise<{
  recommendations: RecommendationService;
  states: RecommendationStateStore;
}> {
  const {
    db,
    config,
    catalog,
    auth,
    notifications,
    tasks,
    actuators,
    ...service
  } = options;
  const states = new RecommendationStateStore(db);
  const recommendations = new RecommendationService({
    ...service,
    names: new CatalogEntityNames(catalog, auth, service.logger),
    states,
    poolSize: async (cluster, pool) => {
      const actuator = await actuators
        .forCluster(cluster)
        .catch(() => undefined);
      return actuator?.poolSize?.({ cluster, pool });
    },
  });
  await tasks.schedule(
    createRecommendationsTask({
      recommendations,
      store: states,
      notifications,
      settings: readRecommendationsConfig(config),
    }),
  );
  return { recommendations, states };
}
