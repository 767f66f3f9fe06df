import { Config } from '@backstage/config';
import { DEMO_CLUSTERS } from './definition';
import {
  checkFirstReclaim,
  FleetFirstReclaim,
  formatFirstReclaimArg,
} from './sim/firstReclaim';
import { SPOT_TRACE_READINGS, SpotTraceReading } from './sim/spotMarket';

/** How the simulated clusters run. */
export type SimulatorMode = 'embedded' | 'external';

/** A demo cluster as `kubernetes.clusterLocatorMethods` configures it. */
export interface DemoClusterEndpoint {
  /** A cluster name of the simulator (`demo-aws-use1`, …). */
  name: string;
  /** Its API server, e.g. `http://127.0.0.1:7101`. */
  url: string;
  /** The port of the URL. */
  port: number;
  /** The bearer token ModelFleet uses (`serviceAccountToken`). */
  token: string;
  /** The key path of the cluster's entry, for messages. */
  path: string;
  /** Whether `modelfleet.kubernetes.clusters.<name>.demo` is true. */
  labelledDemo: boolean;
}

/** `modelfleet.demo`, read and checked. */
export interface DemoConfig {
  enabled: boolean;
  simulator: {
    mode: SimulatorMode;
    /** Replay the traces as requests. */
    traffic: boolean;
    /**
     * Spot reclaims from the spot traces, how to read them, and the
     * scripted first reclaim; false for none (`spot.reclaims: false`, which
     * turns the scripted one off too).
     */
    spot:
      | false
      | { reading: SpotTraceReading; firstReclaim?: FleetFirstReclaim };
    /** Bearer token of the simulator's `/_sim/` paths, if it needs one. */
    adminToken?: string;
  };
  /** The demo clusters configured in `kubernetes.clusterLocatorMethods`. */
  clusters: DemoClusterEndpoint[];
  /** What to tell about settings read but not applied. */
  warnings: string[];
}

const MODES: readonly SimulatorMode[] = ['embedded', 'external'];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** `get(key)`, with an error naming the key path when the value has the wrong type. */
function read<T>(path: string, get: () => T): T {
  try {
    return get();
  } catch (e) {
    throw new Error(`${path} is invalid: ${message(e)}`);
  }
}

function oneOf<T extends string>(
  path: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    throw new Error(
      `${path} is '${value}', and must be one of ${allowed.join(', ')}`,
    );
  }
  return value as T;
}

/**
 * The demo clusters of `kubernetes.clusterLocatorMethods`: the clusters of
 * locators of type `config` whose names are the simulator's.
 */
function readDemoClusters(
  config: Config,
  mode: SimulatorMode,
): DemoClusterEndpoint[] {
  const names = new Set(DEMO_CLUSTERS.map(c => c.name));
  const methods =
    read('kubernetes.clusterLocatorMethods', () =>
      config.getOptionalConfigArray('kubernetes.clusterLocatorMethods'),
    ) ?? [];
  const settings = config.getOptionalConfig('modelfleet.kubernetes.clusters');
  const found: DemoClusterEndpoint[] = [];
  methods.forEach((method, i) => {
    const base = `kubernetes.clusterLocatorMethods[${i}]`;
    if (method.getOptionalString('type') !== 'config') return;
    const clusters =
      read(`${base}.clusters`, () =>
        method.getOptionalConfigArray('clusters'),
      ) ?? [];
    clusters.forEach((c, j) => {
      const path = `${base}.clusters[${j}]`;
      const name = c.getOptionalString('name');
      if (!name || !names.has(name)) return;
      if (found.some(f => f.name === name)) {
        throw new Error(`${path}.name '${name}' is configured twice`);
      }
      const url = read(`${path}.url`, () => c.getString('url'));
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new Error(`${path}.url '${url}' is not a URL`);
      }
      const port = Number(
        parsed.port || (parsed.protocol === 'https:' ? 443 : 80),
      );
      if (mode === 'embedded') {
        if (
          parsed.protocol !== 'http:' ||
          !LOOPBACK.has(parsed.hostname) ||
          !parsed.port
        ) {
          throw new Error(
            `${path}.url '${url}' must be http://127.0.0.1:<port>: the demo module serves the simulated cluster ${name} there (modelfleet.demo.simulator.mode is embedded)`,
          );
        }
      }
      const authProvider = read(`${path}.authProvider`, () =>
        c.getOptionalString('authProvider'),
      );
      if (authProvider !== 'serviceAccount') {
        throw new Error(
          `${path}.authProvider is '${authProvider}', and must be serviceAccount for the simulated cluster ${name}`,
        );
      }
      const token = read(`${path}.serviceAccountToken`, () =>
        c.getOptionalString('serviceAccountToken'),
      );
      if (!token) {
        throw new Error(
          `${path}.serviceAccountToken is missing: the simulated cluster ${name} lets in the bearer token configured there (modelfleet-sim-token for yarn sim)`,
        );
      }
      const labelledDemo =
        settings?.getOptionalConfig(name)?.getOptionalBoolean('demo') ?? false;
      found.push({
        name,
        url: url.replace(/\/+$/, ''),
        port,
        token,
        path,
        labelledDemo,
      });
    });
  });
  if (mode === 'embedded') {
    const ports = new Map<number, string>();
    for (const c of found) {
      const other = ports.get(c.port);
      if (other) {
        throw new Error(
          `${c.path}.url uses port ${c.port}, as does the cluster ${other}: each simulated cluster needs a port of its own`,
        );
      }
      ports.set(c.port, c.name);
    }
  }
  return found;
}

const FIRST_RECLAIM_KEYS = [
  'cluster',
  'pool',
  'zone',
  'afterSeconds',
  'seconds',
];

/**
 * `modelfleet.demo.simulator.spot.firstReclaim`, checked against the demo
 * clusters and pools of `definition.ts`.
 */
function readFirstReclaim(
  sim: Config | undefined,
): FleetFirstReclaim | undefined {
  const path = 'modelfleet.demo.simulator.spot.firstReclaim';
  const c = read(path, () => sim?.getOptionalConfig('spot.firstReclaim'));
  if (!c) return undefined;
  const unknown = c.keys().filter(k => !FIRST_RECLAIM_KEYS.includes(k));
  if (unknown.length > 0) {
    throw new Error(
      `${path} has unknown key(s) ${unknown.join(
        ', ',
      )}; its keys are ${FIRST_RECLAIM_KEYS.join(', ')}`,
    );
  }
  const str = (key: string) =>
    read(`${path}.${key}`, () => c.getOptionalString(key));
  const num = (key: string) =>
    read(`${path}.${key}`, () => c.getOptionalNumber(key));
  const zone = str('zone');
  const afterSeconds = num('afterSeconds');
  const seconds = num('seconds');
  const spec: FleetFirstReclaim = {
    cluster: str('cluster') ?? '',
    pool: str('pool') ?? '',
    ...(zone !== undefined ? { zone } : {}),
    ...(afterSeconds !== undefined ? { afterSeconds } : {}),
    ...(seconds !== undefined ? { seconds } : {}),
  };
  const problem = checkFirstReclaim(spec);
  if (problem) {
    throw new Error(`${path}.${problem.field} ${problem.message}`);
  }
  return spec;
}

/**
 * Reads `modelfleet.demo` and the demo clusters of
 * `kubernetes.clusterLocatorMethods`. Throws an error naming the key path
 * of a bad value.
 */
export function readDemoConfig(config: Config): DemoConfig {
  const enabled =
    read('modelfleet.demo.enabled', () =>
      config.getOptionalBoolean('modelfleet.demo.enabled'),
    ) ?? false;
  const base = 'modelfleet.demo.simulator';
  const sim = read(base, () => config.getOptionalConfig(base));
  const mode = oneOf(
    `${base}.mode`,
    read(`${base}.mode`, () => sim?.getOptionalString('mode')),
    MODES,
    'embedded',
  );
  const traffic =
    read(`${base}.traffic`, () => sim?.getOptionalBoolean('traffic')) ?? true;
  const spotReclaims =
    read(`${base}.spot.reclaims`, () =>
      sim?.getOptionalBoolean('spot.reclaims'),
    ) ?? true;
  const reading = oneOf(
    `${base}.spot.reading`,
    read(`${base}.spot.reading`, () => sim?.getOptionalString('spot.reading')),
    SPOT_TRACE_READINGS,
    'interruptions',
  );
  const firstReclaim = readFirstReclaim(sim);
  const adminToken = read(`${base}.adminToken`, () =>
    sim?.getOptionalString('adminToken'),
  );
  if (!enabled) {
    return {
      enabled,
      simulator: { mode, traffic, spot: false },
      clusters: [],
      warnings: [],
    };
  }
  const clusters = readDemoClusters(config, mode);
  if (clusters.length === 0) {
    throw new Error(
      `modelfleet.demo.enabled is true, but kubernetes.clusterLocatorMethods has none of the simulated clusters (${DEMO_CLUSTERS.map(
        c => c.name,
      ).join(
        ', ',
      )}): configure them as in the demo module's README, or set modelfleet.demo.enabled to false`,
    );
  }
  const warnings: string[] = [];
  const first = `${base}.spot.firstReclaim`;
  if (firstReclaim && !spotReclaims) {
    warnings.push(
      `${first} is off: ${base}.spot.reclaims is false, which turns off every spot reclaim`,
    );
  } else if (firstReclaim && mode === 'external') {
    warnings.push(
      `${first} applies in embedded mode only: with yarn sim (mode external), give it --first-reclaim ${formatFirstReclaimArg(
        firstReclaim,
      )}, or POST /_sim/spot/reclaims`,
    );
  } else if (
    firstReclaim &&
    !clusters.some(c => c.name === firstReclaim.cluster)
  ) {
    throw new Error(
      `${first}.cluster is '${
        firstReclaim.cluster
      }', which kubernetes.clusterLocatorMethods does not configure, and must be one of the demo clusters configured there: ${clusters
        .map(c => c.name)
        .join(', ')}`,
    );
  }
  return {
    enabled,
    simulator: {
      mode,
      traffic,
      spot: spotReclaims
        ? { reading, ...(firstReclaim ? { firstReclaim } : {}) }
        : false,
      ...(adminToken ? { adminToken } : {}),
    },
    clusters,
    warnings,
  };
}
