import {
  coreServices,
  createBackendModule,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { DemoClusterEndpoint, DemoConfig, readDemoConfig } from './config';
import { DemoBillSource } from './DemoBillSource';
import { DemoClusterConnector } from './DemoClusterConnector';
import { createDemoFleet, loadTraces } from './DemoFleet';
import { DemoMetricsSource } from './DemoMetricsSource';
import { DemoNodePoolApi } from './DemoNodePoolApi';
import {
  DEFAULT_ADMIN_TOKEN,
  DEFAULT_TOKENS,
  MODELFLEET_USER,
} from './sim/bootstrap';
import { startSimulatedFleet, SimulatedFleet } from './sim/fleet';
import type { TokenUser } from './sim/rbac';
import type { ClusterStats } from './sim/SimulatedCluster';
import { SimulatorUsage, StatsReader } from './SimulatorUsage';

/** Starts the simulated clusters in this process, on the configured ports. */
async function startEmbedded(
  demo: DemoConfig,
  logger: LoggerService,
): Promise<SimulatedFleet> {
  // The configured tokens are ModelFleet's service account; the admin one as `yarn sim` has it.
  const tokens: Record<string, TokenUser> = {
    [DEFAULT_ADMIN_TOKEN]: DEFAULT_TOKENS[DEFAULT_ADMIN_TOKEN],
  };
  for (const c of demo.clusters) tokens[c.token] = MODELFLEET_USER;
  try {
    return await startSimulatedFleet({
      clusters: demo.clusters.map(c => c.name),
      ports: Object.fromEntries(demo.clusters.map(c => [c.name, c.port])),
      tokens,
      traffic: demo.simulator.traffic,
      spot: demo.simulator.spot,
      // The scripted first reclaim says when it is due and what it did.
      log: message => logger.info(message),
      ...(demo.simulator.adminToken
        ? { adminToken: demo.simulator.adminToken }
        : {}),
    });
  } catch (e) {
    logger.error(`The simulated demo clusters could not start: ${e}`);
    throw new Error(
      `The simulated demo clusters could not start on ${demo.clusters
        .map(c => c.url)
        .join(
          ', ',
        )} (kubernetes.clusterLocatorMethods; is a port taken, by yarn sim perhaps? Then set modelfleet.demo.simulator.mode to external): ${e}`,
    );
  }
}

/** Reads `/_sim/stats` of each simulated cluster served by another process. */
function httpStatsReader(
  clusters: DemoClusterEndpoint[],
  adminToken?: string,
): StatsReader {
  return async () => {
    const answers = await Promise.all(
      clusters.map(async c => {
        try {
          const res = await fetch(`${c.url}/_sim/stats`, {
            headers: { authorization: `Bearer ${adminToken ?? c.token}` },
            signal: AbortSignal.timeout(5_000),
          });
          if (!res.ok) return undefined;
          return (await res.json()) as ClusterStats;
        } catch {
          return undefined;
        }
      }),
    );
    return answers.filter((s): s is ClusterStats => Boolean(s));
  };
}

/**
 * The simulated demo fleet: three clusters on AWS, GCP and Azure with real
 * instance types, and models serving traffic replayed from real traces.
 * When `modelfleet.demo.enabled` is true, it serves the clusters as
 * simulated Kubernetes API servers on the ports of the demo clusters of
 * `kubernetes.clusterLocatorMethods` (or expects `yarn sim` to serve them,
 * `modelfleet.demo.simulator.mode: external`), so that the Kubernetes
 * connector reads them like any cluster, and registers the demo's metrics
 * and bills, which count what the simulator runs, and its node-pool API
 * (the simulated clouds' pool minimums).
 *
 * @public
 */
export const modelfleetModuleDemo = createBackendModule({
  pluginId: 'modelfleet',
  moduleId: 'demo',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        connectors: modelfleetConnectorsExtensionPoint,
      },
      async init({ config, logger, lifecycle, connectors }) {
        const demo = readDemoConfig(config);
        if (!demo.enabled) {
          logger.info('ModelFleet demo fleet is off (modelfleet.demo.enabled)');
          return;
        }
        for (const warning of demo.warnings) logger.warn(warning);
        for (const c of demo.clusters) {
          if (!c.labelledDemo) {
            logger.warn(
              `modelfleet.kubernetes.clusters.${c.name}.demo is not true: the UI will not label the simulated cluster's data as demo data`,
            );
          }
        }
        const names = demo.clusters.map(c => c.name);
        let read: StatsReader;
        if (demo.simulator.mode === 'embedded') {
          const sim = await startEmbedded(demo, logger);
          lifecycle.addShutdownHook(() => sim.close());
          read = async () => sim.stats();
          logger.info(
            `ModelFleet demo fleet simulates ${
              names.length
            } Kubernetes cluster(s): ${demo.clusters
              .map(c => `${c.name} on ${c.url}`)
              .join(', ')}`,
          );
        } else {
          read = httpStatsReader(demo.clusters, demo.simulator.adminToken);
          logger.info(
            `ModelFleet demo fleet reads simulated clusters served by yarn sim: ${demo.clusters
              .map(c => `${c.name} on ${c.url}`)
              .join(', ')}`,
          );
        }
        const usage = new SimulatorUsage({ read, clusters: names, logger });
        await usage.refresh(0);
        usage.start();
        lifecycle.addShutdownHook(() => usage.stop());

        // The fleet of the configured clusters (the replay keeps their past).
        const all = createDemoFleet(loadTraces());
        const fleet = {
          ...all,
          clusters: all.clusters.filter(c => names.includes(c.name)),
          pools: all.pools.filter(p => names.includes(p.cluster)),
          traffic: new Map(
            [...all.traffic].filter(([id]) =>
              all.models.some(
                m => m.id === id && names.includes(m.deployment!.cluster),
              ),
            ),
          ),
        };
        // The past before the simulator, for the showback's backfill.
        connectors.addClusterHistorySource(new DemoClusterConnector(fleet));
        connectors.addMetricsSource(new DemoMetricsSource(fleet, usage));
        connectors.addBillSource(
          new DemoBillSource(fleet, () => new Date(), usage),
        );
        // The simulated clouds' node pools, on the clusters' /_sim/pools.
        connectors.addNodePoolApi(
          new DemoNodePoolApi({
            clusters: demo.clusters.map(c => ({
              name: c.name,
              url: c.url,
              token: demo.simulator.adminToken ?? c.token,
            })),
            logger,
          }),
        );
        logger.info(
          `ModelFleet demo node-pool API manages the node pools of ${names.join(
            ', ',
          )} (their /_sim/pools)`,
        );
        logger.info(
          `ModelFleet demo fleet is on: ${fleet.clusters.length} clusters, ${fleet.pools.length} pools, ${fleet.models.length} models`,
        );
      },
    });
  },
});
