import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { ActionService } from '../actions/ActionService';
import { ModelTargets } from '../actions/ModelTargets';
import { ModelFleetBackendConfig } from '../config';
import { HibernationStore } from '../database/HibernationStore';
import { ModelDirectory } from '../showback/ModelDirectory';
import { PolicyService } from '../policy/PolicyService';
import { TaskRegistry } from '../tasks/TaskRegistry';
import { ARBITRAGE_TASK_ID, ArbitrageLoop } from './ArbitrageLoop';
import { ArbitrageReports } from './ArbitrageReports';
import { Migrations } from './Migrations';
import { PoolRiskBook, readBundledSpotPrior } from './poolRisk';
import { SpotSignalBook } from './cloudSpotRisk';
import type { SpotRiskSource } from '@modelfleet/plugin-modelfleet-node';
import { PoolHistoryStore } from '../database/PoolHistoryStore';
import { Knex } from 'knex';
import { RenderForPoolOptions } from './renderForPool';
import { SPOT_FALLBACK_TASK_ID, SpotFallbackLoop } from './SpotFallbackLoop';

/** The loop that keeps each spot pool's own history. */
export const POOL_HISTORY_TASK_ID = 'modelfleet-pool-history';

/** What the arbitrage services and loops are built from. */
export interface ArbitrageWiring extends RenderForPoolOptions {
  /** The plugin's database (the pools' own history). */
  db: Knex;
  /** The clouds' own spot history (eviction rates, placement scores). */
  spotRiskSources: SpotRiskSource[];
  targets: ModelTargets;
  wakes: HibernationStore;
  policies: PolicyService;
  directory: ModelDirectory;
  actions: ActionService;
  auth: AuthService;
  logger: LoggerService;
  tasks: TaskRegistry;
  settings: Pick<ModelFleetBackendConfig, 'arbitrage' | 'hibernation'>;
}

/**
 * Builds the what-if reports and the migrations (for the router), and
 * schedules the arbitrage loops: the pools' history (every half minute,
 * each spot pool's node-hours and reclaim notices), the spot fallback
 * (every few seconds, answering reclaim notices) and the arbitrage loop
 * (the team's best move, every few minutes).
 */
export async function startArbitrage(w: ArbitrageWiring) {
  const { settings } = w;
  const render: RenderForPoolOptions = {
    fleet: w.fleet,
    actuators: w.actuators,
    candidates: w.candidates,
    renderer: w.renderer,
    deniedNamespaces: w.deniedNamespaces,
  };
  // Each spot pool's own history, kept by a loop of its own from the
  // cluster snapshots, weighed with the bundled traces' prior.
  const history = new PoolHistoryStore(w.db);
  const riskBook = new PoolRiskBook({
    prior: readBundledSpotPrior(),
    store: history,
    priorHours: settings.arbitrage.poolHistory.priorNodeHours,
    signals: new SpotSignalBook({
      sources: w.spotRiskSources,
      listPools: () => w.fleet.listPools(),
      logger: w.logger,
    }),
  });
  await w.tasks.schedule({
    id: POOL_HISTORY_TASK_ID,
    schedule: settings.arbitrage.poolHistory.schedule,
    run: async () => {
      const { pools, notices } = await history.record(
        await w.fleet.listPools(),
      );
      return `${pools} spot pool(s) recorded, ${notices} new reclaim notice(s)`;
    },
  });
  const arbitrage = new ArbitrageReports({
    targets: w.targets,
    fleet: w.fleet,
    wakes: w.wakes,
    policies: w.policies,
    candidates: w.candidates,
    risk: riskBook.riskOf,
    refreshRisk: () => riskBook.refresh(),
    settings: {
      ...settings.arbitrage,
      defaultLoadSeconds: settings.hibernation.defaultLoadSeconds,
    },
  });
  const migrations = new Migrations({
    ...render,
    targets: w.targets,
    reports: arbitrage,
    actions: w.actions,
    provisioningSeconds: settings.arbitrage.provisioningSeconds,
    dryRunOf: teamRef => w.policies.dryRunOf(teamRef),
  });
  const spotFallback = new SpotFallbackLoop({
    fleet: w.fleet,
    directory: w.directory,
    targets: w.targets,
    reports: arbitrage,
    policies: w.policies,
    actions: w.actions,
    render,
    auth: w.auth,
    settings: {
      provisioningSeconds: settings.arbitrage.provisioningSeconds,
      launchTimeoutSeconds:
        settings.arbitrage.spotFallback.launchTimeoutSeconds,
    },
    logger: w.logger,
  });
  await w.tasks.schedule({
    id: SPOT_FALLBACK_TASK_ID,
    schedule: settings.arbitrage.spotFallback.schedule,
    run: () => spotFallback.run(),
  });
  const loop = new ArbitrageLoop({
    fleet: w.fleet,
    directory: w.directory,
    policies: w.policies,
    reports: arbitrage,
    migrations,
    actions: w.actions,
    auth: w.auth,
    logger: w.logger,
  });
  await w.tasks.schedule({
    id: ARBITRAGE_TASK_ID,
    schedule: settings.arbitrage.schedule,
    run: () => loop.run(),
  });
  return { arbitrage, migrations };
}
