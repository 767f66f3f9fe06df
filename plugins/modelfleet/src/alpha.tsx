import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  compatWrapper,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import MemoryIcon from '@material-ui/icons/Memory';
import { ModelFleetClient, modelfleetApiRef } from './api';
import { rootRouteRef } from './routes';

const modelfleetApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: modelfleetApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ModelFleetClient({ discoveryApi, fetchApi }),
    }),
});

const modelfleetPage = PageBlueprint.make({
  params: {
    path: '/modelfleet',
    title: 'ModelFleet',
    icon: <MemoryIcon />,
    routeRef: convertLegacyRouteRefs({ root: rootRouteRef }).root,
    noHeader: true,
    loader: () =>
      import('./components/FleetPage').then(m =>
        compatWrapper(<m.FleetPage />),
      ),
  },
});

/**
 * The ModelFleet frontend plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'modelfleet',
  title: 'ModelFleet',
  icon: <MemoryIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: convertLegacyRouteRefs({ root: rootRouteRef }),
  extensions: [modelfleetApi, modelfleetPage],
});
