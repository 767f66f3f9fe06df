/*
 * yarn bench:placement — the placement engine on real prices and a workload
 * mix taken from a real GPU cluster trace, under binding pool capacity:
 *
 * - 200 replicas: the engine (placeModels with its default options) against
 *   the proven optimum (the same MIP solved exactly, no variable limit) and
 *   two baselines measured in the same run: the cheapest fitting pool per
 *   model, one model at a time (SkyPilot-style), and first-fit-decreasing
 *   bin-packing onto the cheapest pools (Karpenter-style);
 * - 2,000 replicas over at least 300 pools: the engine's time.
 *
 * Options: --prices <dir or file> (default data/prices, the bundled copy of
 * the skypilot-catalog prices), --workload <pod list csv> (default
 * data/workloads/openb_pod_list_gpuspec33.csv), --nodes <node list csv>
 * (default data/workloads/openb_node_list_gpu_node.csv: the trace cluster's
 * GPUs, the source of pool capacity), --seed <n> (1), --replicas <n> (200),
 * --timing-replicas <n> (2000), --headroom <x> (1.5), --quick (skips the
 * 2,000-replica baselines).
 */
import { argValue } from './args';
import { PriceQuote } from '@modelfleet/plugin-modelfleet-node';
import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import path from 'node:path';
import {
  HighsSolve,
  HOURS_PER_MONTH,
  placeModels,
  PlacementPool,
  PlacementRequest,
  PlacementResult,
  rejectionOf,
  unitsPerNode,
} from '../src/engines/placement';
import { BundledPriceSource } from '../src/prices/BundledPriceSource';
import {
  gcpGpuMemory,
  isCheapestEligible,
  parseGcpDerived,
  parseGpuPrices,
} from '../src/prices/bundledCatalog';

// ---------------------------------------------------------------- options

function options() {
  const get = argValue;
  const data = path.resolve(__dirname, '../data');
  return {
    prices: get('prices') ?? path.join(data, 'prices'),
    workload:
      get('workload') ??
      path.join(data, 'workloads', 'openb_pod_list_gpuspec33.csv'),
    nodes:
      get('nodes') ??
      path.join(data, 'workloads', 'openb_node_list_gpu_node.csv'),
    seed: Number(get('seed') ?? 1),
    replicas: Number(get('replicas') ?? 200),
    timingReplicas: Number(get('timing-replicas') ?? 2000),
    headroom: Number(get('headroom') ?? 1.5),
    quick: process.argv.slice(2).includes('--quick'),
  };
}
type Options = ReturnType<typeof options>;

/** mulberry32: a seeded generator, so every run builds the same scenario. */
function rng(seed0: number) {
  let seed = seed0 | 0;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
type Rng = ReturnType<typeof rng>;

const usd = (n: number) =>
  `$${Math.round(n).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
const num = (n: number) => n.toLocaleString('en-US');
const ratio = (a: number, b: number) => {
  if (b > 0) return a / b;
  return a > 0 ? Infinity : 1;
};

// ---------------------------------------------------------------- prices → pools

/** Time-slicing: schedulable units per GPU, so that gpu_milli maps to ¼, ½ or 1 GPU. */
const UNITS_PER_GPU = 4;
/** arm64 GPUs: the trace's containers are x86. */
const ARM_GPUS = new Set(['T4g']);

async function loadQuotes(where: string): Promise<PriceQuote[]> {
  if (fs.statSync(where).isDirectory()) {
    return new BundledPriceSource(where).listPrices();
  }
  const csv = fs.readFileSync(where, 'utf8');
  const header = csv.slice(0, csv.indexOf('\n'));
  if (header.includes('sum_on_demand_DERIVED')) {
    const prices = path.join(path.dirname(where), 'gpu_prices.csv');
    return parseGcpDerived(
      csv,
      fs.existsSync(prices)
        ? gcpGpuMemory(fs.readFileSync(prices, 'utf8'))
        : new Map(),
    );
  }
  // gpu_prices.csv format: AWS and Azure rows (GCP rows there are host-only).
  return parseGpuPrices(csv);
}

interface Pools {
  pools: PlacementPool[];
  quotes: number;
  excluded: Record<string, number>;
}

/**
 * One pool per provider × region × GPU × GPUs per node × on-demand/spot,
 * at the cheapest instance type and zone with a trusted price.
 */
function buildPools(quotes: PriceQuote[]): Pools {
  const excluded: Record<string, number> = {};
  const skip = (why: string) => (excluded[why] = (excluded[why] ?? 0) + 1);
  const best = new Map<string, PriceQuote>();
  for (const q of quotes) {
    if (!isCheapestEligible(q)) {
      skip(
        q.usdPerHour === null
          ? 'unknown price'
          : `flagged (${(q.flags ?? []).join(', ') || 'zero'})`,
      );
      continue;
    }
    if (!q.gpu || !(q.gpu.count >= 1) || !Number.isInteger(q.gpu.count)) {
      skip('fractional GPU');
      continue;
    }
    if (!q.gpu.memoryMiB) {
      skip('GPU memory unknown');
      continue;
    }
    if (ARM_GPUS.has(q.gpu.product)) {
      skip('arm64 (T4g)');
      continue;
    }
    const key = [
      q.provider,
      q.region,
      q.gpu.product,
      q.gpu.count,
      q.capacityType,
    ].join('|');
    const b = best.get(key);
    if (!b || q.usdPerHour! < b.usdPerHour!) best.set(key, q);
  }
  const pools = [...best.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, q]) => ({
      ref: `gpupool:default/${q.provider}-${q.region}-${q.instanceType
        .replace(/[^a-z0-9]+/gi, '-')
        .toLowerCase()}-${q.capacityType}`,
      provider: q.provider,
      region: q.region,
      capacityType: q.capacityType,
      gpu: {
        product: q.gpu!.product,
        memoryMiB: q.gpu!.memoryMiB!,
        perNode: q.gpu!.count,
        replicasPerGpu: UNITS_PER_GPU,
      },
      usdPerNodeHour: q.usdPerHour,
      freeUnits: 0,
      addableNodes: 0,
    }));
  return { pools, quotes: quotes.length, excluded };
}

// ---------------------------------------------------------------- workload

/** Trace GPU types → catalog GPUs. G1–G3 are undisclosed internal codes. */
const TRACE_GPU: Record<string, string[]> = {
  T4: ['T4'],
  // No P100 machine has a price in the catalog (GCP prices it only as an
  // attachment to n1 hosts): P100 work runs on its successor.
  P100: ['V100'],
  V100M16: ['V100'],
  V100M32: ['V100-32GB'],
  A10: ['A10', 'A10G'],
};
/** GPU memory the trace's unconstrained pods assume: its smallest disclosed GPUs (T4, P100, V100M16). */
const BASE_GPU_MIB = 16 * 1024;

interface Pod {
  units: number;
  allowed?: string[];
  qos: string;
}

interface Trace {
  pods: Pod[];
  rows: number;
  /** GPU units the trace's GPU pods request in all. */
  units: number;
}

function loadTrace(file: string, memory: Map<string, number>): Trace {
  const rows: Record<string, string>[] = parse(fs.readFileSync(file, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  });
  const pods: Pod[] = [];
  for (const r of rows) {
    const gpus = Number(r.num_gpu);
    const milli = Number(r.gpu_milli);
    if (!(gpus >= 1)) continue;
    let units: number;
    if (gpus > 1 || milli >= 1000) units = gpus * UNITS_PER_GPU;
    else if (milli <= 250) units = 1;
    else units = milli <= 500 ? 2 : 4;
    const spec = (r.gpu_spec ?? '').split('|').filter(Boolean);
    let allowed: string[] | undefined;
    if (spec.length && spec.every(s => TRACE_GPU[s])) {
      allowed = [...new Set(spec.flatMap(s => TRACE_GPU[s]))]
        .filter(g => memory.has(g))
        .sort();
      if (!allowed.length) allowed = undefined;
    }
    pods.push({ units, allowed, qos: r.qos || 'LS' });
  }
  return {
    pods,
    rows: rows.length,
    units: pods.reduce((s, p) => s + p.units, 0),
  };
}

const SPOT: Record<string, PlacementRequest['spot']> = {
  BE: 'allow',
  Burstable: 'allow',
  LS: 'forbid',
  Guaranteed: 'forbid',
};
const PRIORITY: Record<string, number> = {
  Guaranteed: 2,
  LS: 2,
  Burstable: 1,
  BE: 0,
};

function geoOf(provider: string, region: string): string {
  if (provider === 'azure') return 'north-america'; // the catalog's Azure regions are all US
  if (/^(us-|ca-|northamerica-)/.test(region)) return 'north-america';
  if (/^(eu-|europe-)/.test(region)) return 'europe';
  return 'other';
}

/**
 * `n` pods sampled from the trace (seeded, without replacement), grouped by
 * shape (GPU units, allowed GPUs, QoS) into models of 1–8 replicas.
 */
function sampleWorkload(
  trace: Trace,
  n: number,
  random: Rng,
  memory: Map<string, number>,
  regionsByGeo: Map<string, string[]>,
): PlacementRequest[] {
  const idx = trace.pods.map((_, i) => i);
  const take = Math.min(n, idx.length);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (idx.length - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const groups = new Map<string, Pod[]>();
  for (const i of idx.slice(0, take)) {
    const p = trace.pods[i];
    const key = `${p.units}|${(p.allowed ?? ['any']).join('+')}|${p.qos}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const requests: PlacementRequest[] = [];
  for (const pods of groups.values()) {
    let left = pods.length;
    while (left > 0) {
      const replicas = Math.min(left, 1 + Math.floor(random() * 8));
      left -= replicas;
      const p = pods[0];
      const g = random();
      let geo: string | undefined;
      if (g >= 0.85) geo = 'europe';
      else if (g >= 0.6) geo = 'north-america';
      const gpuMiB = p.allowed
        ? Math.min(...p.allowed.map(a => memory.get(a)!))
        : BASE_GPU_MIB;
      requests.push({
        id: `model-${requests.length}-${p.qos.toLowerCase()}-${p.units}u-${(
          p.allowed ?? ['any']
        )
          .join('+')
          .toLowerCase()}`,
        replicas,
        gpusPerReplica: p.units,
        memoryMiB: Math.floor((p.units * gpuMiB) / UNITS_PER_GPU),
        ...(p.allowed ? { allowedGpuTypes: p.allowed } : {}),
        spot: SPOT[p.qos] ?? 'forbid',
        ...(geo ? { regions: regionsByGeo.get(geo) ?? [] } : {}),
        priority: PRIORITY[p.qos] ?? 0,
      });
    }
  }
  return requests;
}

// ---------------------------------------------------------------- capacity

interface ClusterGpus {
  nodes: number;
  byType: Map<string, number>;
}

function loadCluster(file: string): ClusterGpus {
  const rows: Record<string, string>[] = parse(fs.readFileSync(file, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  });
  const byType = new Map<string, number>();
  let nodes = 0;
  for (const r of rows) {
    const gpus = Number(r.gpu);
    if (!(gpus > 0)) continue;
    nodes++;
    byType.set(r.model, (byType.get(r.model) ?? 0) + gpus);
  }
  return { nodes, byType };
}

interface CapacityRow {
  gpu: string;
  from: string;
  budgetGpus: number;
  pools: number;
  poolsWithNodes: number;
  nodes: number;
  gpus: number;
}

/**
 * Pool capacity: the trace cluster's GPUs per type, scaled to `headroom` ×
 * the scenario's GPU demand (the trace's supply/demand mix, not its size),
 * dealt out one node at a time over the pools of each catalog GPU in a
 * seeded order. Disclosed trace GPUs go to their catalog GPUs; the
 * undisclosed ones (G1–G3) to the catalog GPUs the trace does not name.
 */
function assignCapacity(
  base: PlacementPool[],
  cluster: ClusterGpus,
  demandUnits: number,
  headroom: number,
  random: Rng,
): { pools: PlacementPool[]; rows: CapacityRow[]; scale: number } {
  const clusterGpus = [...cluster.byType.values()].reduce((a, b) => a + b, 0);
  const scale = (headroom * demandUnits) / UNITS_PER_GPU / clusterGpus;
  const poolsOf = new Map<string, number[]>();
  base.forEach((p, j) =>
    poolsOf.set(p.gpu.product, [...(poolsOf.get(p.gpu.product) ?? []), j]),
  );
  const named = new Set(Object.values(TRACE_GPU).flat());
  const budget = new Map<string, { gpus: number; from: Set<string> }>();
  const give = (gpu: string, gpus: number, from: string) => {
    const b = budget.get(gpu) ?? { gpus: 0, from: new Set<string>() };
    b.gpus += gpus;
    b.from.add(from);
    budget.set(gpu, b);
  };
  const others = [...poolsOf.keys()].filter(g => !named.has(g));
  const spread = (targets: string[], gpus: number, from: string) => {
    const total = targets.reduce((s, g) => s + poolsOf.get(g)!.length, 0);
    for (const g of targets)
      give(g, (gpus * poolsOf.get(g)!.length) / total, from);
  };
  for (const [type, gpus] of cluster.byType) {
    const targets = (TRACE_GPU[type] ?? []).filter(g => poolsOf.has(g));
    spread(
      targets.length ? targets : others,
      gpus * scale,
      `${type} ${num(gpus)}`,
    );
  }
  const pools = base.map(p => ({ ...p, addableNodes: 0 }));
  const rows: CapacityRow[] = [];
  for (const [gpu, b] of [...budget.entries()].sort()) {
    const order = [...poolsOf.get(gpu)!];
    for (let i = order.length - 1; i > 0; i--) {
      const k = Math.floor(random() * (i + 1));
      [order[i], order[k]] = [order[k], order[i]];
    }
    let left = b.gpus;
    let dealt = true;
    while (dealt) {
      dealt = false;
      for (const j of order) {
        const per = pools[j].gpu.perNode;
        if (left >= per / 2) {
          pools[j].addableNodes++;
          left -= per;
          dealt = true;
        }
      }
    }
    const mine = order.map(j => pools[j]);
    rows.push({
      gpu,
      from: [...b.from].join(', '),
      budgetGpus: b.gpus,
      pools: mine.length,
      poolsWithNodes: mine.filter(p => p.addableNodes > 0).length,
      nodes: mine.reduce((s, p) => s + p.addableNodes, 0),
      gpus: mine.reduce((s, p) => s + p.addableNodes * p.gpu.perNode, 0),
    });
  }
  return { pools, rows, scale };
}

// ---------------------------------------------------------------- baselines

interface Plan {
  /** Nodes added per pool. */
  added: number[];
  /** Replicas per request and pool. */
  x: Array<Map<number, number>>;
}

const nodeMonthly = (p: PlacementPool) => p.usdPerNodeHour! * HOURS_PER_MONTH;
const unitMonthly = (p: PlacementPool) => nodeMonthly(p) / unitsPerNode(p);

function eligibility(requests: PlacementRequest[], pools: PlacementPool[]) {
  return requests.map(r =>
    pools.flatMap((p, j) => (rejectionOf(r, p) ? [] : [j])),
  );
}

/** Priority first, then larger replicas: the order the engine uses too. */
const modelOrder = (requests: PlacementRequest[]) =>
  requests
    .map((_, i) => i)
    .sort(
      (a, b) =>
        (requests[b].priority ?? 0) - (requests[a].priority ?? 0) ||
        requests[b].gpusPerReplica - requests[a].gpusPerReplica,
    );

/**
 * SkyPilot-style: each model in turn takes the pool where its replicas cost
 * least (node price ÷ its replicas per node), whole nodes per model, no
 * sharing of nodes across models; the next cheapest pool when it is full.
 */
function skypilotStyle(
  requests: PlacementRequest[],
  pools: PlacementPool[],
  eligible: number[][],
): Plan {
  const left = pools.map(p => p.addableNodes);
  const plan: Plan = {
    added: pools.map(() => 0),
    x: requests.map(() => new Map()),
  };
  for (const i of modelOrder(requests)) {
    const r = requests[i];
    let remaining = r.replicas;
    while (remaining > 0) {
      let best = -1;
      let bestCost = Infinity;
      for (const j of eligible[i]) {
        if (left[j] <= 0) continue;
        const per = Math.floor(unitsPerNode(pools[j]) / r.gpusPerReplica);
        const cost = nodeMonthly(pools[j]) / Math.min(per, remaining);
        if (cost < bestCost) {
          bestCost = cost;
          best = j;
        }
      }
      if (best < 0) break;
      const per = Math.floor(unitsPerNode(pools[best]) / r.gpusPerReplica);
      const t = Math.min(remaining, per * left[best]);
      const nodes = Math.ceil(t / per);
      plan.added[best] += nodes;
      left[best] -= nodes;
      plan.x[i].set(best, (plan.x[i].get(best) ?? 0) + t);
      remaining -= t;
    }
  }
  return plan;
}

/**
 * Karpenter-style first-fit decreasing: replicas by size (largest first,
 * then priority), each into the first already-open node of an eligible pool
 * with room, else a new node on the cheapest eligible pool with capacity —
 * cheapest per GPU-hour or per node-hour (`by`).
 */
function ffd(
  requests: PlacementRequest[],
  pools: PlacementPool[],
  eligible: number[][],
  by: 'unit' | 'node',
): Plan {
  const left = pools.map(p => p.addableNodes);
  const plan: Plan = {
    added: pools.map(() => 0),
    x: requests.map(() => new Map()),
  };
  const isEligible = eligible.map(e => new Set(e));
  const replicas = requests
    .flatMap((r, i) => Array.from({ length: r.replicas }, () => i))
    .map((i, k) => ({ i, k }))
    .sort(
      (a, b) =>
        requests[b.i].gpusPerReplica - requests[a.i].gpusPerReplica ||
        (requests[b.i].priority ?? 0) - (requests[a.i].priority ?? 0) ||
        a.k - b.k,
    );
  const open: Array<{ pool: number; free: number }> = [];
  const price = (j: number) =>
    by === 'unit' ? unitMonthly(pools[j]) : nodeMonthly(pools[j]);
  for (const { i } of replicas) {
    const u = requests[i].gpusPerReplica;
    let node = open.find(n => n.free >= u && isEligible[i].has(n.pool));
    if (!node) {
      let best = -1;
      for (const j of eligible[i]) {
        if (left[j] > 0 && (best < 0 || price(j) < price(best))) best = j;
      }
      if (best < 0) continue;
      left[best]--;
      plan.added[best]++;
      node = { pool: best, free: unitsPerNode(pools[best]) };
      open.push(node);
    }
    node.free -= u;
    plan.x[i].set(node.pool, (plan.x[i].get(node.pool) ?? 0) + 1);
  }
  return plan;
}

function planOf(result: PlacementResult, pools: PlacementPool[]): Plan {
  const index = new Map(pools.map((p, j) => [p.ref, j]));
  const added = pools.map(() => 0);
  for (const n of result.nodes) added[index.get(n.pool)!] = n.added;
  return {
    added,
    x: result.decisions.map(
      d => new Map(d.assignments.map(a => [index.get(a.pool)!, a.replicas])),
    ),
  };
}

interface Score {
  cost: number;
  unplaced: number;
  penalty: number;
  nodes: number;
  poolsFull: number;
}

/**
 * Checks a plan (eligible pools, units within the nodes added, nodes within
 * capacity) and prices it. Unplaced replicas are charged at the highest
 * per-unit price among the pools eligible for them (capacity aside).
 */
function score(
  name: string,
  plan: Plan,
  requests: PlacementRequest[],
  pools: PlacementPool[],
  eligible: number[][],
  penaltyPerReplica: number[],
): Score {
  const used = pools.map(() => 0);
  let unplaced = 0;
  let penalty = 0;
  requests.forEach((r, i) => {
    let placed = 0;
    for (const [j, n] of plan.x[i]) {
      if (!eligible[i].includes(j)) {
        throw new Error(
          `${name}: ${r.id} placed on ineligible ${pools[j].ref}`,
        );
      }
      used[j] += n * r.gpusPerReplica;
      placed += n;
    }
    if (placed > r.replicas) throw new Error(`${name}: ${r.id} over-placed`);
    unplaced += r.replicas - placed;
    penalty += (r.replicas - placed) * penaltyPerReplica[i];
  });
  let cost = 0;
  pools.forEach((p, j) => {
    if (plan.added[j] > p.addableNodes) {
      throw new Error(`${name}: ${p.ref} over its capacity`);
    }
    if (used[j] > plan.added[j] * unitsPerNode(p) + p.freeUnits) {
      throw new Error(`${name}: ${p.ref} has more units placed than nodes`);
    }
    cost += plan.added[j] * nodeMonthly(p);
  });
  return {
    cost,
    unplaced,
    penalty,
    nodes: plan.added.reduce((a, b) => a + b, 0),
    poolsFull: pools.filter(
      (p, j) => p.addableNodes > 0 && plan.added[j] === p.addableNodes,
    ).length,
  };
}

// ---------------------------------------------------------------- scenario

interface Scenario {
  requests: PlacementRequest[];
  pools: PlacementPool[];
  capacity: ReturnType<typeof assignCapacity>;
}

function scenario(
  o: Options,
  n: number,
  seed: number,
  trace: Trace,
  basePools: PlacementPool[],
  cluster: ClusterGpus,
  memory: Map<string, number>,
): Scenario {
  const regionsByGeo = new Map<string, string[]>();
  for (const p of basePools) {
    const g = geoOf(p.provider, p.region);
    const list = regionsByGeo.get(g) ?? [];
    if (!list.includes(p.region)) list.push(p.region);
    regionsByGeo.set(g, list);
  }
  const random = rng(seed);
  const requests = sampleWorkload(trace, n, random, memory, regionsByGeo);
  const demand = requests.reduce(
    (s, r) => s + r.replicas * r.gpusPerReplica,
    0,
  );
  const capacity = assignCapacity(
    basePools,
    cluster,
    demand,
    o.headroom,
    random,
  );
  return { requests, pools: capacity.pools, capacity };
}

function describeWorkload(requests: PlacementRequest[]) {
  const replicas = requests.reduce((s, r) => s + r.replicas, 0);
  const units = requests.reduce((s, r) => s + r.replicas * r.gpusPerReplica, 0);
  const count = (f: (r: PlacementRequest) => boolean) =>
    requests.filter(f).reduce((s, r) => s + r.replicas, 0);
  return `${requests.length} models, ${num(replicas)} replicas, ${(
    units / UNITS_PER_GPU
  ).toFixed(1)} GPUs; shared-GPU replicas ${count(
    r => r.gpusPerReplica < UNITS_PER_GPU,
  )}, multi-GPU ${count(
    r => r.gpusPerReplica > UNITS_PER_GPU,
  )}; GPU-type constrained ${count(
    r => !!r.allowedGpuTypes,
  )}; spot allowed ${count(r => r.spot === 'allow')}, forbidden ${count(
    r => r.spot === 'forbid',
  )}; residency North America ${count(
    r => !!r.regions && r.regions.includes('us-east-1'),
  )}, Europe ${count(
    r => !!r.regions && r.regions.includes('eu-west-1'),
  )}, anywhere ${count(r => !r.regions)}`;
}

async function main() {
  const o = options();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const highs = await require('highs')();
  const solve: HighsSolve = (lp, opts) => highs.solve(lp, opts);

  const quotes = await loadQuotes(o.prices);
  const built = buildPools(quotes);
  const memory = new Map<string, number>();
  for (const p of built.pools) memory.set(p.gpu.product, p.gpu.memoryMiB);
  const trace = loadTrace(o.workload, memory);
  const cluster = loadCluster(o.nodes);

  console.log(
    `prices: ${o.prices} — ${num(built.quotes)} quotes → ${num(
      built.pools.length,
    )} pools (provider × region × GPU × GPUs per node × on-demand/spot, at the cheapest instance type and zone); not used: ${Object.entries(
      built.excluded,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join('; ')}`,
  );
  console.log(
    `workload: ${o.workload} — ${num(trace.pods.length)} GPU pods of ${num(
      trace.rows,
    )}; gpu_milli rounded up to ¼, ½ or 1 GPU (pools time-slice ${UNITS_PER_GPU} units per GPU, so any packing is realisable GPU by GPU); gpu_spec → catalog GPUs ${Object.entries(
      TRACE_GPU,
    )
      .map(([k, v]) => `${k}→${v.join('/')}`)
      .join(
        ', ',
      )}, a spec naming an undisclosed G1–G3 is dropped; GPU memory needed: the units' share of the smallest allowed GPU (16 GiB when unconstrained)`,
  );
  console.log(
    `workload rules: models = pods of one shape (units, allowed GPUs, QoS) in groups of 1–8 replicas (seed ${o.seed}); spot from QoS: BE/Burstable allowed, LS/Guaranteed forbidden; priority LS/Guaranteed 2, Burstable 1, BE 0; residency (seeded): 60 % anywhere, 25 % North America, 15 % Europe`,
  );
  console.log(
    `capacity: ${o.nodes} — the trace cluster's ${num(
      cluster.nodes,
    )} GPU nodes, ${num(
      [...cluster.byType.values()].reduce((a, b) => a + b, 0),
    )} GPUs (${[...cluster.byType.entries()]
      .map(([k, v]) => `${k} ${num(v)}`)
      .join(', ')}), scaled to ${
      o.headroom
    } × each scenario's GPU demand and dealt one node at a time over the pools of the matching catalog GPU (seeded order); the undisclosed G2/G3 GPUs go to the catalog GPUs the trace does not name`,
  );

  // ------------------------------------------------ 200 replicas: cost
  const small = scenario(
    o,
    o.replicas,
    o.seed,
    trace,
    built.pools,
    cluster,
    memory,
  );
  const { requests, pools } = small;
  console.log(`\n== ${o.replicas} replicas: cost ==`);
  console.log(`workload: ${describeWorkload(requests)}`);
  console.log(
    `capacity (scale ${small.capacity.scale.toFixed(
      4,
    )} of the trace cluster): GPU: pools with nodes / pools, nodes, GPUs (budget) ← trace GPUs`,
  );
  for (const row of small.capacity.rows) {
    console.log(
      `  ${row.gpu.padEnd(11)} ${String(row.poolsWithNodes).padStart(
        4,
      )} / ${String(row.pools).padEnd(4)} ${String(row.nodes).padStart(
        4,
      )} nodes ${String(row.gpus).padStart(4)} GPUs (${row.budgetGpus.toFixed(
        1,
      )}) ← ${row.from}`,
    );
  }

  const eligible = eligibility(requests, pools);
  const penaltyPerReplica = requests.map(
    r =>
      r.gpusPerReplica *
      Math.max(
        0,
        ...pools
          .filter(p => !rejectionOf(r, { ...p, addableNodes: 1 }))
          .map(unitMonthly),
      ),
  );
  const unplaceable = requests.reduce(
    (n, r, i) => n + (eligible[i].length ? 0 : r.replicas),
    0,
  );
  console.log(
    `eligibility: ${unplaceable} replicas have no eligible pool with capacity (GPU type, memory, spot, residency); ${
      requests.filter((_, i) => eligible[i].length).length
    } of ${requests.length} models have one`,
  );
  const evaluate = (name: string, plan: Plan) =>
    score(name, plan, requests, pools, eligible, penaltyPerReplica);

  let t = process.hrtime.bigint();
  const optimum = placeModels(requests, pools, {
    solve,
    exactMaxVariables: Infinity,
    timeLimitSeconds: 90,
  });
  const exactMs = Number(process.hrtime.bigint() - t) / 1e6;
  t = process.hrtime.bigint();
  const engine = placeModels(requests, pools, { solve });
  const engineMs = Number(process.hrtime.bigint() - t) / 1e6;
  t = process.hrtime.bigint();
  const heuristic = placeModels(requests, pools, {
    solve,
    exactMaxVariables: 0,
  });
  const heuristicMs = Number(process.hrtime.bigint() - t) / 1e6;
  t = process.hrtime.bigint();
  const sky = skypilotStyle(requests, pools, eligible);
  const skyMs = Number(process.hrtime.bigint() - t) / 1e6;
  t = process.hrtime.bigint();
  const ffdUnit = ffd(requests, pools, eligible, 'unit');
  const ffdNode = ffd(requests, pools, eligible, 'node');
  const ffdMs = Number(process.hrtime.bigint() - t) / 1e6 / 2;

  const s = {
    optimum: evaluate('optimum', planOf(optimum, pools)),
    engine: evaluate('engine', planOf(engine, pools)),
    heuristic: evaluate('heuristic', planOf(heuristic, pools)),
    sky: evaluate('skypilot-style', sky),
    ffdUnit: evaluate('ffd per GPU-hour', ffdUnit),
    ffdNode: evaluate('ffd per node-hour', ffdNode),
  };
  const total = (x: Score) => x.cost + x.penalty;
  const ffdBest = total(s.ffdUnit) <= total(s.ffdNode) ? s.ffdUnit : s.ffdNode;
  const unlimited = placeModels(
    requests,
    pools.map(p => ({ ...p, addableNodes: 1000 })),
    { solve, exactMaxVariables: Infinity, timeLimitSeconds: 60 },
  );
  const line = (name: string, x: Score, ms: number, extra = '') =>
    console.log(
      `  ${name.padEnd(38)} ${usd(x.cost).padStart(9)}/month  unplaced ${String(
        x.unplaced,
      ).padStart(3)} (+${usd(x.penalty)})  nodes ${String(x.nodes).padStart(
        3,
      )}  pools full ${String(x.poolsFull).padStart(3)}  ${ms.toFixed(
        0,
      )} ms  ×${ratio(total(x), total(s.optimum)).toFixed(
        4,
      )} of optimum${extra}`,
    );
  console.log(
    `results (cost = nodes added × price × ${HOURS_PER_MONTH} h; an unplaced replica is charged its GPU units at the highest per-unit price among the pools eligible for it, capacity aside; ratios compare cost + that charge):`,
  );
  line(
    'optimum (exact MIP, HiGHS)',
    s.optimum,
    exactMs,
    `  method ${optimum.method}`,
  );
  line(
    `engine (placeModels defaults)`,
    s.engine,
    engineMs,
    `  method ${engine.method}`,
  );
  line(
    'engine heuristic (exactMaxVariables 0)',
    s.heuristic,
    heuristicMs,
    `  LP bound ${usd(heuristic.lowerBoundUsd)}`,
  );
  const gap = (r: PlacementResult) =>
    r.objective !== undefined && r.objectiveLowerBound
      ? `objective (cost + engine penalties) ×${ratio(
          r.objective,
          r.objectiveLowerBound,
        ).toFixed(6)} of its LP relaxation bound (gap ${usd(
          r.objective - r.objectiveLowerBound,
        )})`
      : 'no LP bound';
  console.log(
    `  forced heuristic: ×${ratio(total(s.heuristic), total(s.optimum)).toFixed(
      4,
    )} of optimum; ${gap(heuristic)}`,
  );
  line('SkyPilot-style (cheapest per model)', s.sky, skyMs);
  line('Karpenter-style FFD, cheapest GPU-hour', s.ffdUnit, ffdMs);
  line('Karpenter-style FFD, cheapest node-hour', s.ffdNode, ffdMs);
  console.log(
    `capacity binds: the optimum fills ${
      s.optimum.poolsFull
    } pools to their node limit; with unlimited nodes per pool it would cost ${usd(
      unlimited.monthlyUsd,
    )}/month (×${ratio(unlimited.monthlyUsd, s.optimum.cost).toFixed(
      3,
    )}); LP bound of the optimum ${usd(optimum.lowerBoundUsd)}`,
  );

  // ------------------------------------------------ 2,000 replicas: time
  const big = scenario(
    o,
    o.timingReplicas,
    o.seed + 1,
    trace,
    built.pools,
    cluster,
    memory,
  );
  const bigPools = big.pools.filter(p => p.addableNodes > 0).length;
  console.log(
    `\n== ${num(
      o.timingReplicas,
    )} replicas: time ==\nworkload: ${describeWorkload(
      big.requests,
    )}\npools: ${num(big.pools.length)}, ${num(bigPools)} with capacity (${num(
      big.capacity.rows.reduce((a, r) => a + r.nodes, 0),
    )} nodes, ${num(big.capacity.rows.reduce((a, r) => a + r.gpus, 0))} GPUs)`,
  );
  placeModels(big.requests.slice(0, 3), big.pools, { solve }); // warm-up
  t = process.hrtime.bigint();
  const bigEngine = placeModels(big.requests, big.pools, { solve });
  const ms2000 = Number(process.hrtime.bigint() - t) / 1e6;
  const bigEligible = eligibility(big.requests, big.pools);
  const bigPenalty = big.requests.map(
    r =>
      r.gpusPerReplica *
      Math.max(
        0,
        ...big.pools
          .filter(p => !rejectionOf(r, { ...p, addableNodes: 1 }))
          .map(unitMonthly),
      ),
  );
  const bigScore = (name: string, plan: Plan) =>
    score(name, plan, big.requests, big.pools, bigEligible, bigPenalty);
  const be = bigScore('engine 2000', planOf(bigEngine, big.pools));
  console.log(
    `  engine (placeModels defaults, method ${bigEngine.method}): ${usd(
      be.cost,
    )}/month, unplaced ${be.unplaced}, ${ms2000.toFixed(0)} ms; ${
      bigEngine.lowerBoundUsd > 0
        ? `LP bound ${usd(bigEngine.lowerBoundUsd)} (cost ×${ratio(
            be.cost,
            bigEngine.lowerBoundUsd,
          ).toFixed(4)} of the bound)`
        : 'LP bound of the cost not informative: the LP relaxation places, fractionally, replicas the heuristic leaves unplaced, and the bound subtracts their penalty'
    }; ${gap(bigEngine)}`,
  );
  if (!o.quick) {
    const bs = bigScore(
      'skypilot 2000',
      skypilotStyle(big.requests, big.pools, bigEligible),
    );
    const bf = [
      bigScore('ffd 2000', ffd(big.requests, big.pools, bigEligible, 'unit')),
      bigScore('ffd 2000', ffd(big.requests, big.pools, bigEligible, 'node')),
    ].sort((a, b) => total(a) - total(b))[0];
    console.log(
      `  baselines: SkyPilot-style ${usd(bs.cost)}/month, unplaced ${
        bs.unplaced
      } (×${ratio(total(be), total(bs)).toFixed(
        4,
      )} engine/baseline); Karpenter-style FFD (better variant) ${usd(
        bf.cost,
      )}/month, unplaced ${bf.unplaced} (×${ratio(total(be), total(bf)).toFixed(
        4,
      )})`,
    );
  }

  console.log(
    `\nratios: engine cost (+ unplaced charge) ÷ the optimum's, the SkyPilot-style baseline's and the better Karpenter-style FFD variant's, all at ${o.replicas} replicas on the same pools and capacity`,
  );
  console.log(
    `placement: cost_vs_optimal=${ratio(
      total(s.engine),
      total(s.optimum),
    ).toFixed(4)} cost_vs_greedy=${ratio(total(s.engine), total(s.sky)).toFixed(
      4,
    )} cost_vs_ffd=${ratio(total(s.engine), total(ffdBest)).toFixed(
      4,
    )} ms_2000=${Math.round(ms2000)} exact_ms_200=${Math.round(exactMs)}`,
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
