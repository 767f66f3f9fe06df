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

/** The legacy route refs, converted once for the new frontend system. */
const routes = convertLegacyRouteRefs({ root: rootRouteRef });

const modelfleetApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: modelfleetApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ModelFleetClient({ discoveryApi, fetchApi }),
    }),
});

// The app's nav lists every page extension that has a route ref, a title and
// an icon; `title` and `icon` here make the "ModelFleet" sidebar item.
const modelfleetPage = PageBlueprint.make({
  params: {
    path: '/modelfleet',
    title: 'ModelFleet',
    icon: <MemoryIcon />,
    routeRef: routes.root,
    // The page renders its own core-components Header.
    noHeader: true,
    loader: () =>
      import('./components/ModelFleetPage').then(m =>
        compatWrapper(<m.ModelFleetPage />),
      ),
  },
});

/**
 * The ModelFleet frontend plugin for the new frontend system: the
 * `plugin.modelfleet.service` API and the page at `/modelfleet`, with its
 * sidebar item.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'modelfleet',
  title: 'ModelFleet',
  icon: <MemoryIcon />,
  info: { packageJson: () => import('../package.json') },
  routes,
  extensions: [modelfleetApi, modelfleetPage],
});
