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
import { accountFor, othersWentOn } from './accounting';
import { Check } from './context';
import { CLUSTERS, clusterUrl } from './environment';
import { faultPhase } from './faults';
import { printFigures } from './figures';
import { request, sleep } from './http';
import { killPhase } from './kill';
import { log } from './log';
import { MutationCollector } from './mutations';
import { rbacPhase } from './rbac';
import { writeReport } from './report';
import { Run } from './run';

const DAY_MS = 24 * 3600 * 1000;
const MIN_ACTIONS = 200;

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
    checks.push(othersWentOn(run, faults.window));

    // The accounting.
    const accounting = await accountFor(run, run.collector, kill, checks);
    const { stored, missing, notFinal, recommended, stillWaiting } = accounting;
    const { lost, twice, resumed } = accounting;

    // The figures.
    printFigures(run, run.collector, accounting);
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
      run.load.errors.length === 0,
      run.load.errors.length
        ? `${run.load.errors.length}, e.g. ${run.load.errors[0]}`
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
