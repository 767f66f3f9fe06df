/*
 * yarn bench:showback — a year of daily showback for 5,000 models on SQLite
 * and PostgreSQL: p50/p95 of the Group, Model and fleet cost reports, and
 * bill ingestion rows per second. Pools and their prices are real (the
 * bundled price catalog); usage is a seeded mix of replicas and traffic.
 *
 * Then the real router over HTTP on a free loopback port (the stores and
 * services the plugin runs; authentication and permissions are the test
 * doubles, which allow everything), driven from a worker thread with a
 * seeded mix of cost and utilization requests for models, teams, pools
 * and the fleet over the cards' periods, calendar months, quarters by
 * week, the year by month and arbitrary ranges (almost every URL is
 * distinct): one request at a time, then BENCH_CONCURRENCY in flight, then
 * again while the roll-up replaces days, after which the reports must
 * agree with SQL.
 *
 * Baseline, measured in the same run: the Group report's total summed from
 * the model rows at query time, without the team roll-up.
 *
 * Options (environment): BENCH_MODELS (5000), BENCH_DAYS (365), BENCH_TEAMS
 * (100), BENCH_POOLS (300), BENCH_QUERIES (60), BENCH_BILL_LINES (100000),
 * BENCH_HTTP_REQUESTS (2000), BENCH_CONCURRENCY (20), BENCH_PG (connection
 * string, default postgresql://postgres@127.0.0.1:5432).
 *
 * The ratio of the two HTTP runs is printed next to the same ratio for
 * GET /health, a route that does nothing: concurrency 20 on one event loop
 * cannot be cheaper than that floor.
 *
 * The last line: showback: p95_ms_sqlite=… p95_ms_pg=… ingest_rows_per_s=…
 * p95_ms_c20_sqlite=… p95_ms_c20_pg=… (the c20 figures are the HTTP run
 * with BENCH_CONCURRENCY requests in flight).
 */
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BillStore } from '../src/database/BillStore';
import { DatabaseModelFleetStore } from '../src/database/DatabaseModelFleetStore';
import { ShowbackStore } from '../src/database/ShowbackStore';
import { PolicyService } from '../src/policy/PolicyService';
import { readPolicyConfig } from '../src/policy/policyConfig';
import { CostIndex } from '../src/showback/CostIndex';
import {
  CostQuery,
  CostReportService,
} from '../src/showback/CostReportService';
import { addDays } from '../src/engines/showback';
import { CostScope } from '@modelfleet/plugin-modelfleet-common';
import { ConfigReader } from '@backstage/config';
import {
  BenchFleet,
  fleetFromCatalog,
  fmt,
  load,
  options,
  pct,
  rng,
  rowsOfDay,
} from './showback/fleet';
import { load as loadHttp, requestMix, startServer } from './showback/http';
import { ingest } from './showback/ingest';

const {
  models: MODELS,
  days: DAYS,
  teams: TEAMS,
  pools: POOLS,
  queries: QUERIES,
  billLines: BILL_LINES,
  pg: PG,
  today: TODAY,
  httpRequests: HTTP_REQUESTS,
  concurrency: CONCURRENCY,
} = options;

function services(knex: Knex) {
  const policies = new PolicyService(
    readPolicyConfig(
      new ConfigReader({
        modelfleet: { policies: { defaults: { monthlyBudgetUsd: 50000 } } },
      }),
    ),
  );
  const store = new ShowbackStore(knex);
  const index = new CostIndex(store);
  const deps = {
    store,
    bills: new BillStore(knex),
    policies,
    idleCostPolicy: 'shared-proportionally' as const,
    clock: () => new Date(`${TODAY}T12:00:00Z`),
  };
  const costs = new CostReportService({ ...deps, index });
  // The same reports read from SQL alone, to check the index against.
  const sql = new CostReportService({ ...deps, index: false });
  return { costs, sql, index, policies };
}

type Services = ReturnType<typeof services>;

const time = async (f: () => Promise<unknown>) => {
  const t = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - t) / 1e6;
};

/** Reports from the index and from SQL alone agree (to a micro-dollar). */
async function check(fleet: BenchFleet, { costs, sql }: Services) {
  const random = rng(5);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const round = (report: unknown) =>
    JSON.stringify(report, (_k, v) =>
      typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v,
    );
  const q = costs.defaultQuery();
  const q90 = { ...q, from: addDays(q.to, -90), granularity: 'week' as const };
  const cases: Array<[CostScope, string | null, CostQuery]> = [
    ['fleet', null, q],
    ['team', pick(fleet.models).teamRef, q],
    ['team', pick(fleet.models).teamRef, q90],
    ['model', pick(fleet.models).modelRef, q],
    ['model', pick(fleet.models).modelRef, q90],
    ['pool', pick(fleet.pools).poolRef, q],
  ];
  for (const [scope, ref, period] of cases) {
    const [a, b] = await Promise.all([
      costs.cost(scope, ref, period),
      sql.cost(scope, ref, period),
    ]);
    // Equal costs may list in either order: compare sorted breakdowns.
    for (const r of [a, b]) {
      for (const list of Object.values(r.breakdown)) {
        list.sort((x, y) => x.entityRef.localeCompare(y.entityRef));
      }
    }
    if (round(a) !== round(b)) {
      throw new Error(
        `The ${scope} report of ${ref} from the index differs from SQL`,
      );
    }
  }
  return cases.length;
}

async function measure(knex: Knex, fleet: BenchFleet, { costs }: Services) {
  // The cards' default: the last 30 complete days.
  const q = costs.defaultQuery();
  const random = rng(7);
  const out: Record<string, number[]> = {
    group: [],
    model: [],
    fleet: [],
    baseline: [],
  };
  // The fleet's top models scan every model row of the period: the showback
  // loop computes them after each roll-up for the cards' periods.
  const live = await time(() => costs.cost('fleet', null, q));
  const precompute = await time(() => costs.precomputeFleetTop());
  let totals = { report: 0, baseline: 0 };
  for (let i = 0; i < QUERIES + 5; i++) {
    const team = `group:default/bench-team-${Math.floor(random() * TEAMS)}`;
    const model = fleet.models[Math.floor(random() * MODELS)].modelRef;
    let report: any;
    const g = await time(
      async () => (report = await costs.cost('team', team, q)),
    );
    const m = await time(() => costs.cost('model', model, q));
    const f = await time(() => costs.cost('fleet', null, q));
    let naive = 0;
    const b = await time(async () => {
      const [r] = await knex('modelfleet_cost_daily')
        .where({ scope: 'model', team_ref: team })
        .andWhere('day', '>=', q.from)
        .andWhere('day', '<', q.to)
        .sum({ c: 'cost_usd' });
      naive = Number(r.c);
    });
    if (i >= 5) {
      out.group.push(g);
      out.model.push(m);
      out.fleet.push(f);
      out.baseline.push(b);
    }
    totals = { report: report.total.costUsd, baseline: naive };
  }
  if (
    Math.abs(totals.report - totals.baseline) >
    1e-6 * Math.max(1, totals.baseline)
  ) {
    throw new Error(
      `Group total ${totals.report} differs from the sum of its models ${totals.baseline}`,
    );
  }
  return { ...out, live: [live], precompute: [precompute] };
}

async function run(name: string, knex: Knex, fleet: BenchFleet) {
  await DatabaseModelFleetStore.fromKnex(knex);
  const loaded = await load(knex, fleet);
  // What autovacuum does after a bulk load: statistics, and the visibility
  // map that index-only scans need.
  if (knex.client.config.client === 'pg') await knex.raw('vacuum analyze');
  console.log(
    `${name}: loaded ${
      loaded.rows
    } roll-up rows (${MODELS} models × ${DAYS} days, ${TEAMS} teams, ${POOLS} pools) in ${loaded.seconds.toFixed(
      1,
    )} s`,
  );
  const svc = services(knex);
  const indexLoad = await time(() => svc.index.sync());
  const stats = svc.index.stats();
  console.log(
    `${name}: cost index: ${stats.series} series, ${fmt(
      stats.bytes / 2 ** 20,
    )} MiB, loaded in ${fmt(indexLoad / 1000)} s; ${await check(
      fleet,
      svc,
    )} reports checked against SQL`,
  );
  const m = await measure(knex, fleet, svc);
  for (const k of ['group', 'model', 'fleet', 'baseline'] as const) {
    console.log(
      `${name}: ${k.padEnd(8)} p50=${fmt(pct(m[k], 50))} ms p95=${fmt(
        pct(m[k], 95),
      )} ms`,
    );
  }
  console.log(
    `${name}: fleet report with its top models computed at query time: ${fmt(
      m.live[0],
    )} ms; computing them for the 7/30/90-day periods after a roll-up (the showback loop does): ${fmt(
      m.precompute[0],
    )} ms`,
  );
  console.log(
    `${name}: Group total from the team roll-up vs summed from model rows at query time (baseline): p50 ${fmt(
      pct(m.group, 50),
    )} ms vs ${fmt(
      pct(m.baseline, 50),
    )} ms (the report reads the roll-up version and the anomalies from SQL, the rest from the cost index)`,
  );
  const http = await concurrent(name, knex, fleet, svc);
  const p95 = Math.max(pct(m.group, 95), pct(m.model, 95), pct(m.fleet, 95));
  console.log(
    `${name}: p95 at concurrency ${CONCURRENCY} over HTTP ÷ p95 of one request at a time: ${(
      http.c20 / http.c1
    ).toFixed(2)} (same mix over HTTP), ${(http.c20 / p95).toFixed(
      2,
    )} (the group/model/fleet reports above, ${fmt(
      p95,
    )} ms); the floor on this machine, GET /health (no work) the same way: ${(
      http.floorC20 / http.floorC1
    ).toFixed(2)} (p95 ${fmt(http.floorC1)} ms alone, ${fmt(
      http.floorC20,
    )} ms at concurrency ${CONCURRENCY})`,
  );
  const ingestRate = await ingest(knex);
  console.log(
    `${name}: bill ingestion ${fmt(
      ingestRate,
    )} rows/s (${BILL_LINES} lines, batches of 500)`,
  );
  return { p95, p95c20: http.c20, ingestRate };
}

/**
 * The router over HTTP: the request mix one at a time, then with
 * CONCURRENCY requests in flight, then again while the roll-up replaces
 * the last two days (as the showback loop does each run), after which the
 * reports must still agree with SQL. Each run has URLs of its own.
 */
async function concurrent(
  name: string,
  knex: Knex,
  fleet: BenchFleet,
  svc: Services,
) {
  const server = await startServer(knex, svc.costs, svc.policies);
  const print = (label: string, r: Awaited<ReturnType<typeof loadHttp>>) =>
    console.log(
      `${name}: HTTP ${label.padEnd(4)} ${r.ms.length} requests p50=${fmt(
        pct(r.ms, 50),
      )} ms p95=${fmt(pct(r.ms, 95))} ms max=${fmt(
        Math.max(...r.ms),
      )} ms, ${fmt(r.ms.length / r.seconds)} req/s, ${fmt(
        r.bytes / r.ms.length / 1024,
      )} KiB/response`,
    );
  try {
    await loadHttp(server.base, requestMix(fleet, 200, 11), 1);
    const c1 = await loadHttp(
      server.base,
      requestMix(fleet, Math.max(50, Math.round(HTTP_REQUESTS / 5)), 12),
      1,
    );
    print('c1', c1);
    const c20 = await loadHttp(
      server.base,
      requestMix(fleet, HTTP_REQUESTS, 13),
      CONCURRENCY,
    );
    print(`c${CONCURRENCY}`, c20);

    const store = new ShowbackStore(knex);
    const during = loadHttp(
      server.base,
      requestMix(fleet, Math.round(HTTP_REQUESTS / 2), 14),
      CONCURRENCY,
    );
    let replaced = 0;
    const rollups = (async () => {
      for (const shift of [3, 5]) {
        await new Promise(r => setTimeout(r, 200));
        for (const d of [DAYS - 2, DAYS - 1]) {
          const { day, rows } = rowsOfDay(fleet, d, shift);
          await store.replaceDay(day, rows);
          replaced += 1;
        }
      }
    })();
    const [withRollup] = await Promise.all([during, rollups]);
    print(`c${CONCURRENCY} during roll-ups:`, withRollup);
    console.log(
      `${name}: (that run rolled up ${replaced} days while it ran; ${await check(
        fleet,
        svc,
      )} reports then checked against SQL)`,
    );
    // The floor: the same load on a route that does nothing, so the ratio
    // above can be read against what HTTP and one event loop cost here.
    const health = (n: number) => Array.from({ length: n }, () => '/health');
    const floorC1 = await loadHttp(server.base, health(c1.ms.length), 1);
    const floorC20 = await loadHttp(
      server.base,
      health(c20.ms.length),
      CONCURRENCY,
    );
    print('/health c1', floorC1);
    print(`/health c${CONCURRENCY}`, floorC20);
    return {
      c1: pct(c1.ms, 95),
      c20: pct(c20.ms, 95),
      floorC1: pct(floorC1.ms, 95),
      floorC20: pct(floorC20.ms, 95),
    };
  } finally {
    await server.close();
  }
}

async function main() {
  const fleet = await fleetFromCatalog();
  console.log(
    `fleet: ${MODELS} models of ${TEAMS} teams on ${POOLS} pools priced from the bundled catalog (${[
      ...fleet.sources,
    ].join(', ')})`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelfleet-bench-'));
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'bench.sqlite') },
    useNullAsDefault: true,
  });
  const s = await run('sqlite', sqlite, fleet);
  await sqlite.destroy();
  fs.rmSync(dir, { recursive: true, force: true });

  const dbName = `modelfleet_bench_${process.pid}`;
  const admin = knexFactory({ client: 'pg', connection: PG });
  await admin.raw(`create database ${dbName}`);
  let p: Awaited<ReturnType<typeof run>>;
  try {
    const url = new URL(PG);
    url.pathname = `/${dbName}`;
    const pg = knexFactory({
      client: 'pg',
      connection: url.toString(),
      pool: { min: 1, max: 4 },
    });
    try {
      p = await run('postgres', pg, fleet);
    } finally {
      await pg.destroy();
    }
  } finally {
    await admin.raw(`drop database if exists ${dbName}`);
    await admin.destroy();
  }
  console.log(
    `showback: p95_ms_sqlite=${fmt(s.p95)} p95_ms_pg=${fmt(
      p.p95,
    )} ingest_rows_per_s=${Math.round(
      Math.min(s.ingestRate, p.ingestRate),
    )} p95_ms_c20_sqlite=${fmt(s.p95c20)} p95_ms_c20_pg=${fmt(p.p95c20)}`,
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
