import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PriceFilter } from '@modelfleet/plugin-modelfleet-node';
import type { GcpBillingCatalogPriceSourceOptions } from '../catalog/GcpBillingCatalogPriceSource';
import type { GcpBillingExportBillSourceOptions } from '../export/GcpBillingExportBillSource';
import type { GkeNodePoolApiOptions } from '../nodePools/GkeNodePoolApi';
import type {
  ActuatorChangeOptions,
  NodePoolRef,
} from '@modelfleet/plugin-modelfleet-node';

/** One call of a node-pool API, run in the child. */
export type NodePoolCall =
  | { op: 'listClusters' }
  | { op: 'size'; ref: NodePoolRef }
  | {
      op: 'setMinimum';
      ref: NodePoolRef;
      min: number;
      options?: ActuatorChangeOptions;
    };

/** What a call gave: its value, or the ActuatorError's fields. */
export type NodePoolOutcome =
  | { ok: true; value: unknown }
  | {
      ok: false;
      name: string;
      code?: string;
      retryable?: boolean;
      status?: number;
      message: string;
    };

/** The outcomes of a `gke` request's calls, in order, and what it logged. */
export interface NodePoolRun {
  outcomes: NodePoolOutcome[];
  logs: { level: string; message: string }[];
}

export type HarnessRequest = { id: number; env?: Record<string, string> } & (
  | {
      kind: 'catalog';
      options: GcpBillingCatalogPriceSourceOptions;
      filter?: PriceFilter;
    }
  | {
      kind: 'export';
      options: Omit<GcpBillingExportBillSourceOptions, 'authClient'> & {
        bearerToken?: string;
      };
      window: { start: string; end: string };
    }
  | {
      kind: 'gke';
      options: GkeNodePoolApiOptions;
      calls: NodePoolCall[];
    }
);

export type HarnessReply = {
  id: number;
  /** Connections to anything but 127.0.0.1 that were tried (and refused). */
  blocked: string[];
} & ({ ok: true; result: unknown } | { ok: false; error: string });

type Body<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * Runs the sources in a child Node process (TypeScript through the Backstage
 * CLI's node transform). Jest runs modules in a VM sandbox where dynamic
 * import() fails without --experimental-vm-modules, and both Google client
 * libraries load node-fetch with import() (gaxios and teeny-request), so
 * the real clients can only talk HTTP outside it.
 */
export class Harness {
  private nextId = 1;
  private exited?: string;
  private readonly pending = new Map<number, (r: HarnessReply) => void>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly home: string,
  ) {
    child.on('message', (m: HarnessReply) => {
      const resolve = this.pending.get(m.id);
      this.pending.delete(m.id);
      resolve?.(m);
    });
    // A crash (an exception thrown where no caller can catch it) fails the test.
    child.on('exit', code => {
      this.exited = `the harness process exited (${code})`;
      for (const [id, resolve] of this.pending) {
        resolve({
          id,
          ok: false,
          error: `the harness process exited (${code})`,
          blocked: [],
        });
      }
      this.pending.clear();
    });
  }

  static async start(): Promise<Harness> {
    // A clean Google environment: no ambient credentials, project or gcloud config.
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (v === undefined) continue;
      if (/^(GOOGLE_|GCLOUD_|CLOUDSDK_|BIGQUERY_|GCE_|METADATA_)/.test(k)) {
        continue;
      }
      env[k] = v;
    }
    // google-auth-library looks for gcloud's credentials under $HOME.
    env.HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'modelfleet-gcp-home-'));
    env.CLOUDSDK_CONFIG = path.join(env.HOME, '.config', 'gcloud');
    const child = fork(path.join(__dirname, 'childHarness.ts'), [], {
      execArgv: [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      ],
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('error', reject);
      child.once('exit', code =>
        reject(new Error(`test harness exited early (${code})`)),
      );
    });
    child.removeAllListeners('exit');
    return new Harness(child, env.HOME);
  }

  run(request: Body<HarnessRequest>): Promise<HarnessReply> {
    const id = this.nextId++;
    if (this.exited) {
      return Promise.resolve({
        id,
        ok: false,
        error: this.exited,
        blocked: [],
      });
    }
    return new Promise(resolve => {
      this.pending.set(id, resolve);
      this.child.send({ ...request, id });
    });
  }

  /** The result of a call that must succeed without leaving 127.0.0.1. */
  async ok<T>(request: Body<HarnessRequest>): Promise<T> {
    const reply = await this.run(request);
    if (reply.blocked.length) {
      throw new Error(`tried to reach ${reply.blocked.join(', ')}`);
    }
    if (!reply.ok) throw new Error(reply.error);
    return reply.result as T;
  }

  /** The error message of a call that must fail without leaving 127.0.0.1. */
  async error(request: Body<HarnessRequest>): Promise<string> {
    const reply = await this.run(request);
    if (reply.blocked.length) {
      throw new Error(`tried to reach ${reply.blocked.join(', ')}`);
    }
    if (reply.ok) {
      throw new Error(`expected an error, got ${JSON.stringify(reply.result)}`);
    }
    return reply.error;
  }

  stop() {
    if (this.child.connected) this.child.disconnect();
    this.child.kill();
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}
