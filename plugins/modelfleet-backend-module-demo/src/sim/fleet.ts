import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import path from 'node:path';
import {
  DEMO_CLUSTERS,
  DEMO_MODELS,
  DEMO_POOLS,
  DemoModel,
} from '../definition';
import { createDemoFleet, loadTraces } from '../DemoFleet';
import { TraceReplay } from '../replay';
import { DEFAULT_MODELFLEET_TOKEN, MODELFLEET_USER } from './bootstrap';
import { SimClock } from './clock';
import { readLoadLatencies } from './controllers/kubelet';
import { ProvisionerTiming } from './controllers/provisioner';
import { TokenUser } from './rbac';
import {
  ClusterStats,
  SimulatedCluster,
  SimulatedClusterOptions,
} from './SimulatedCluster';
import { loadSpotTraces, SpotMarket, SpotTraceReading } from './spot';
import { destinationsOf } from './serviceExports';
import { checkFirstReclaim, FleetFirstReclaim } from './firstReclaim';
import { RequestResult } from './traffic';

/**
 * Options of {@link startSimulatedFleet}.
 *
 * @public
 */
export interface SimulatedFleetOptions {
  /**
   * Ports of the clusters' API servers: by cluster name, or a first port
   * (the clusters take it and the next ones, in the order of
   * `DEMO_CLUSTERS`); any free ports by default.
   */
  ports?: Record<string, number> | number;
  /** Simulated seconds per second; 1 by default. */
  speed?: number;
  /** A clock to share (a manual one in tests); overrides `speed` and `start`. */
  clock?: SimClock;
  /** Simulated time to start at; now by default. */
  start?: Date;
  /**
   * Bearer tokens and their users, for every cluster. By default
   * `modelfleet-sim-token` is ModelFleet's service account
   * (`system:serviceaccount:modelfleet:modelfleet-backend`) and
   * `sim-admin-token` a cluster admin.
   */
  tokens?: Record<string, TokenUser>;
  /** When set, the `/_sim/` paths need this bearer token. */
  adminToken?: string;
  /** Replay each model's trace as requests; true by default. */
  traffic?: boolean;
  /**
   * Reclaim spot nodes as the spot traces say (read as `interruptions` by
   * default); true by default. `firstReclaim`: also a scripted reclaim of
   * one cluster's spot pool soon after the start. `false`: no reclaims at
   * all (those asked for by `/_sim/` remain).
   */
  spot?:
    | boolean
    | { reading?: SpotTraceReading; firstReclaim?: FleetFirstReclaim };
  /** Where the clusters tell what they do of themselves (the scripted reclaim); nowhere by default. */
  log?: (message: string) => void;
  /** The package's `data/` folder; found by default. */
  dataDir?: string;
  /** RBAC manifests; `deploy/rbac/` of the repository by default. */
  rbacDir?: string;
  /** Only these clusters; all of `DEMO_CLUSTERS` by default. */
  clusters?: string[];
  provisioner?: Partial<ProvisionerTiming>;
  /** Passed to every cluster. */
  cluster?: Pick<
    SimulatedClusterOptions,
    | 'gfdProductNames'
    | 'loadTimeMs'
    | 'scaleToZero'
    | 'requestTimeoutMs'
    | 'engineWakeMs'
  >;
}

/**
 * The simulated demo fleet: one simulated cluster (an API server and its
 * controllers) per demo cluster, on one clock.
 *
 * @public
 */
export interface SimulatedFleet {
  clock: SimClock;
  clusters: SimulatedCluster[];
  cluster(name: string): SimulatedCluster;
  /** API server address per cluster. */
  urls: Record<string, string>;
  /** The token ModelFleet's service account uses, when the default tokens are used. */
  token?: string;
  /** `kubernetes.clusterLocatorMethods` and `modelfleet.kubernetes.clusters` for an app-config. */
  kubernetesConfig(token?: string): JsonObject;
  /**
   * A request for a demo model, sent where its traffic goes: the cluster
   * that exports its Service, else the one the demo deploys it to.
   */
  request(modelId: string): Promise<RequestResult>;
  stats(): ClusterStats[];
  close(): Promise<void>;
}

const defaultDataDir = () =>
  resolvePackagePath(
    '@modelfleet/plugin-modelfleet-backend-module-demo',
    'data',
  );

/**
 * Starts the simulated demo fleet in this process.
 *
 * @public
 */
export async function startSimulatedFleet(
  options: SimulatedFleetOptions = {},
): Promise<SimulatedFleet> {
  const wanted = DEMO_CLUSTERS.filter(
    c => !options.clusters || options.clusters.includes(c.name),
  );
  const firstReclaim =
    typeof options.spot === 'object' ? options.spot.firstReclaim : undefined;
  if (firstReclaim) {
    const problem = checkFirstReclaim(firstReclaim, wanted);
    if (problem) {
      throw new Error(`firstReclaim.${problem.field} ${problem.message}`);
    }
  }
  const clock =
    options.clock ??
    new SimClock({
      speed: options.speed ?? 1,
      ...(options.start ? { start: options.start } : {}),
    });
  const dataDir = options.dataDir ?? defaultDataDir();
  const loadLatencies = readLoadLatencies(
    path.join(dataDir, 'alibaba-gentd26', 'basemodel_update_latency_anon.csv'),
  );
  let traffic: Map<string, TraceReplay> | undefined;
  if (options.traffic !== false)
    traffic = createDemoFleet(loadTraces(dataDir)).traffic;
  let spotMarket: SpotMarket | undefined;
  if (options.spot !== false) {
    const reading =
      (typeof options.spot === 'object' && options.spot.reading) ||
      'interruptions';
    spotMarket = new SpotMarket(
      loadSpotTraces(path.join(dataDir, 'spot-traces'), reading),
    );
  }
  const clusters: SimulatedCluster[] = [];
  try {
    for (const [i, cluster] of wanted.entries()) {
      const port =
        typeof options.ports === 'number'
          ? options.ports + i
          : options.ports?.[cluster.name];
      clusters.push(
        await SimulatedCluster.start({
          cluster,
          pools: DEMO_POOLS.filter(p => p.cluster === cluster.name),
          models: DEMO_MODELS,
          clock,
          port,
          tokens: options.tokens,
          adminToken: options.adminToken,
          rbacDir: options.rbacDir,
          loadLatencies,
          traffic,
          spotMarket,
          provisioner: options.provisioner,
          ...(firstReclaim?.cluster === cluster.name ? { firstReclaim } : {}),
          log: options.log,
          ...options.cluster,
        }),
      );
    }
  } catch (error) {
    await Promise.all(clusters.map(c => c.close()));
    throw error;
  }
  const byName = new Map(clusters.map(c => [c.name, c]));
  // A model's requests, wherever they arrive, go to the clusters that
  // export its Service (Multi-Cluster Services), else to its home: the
  // cluster the demo deploys it to, or the one they arrived at.
  for (const c of clusters) {
    c.traffic.routeWith((namespace, model) => {
      const demo = DEMO_MODELS.find(
        m => m.id === model && m.namespace === namespace,
      );
      const home = byName.get(demo?.deployment?.cluster ?? '') ?? c;
      return destinationsOf(clusters, home, namespace, model).map(d => ({
        traffic: d.cluster.traffic,
        weight: d.weight,
      }));
    });
  }
  const urls = Object.fromEntries(clusters.map(c => [c.name, c.url]));
  const token = options.tokens ? undefined : DEFAULT_MODELFLEET_TOKEN;
  const clusterByName = (name: string) => {
    const c = byName.get(name);
    if (!c) throw new Error(`the simulated fleet has no cluster '${name}'`);
    return c;
  };
  const modelOf = (id: string): DemoModel => {
    const m = DEMO_MODELS.find(x => x.id === id);
    if (!m?.deployment) throw new Error(`demo model ${id} is not deployed`);
    return m;
  };
  return {
    clock,
    clusters,
    urls,
    ...(token ? { token } : {}),
    cluster: clusterByName,
    kubernetesConfig(t = token) {
      return {
        kubernetes: {
          serviceLocatorMethod: { type: 'multiTenant' },
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: clusters.map(c => ({
                name: c.name,
                url: c.url,
                authProvider: 'serviceAccount',
                ...(t ? { serviceAccountToken: t } : {}),
                // The simulator serves no metrics.k8s.io.
                skipMetricsLookup: true,
              })),
            },
          ],
        },
        modelfleet: {
          kubernetes: {
            clusters: Object.fromEntries(
              clusters.map(c => [
                c.name,
                {
                  provider: c.options.cluster.provider,
                  region: c.options.cluster.region,
                  demo: true,
                },
              ]),
            ),
          },
        },
      };
    },
    request(modelId) {
      const m = modelOf(modelId);
      return clusterByName(m.deployment!.cluster).request(m.namespace, m.id);
    },
    stats: () => clusters.map(c => c.stats()),
    async close() {
      await Promise.all(clusters.map(c => c.close()));
      if (!options.clock) clock.dispose();
    },
  };
}

export { MODELFLEET_USER };
