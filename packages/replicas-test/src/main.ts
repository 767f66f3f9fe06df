/* eslint-disable no-console */
/*
 * yarn test:replicas — two backend replicas of the portal on one fresh
 * PostgreSQL database run the action loop against the simulated clusters
 * (a process of their own, on a fast clock) for a simulated day:
 *
 * - load: scale, hibernate and wake of the demo models, asked of the two
 *   replicas in turn, each followed until it ends;
 * - kill: one replica is killed with SIGKILL inside a step; the other must
 *   take the action over after the lease and end it; the killed one starts
 *   again;
 * - faults: 503 and 409 bursts, a cut connection, a timeout, a 403, a 503
 *   that does not pass and dropped watches on one cluster, while the
 *   actions on the others go on;
 * - rbac: writes outside what deploy/rbac/ allows are refused.
 *
 * At the end the simulator's count of changes per action step says whether
 * a step was applied twice, and the database whether an action was lost.
 * The last line: `replicas: actions=N applied_twice=0 lost=0
 * resumed_after_kill=K faults_survived=F`.
 */
import fs from 'node:fs';
import { ActionDriver, Locks, ModelInfo } from './actions';
import { ActionView, Backend, isFinal, Replicas } from './backends';
import { capabilities, Check, RunContext } from './context';
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
import { faultPhase } from './faults';
import { request, sleep } from './http';
import { killPhase, resumedAfterKill } from './kill';
import { appliedTwice, MutationCollector } from './mutations';
import { Proc } from './processes';
import { createProbeWorkload, rbacPhase } from './rbac';
import {
  observeWaiting,
  podsStillComing,
  waitingWithinDeadline,
} from './waiting';

const DAY_MS = 24 * 3600 * 1000;
const MIN_ACTIONS = 200;

const t0 = Date.now();
const stamp = () => `[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s]`;
const log = (m: string) => console.log(`${stamp()} ${m}`);

class Run {
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
  private stopLoad = false;
  private loadWorkers: Promise<void>[] = [];
  readonly loadErrors: string[] = [];
  private restarts: Promise<void>[] = [];
  /** Replays of a request with its Idempotency-Key, to the other replica. */
  replays = { same: 0, different: [] as string[] };
  lateReplays = new Map<number, number>();

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

  /** One action on a model, chosen from what it may do now. */
  private async loadAction(m: ModelInfo, n: number): Promise<void> {
    const ctx = this.context();
    const caps = await capabilities(ctx, m);
    if (!caps.workload) return;
    const desired = caps.replicas?.desired ?? 0;
    let kind: 'scale' | 'hibernate' | 'wake';
    let body: Record<string, unknown> = {};
    const top = Math.max(2, Math.min(3, m.initialReplicas));
    if (caps.wake.allowed) {
      kind = 'wake';
    } else if (caps.hibernate.allowed && Math.random() < 0.35) {
      kind = 'hibernate';
    } else {
      const counts = [1, 2, 3].filter(x => x <= top && x !== desired);
      kind = 'scale';
      body = { replicas: counts[Math.floor(Math.random() * counts.length)] };
    }
    const via = this.replicas.next();
    const t = await this.driver.request(m, kind, body, 'load', via);
    if (!t) return;
    // Now and then the same request again, with its key, to the other
    // replica: the same action must come back.
    if (n % 8 === 3) {
      const other = this.replicas.other(via);
      const header = t.key.split(':').slice(-1)[0];
      const r = await other
        .call('POST', `/models/default/${m.name}/${kind}`, body, {
          'Idempotency-Key': header,
        })
        .catch(() => undefined);
      if (r && r.status === 200 && r.body.id === t.id) this.replays.same++;
      else if (r)
        this.replays.different.push(
          `${t.id}: ${r.status} ${
            r.body?.id ?? JSON.stringify(r.body).slice(0, 120)
          }`,
        );
    }
    const a = await this.driver.waitFinal(t, 15 * 60_000);
    if (a && n % 8 === 5) {
      // The same request once the action has ended.
      const header = t.key.split(':').slice(-1)[0];
      const r = await this.replicas
        .next()
        .call('POST', `/models/default/${m.name}/${kind}`, body, {
          'Idempotency-Key': header,
        })
        .catch(() => undefined);
      if (r) {
        const status = r.status === 200 && r.body.id === t.id ? 200 : r.status;
        this.lateReplays.set(status, (this.lateReplays.get(status) ?? 0) + 1);
      }
    }
  }

  startLoad(): void {
    this.loadWorkers = this.models.map(async (m, i) => {
      await sleep(i * 150);
      let n = 0;
      while (!this.stopLoad) {
        const k = n++;
        try {
          await this.locks.run(m.name, () =>
            this.stopLoad ? Promise.resolve() : this.loadAction(m, k),
          );
        } catch (e) {
          this.loadErrors.push(`${m.name}: ${(e as Error).message}`);
          if (this.loadErrors.length > 50) throw e;
          await sleep(1_000);
        }
        await sleep(300 + Math.random() * 900);
      }
    });
  }

  async stopLoadAndDrain(): Promise<void> {
    this.stopLoad = true;
    await Promise.race([Promise.all(this.loadWorkers), sleep(120_000)]);
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

  /** How many actions the database holds (counted in SQL, not through the API). */
  databaseCount(): number | undefined {
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
      return Number(
        psql(
          this.s,
          `SELECT count(*) FROM "${schemas[0]}".modelfleet_actions`,
          this.s.database,
        ).trim(),
      );
    } catch {
      return undefined;
    }
  }

  async tearDown(): Promise<void> {
    this.stopLoad = true;
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

/** An action that did not end, told whole enough to find why. */
function describeAction(a: ActionView): string {
  const steps = a.steps
    .map((st, i) => `${i === a.stepIndex ? '>' : ' '}${i}:${st.do.op}`)
    .join(' ');
  const events = (a.events ?? [])
    .slice(-8)
    .map(
      e =>
        `\n    ${e.at} ${e.from ?? '-'}->${e.to} step=${e.step ?? '-'} ${
          e.outcome
        } by ${e.actor}: ${e.message}`,
    )
    .join('');
  return `${a.id} ${a.kind} ${a.entityRef} on ${a.cluster}: ${
    a.state
  } at step ${a.stepIndex} [${steps}], lease ${a.leaseOwner ?? 'none'} until ${
    a.leaseExpiresAt ?? '-'
  }, updated ${a.updatedAt}, last error ${a.lastError ?? 'none'}${events}`;
}

async function main(root: string): Promise<number> {
  const run = new Run(root);
  let cleaning = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (cleaning) return;
    cleaning = true;
    console.error(`\n${signal}: stopping the replicas and the simulator`);
    void run.tearDown().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const checks: Check[] = [];
  let ok = false;
  try {
    const s = run.s;
    log(
      `replicas test: lease ${s.leaseSeconds} s, poll ${s.pollSeconds} s, ${s.maxAttempts} tries, simulator speed ${s.speed}x; logs in ${s.logDir}`,
    );
    await run.setUp();
    const ctx = run.context();

    run.collector = new MutationCollector(
      CLUSTERS.map((_, i) => clusterUrl(s, i)),
    );
    await request(`${clusterUrl(s, 0)}/_sim/clock`, {
      method: 'POST',
      body: { speed: s.speed },
    });
    // What happened before (the probe workload) is not the actions'.
    await Promise.all(
      CLUSTERS.map((_, i) =>
        request(`${clusterUrl(s, i)}/_sim/mutations`, { method: 'DELETE' }),
      ),
    );
    run.collector.start();
    const simStart = await run.simNow();
    const dayEnd = simStart + DAY_MS;
    const wallStart = Date.now();
    log(
      `a simulated day from ${new Date(simStart).toISOString()}, about ${(
        DAY_MS /
        s.speed /
        1000
      ).toFixed(0)} s`,
    );
    run.startLoad();

    const ticker = setInterval(() => {
      run
        .simNow()
        .then(now => run.progress(simStart, now))
        .catch(() => undefined);
    }, 15_000);

    const untilDayFraction = async (f: number) => {
      while ((await run.simNow()) < simStart + f * DAY_MS) await sleep(500);
    };
    const phases = (async () => {
      await untilDayFraction(0.12);
      log('kill: a replica dies inside a step');
      const kill = await killPhase(ctx);
      checks.push(...kill.checks);
      await untilDayFraction(0.4);
      log('faults: injected on demo-gcp-usc1 while the others go on');
      const faults = await faultPhase(ctx);
      checks.push(...faults.checks);
      await untilDayFraction(0.7);
      log('rbac: writes outside what deploy/rbac/ allows');
      const other = run.models.find(m => m.clusterIndex === 0)!;
      checks.push(
        ...(await run.locks.run(other.name, () => rbacPhase(ctx, other))),
      );
      return { kill, faults };
    })();

    const { kill, faults } = await phases;
    while (
      (await run.simNow()) < dayEnd ||
      (run.counts().created < MIN_ACTIONS &&
        Date.now() - wallStart < (DAY_MS / s.speed) * 2)
    ) {
      await sleep(1_000);
    }
    log('the day is over: no new actions; waiting for the running ones');
    await run.stopLoadAndDrain();
    // A policy (the hibernation loop) may have planned an action just
    // before the load stopped: let the runners take it, as they would.
    await run.settlePolicyActions(60_000);
    clearInterval(ticker);
    await run.collector.poll();
    run.collector.stop();
    run.progress(simStart, await run.simNow());

    // Others went on during the faults.
    const [from, to] = faults.window;
    const others = [...run.driver.tracked.values()].filter(
      t =>
        t.phase === 'load' &&
        t.model.clusterIndex !== 1 &&
        t.finishedAt &&
        t.finishedAt >= from &&
        t.finishedAt <= to,
    );
    const othersDone = others.filter(t => t.final?.state === 'done');
    checks.push({
      phase: 'faults',
      name: 'actions on the other clusters went on',
      pass: othersDone.length >= 3,
      detail: `${othersDone.length} of ${
        others.length
      } actions on demo-aws-use1 and demo-azure-eastus ended done during the ${(
        (to - from) /
        1000
      ).toFixed(0)} s of faults`,
    });

    // The accounting.
    const stored = await run.storedActions();
    const storedIds = new Set(stored.map(a => a.id));
    const tracked = [...run.driver.tracked.values()];
    const missing = tracked.filter(t => !storedIds.has(t.id));
    // An action a policy recommended (the hibernation loop, for a team in
    // dry run) waits at planned for a person by design: not lost.
    const trackedIds = new Set(tracked.map(t => t.id));
    const waitingForApproval = (a: ActionView) =>
      !trackedIds.has(a.id) && a.dryRun === true && a.state === 'planned';
    // An action waiting for pods within its step's own deadline is in
    // progress when the run ends, not lost, if the cluster shows its pods
    // still coming: the workload wants the step's count, fewer are ready.
    const checkedAt = Date.now();
    const stillWaiting = new Set<string>();
    for (const a of stored.filter(x => waitingWithinDeadline(x, checkedAt))) {
      const seen = podsStillComing(a, await observeWaiting(s, a));
      console.log(
        `${seen.coming ? 'still waiting' : 'waiting in vain'}: ${describeAction(
          a,
        )}: ${seen.why}`,
      );
      if (seen.coming) stillWaiting.add(a.id);
    }
    const notFinal = stored.filter(
      a => !isFinal(a) && !waitingForApproval(a) && !stillWaiting.has(a.id),
    );
    const recommended = stored.filter(waitingForApproval);
    for (const a of recommended)
      console.log(
        `waiting for approval: ${describeAction(a)} (${a.requestedBy})`,
      );
    const lost = missing.length + notFinal.length;
    for (const a of notFinal) console.log(`not final: ${describeAction(a)}`);
    const { twice, unknownSteps } = appliedTwice(run.collector, stored);
    const complete = run.collector.completeness();
    const resumed = resumedAfterKill(stored, kill.victimOwner, kill.killedAt);
    const dbCount = run.databaseCount();
    checks.push({
      phase: 'mutations',
      name: 'every change collected',
      pass: complete.every(c => c.collected === c.total),
      detail: complete
        .map(c => `${c.cluster} ${c.collected}/${c.total}`)
        .join(', '),
    });
    checks.push({
      phase: 'mutations',
      name: 'no change under a step no action has',
      pass: unknownSteps.length === 0,
      detail: unknownSteps.length
        ? unknownSteps.slice(0, 5).join(', ')
        : 'none',
    });
    checks.push({
      phase: 'load',
      name: 'a request sent again with its Idempotency-Key gets the same action',
      pass: run.replays.different.length === 0 && run.replays.same > 0,
      detail: `${run.replays.same} the same${
        run.replays.different.length
          ? `; different: ${run.replays.different.slice(0, 3).join('; ')}`
          : ''
      }`,
    });
    checks.push({
      phase: 'database',
      name: 'the database holds every action the driver created, and no other',
      pass: dbCount === stored.length && missing.length === 0,
      detail: `${dbCount ?? '?'} rows in SQL, ${
        stored.length
      } through the API, ${tracked.length} created by the driver, ${
        missing.length
      } missing`,
    });

    // The figures.
    const kinds = new Map<string, number>();
    const states = new Map<string, number>();
    for (const a of stored) {
      kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
      states.set(a.state, (states.get(a.state) ?? 0) + 1);
    }
    const phasesOf = new Map<string, number>();
    for (const t of tracked)
      phasesOf.set(t.phase, (phasesOf.get(t.phase) ?? 0) + 1);
    const durations = tracked
      .filter(t => t.finishedAt && t.phase === 'load')
      .map(t => t.finishedAt! - t.requestedAt)
      .sort((a, b) => a - b);
    const pct = (p: number) =>
      durations.length
        ? (durations[Math.floor((durations.length - 1) * p)] / 1000).toFixed(1)
        : '-';
    const changes = run.collector.allChanges();
    console.log('\n== figures');
    console.log(
      `actions: ${stored.length} (${[...kinds]
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}); by phase ${[...phasesOf]
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}; ended ${[...states]
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}`,
    );
    console.log(
      `load: asked of ${run.backends
        .map(b => `${b.label} ${tracked.filter(t => t.via === b.label).length}`)
        .join(', ')}; request to end p50 ${pct(0.5)} s, p95 ${pct(0.95)} s; ${
        run.driver.refused
      } requests refused (409), ${
        run.driver.resent
      } sent again after no answer`,
    );
    console.log(
      `late replays (same Idempotency-Key after the action ended): ${
        [...run.lateReplays].map(([k, n]) => `${n}× ${k}`).join(', ') || 'none'
      }`,
    );
    const runners = new Map<string, number>();
    for (const a of stored)
      for (const e of a.events ?? [])
        if (e.actor.startsWith('replica:'))
          runners.set(e.actor, (runners.get(e.actor) ?? 0) + 1);
    console.log(
      `transitions by replica: ${[...runners]
        .map(([k, n]) => `${run.replicas.byOwner(k)?.label ?? '?'} ${k} ${n}`)
        .join(', ')}`,
    );
    console.log(
      `changes by ModelFleet on the clusters: ${
        changes.filter(c => c.actionStep).length
      } under ${
        run.collector.countsByStep().size
      } action steps; requests by verb ${CLUSTERS.map(
        c =>
          `${c.name} ${JSON.stringify(
            run.collector!.reports.get(c.name)?.requestsByVerb ?? {},
          )}`,
      ).join(', ')}`,
    );
    if (twice.length) {
      console.log('applied twice:');
      for (const x of twice.slice(0, 20)) console.log(`  ${x.step}: ${x.why}`);
    }
    if (notFinal.length) {
      console.log('not final:');
      for (const a of notFinal.slice(0, 20))
        console.log(
          `  ${a.id} ${a.kind} ${a.entityRef} ${a.state} step ${
            a.stepIndex + 1
          }`,
        );
    }
    console.log(
      `resumed after the kill: ${
        resumed
          .map(a => `${a.id} (${a.kind} ${a.entityRef}, ${a.state})`)
          .join(', ') || 'none'
      }`,
    );
    console.log('\n== checks');
    for (const c of checks) {
      console.log(
        `${c.pass ? 'ok  ' : 'FAIL'} ${c.phase}: ${c.name} — ${c.detail}`,
      );
    }
    const faultsSurvived = checks.filter(
      c =>
        c.phase === 'faults' &&
        c.pass &&
        c.name !== 'actions on the other clusters went on',
    ).length;
    const summary = (name: string, pass: boolean, detail: string) =>
      checks.push({ phase: 'summary', name, pass, detail });
    summary(
      `at least ${MIN_ACTIONS} actions`,
      stored.length >= MIN_ACTIONS,
      `${stored.length}`,
    );
    summary(
      'no step applied twice',
      twice.length === 0,
      twice.length
        ? twice
            .map(x => x.step)
            .slice(0, 5)
            .join(', ')
        : 'none',
    );
    summary(
      'no action lost',
      lost === 0,
      `${missing.length} missing from the database, ${notFinal.length} not final, ${recommended.length} recommended by a policy waiting for approval, ${stillWaiting.size} waiting within their deadline`,
    );
    summary(
      'an action resumed after the kill',
      resumed.length > 0,
      `${resumed.length}`,
    );
    summary(
      'the load ran without errors',
      run.loadErrors.length === 0,
      run.loadErrors.length
        ? `${run.loadErrors.length}, e.g. ${run.loadErrors[0]}`
        : 'none',
    );
    const problems = checks
      .filter(c => !c.pass)
      .map(c => `${c.phase}: ${c.name} (${c.detail.slice(0, 200)})`);
    if (faultsSurvived === 0) problems.push('faults: no fault survived');
    ok = problems.length === 0;
    if (!ok) {
      console.log(`\nproblems: ${problems.join('; ')}`);
      run.printLogs();
    }
    writeReport(checks);
    console.log(
      `replicas: actions=${stored.length} applied_twice=${twice.length} lost=${lost} resumed_after_kill=${resumed.length} faults_survived=${faultsSurvived}`,
    );
  } catch (e) {
    console.error(`\nreplicas test failed: ${(e as Error).stack ?? e}`);
    writeReport([
      ...checks,
      {
        phase: 'run',
        name: 'the run',
        pass: false,
        detail: String((e as Error).message ?? e),
      },
    ]);
    run.printLogs();
    const c = run.counts();
    console.log(
      `replicas: actions=${c.created} applied_twice=? lost=? resumed_after_kill=0 faults_survived=0`,
    );
  } finally {
    cleaning = true;
    await run.tearDown();
  }
  return ok ? 0 : 1;
}

/**
 * With `REPLICAS_TEST_REPORT=<file>`, the checks as a Jest JSON report
 * (one test per check), for scripts/summarize-tests.js.
 */
function writeReport(checks: Check[]): void {
  const file = process.env.REPLICAS_TEST_REPORT;
  if (!file) return;
  const failed = checks.filter(c => !c.pass).length;
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        numPassedTests: checks.length - failed,
        numFailedTests: failed,
        numPendingTests: 0,
        numTodoTests: 0,
        success: failed === 0,
        testResults: [
          {
            name: 'yarn test:replicas',
            status: failed ? 'failed' : 'passed',
            assertionResults: checks.map(c => ({
              ancestorTitles: ['replicas', c.phase],
              title: c.name,
              fullName: `replicas ${c.phase}: ${c.name}`,
              status: c.pass ? 'passed' : 'failed',
              failureMessages: c.pass ? [] : [c.detail],
            })),
          },
        ],
      },
      null,
      2,
    ),
  );
}

/** Runs the test from the repository root; exits 0 when every check passed. */
export function runCli(root: string): void {
  main(root).then(
    code => process.exit(code),
    e => {
      console.error(e);
      process.exit(1);
    },
  );
}
