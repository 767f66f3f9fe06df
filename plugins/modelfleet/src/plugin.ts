import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { ModelFleetClient, modelfleetApiRef } from './api';
import {
  GpuPoolPicker,
  gpuPoolPickerValidation,
} from './components/GpuPoolPicker';
import {
  MaxReplicasField,
  maxReplicasValidation,
} from './components/MaxReplicasField';
import { WakeOnField } from './components/WakeOnField';
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
 * The ModelFleet page: the fleet overview with its cost, clusters, GPU
 * pools, models and backend state.
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

/**
 * Entity card for a Model: cost over time against the previous period,
 * change, idle share and unit costs.
 *
 * @public
 */
export const EntityModelCostCard = modelfleetPlugin.provide(
  createComponentExtension({
    name: 'EntityModelCostCard',
    component: {
      lazy: () =>
        import('./components/EntityModelCostCard').then(
          m => m.EntityModelCostCard,
        ),
    },
  }),
);

/**
 * Entity card for a Model: GPU utilization and memory over time, idle share
 * and idle cost.
 *
 * @public
 */
export const EntityModelUtilizationCard = modelfleetPlugin.provide(
  createComponentExtension({
    name: 'EntityModelUtilizationCard',
    component: {
      lazy: () =>
        import('./components/EntityModelUtilizationCard').then(
          m => m.EntityModelUtilizationCard,
        ),
    },
  }),
);

/**
 * Entity card for a Model: its replicas now, the Scale, Hibernate now and
 * Wake now buttons the caller may use, and the model's actions, live, with
 * their steps, events and planned changes, and Approve / Cancel.
 *
 * @public
 */
export const EntityModelActivityCard = modelfleetPlugin.provide(
  createComponentExtension({
    name: 'EntityModelActivityCard',
    component: {
      lazy: () =>
        import('./components/EntityModelActivityCard').then(
          m => m.EntityModelActivityCard,
        ),
    },
  }),
);

/**
 * Entity card for a Model: warm, at zero or waking, the keep-alive in use
 * and why, wakes and cold starts with the wake time (p50, p95), the next
 * change, and the GPU-hours and dollars saved against always on.
 *
 * @public
 */
export const EntityModelHibernationCard = modelfleetPlugin.provide(
  createComponentExtension({
    name: 'EntityModelHibernationCard',
    component: {
      lazy: () =>
        import('./components/EntityModelHibernationCard').then(
          m => m.EntityModelHibernationCard,
        ),
    },
  }),
);

/**
 * Entity card for a Model: what it would cost on each pool it may run on
 * now, what moving there costs once, and the best move under its team's
 * arbitrage policy (the what-if before a move).
 *
 * @public
 */
export const EntityModelArbitrageCard = modelfleetPlugin.provide(
  createComponentExtension({
    name: 'EntityModelArbitrageCard',
    component: {
      lazy: () =>
        import('./components/EntityModelArbitrageCard').then(
          m => m.EntityModelArbitrageCard,
        ),
    },
  }),
);

/**
 * Entity card for a Model: how it is served now on spot and on-demand
 * capacity (spot replicas Ready, under a reclaim notice, waiting for a
 * node, and the on-demand stand-in), what a stand-in replica costs against
 * a spot one, and its spot fallbacks and moves, with Approve / Cancel for
 * a fallback that waits for approval.
 *
 * @public
 */
export const EntityModelSpotCard = modelfleetPlugin.provide(
  createComponentExtension({
    name: 'EntityModelSpotCard',
    component: {
      lazy: () =>
        import('./components/EntityModelSpotCard').then(
          m => m.EntityModelSpotCard,
        ),
    },
  }),
);

/**
 * Entity card for a GpuPool: allocation, utilization, prices with their
 * source, spot/on-demand mix and cost with idle.
 *
 * @public
 */
export const EntityGpuPoolCard = modelfleetPlugin.provide(
  createComponentExtension({
    name: 'EntityGpuPoolCard',
    component: {
      lazy: () =>
        import('./components/EntityGpuPoolCard').then(m => m.EntityGpuPoolCard),
    },
  }),
);

/**
 * Entity card for a Group: the team's GPU cost by model, budget burn and
 * forecast, idle cost and anomalies.
 *
 * @public
 */
export const EntityTeamShowbackCard = modelfleetPlugin.provide(
  createComponentExtension({
    name: 'EntityTeamShowbackCard',
    component: {
      lazy: () =>
        import('./components/EntityTeamShowbackCard').then(
          m => m.EntityTeamShowbackCard,
        ),
    },
  }),
);

/**
 * Entity card for a Group: what applied actions and hibernation saved the
 * team, against what its models would have cost without them, by month
 * and by action.
 *
 * @public
 */
export const EntityTeamSavingsCard = modelfleetPlugin.provide(
  createComponentExtension({
    name: 'EntityTeamSavingsCard',
    component: {
      lazy: () =>
        import('./components/Savings').then(m => m.EntityTeamSavingsCard),
    },
  }),
);

/**
 * What would save money on a Model or Group entity page (legacy frontend
 * system): its recommendations sorted by monthly saving, with Apply,
 * Dismiss and Snooze.
 *
 * @public
 */
export const EntityRecommendationsCard = modelfleetPlugin.provide(
  createComponentExtension({
    name: 'EntityRecommendationsCard',
    component: {
      lazy: () =>
        import('./components/Recommendations').then(
          m => m.EntityRecommendationsCard,
        ),
    },
  }),
);

/**
 * Scaffolder field `ui:field: GpuPoolPicker` (legacy frontend system): the
 * GPU pools that fit the model described by the other form values, ranked
 * by monthly cost under the owner team's policy. Add it inside
 * `<ScaffolderFieldExtensions>`; the new frontend system gets it from the
 * plugin's `scaffolder-form-field:modelfleet/gpu-pool-picker` extension.
 *
 * @public
 */
export const GpuPoolPickerFieldExtension = modelfleetPlugin.provide(
  createScaffolderFieldExtension({
    name: 'GpuPoolPicker',
    component: GpuPoolPicker,
    validation: gpuPoolPickerValidation,
  }),
);

/**
 * Scaffolder field `ui:field: MaxReplicas` (legacy frontend system): the
 * maximum replicas of a model, refused on its own step when below the
 * minimum replicas (`ui:options.minField`, default `replicasMin`). Add it
 * inside `<ScaffolderFieldExtensions>`; the new frontend system gets it from
 * the plugin's `scaffolder-form-field:modelfleet/max-replicas` extension.
 *
 * @public
 */
export const MaxReplicasFieldExtension = modelfleetPlugin.provide(
  createScaffolderFieldExtension({
    name: 'MaxReplicas',
    component: MaxReplicasField,
    validation: maxReplicasValidation,
  }),
);

/**
 * Scaffolder field `ui:field: WakeOn` (legacy frontend system): how a model
 * that scales to zero wakes, asked only while the traffic pattern
 * (`ui:options.trafficField`, default `traffic`) idles, and cleared for any
 * other traffic so no stale answer reaches the Review step or the task.
 * Add it inside `<ScaffolderFieldExtensions>`; the new frontend system gets
 * it from the plugin's `scaffolder-form-field:modelfleet/wake-on` extension.
 *
 * @public
 */
export const WakeOnFieldExtension = modelfleetPlugin.provide(
  createScaffolderFieldExtension({
    name: 'WakeOn',
    component: WakeOnField,
  }),
);
