/* eslint-disable no-console */
/** The run: the simulator, the backend replicas and the database it starts, the models it drives, and what it reads back. */
import fs from 'node:fs';
import { ActionDriver, Locks, ModelInfo } from './actions';
import { ActionView, Backend, isFinal, Replicas } from './backends';
import { capabilities, RunContext } from './context';
import {
  ADMIN_TOKEN,
  backendProcess,
  checkPortFree,
  CLUSTERS,
  clusterUrl,
  createDatabase,
  dropDatabase,
  psql,
  readSettings,
  Settings,
  simulatorProcess,
  waitForBackend,
  waitForSimulator,
  writeOverlay,
} from './environment';
import { request, sleep } from './http';
import { Load } from './load';
import { log } from './log';
import { MutationCollector } from './mutations';
import { Proc } from './processes';
import { createProbeWorkload } from './rbac';

/**
 * The run's processes and database, and what it drives: the action driver,
 * the per-model locks, the models and the load.
 */
export class Run {
  readonly s: Settings;
  sim?: Proc;
  readonly backends: Backend[];
  readonly replicas: Replicas;
  readonly driver: ActionDriver;
  readonly locks = new Locks();
  models: ModelInfo[] = [];
  collector?: MutationCollector;
  dbCreated = false;
  private overlays: string[] = [];
  private restarts: Promise<void>[] = [];
  readonly load = new Load(() => this.context());

  constructor(root: string) {
    this.s = readSettings(root);
    this.backends = this.s.backendPorts.map(
      (port, i) => new Backend(i, `http://localhost:${port}`),
    );
    this.replicas = new Replicas(this.backends);
    this.driver = new ActionDriver(this.replicas);
  }

  context(): RunContext {
    return {
      settings: this.s,
      replicas: this.replicas,
      driver: this.driver,
      locks: this.locks,
      models: this.models,
      log,
      restart: b => this.restart(b),
    };
  }

  async setUp(): Promise<void> {
    const s = this.s;
    fs.rmSync(s.logDir, { recursive: true, force: true });
    fs.mkdirSync(s.logDir, { recursive: true });
    for (const port of [
      ...s.backendPorts,
      ...CLUSTERS.map((_, i) => s.simPort + i),
    ]) {
      await checkPortFree(port);
    }
    createDatabase(s);
    this.dbCreated = true;
    log(`database ${s.database} on ${s.pgHost}:${s.pgPort}`);

    this.sim = simulatorProcess(s);
    this.sim.start();
    await waitForSimulator(s, this.sim);
    log(
      `simulator: ${CLUSTERS.map(
        (c, i) => `${c.name} ${clusterUrl(s, i)}`,
      ).join(', ')}`,
    );
    await createProbeWorkload(s);

    this.overlays = this.backends.map((_, i) => writeOverlay(s, i));
    // One after the other: on a fresh database, two backends migrating at
    // once fail (Backstage's knex migrations throw MigrationLocked instead
    // of waiting, or collide creating the same tables).
    for (const b of this.backends) await this.startBackend(b);
    log(
      `replicas up: ${this.backends
        .map(b => `${b.label} ${b.url} as ${b.owner}`)
        .join(', ')}`,
    );
    this.models = await this.findModels();
    log(
      `models: ${this.models
        .map(m => `${m.name} (${m.cluster}, ${m.initialReplicas})`)
        .join(', ')}`,
    );
  }

  private async startBackend(b: Backend): Promise<void> {
    b.proc = backendProcess(this.s, b.index, this.overlays[b.index]);
    b.proc.start();
    const owner = await waitForBackend(b.url, b.proc);
    b.owner = owner;
    b.owners.push(owner);
    b.up = true;
  }

  restart(b: Backend): Promise<void> {
    const p = this.startBackend(b);
    this.restarts.push(p.catch(() => undefined));
    return p;
  }

  /** The models of the simulated clusters that the catalog knows, with their workloads. */
  private async findModels(): Promise<ModelInfo[]> {
    const found: Array<Omit<ModelInfo, 'hasAutoscaler'>> = [];
    for (const [i, c] of CLUSTERS.entries()) {
      const r = await request(
        `${clusterUrl(
          this.s,
          i,
        )}/apis/apps/v1/deployments?labelSelector=modelfleet.io%2Fmodel`,
        { token: ADMIN_TOKEN },
      );
      for (const d of r.body.items ?? []) {
        found.push({
          name: d.metadata.labels['modelfleet.io/model'],
          cluster: c.name,
          clusterIndex: i,
          namespace: d.metadata.namespace,
          initialReplicas: d.spec.replicas ?? 1,
        });
      }
    }
    const ctx = this.context();
    const deadline = Date.now() + 120_000;
    const out: ModelInfo[] = [];
    for (const m of found) {
      for (;;) {
        const caps = await capabilities(ctx, {
          ...m,
          hasAutoscaler: false,
        }).catch(() => undefined);
        if (caps?.workload) {
          out.push({ ...m, hasAutoscaler: Boolean(caps.autoscaler) });
          break;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `the catalog has no Model ${m.name} with its workload after 120 s`,
          );
        }
        await sleep(1_000);
      }
    }
    return out;
  }

  async simNow(): Promise<number> {
    const r = await request(`${clusterUrl(this.s, 0)}/_sim/clock`);
    return Date.parse(r.body.now);
  }

  /** Starts the load on every model. */
  startLoad(): void {
    this.load.start(this.models);
  }

  /** Stops the load, and waits for its actions to end and for restarts to finish. */
  async stopLoadAndDrain(): Promise<void> {
    await this.load.drain();
    await Promise.race([Promise.all(this.restarts), sleep(60_000)]);
  }

  /**
   * Waits until no stored action is left planned to run (not one waiting
   * for approval) or applying, for at most `timeoutMs`.
   */
  async settlePolicyActions(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const open = (await this.storedActions()).filter(
        a => !isFinal(a) && !(a.dryRun && a.state === 'planned'),
      );
      if (open.length === 0) return;
      await sleep(2_000);
    }
  }

  counts() {
    const all = [...this.driver.tracked.values()];
    const by = (state: string) =>
      all.filter(t => t.final?.state === state).length;
    return {
      created: all.length,
      done: by('done'),
      rolledBack: by('rolledBack'),
      failed: by('failed'),
      active: all.filter(t => !t.final).length,
    };
  }

  progress(simStart: number, simNow: number): void {
    const c = this.counts();
    const h = (simNow - simStart) / 3600_000;
    log(
      `sim +${h.toFixed(1).padStart(4)} h: ${c.created} actions (${
        c.done
      } done, ${c.rolledBack} rolled back, ${c.failed} failed, ${
        c.active
      } running); replicas up: ${this.backends
        .filter(b => b.up)
        .map(b => b.label)
        .join(', ')}`,
    );
  }

  /** Every action in the database, with its events (through the REST API). */
  async storedActions(): Promise<ActionView[]> {
    const entities = new Set([
      ...this.models.map(m => `model:default/${m.name}`),
      ...[...this.driver.tracked.values()].map(
        t => `model:default/${t.model.name}`,
      ),
    ]);
    const out: ActionView[] = [];
    for (const e of entities) {
      const r = await this.replicas.read<{ actions: ActionView[] }>(
        `/actions?entity=${encodeURIComponent(e)}&limit=200`,
      );
      out.push(...(r.body.actions ?? []));
    }
    return out;
  }

  /** The ids of the actions the database holds (read in SQL, not through the API). */
  databaseIds(): Set<string> | undefined {
    try {
      const schemas = psql(
        this.s,
        "SELECT table_schema FROM information_schema.tables WHERE table_name = 'modelfleet_actions'",
        this.s.database,
      )
        .trim()
        .split('\n')
        .filter(Boolean);
      if (schemas.length !== 1) return undefined;
      return new Set(
        psql(
          this.s,
          `SELECT id FROM "${schemas[0]}".modelfleet_actions`,
          this.s.database,
        )
          .split('\n')
          .map(l => l.trim())
          .filter(Boolean),
      );
    } catch {
      return undefined;
    }
  }

  async tearDown(): Promise<void> {
    this.load.stop();
    this.collector?.stop();
    await Promise.all(this.backends.map(b => b.proc?.stop()));
    await this.sim?.stop();
    if (this.dbCreated) {
      try {
        dropDatabase(this.s);
      } catch (e) {
        console.error(`could not drop database ${this.s.database}: ${e}`);
      }
    }
  }

  printLogs(lines = 40): void {
    for (const p of [...this.backends.map(b => b.proc), this.sim].filter(
      Boolean,
    ) as Proc[]) {
      console.error(
        `\n--- last ${lines} lines of ${p.name} (${p.logFile}) ---`,
      );
      console.error(p.tail(lines));
    }
  }
}
