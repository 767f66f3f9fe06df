import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { NoAnswerError, request, sleep } from './http';
import {
  backendProc,
  checkPortFree as checkPortFreeOr,
  Proc,
} from './processes';

/** The simulated clusters, in the order the simulator gives them ports. */
export const CLUSTERS = [
  { name: 'demo-aws-use1', provider: 'aws', region: 'us-east-1' },
  { name: 'demo-gcp-usc1', provider: 'gcp', region: 'us-central1' },
  { name: 'demo-azure-eastus', provider: 'azure', region: 'eastus' },
] as const;

/** ModelFleet's service account token on the simulated clusters. */
export const SA_TOKEN = 'modelfleet-sim-token';
/** A cluster admin of the simulated clusters. */
export const ADMIN_TOKEN = 'sim-admin-token';
/** The driver's token for the backends (backend.auth.externalAccess). */
export const DRIVER_TOKEN = `replicas-test-${process.pid}-${Date.now()}`;

/** Settings of a run, from the environment. */
export interface Settings {
  root: string;
  logDir: string;
  backendPorts: [number, number];
  simPort: number;
  /** Simulated seconds per second while the actions run. */
  speed: number;
  leaseSeconds: number;
  pollSeconds: number;
  maxAttempts: number;
  pgHost: string;
  pgPort: number;
  pgUser: string;
  database: string;
}

const envNumber = (name: string, fallback: number) => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`${name} must be a number above 0, got '${v}'`);
  }
  return n;
};

export function readSettings(root: string): Settings {
  return {
    root,
    logDir:
      process.env.REPLICAS_TEST_LOG_DIR ??
      path.join(root, 'test-results', 'replicas'),
    backendPorts: [
      envNumber('REPLICAS_TEST_PORT_A', 7201),
      envNumber('REPLICAS_TEST_PORT_B', 7202),
    ],
    simPort: envNumber('REPLICAS_TEST_SIM_PORT', 7211),
    speed: envNumber('REPLICAS_TEST_SPEED', 600),
    leaseSeconds: envNumber('REPLICAS_TEST_LEASE_SECONDS', 10),
    pollSeconds: 1,
    maxAttempts: 4,
    pgHost: process.env.REPLICAS_TEST_PG_HOST ?? '127.0.0.1',
    pgPort: envNumber('REPLICAS_TEST_PG_PORT', 5432),
    pgUser: process.env.REPLICAS_TEST_PG_USER ?? 'postgres',
    database: `modelfleet_replicas_${process.pid}_${Date.now()}`,
  };
}

/** Throws when something listens on the port already. */
export const checkPortFree = (port: number) =>
  checkPortFreeOr(
    port,
    'pick other ports (REPLICAS_TEST_PORT_A, REPLICAS_TEST_PORT_B, REPLICAS_TEST_SIM_PORT)',
  );

/** psql against the run's server; `database` defaults to postgres. */
export function psql(s: Settings, sql: string, database = 'postgres'): string {
  return execFileSync(
    'psql',
    [
      '-X',
      '-q',
      '-At',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      s.pgHost,
      '-p',
      String(s.pgPort),
      '-U',
      s.pgUser,
      '-d',
      database,
      '-c',
      sql,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

export function createDatabase(s: Settings): void {
  psql(s, `CREATE DATABASE ${s.database}`);
}

export function dropDatabase(s: Settings): void {
  psql(s, `DROP DATABASE IF EXISTS ${s.database} WITH (FORCE)`);
}

export const clusterUrl = (s: Settings, i: number) =>
  `http://127.0.0.1:${s.simPort + i}`;

/** The simulated fleet as a process of its own (bin/modelfleet-sim.js). */
export function simulatorProcess(s: Settings): Proc {
  return new Proc(
    'simulator',
    path.join(s.logDir, 'simulator.log'),
    process.execPath,
    [
      'bin/modelfleet-sim.js',
      '--port',
      String(s.simPort),
      // Slow while the backends start; the run sets the speed when the
      // actions begin.
      '--speed',
      '1',
      '--token',
      SA_TOKEN,
      '--admin-token',
      ADMIN_TOKEN,
    ],
    {
      cwd: path.join(s.root, 'plugins', 'modelfleet-backend-module-demo'),
    },
  );
}

/** Waits until every simulated cluster answers. */
export async function waitForSimulator(s: Settings, sim: Proc): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (!sim.alive) throw new Error('the simulator exited');
    const up = await Promise.all(
      CLUSTERS.map((_, c) =>
        request(`${clusterUrl(s, c)}/_sim/clock`, { timeoutMs: 2_000 })
          .then(r => r.status === 200)
          .catch(() => false),
      ),
    );
    if (up.every(Boolean)) return;
    await sleep(500);
  }
  throw new Error('the simulator did not answer within 60 s');
}

/** A Model whose workload runs where ModelFleet may not write (kube-system). */
export const PROBE_MODEL = {
  name: 'replicas-rbac-probe',
  cluster: 'demo-aws-use1',
  namespace: 'kube-system',
  deployment: 'replicas-rbac-probe',
};

function probeCatalogFile(s: Settings): string {
  const file = path.join(s.logDir, 'rbac-probe-model.yaml');
  fs.writeFileSync(
    file,
    `${JSON.stringify({
      apiVersion: 'modelfleet.io/v1alpha1',
      kind: 'Model',
      metadata: {
        name: PROBE_MODEL.name,
        description:
          'yarn test:replicas: a Model whose workload is in kube-system, where ModelFleet may not write',
      },
      spec: {
        type: 'llm',
        lifecycle: 'experimental',
        owner: 'group:default/platform-team',
        source: 'replicas-test/probe',
        runtime: 'generic',
        gpu: { count: 1 },
        workload: {
          cluster: PROBE_MODEL.cluster,
          namespace: PROBE_MODEL.namespace,
          kind: 'Deployment',
          name: PROBE_MODEL.deployment,
        },
      },
    })}\n`,
  );
  return file;
}

/** The app-config overlay of backend `i` (0 or 1). */
export function writeOverlay(s: Settings, i: number): string {
  const port = s.backendPorts[i];
  const base = `http://localhost:${port}`;
  const overlay = {
    app: { baseUrl: base },
    backend: {
      baseUrl: base,
      listen: { port },
      cors: { origin: base },
      database: {
        client: 'pg',
        // One fresh database, a schema per plugin: dropped as one.
        pluginDivisionMode: 'schema',
        connection: {
          host: s.pgHost,
          port: s.pgPort,
          user: s.pgUser,
          database: s.database,
        },
      },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: DRIVER_TOKEN, subject: 'replicas-test' },
          },
        ],
      },
    },
    catalog: {
      locations: [
        { type: 'file', target: '../../catalog-info.yaml' },
        { type: 'file', target: '../../examples/demo/all.yaml' },
        { type: 'file', target: probeCatalogFile(s) },
      ],
    },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: CLUSTERS.map((c, ci) => ({
            name: c.name,
            url: clusterUrl(s, ci),
            authProvider: 'serviceAccount',
            serviceAccountToken: SA_TOKEN,
            skipMetricsLookup: true,
          })),
        },
      ],
    },
    modelfleet: {
      demo: { enabled: true, simulator: { mode: 'external' } },
      kubernetes: {
        clusters: Object.fromEntries(
          CLUSTERS.map(c => [
            c.name,
            { provider: c.provider, region: c.region, demo: true },
          ]),
        ),
      },
      policies: { defaults: { dryRun: false } },
      // The workload views are what the last cluster sync stored; every
      // 10 s, so the faults phase's check of the views after dropped and
      // expired watches measures the watches, not the schedule (once a
      // minute by default, longer than the check waits).
      clusterSync: {
        schedule: {
          frequency: { seconds: 10 },
          timeout: { seconds: 60 },
          initialDelay: { seconds: 3 },
        },
      },
      actions: {
        leaseSeconds: s.leaseSeconds,
        pollSeconds: s.pollSeconds,
        retry: {
          maxAttempts: s.maxAttempts,
          baseDelaySeconds: 1,
          maxDelaySeconds: 2,
        },
      },
      gitops: { local: { root: path.join(s.logDir, 'gitops') } },
    },
  };
  const file = path.join(s.logDir, `app-config.replica-${i + 1}.yaml`);
  // JSON is YAML.
  fs.writeFileSync(file, `${JSON.stringify(overlay, null, 2)}\n`);
  return file;
}

/**
 * Backend `i` of the portal (packages/backend), run as `backstage-cli
 * package start` runs it but without its file watcher: other work on the
 * sources must not restart a replica in the middle of the run.
 */
export function backendProcess(s: Settings, i: number, overlay: string): Proc {
  return backendProc(
    s.root,
    `replica-${i + 1}`,
    path.join(s.logDir, `replica-${i + 1}.log`),
    overlay,
  );
}

/** Waits for a backend's health and its action loop; returns the loop's owner name. */
export async function waitForBackend(
  url: string,
  proc: Proc,
  timeoutMs = 240_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let owner: string | undefined;
  while (Date.now() < deadline) {
    if (!proc.alive) throw new Error(`${proc.name} exited while starting`);
    const log = proc.logSinceStart();
    owner ??= ownerFromLog(log);
    const failed = /Backend startup failed[^\n]*/.exec(log);
    if (failed) {
      throw new Error(`${proc.name}: ${failed[0].slice(0, 600)}`);
    }
    const ok = await request(`${url}/api/modelfleet/health`, {
      timeoutMs: 2_000,
    })
      .then(r => r.status === 200)
      .catch(e => {
        if (e instanceof NoAnswerError) return false;
        throw e;
      });
    if (ok && owner) return owner;
    await sleep(500);
  }
  throw new Error(`${proc.name} did not come up within ${timeoutMs / 1000} s`);
}

/** The last action loop owner a backend log names. */
export function ownerFromLog(log: string): string | undefined {
  const all = [...log.matchAll(/action loop runs here as (\S+)/g)];
  return all.length ? all[all.length - 1][1] : undefined;
}
