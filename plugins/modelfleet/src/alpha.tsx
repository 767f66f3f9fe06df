import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  ExtensionDataRef,
  ExtensionDefinition,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  compatWrapper,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import MemoryIcon from '@material-ui/icons/Memory';
import {
  isGpuPoolEntity,
  isModelEntity,
} from '@modelfleet/plugin-modelfleet-common';
import { ModelFleetClient, modelfleetApiRef } from './api';
import { preloadModelPage } from './preload';
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

// Entity cards. Each has a filter, so the catalog's overview shows it on the
// right entity pages only: Model and GpuPool (apiVersion modelfleet.io/v1alpha1)
// and Group. An app can still override the filter in config.
// They are typed as entity-card definitions by kind and name only:
// catalog-react builds them with its own copy of frontend-plugin-api, whose
// types this package's declarations cannot name.
type EntityCard<TName extends string> = ExtensionDefinition<{
  kind: 'entity-card';
  name: TName;
  output: ExtensionDataRef;
  params: object;
}>;

const modelCostCard: EntityCard<'model-cost'> = EntityCardBlueprint.make({
  name: 'model-cost',
  params: {
    filter: entity => isModelEntity(entity),
    loader: () =>
      import('./components/EntityModelCostCard').then(m =>
        compatWrapper(<m.EntityModelCostCard />),
      ),
  },
});

const modelUtilizationCard: EntityCard<'model-utilization'> =
  EntityCardBlueprint.make({
    name: 'model-utilization',
    params: {
      filter: entity => isModelEntity(entity),
      loader: () =>
        import('./components/EntityModelUtilizationCard').then(m =>
          compatWrapper(<m.EntityModelUtilizationCard />),
        ),
    },
  });

const modelActivityCard: EntityCard<'model-activity'> =
  EntityCardBlueprint.make({
    name: 'model-activity',
    params: {
      filter: entity => isModelEntity(entity),
      loader: () =>
        import('./components/EntityModelActivityCard').then(m =>
          compatWrapper(<m.EntityModelActivityCard />),
        ),
    },
  });

const modelHibernationCard: EntityCard<'model-hibernation'> =
  EntityCardBlueprint.make({
    name: 'model-hibernation',
    params: {
      filter: entity => isModelEntity(entity),
      loader: () =>
        import('./components/EntityModelHibernationCard').then(m =>
          compatWrapper(<m.EntityModelHibernationCard />),
        ),
    },
  });

const modelArbitrageCard: EntityCard<'model-arbitrage'> =
  EntityCardBlueprint.make({
    name: 'model-arbitrage',
    params: {
      filter: entity => isModelEntity(entity),
      loader: () =>
        import('./components/EntityModelArbitrageCard').then(m =>
          compatWrapper(<m.EntityModelArbitrageCard />),
        ),
    },
  });

const modelSpotCard: EntityCard<'model-spot'> = EntityCardBlueprint.make({
  name: 'model-spot',
  params: {
    filter: entity => isModelEntity(entity),
    loader: () =>
      import('./components/EntityModelSpotCard').then(m =>
        compatWrapper(<m.EntityModelSpotCard />),
      ),
  },
});

const gpuPoolCard: EntityCard<'gpupool'> = EntityCardBlueprint.make({
  name: 'gpupool',
  params: {
    filter: entity => isGpuPoolEntity(entity),
    loader: () =>
      import('./components/EntityGpuPoolCard').then(m =>
        compatWrapper(<m.EntityGpuPoolCard />),
      ),
  },
});

const teamShowbackCard: EntityCard<'team-showback'> = EntityCardBlueprint.make({
  name: 'team-showback',
  params: {
    filter: entity => entity.kind.toLocaleLowerCase('en-US') === 'group',
    loader: () =>
      import('./components/EntityTeamShowbackCard').then(m =>
        compatWrapper(<m.EntityTeamShowbackCard />),
      ),
  },
});

// Realised savings: on Group pages (the team's ledger).
const teamSavingsCard: EntityCard<'team-savings'> = EntityCardBlueprint.make({
  name: 'team-savings',
  params: {
    filter: entity => entity.kind.toLocaleLowerCase('en-US') === 'group',
    loader: () =>
      import('./components/Savings').then(m =>
        compatWrapper(<m.EntityTeamSavingsCard />),
      ),
  },
});

// Recommendations: on Model pages (the model's) and Group pages (the team's).
const recommendationsCard: EntityCard<'recommendations'> =
  EntityCardBlueprint.make({
    name: 'recommendations',
    params: {
      filter: entity =>
        isModelEntity(entity) ||
        entity.kind.toLocaleLowerCase('en-US') === 'group',
      loader: () =>
        import('./components/Recommendations').then(m =>
          compatWrapper(<m.EntityRecommendationsCard />),
        ),
    },
  });

// The `ui:field: GpuPoolPicker` scaffolder field. It attaches to the
// scaffolder's form-fields API, so an app that has the scaffolder plugin
// gets it through feature discovery. Typed by kind and name only, like the
// entity cards: scaffolder-react builds it with its own frontend-plugin-api.
const gpuPoolPickerFormField: ExtensionDefinition<{
  kind: 'scaffolder-form-field';
  name: 'gpu-pool-picker';
  output: ExtensionDataRef;
  params: object;
}> = FormFieldBlueprint.make({
  name: 'gpu-pool-picker',
  params: {
    field: () =>
      import('./components/GpuPoolPicker/formField').then(
        m => m.gpuPoolPickerFormField,
      ),
  },
});

// The `ui:field: MaxReplicas` scaffolder field: the maximum replicas,
// checked against the minimum on the step where both are typed.
const maxReplicasFormField: ExtensionDefinition<{
  kind: 'scaffolder-form-field';
  name: 'max-replicas';
  output: ExtensionDataRef;
  params: object;
}> = FormFieldBlueprint.make({
  name: 'max-replicas',
  params: {
    field: () =>
      import('./components/MaxReplicasField/formField').then(
        m => m.maxReplicasFormField,
      ),
  },
});

// The `ui:field: WakeOn` scaffolder field: how a model that scales to zero
// wakes, asked only while the traffic idles and cleared otherwise.
const wakeOnFormField: ExtensionDefinition<{
  kind: 'scaffolder-form-field';
  name: 'wake-on';
  output: ExtensionDataRef;
  params: object;
}> = FormFieldBlueprint.make({
  name: 'wake-on',
  params: {
    field: () =>
      import('./components/WakeOnField/formField').then(m => m.wakeOnFormField),
  },
});

/**
 * The ModelFleet frontend plugin for the new frontend system: the
 * `plugin.modelfleet.service` API, the page at `/modelfleet` with its
 * sidebar item, the entity cards for Model, GpuPool and Group pages, the
 * `GpuPoolPicker`, `MaxReplicas` and `WakeOn` scaffolder form fields, and an
 * app root element that loads the Model page's cards and charts while the
 * app starts.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'modelfleet',
  title: 'ModelFleet',
  icon: <MemoryIcon />,
  info: { packageJson: () => import('../package.json') },
  routes,
  extensions: [
    modelfleetApi,
    modelfleetPage,
    modelCostCard,
    modelUtilizationCard,
    modelActivityCard,
    modelHibernationCard,
    modelArbitrageCard,
    modelSpotCard,
    gpuPoolCard,
    teamShowbackCard,
    teamSavingsCard,
    recommendationsCard,
    gpuPoolPickerFormField,
    maxReplicasFormField,
    wakeOnFormField,
    preloadModelPage,
  ],
});
