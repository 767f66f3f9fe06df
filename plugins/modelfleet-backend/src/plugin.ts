import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { modelfleetPermissions } from '@modelfleet/plugin-modelfleet-common';
import {
  ModelRenderer,
  modelfleetConnectorsExtensionPoint,
  modelfleetManifestsExtensionPoint,
} from '@modelfleet/plugin-modelfleet-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { BillStore } from './database/BillStore';
import { ShowbackStore } from './database/ShowbackStore';
import { CostReportService } from './showback/CostReportService';
import { CatalogModelDirectory } from './showback/ModelDirectory';
import { notifyAnomalies } from './showback/notifyAnomalies';
import { ShowbackRollup } from './showback/ShowbackRollup';
import { createSavings } from './savings';
import { createSavingsRouter } from './routes/savings';
import { createBillIngestTask, createShowbackTask } from './showback/tasks';
import { readModelFleetBackendConfig } from './config';
import { DatabaseModelFleetStore } from './database/DatabaseModelFleetStore';
import { FleetStateStore } from './database/FleetStateStore';
import { PriceBookStore } from './database/PriceBookStore';
import { PolicyService } from './policy/PolicyService';
import { BundledPriceSource } from './prices/BundledPriceSource';
import { readPolicyConfig } from './policy/policyConfig';
import { createRouter } from './router';
import { ActionRunner } from './actions/ActionRunner';
import { ActionService } from './actions/ActionService';
import { createActuatorDirectory } from './actions/actuatorDirectory';
import { ModelTargets } from './actions/ModelTargets';
import { ActionStore } from './database/ActionStore';
import { createActionsRouter } from './routes/actions';
import { createModelsRouter } from './routes/models';
import { createDeploymentsRouter } from './routes/deployments';
import { createTasksRouter } from './routes/tasks';
import { readDeploySettings } from './deploy/config';
import { DeploymentService } from './deploy/DeploymentService';
import { PlacementService, PlacementWorker } from './placement';
import { ConnectorRegistry } from './service/ConnectorRegistry';
import { FleetStatusService } from './service/FleetStatusService';
import { createClusterSyncTask } from './tasks/clusterSync';
import { HibernationStore } from './database/HibernationStore';
import {
  HIBERNATION_TASK_ID,
  HibernationLoop,
} from './hibernation/HibernationLoop';
import { HibernationReports } from './hibernation/HibernationReports';
import { createHibernationRouter } from './routes/hibernation';
import { createArbitrageRouter } from './routes/arbitrage';
import { createRecommendationsRouter } from './routes/recommendations';
import { startRecommendations } from './recommendations/wiring';
import { lastMoveReader } from './arbitrage/Migrations';
import { startArbitrage } from './arbitrage/wiring';
import { createHousekeepingTask } from './tasks/housekeeping';
import { createPriceRefreshTask } from './tasks/priceRefresh';
import { TaskRegistry } from './tasks/TaskRegistry';

/**
 * The ModelFleet backend plugin.
 *
 * @public
 */
export const modelfleetPlugin = createBackendPlugin({
  pluginId: 'modelfleet',
  register(env) {
    const connectors = new ConnectorRegistry();
    env.registerExtensionPoint(modelfleetConnectorsExtensionPoint, connectors);
    let renderer: ModelRenderer | undefined;
    env.registerExtensionPoint(modelfleetManifestsExtensionPoint, {
      setModelRenderer(r) {
        if (renderer) throw new Error('a model renderer is set already');
        renderer = r;
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissionsRegistry: coreServices.permissionsRegistry,
        permissions: coreServices.permissions,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        notifications: notificationService,
      },
      async init({
        config,
        logger,
        database,
        scheduler,
        httpRouter,
        httpAuth,
        permissionsRegistry,
        permissions,
        auth,
        auditor,
        lifecycle,
        catalog,
        notifications,
      }) {
        const settings = readModelFleetBackendConfig(config);
        // The offline default: real public list prices shipped with ModelFleet.
        connectors.addPriceSource(new BundledPriceSource());
        const policies = new PolicyService(readPolicyConfig(config));
        const store = await DatabaseModelFleetStore.create({ database });
        const fleet = new FleetStateStore(store.knex);
        const showback = new ShowbackStore(store.knex);
        const bills = new BillStore(store.knex);
        const tasks = new TaskRegistry({ scheduler, store, logger });
        await tasks.schedule(
          createClusterSyncTask({
            connectors: () => connectors.clusterConnectors,
            fleet,
            showback,
            sampleSeconds: settings.showback.sampleSeconds,
            ...settings.clusterSync,
          }),
        );
        const prices = new PriceBookStore(store.knex);
        await tasks.schedule(
          createPriceRefreshTask({
            sources: () => connectors.priceSources,
            prices,
            ...settings.priceRefresh,
          }),
        );
        const costs = new CostReportService({
          store: showback,
          bills,
          policies,
          idleCostPolicy: settings.showback.idleCostPolicy,
          platformTeamRef: settings.showback.platformTeamRef,
        });
        // Each replica loads its cost index when it starts, not on the
        // first report (a year of a large fleet takes seconds to read).
        lifecycle.addStartupHook(() => {
          costs
            .warm()
            .catch(e =>
              logger.warn(`modelfleet: could not load the cost index: ${e}`),
            );
        });
        const directory = new CatalogModelDirectory(catalog, auth, { logger });
        const savings = createSavings({ db: store.knex, showback, prices });
        const rollup = new ShowbackRollup({
          savings: savings.ledger,
          store: showback,
          prices,
          directory,
          connectors: () => connectors.clusterConnectors,
          history: () => connectors.clusterHistorySources,
          metrics: () => connectors.metricsSources,
          priceSources: () => connectors.priceSources,
          settings: settings.showback,
          logger,
          afterRollup: () => costs.precomputeFleetTop(),
          onAnomalies: async anomalies => {
            try {
              await notifyAnomalies({
                notifications,
                store: showback,
                anomalies,
              });
            } catch (e) {
              logger.warn(`Cost anomalies could not be notified: ${e}`);
            }
          },
        });
        await tasks.schedule(
          createShowbackTask({ rollup, schedule: settings.showback.schedule }),
        );
        await tasks.schedule(
          createBillIngestTask({
            sources: () => connectors.billSources,
            store: bills,
            ...settings.bills,
          }),
        );
        const hibernationStore = new HibernationStore(store.knex);
        await tasks.schedule(
          createHousekeepingTask({
            store,
            wakes: hibernationStore,
            ...settings.housekeeping,
          }),
        );

        permissionsRegistry.addPermissions(modelfleetPermissions);

        const fleetStatus = new FleetStatusService({
          store,
          tasks,
          connectors,
          fleet,
        });
        const placer = new PlacementWorker();
        lifecycle.addShutdownHook(() => placer.close());
        const placement = new PlacementService({
          fleet,
          prices,
          policies,
          liveSources: () =>
            connectors.priceSources
              .map(s => s.id)
              .filter(id => id !== 'bundled-catalog'),
          placer,
          teamForecast: async teamRef =>
            (await costs.cost('team', teamRef, costs.defaultQuery())).budget
              ?.forecastUsd ?? null,
          assumedAddableNodes: settings.placement.assumedAddableNodes,
          groupExists: async ref =>
            Boolean(
              await catalog.getEntityByRef(ref, {
                credentials: await auth.getOwnServiceCredentials(),
              }),
            ),
          logger,
        });
        const retry = {
          maxAttempts: settings.actions.maxAttempts,
          baseDelayMs: settings.actions.baseDelayMs,
          maxDelayMs: settings.actions.maxDelayMs,
          pollMs: settings.actions.pollMs,
        };
        const actionStore = new ActionStore(store.knex);
        const actuators = createActuatorDirectory(
          () => connectors.clusterActuators,
          { nodePools: () => connectors.nodePoolApis },
        );
        const actions = new ActionService({
          store: actionStore,
          actuators,
          retry,
          auditor,
          logger,
        });
        if (settings.actions.runner) {
          const runner = new ActionRunner({
            store: actionStore,
            actuators,
            retry,
            leaseMs: settings.actions.leaseMs,
            pollMs: settings.actions.pollMs,
            auditor,
            logger,
          });
          lifecycle.addStartupHook(() => runner.start());
          lifecycle.addShutdownHook(() => runner.stop());
          logger.info(`ModelFleet action loop runs here as ${runner.owner}`);
        }
        const targets = new ModelTargets({
          catalog,
          fleet,
          actuators,
          lastMove: lastMoveReader(f => actionStore.list(f)),
        });
        const hibernation = new HibernationLoop({
          fleet,
          directory,
          targets,
          actuators,
          metrics: () => connectors.metricsSources,
          policies,
          actions,
          store: hibernationStore,
          auth,
          settings: settings.hibernation,
          logger,
        });
        await tasks.schedule({
          id: HIBERNATION_TASK_ID,
          schedule: settings.hibernation.schedule,
          run: () => hibernation.run(),
        });
        const deploySettings = readDeploySettings(config);
        const deployments = new DeploymentService({
          actuators,
          actions,
          permissions,
          catalog,
          auth,
          policies,
          settings: deploySettings,
        });
        const candidates = {
          prices,
          liveSources: () =>
            connectors.priceSources
              .map(s => s.id)
              .filter(id => id !== 'bundled-catalog'),
          assumedAddableNodes: settings.placement.assumedAddableNodes,
        };
        const { arbitrage, migrations } = await startArbitrage({
          db: store.knex,
          spotRiskSources: connectors.spotRiskSources,
          targets,
          fleet,
          wakes: hibernationStore,
          policies,
          candidates,
          actuators,
          renderer: () => renderer,
          deniedNamespaces: deploySettings.deniedNamespaces,
          directory,
          actions,
          auth,
          logger,
          tasks,
          settings,
        });
        const { recommendations, states: recommendationStates } =
          await startRecommendations({
            db: store.knex,
            config,
            catalog,
            auth,
            notifications,
            tasks,
            consolidator: placer,
            actuators,
            actions,
            costs,
            fleet,
            policies,
            directory,
            metrics: () => connectors.metricsSources,
            candidates,
            idleCostPolicy: settings.showback.idleCostPolicy,
            platformTeamRef: settings.showback.platformTeamRef,
            logger,
          });
        httpRouter.use(
          await createRouter({
            routers: [
              createActionsRouter({ httpAuth, permissions, actions }),
              createModelsRouter({
                httpAuth,
                permissions,
                actions,
                targets,
                policies,
              }),
              createDeploymentsRouter({ httpAuth, deployments }),
              createTasksRouter({ httpAuth, permissions, tasks }),
              createSavingsRouter({
                httpAuth,
                permissions,
                store: savings.store,
              }),
              createHibernationRouter({
                httpAuth,
                permissions,
                costs,
                reports: new HibernationReports({
                  targets,
                  store: hibernationStore,
                  policies,
                  costs,
                }),
              }),
              createArbitrageRouter({
                httpAuth,
                permissions,
                reports: arbitrage,
                migrations,
              }),
              createRecommendationsRouter({
                httpAuth,
                permissions,
                recommendations,
                states: recommendationStates,
                applier: { actions, targets, policies, migrations, fleet },
              }),
            ],
            placement,
            directory,
            httpAuth,
            fleetStatus,
            policies,
            fleet,
            prices,
            permissions,
            costs,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
