/*
 * The portal under test: one backend of packages/backend on SQLite in a
 * temporary directory, with the demo's simulated clusters embedded on
 * their own ports and a static external access token for the fuzzer.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { backendProc, checkPortFree, Proc } from 'replicas-test/processes';
import { call, NoAnswerError, sleep } from './http';

/** Where and how the portal runs. */
export interface PortalSettings {
  root: string;
  port: number;
  /** The first simulated cluster's port; the next two follow. */
  simPort: number;
  /** SQLite files, the local GitOps target. */
  dataDir: string;
  /** Log and app-config overlay. */
  logDir: string;
}

const CLUSTERS = [
  { name: 'demo-aws-use1', provider: 'aws', region: 'us-east-1' },
  { name: 'demo-gcp-usc1', provider: 'gcp', region: 'us-central1' },
  { name: 'demo-azure-eastus', provider: 'azure', region: 'eastus' },
];

/** The running portal backend, in a process group of its own. */
export class Portal {
  readonly token = `fuzz-${crypto.randomBytes(18).toString('hex')}`;
  readonly base: string;
  readonly logFile: string;
  /** The guest user's Backstage token (routes that act for a person). */
  userToken = '';
  private proc?: Proc;

  constructor(readonly s: PortalSettings) {
    this.base = `http://localhost:${s.port}`;
    this.logFile = path.join(s.logDir, 'backend.log');
  }

  /** The overlay on app-config.yaml. */
  overlay(): object {
    const { port, simPort, dataDir } = this.s;
    return {
      app: { baseUrl: this.base },
      backend: {
        baseUrl: this.base,
        listen: { port },
        cors: { origin: this.base },
        database: {
          client: 'better-sqlite3',
          connection: { directory: path.join(dataDir, 'sqlite') },
        },
        auth: {
          externalAccess: [
            {
              type: 'static',
              options: { token: this.token, subject: 'fuzz-test' },
            },
          ],
        },
      },
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: CLUSTERS.map((c, i) => ({
              name: c.name,
              url: `http://127.0.0.1:${simPort + i}`,
              authProvider: 'serviceAccount',
              serviceAccountToken: 'modelfleet-sim-token',
              skipMetricsLookup: true,
            })),
          },
        ],
      },
      modelfleet: {
        demo: { enabled: true, simulator: { mode: 'embedded' } },
        // A short history: the cost routes have data, the start is light.
        showback: { backfillDays: 5 },
        // Nothing acts or recommends on its own: every action waits for an
        // approval, and neither the hibernation loop nor the arbitrage and
        // spot fallback loops propose any (they would store their
        // recommendations while the fuzzer runs), so the only stored
        // changes are the fuzzer's accepted requests.
        policies: {
          defaults: {
            dryRun: true,
            hibernation: { mode: 'off' },
            arbitrage: { mode: 'off' },
          },
          teams: Object.fromEntries(
            ['vision-team', 'assistant-team'].map(team => [
              team,
              {
                dryRun: true,
                hibernation: { mode: 'off' },
                arbitrage: { mode: 'off' },
              },
            ]),
          ),
        },
        gitops: { local: { root: path.join(dataDir, 'gitops') } },
      },
    };
  }

  async start(): Promise<void> {
    const { root, port, simPort, logDir, dataDir } = this.s;
    for (const p of [port, simPort, simPort + 1, simPort + 2]) {
      await checkPortFree(p);
    }
    fs.mkdirSync(logDir, { recursive: true });
    fs.mkdirSync(path.join(dataDir, 'sqlite'), { recursive: true });
    const overlayFile = path.join(logDir, 'app-config.fuzz.yaml');
    // JSON is YAML.
    fs.writeFileSync(
      overlayFile,
      `${JSON.stringify(this.overlay(), null, 2)}\n`,
    );
    // Development mode: the guest sign-in gives the fuzzer a user token.
    this.proc = backendProc(root, 'backend', this.logFile, overlayFile);
    this.proc.start();
  }

  get alive(): boolean {
    return Boolean(this.proc?.alive);
  }

  /** Signals the whole process group. */
  signal(sig: NodeJS.Signals): void {
    this.proc?.signal(sig);
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 4_000): Promise<void> {
    await this.proc?.stop(graceMs);
  }

  /** This start's log, without colour codes. */
  log(): string {
    return this.proc?.logSinceStart() ?? '';
  }

  /** Waits for `/health`; throws when the backend exits or fails to start. */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.alive) throw new Error('the backend exited while starting');
      const failed = /Backend startup failed[^\n]*/.exec(this.log());
      if (failed) throw new Error(failed[0].slice(0, 600));
      const ok = await call(this.base, 'GET', '/api/modelfleet/health')
        .then(r => r.status === 200)
        .catch(e => {
          if (e instanceof NoAnswerError) return false;
          throw e;
        });
      if (ok) return;
      await sleep(500);
    }
    throw new Error(`the backend did not answer within ${timeoutMs / 1000} s`);
  }

  /**
   * Waits until the catalog has the models the fuzzer works on, with their
   * workloads found on the simulated clusters.
   */
  async waitForModels(models: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const m of models) {
      for (;;) {
        const r = await call(
          this.base,
          'GET',
          `/api/modelfleet/models/default/${m}/capabilities`,
          this.token,
        ).catch(() => undefined);
        if (r?.status === 200 && r.json?.workload) break;
        if (Date.now() > deadline) {
          throw new Error(
            `model ${m} has no workload after ${timeoutMs / 1000} s: ${
              r?.status
            } ${r?.message?.slice(0, 200)}`,
          );
        }
        await sleep(1_000);
      }
    }
  }

  /** Waits until the price book has prices (placement needs them). */
  async waitForPrices(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await call(
        this.base,
        'GET',
        '/api/modelfleet/prices',
        this.token,
      ).catch(() => undefined);
      if (r?.status === 200 && r.json?.items?.length) return;
      if (Date.now() > deadline) {
        throw new Error(
          `no prices after ${timeoutMs / 1000} s: ${
            r?.status
          } ${r?.message?.slice(0, 200)}`,
        );
      }
      await sleep(1_000);
    }
  }

  /** Signs in as the guest user (development only) for a user token. */
  async signInGuest(): Promise<void> {
    const res = await fetch(`${this.base}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    const body: any = await res.json().catch(() => undefined);
    const token = body?.backstageIdentity?.token;
    if (!token) {
      throw new Error(
        `guest sign-in failed: ${res.status} ${JSON.stringify(body)?.slice(
          0,
          300,
        )}`,
      );
    }
    this.userToken = token;
  }
}
