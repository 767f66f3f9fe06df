import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { ModelFleetClient, modelfleetApiRef } from './api';
import { rootRouteRef } from './routes';

/**
 * The ModelFleet frontend plugin (legacy frontend system).
 *
 * @public
 */
export const modelfleetPlugin = createPlugin({
  id: 'modelfleet',
  apis: [
    createApiFactory({
      api: modelfleetApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ModelFleetClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * The ModelFleet page: clusters, GPU pools, models and backend state.
 *
 * @public
 */
export const ModelFleetPage = modelfleetPlugin.provide(
  createRoutableExtension({
    name: 'ModelFleetPage',
    component: () =>
      import('./components/ModelFleetPage').then(m => m.ModelFleetPage),
    mountPoint: rootRouteRef,
  }),
);
