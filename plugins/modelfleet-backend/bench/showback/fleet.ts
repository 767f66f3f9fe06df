/*
 * The bench fleet of yarn bench:showback: pools priced from the bundled
 * catalog, seeded models and teams, and a year of daily roll-ups.
 */
import { Knex } from 'knex';
import { ShowbackStore } from '../../src/database/ShowbackStore';
import {
  addDays,
  allocateDay,
  PoolDayUsage,
  WorkloadDayUsage,
} from '../../src/engines/showback';
import { BundledPriceSource } from '../../src/prices/BundledPriceSource';
import { isCheapestEligible } from '../../src/prices/priceFlags';
import { seededRandom } from '../../src/engines/random';

const env = (k: string, d: number) => Number(process.env[k] ?? d);

/** The bench's options, from the environment (see ../showback.ts). */
export const options = {
  models: env('BENCH_MODELS', 5000),
  days: env('BENCH_DAYS', 365),
  teams: env('BENCH_TEAMS', 100),
  pools: env('BENCH_POOLS', 300),
  queries: env('BENCH_QUERIES', 60),
  billLines: env('BENCH_BILL_LINES', 100_000),
  /** Requests of the concurrent HTTP run, and how many are in flight. */
  httpRequests: env('BENCH_HTTP_REQUESTS', 2000),
  concurrency: env('BENCH_CONCURRENCY', 20),
  pg: process.env.BENCH_PG ?? 'postgresql://postgres@127.0.0.1:5432',
  today: '2026-11-30',
};
const { models: MODELS, days: DAYS, pools: POOLS, teams: TEAMS } = options;
const TODAY = options.today;

export const rng = seededRandom;

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
export const fmt = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(0));

export async function fleetFromCatalog() {
  const quotes = (await new BundledPriceSource().listPrices()).filter(
    q => isCheapestEligible(q) && q.gpu && q.gpu.count >= 1,
  );
  const random = rng(42);
  const pools = Array.from({ length: POOLS }, (_, i) => {
    const q = quotes[Math.floor(random() * quotes.length)];
    return {
      // Entity refs compare lower-case (the router lower-cases the URL's).
      poolRef: `gpupool:default/bench-${q.provider}.${q.instanceType
        .toLocaleLowerCase('en-US')
        .replace(/[^a-z0-9]+/g, '-')}-${i}`,
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

/**
 * The roll-up rows of day `d` of the year (0: the first). `shift` moves
 * the usage waves, so a day rolled up again has other figures.
 */
export function rowsOfDay(fleet: BenchFleet, d: number, shift = 0) {
  const day = addDays(TODAY, -DAYS + 1 + d);
  const workloads: WorkloadDayUsage[] = fleet.models.map(m => {
    const wave =
      0.6 + 0.4 * Math.sin(((d + shift) / 7) * Math.PI * 2 + m.seed * 6);
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
  return { day, rows: result.rows };
}

export async function load(knex: Knex, fleet: BenchFleet) {
  const store = new ShowbackStore(knex);
  const t0 = Date.now();
  let rows = 0;
  for (let d = 0; d < DAYS; d++) {
    const r = rowsOfDay(fleet, d);
    await store.replaceDay(r.day, r.rows);
    rows += r.rows.length;
  }
  return { rows, seconds: (Date.now() - t0) / 1000 };
}

/** The bench's pools and models. */
export type BenchFleet = Awaited<ReturnType<typeof fleetFromCatalog>>;
