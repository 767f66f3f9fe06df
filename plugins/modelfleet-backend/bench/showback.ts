/*
 * yarn bench:showback — a year of daily showback for 5,000 models on SQLite
 * and PostgreSQL: p50/p95 of the Group, Model and fleet cost reports, and
 * bill ingestion rows per second. Pools and their prices are real (the
 * bundled price catalog); usage is a seeded mix of replicas and traffic.
 *
 * Baseline, measured in the same run: the Group report's total summed from
 * the model rows at query time, without the team roll-up.
 *
 * Options (environment): BENCH_MODELS (5000), BENCH_DAYS (365), BENCH_TEAMS
 * (100), BENCH_POOLS (300), BENCH_QUERIES (60), BENCH_BILL_LINES (100000),
 * BENCH_PG (connection string, default postgresql://postgres@127.0.0.1:5432).
 */
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BillLine } from '@modelfleet/plugin-modelfleet-node';
import { BillStore } from '../src/database/BillStore';
import { DatabaseModelFleetStore } from '../src/database/DatabaseModelFleetStore';
import { ShowbackStore } from '../src/database/ShowbackStore';
import {
  addDays,
  allocateDay,
  PoolDayUsage,
  WorkloadDayUsage,
} from '../src/engines/showback';
import { BundledPriceSource } from '../src/prices/BundledPriceSource';
import { isCheapestEligible } from '../src/prices/priceFlags';
import { PolicyService } from '../src/policy/PolicyService';
import { readPolicyConfig } from '../src/policy/policyConfig';
import { CostReportService } from '../src/showback/CostReportService';
import { ingestBills } from '../src/showback/ingestBills';
import { ConfigReader } from '@backstage/config';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const MODELS = env('BENCH_MODELS', 5000);
const DAYS = env('BENCH_DAYS', 365);
const TEAMS = env('BENCH_TEAMS', 100);
const POOLS = env('BENCH_POOLS', 300);
const QUERIES = env('BENCH_QUERIES', 60);
const BILL_LINES = env('BENCH_BILL_LINES', 100_000);
const PG = process.env.BENCH_PG ?? 'postgresql://postgres@127.0.0.1:5432';
const TODAY = '2026-11-30';

/** mulberry32: a seeded generator, so every run builds the same fleet. */
function rng(seed0: number) {
  let seed = seed0 | 0;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(0));

async function fleetFromCatalog() {
  const quotes = (await new BundledPriceSource().listPrices()).filter(
    q => isCheapestEligible(q) && q.gpu && q.gpu.count >= 1,
  );
  const random = rng(42);
  const pools = Array.from({ length: POOLS }, (_, i) => {
    const q = quotes[Math.floor(random() * quotes.length)];
    return {
      poolRef: `gpupool:default/bench-${q.provider}.${q.instanceType.replace(
        /[^a-z0-9]+/gi,
        '-',
      )}-${i}`,
      usdPerNodeHour: q.usdPerHour!,
      gpusPerNode: q.gpu!.count,
      capacityType: q.capacityType,
      subject: `${q.provider} ${q.instanceType} ${q.region} ${q.capacityType}`,
      observedAt: q.observedAt,
    };
  });
  const models = Array.from({ length: MODELS }, (_, i) => ({
    modelRef: `model:default/bench-model-${i}`,
    teamRef: `group:default/bench-team-${i % TEAMS}`,
    pool: pools[Math.floor(random() * POOLS)],
    replicas: 1 + Math.floor(random() * 4),
    seed: random(),
  }));
  return { pools, models, sources: new Set(quotes.map(q => q.source)) };
}

async function load(
  knex: Knex,
  fleet: Awaited<ReturnType<typeof fleetFromCatalog>>,
) {
  const store = new ShowbackStore(knex);
  const start = addDays(TODAY, -DAYS + 1);
  const t0 = Date.now();
  let rows = 0;
  for (let d = 0; d < DAYS; d++) {
    const day = addDays(start, d);
    const workloads: WorkloadDayUsage[] = fleet.models.map(m => {
      const wave = 0.6 + 0.4 * Math.sin((d / 7) * Math.PI * 2 + m.seed * 6);
      const replicas = Math.max(0, Math.round(m.replicas * wave));
      return {
        modelRef: m.modelRef,
        teamRef: m.teamRef,
        poolRef: m.pool.poolRef,
        unitHours: replicas * 24,
        metrics: {
          busyGpuHours: replicas * 24 * 0.5 * wave,
          metricHours: 24,
          tokens: replicas * 1e6 * wave,
          requests: replicas * 2e4,
        },
      };
    });
    const requested = new Map<string, number>();
    for (const w of workloads)
      requested.set(w.poolRef, (requested.get(w.poolRef) ?? 0) + w.unitHours);
    const pools: PoolDayUsage[] = fleet.pools.map(p => {
      const nodes =
        Math.ceil((requested.get(p.poolRef) ?? 0) / 24 / p.gpusPerNode) + 1;
      return {
        poolRef: p.poolRef,
        capacityType: p.capacityType,
        nodeHours: nodes * 24,
        gpuHours: nodes * p.gpusPerNode * 24,
        unitHours: nodes * p.gpusPerNode * 24,
        usdPerNodeHour: p.usdPerNodeHour,
        provenance: [
          {
            kind: 'price',
            source: 'bundled-catalog',
            observedAt: p.observedAt,
            subject: p.subject,
            usdPerHour: p.usdPerNodeHour,
          },
        ],
        demo: false,
      };
    });
    const result = allocateDay({
      day,
      pools,
      workloads,
      idleCostPolicy: 'shared-proportionally',
    });
    await store.replaceDay(day, result.rows);
    rows += result.rows.length;
  }
  return { rows, seconds: (Date.now() - t0) / 1000 };
}

async function measure(
  knex: Knex,
  fleet: Awaited<ReturnType<typeof fleetFromCatalog>>,
) {
  const store = new ShowbackStore(knex);
  const costs = new CostReportService({
    store,
    bills: new BillStore(knex),
    policies: new PolicyService(
      readPolicyConfig(
        new ConfigReader({
          modelfleet: { policies: { defaults: { monthlyBudgetUsd: 50000 } } },
        }),
      ),
    ),
    idleCostPolicy: 'shared-proportionally',
    clock: () => new Date(`${TODAY}T12:00:00Z`),
  });
  // The cards' default: the last 30 complete days.
  const q = costs.defaultQuery();
  const random = rng(7);
  const time = async (f: () => Promise<unknown>) => {
    const t = process.hrtime.bigint();
    await f();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
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
  let check = { report: 0, baseline: 0 };
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
    check = { report: report.total.costUsd, baseline: naive };
  }
  if (
    Math.abs(check.report - check.baseline) >
    1e-6 * Math.max(1, check.baseline)
  ) {
    throw new Error(
      `Group total ${check.report} differs from the sum of its models ${check.baseline}`,
    );
  }
  return { ...out, live: [live], precompute: [precompute] };
}

async function ingest(knex: Knex) {
  const bills = new BillStore(knex);
  const window = {
    start: new Date('2026-10-01T00:00:00Z'),
    end: new Date('2026-11-01T00:00:00Z'),
  };
  const perDay = Math.ceil(BILL_LINES / 31);
  const source = {
    id: 'bench-bill',
    async *fetchLines(): AsyncIterable<BillLine> {
      let n = 0;
      for (let d = 0; d < 31 && n < BILL_LINES; d++) {
        const start = new Date(window.start.getTime() + d * 86_400_000);
        for (let r = 0; r < perDay && n < BILL_LINES; r++, n++) {
          yield {
            source: 'bench-bill',
            provider: 'aws',
            account: `acct-${r % 7}`,
            periodStart: start.toISOString(),
            periodEnd: new Date(start.getTime() + 86_400_000).toISOString(),
            resourceId: `i-${r.toString(16).padStart(17, '0')}`,
            tags: { 'modelfleet.io/model': `bench-model-${r % MODELS}` },
            costUsd: ((r * 7919) % 1000) / 10,
          };
        }
      }
    },
  };
  const t = Date.now();
  const r = await ingestBills({ source, store: bills, window });
  return r.lines / ((Date.now() - t) / 1000);
}

async function run(
  name: string,
  knex: Knex,
  fleet: Awaited<ReturnType<typeof fleetFromCatalog>>,
) {
  await DatabaseModelFleetStore.fromKnex(knex);
  const loaded = await load(knex, fleet);
  if (knex.client.config.client === 'pg') await knex.raw('analyze');
  console.log(
    `${name}: loaded ${
      loaded.rows
    } roll-up rows (${MODELS} models × ${DAYS} days, ${TEAMS} teams, ${POOLS} pools) in ${loaded.seconds.toFixed(
      1,
    )} s`,
  );
  const m = await measure(knex, fleet);
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
    )} ms (the report runs 8 queries: series, previous period, models, pools, budget, anomalies, provenance, demo)`,
  );
  const ingestRate = await ingest(knex);
  console.log(
    `${name}: bill ingestion ${fmt(
      ingestRate,
    )} rows/s (${BILL_LINES} lines, batches of 500)`,
  );
  return {
    p95: Math.max(pct(m.group, 95), pct(m.model, 95), pct(m.fleet, 95)),
    ingestRate,
  };
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
  let p: { p95: number; ingestRate: number };
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
    )} ingest_rows_per_s=${Math.round(Math.min(s.ingestRate, p.ingestRate))}`,
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
