/* eslint-disable no-console */
/*
 * yarn test:fuzz: hostile input for ModelFleet. One portal backend runs
 * (SQLite in a temporary directory, the demo's simulated clusters
 * embedded); while it starts, the in-process targets are fuzzed (kind
 * validators, the policy config parser, the scaffolder actions that need
 * no backend); then every REST route and the actions that call the
 * backend. Each input mutates one field of a known-good input with a value
 * of one class. The last line: `fuzz: inputs=N server_errors=X
 * unnamed_rejections=Y`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { call } from './http';
import { kindTargets, policyTarget } from './inprocess';
import { Tally } from './outcome';
import { Portal } from './portal';
import { printReport, shrinkFailures } from './report';
import { restTargets } from './rest';
import { Cell, CellProblem, cellsOf, runCell, Target } from './runner';
import { scaffolderTargets } from './scaffolder';
import { listFiles, snapshot, StoreSnapshot, storeChanges } from './store';

const t0 = Date.now();
const stamp = () => `[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s]`;
const log = (m: string) => console.log(`${stamp()} ${m}`);

const envNumber = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n))
    throw new Error(`${name} must be a number, got '${raw}'`);
  return n;
};

/** Runs cells, `width` at a time, in order. */
async function pool<T>(
  items: T[],
  width: number,
  run: (item: T) => Promise<void>,
) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let x = queue.shift(); x; x = queue.shift()) await run(x);
    }),
  );
}

/** A check of the run, printed at the end. */
interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

async function main(root: string): Promise<number> {
  const seed = envNumber('FUZZ_SEED', Math.floor(Math.random() * 2 ** 31));
  const scale = envNumber('FUZZ_SCALE', 1);
  const deadline = t0 + envNumber('FUZZ_FUZZ_SECONDS', 185) * 1000;
  const runs = (n: number) => Math.max(1, Math.round(n * scale));
  const logDir =
    process.env.FUZZ_LOG_DIR ?? path.join(root, 'test-results', 'fuzz');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelfleet-fuzz-'));
  const scratch = path.join(dataDir, 'actions');
  fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });
  log(`seed=${seed} (FUZZ_SEED=${seed} repeats these inputs)`);

  const portal = new Portal({
    root,
    port: envNumber('FUZZ_PORT', 7401),
    simPort: envNumber('FUZZ_SIM_PORT', 7411),
    dataDir,
    logDir,
  });
  let cleaning = false;
  const cleanUp = async () => {
    await portal.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('exit', () => portal.signal('SIGKILL'));
  const onSignal = () => {
    if (cleaning) return;
    cleaning = true;
    console.log('\ninterrupted; stopping the portal');
    void cleanUp().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const tally = new Tally();
  const checks: Check[] = [];
  const problems: CellProblem[] = [];
  const all: Target[] = [];
  const runCells = (cells: Cell[], width: number) =>
    pool(cells, width, async c => {
      const p = await runCell(c, seed, tally, deadline);
      if (p) problems.push(p);
    });
  let code = 1;
  let offlineLane: Promise<void> | undefined;
  try {
    await portal.start();
    log(
      `portal starting on ${portal.base} (log ${path.relative(
        root,
        portal.logFile,
      )})`,
    );

    // In-process, while the portal starts.
    fs.mkdirSync(scratch, { recursive: true });
    const scaffolder = await scaffolderTargets({
      scratch,
      catalogDir: path.join(root, 'examples', 'demo'),
      portalBase: portal.base,
      userToken: () => portal.userToken,
      runs: {
        'modelfleet:model:estimate-memory': [runs(40), runs(60)],
        'modelfleet:manifests:render': [runs(25), runs(60)],
        'modelfleet:publish:local': [runs(25), runs(40)],
        'modelfleet:catalog:register-local': [runs(25), runs(40)],
        'modelfleet:placement:recommend': [runs(5), runs(12)],
        'modelfleet:deploy': [runs(5), runs(12)],
      },
    });
    const filesBefore = listFiles(scratch, path.join(scratch, 'workspace'));
    const offline = [
      ...kindTargets(runs(100), runs(150)),
      policyTarget(root, runs(60), runs(100)),
      ...scaffolder.offline,
    ];
    all.push(...offline);
    offlineLane = runCells(cellsOf(offline), 1).then(() =>
      log(`in-process targets done: ${offline.map(t => t.id).join(', ')}`),
    );

    // The portal.
    const models = [
      'search-reranker',
      'bge-large-embeddings',
      'llama-3-1-8b-chat',
    ];
    await portal.waitHealthy(180_000);
    log('portal healthy; waiting for the catalog and the clusters');
    await portal.waitForModels(models, 150_000);
    await portal.waitForPrices(60_000);
    await portal.signInGuest();
    const allowedActions = new Set<string>();
    const { targets: rest, failures: restFailures } = await restTargets({
      base: portal.base,
      token: portal.token,
      userToken: portal.userToken,
      runs: runs(6),
      exampleCap: runs(16),
      allowedActions,
      manifests: scaffolder.renderedManifests,
    });
    const online = await scaffolder.online();
    const baseFailures = [...restFailures, ...scaffolder.failures];
    checks.push({
      name: 'known-good inputs pass (a target whose known-good input fails is not fuzzed)',
      pass: baseFailures.length === 0,
      detail: baseFailures.length
        ? baseFailures.join('; ')
        : `${rest.length} routes, ${
            offline.length + online.length
          } in-process targets`,
    });
    all.push(...rest, ...online);
    const snap = () =>
      snapshot({
        sqliteFile: path.join(dataDir, 'sqlite', 'modelfleet.sqlite'),
        base: portal.base,
        token: portal.token,
      });
    const before: StoreSnapshot = await snap();
    log(
      `portal ready: ${before.entities.length} catalog entities, ${before.actions.size} actions stored (by the known-good requests)`,
    );

    const unhealthy: string[] = [];
    const health = async (when: string) => {
      const h = await call(portal.base, 'GET', '/api/modelfleet/health').catch(
        e => ({ status: 0, message: String(e) }),
      );
      const c = await call(
        portal.base,
        'GET',
        '/api/modelfleet/cost/fleet',
        portal.token,
      ).catch(e => ({ status: 0, message: String(e) }));
      if (h.status !== 200 || c.status !== 200) {
        unhealthy.push(
          `${when}: /health ${h.status}, /cost/fleet ${
            c.status
          } ${c.message.slice(0, 200)}`,
        );
      }
    };
    const monitor = setInterval(() => void health(`at ${stamp()}`), 15_000);
    // Every canonical input of every route first, then the random ones:
    // a time limit cuts random inputs, not routes.
    await Promise.all([
      runCells(cellsOf([...rest, ...online]), 4),
      offlineLane,
    ]);
    clearInterval(monitor);
    log(`fuzzing done: ${tally.total('inputs')} inputs`);

    const after = await snap();
    const changed = storeChanges(before, after, allowedActions);
    const filesAfter = listFiles(scratch, path.join(scratch, 'workspace'));
    const strayFiles = filesAfter.filter(f => !filesBefore.includes(f));
    checks.push({
      name: 'nothing stored changed but accepted requests',
      pass: changed.length === 0 && strayFiles.length === 0,
      detail: [
        ...changed,
        ...(strayFiles.length
          ? [
              `in-process actions wrote outside their workspace: ${strayFiles
                .slice(0, 5)
                .join(', ')}`,
            ]
          : []),
        `actions ${before.actions.size} → ${after.actions.size} (${
          allowedActions.size
        } returned by accepted requests), entities ${
          before.entities.length
        } → ${after.entities.length}; rows ${Object.entries(after.counts)
          .map(
            ([k, n]) =>
              `${k.replace('modelfleet_', '')} ${before.counts[k] ?? 0}→${n}`,
          )
          .join(', ')}`,
      ].join('; '),
    });

    const minimal = await shrinkFailures(
      tally,
      all,
      seed,
      Math.max(10_000, t0 + 228_000 - Date.now()),
      log,
    );
    await health('at the end');
    checks.push({
      name: 'the portal stays healthy (/health and a known-good cost request, every 15 s and at the end)',
      pass: unhealthy.length === 0 && portal.alive,
      detail: unhealthy.length ? unhealthy.slice(0, 5).join('; ') : 'yes',
    });
    checks.push(...problemChecks(problems));
    code = printReport({
      tally,
      checks,
      notes: problemNotes(problems),
      minimal,
      logDir,
    });
  } catch (e) {
    console.error(`\nfuzz test failed: ${(e as Error).stack ?? e}`);
    console.error(
      `--- last lines of ${path.relative(root, portal.logFile)}:\n${portal
        .log()
        .split('\n')
        .slice(-30)
        .join('\n')}`,
    );
    // The in-process inputs still count.
    await offlineLane?.catch(() => undefined);
    checks.push({
      name: 'the run',
      pass: false,
      detail: String((e as Error).message ?? e),
    });
    printReport({
      tally,
      checks,
      notes: problemNotes(problems),
      minimal: [],
      logDir,
    });
    code = 1;
  } finally {
    cleaning = true;
    await cleanUp();
  }
  console.log(
    `fuzz: inputs=${tally.total('inputs')} server_errors=${tally.total(
      'server-error',
    )} unnamed_rejections=${tally.total('unnamed')}`,
  );
  return code;
}

const cellName = (p: CellProblem) =>
  `${p.cell.t.id} ${p.cell.cls} (${p.cell.pass}): ${p.detail}`;

/** Canonical inputs cut by the time limit, or a harness that threw, fail the run. */
function problemChecks(problems: CellProblem[]): Check[] {
  const cut = problems.filter(
    p => p.what === 'out-of-time' && p.cell.pass === 'canonical',
  );
  const broken = problems.filter(p => p.what === 'harness');
  return [
    {
      name: 'every canonical input ran within the time limit',
      pass: cut.length === 0,
      detail: cut.length
        ? `${cut.length} cell(s) cut, e.g. ${cut
            .slice(0, 3)
            .map(cellName)
            .join('; ')}`
        : 'yes',
    },
    {
      name: 'the harness ran without errors of its own',
      pass: broken.length === 0,
      detail: broken.length
        ? broken.slice(0, 3).map(cellName).join('; ')
        : 'yes',
    },
  ];
}

/** Random inputs cut by the time limit: a note. */
function problemNotes(problems: CellProblem[]): string[] {
  const cut = problems.filter(
    p => p.what === 'out-of-time' && p.cell.pass === 'random',
  );
  return cut.length
    ? [
        `the time limit cut ${cut.length} cell(s) of random inputs: ${cut
          .slice(0, 8)
          .map(cellName)
          .join('; ')}${cut.length > 8 ? '; …' : ''}`,
      ]
    : [];
}

/** Runs the test from the repository root; exits non-zero on any failure. */
export function runCli(root: string): void {
  main(root).then(
    code => process.exit(code),
    e => {
      console.error(e);
      process.exit(1);
    },
  );
}
