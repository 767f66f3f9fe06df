/*
 * One scenario of the placement benchmark (workload, capacity, eligibility,
 * the charge and its scoring), and the checks that say loudly what can only
 * be a bug.
 */
import { PlacementPool, PlacementResult } from '../../src/engines/placement';
import { Capacity, dealCapacity } from './capacity';
import { eligibility, Plan } from './methods';
import { Score, score, unplacedCharge } from './objective';
import { mapGpu } from './gpus';
import { Pools } from './pools';
import { describeMappings, num, OBJECTIVE, printCapacity, usd } from './report';
import { Cluster, Trace } from './trace';
import {
  describeWorkload,
  regionsByGeo,
  rng,
  sampleWorkload,
} from './workload';

export interface Scenario {
  requests: ReturnType<typeof sampleWorkload>;
  pools: PlacementPool[];
  capacity: Capacity;
  eligible: number[][];
  charge: number;
  score: (name: string, plan: Plan) => Score;
}

export function scenario(
  headroom: number,
  n: number,
  seed: number,
  trace: Trace,
  base: PlacementPool[],
  cluster: Cluster,
  memory: Map<string, number>,
): Scenario {
  const random = rng(seed);
  const requests = sampleWorkload(trace, n, random, memory, regionsByGeo(base));
  const capacity = dealCapacity(
    base,
    requests,
    cluster.byType,
    headroom,
    random,
  );
  const pools = capacity.pools;
  const eligible = eligibility(requests, pools);
  const charge = unplacedCharge(pools);
  return {
    requests,
    pools,
    capacity,
    eligible,
    charge,
    score: (name, plan) => score(name, plan, requests, pools, eligible, charge),
  };
}

export const timed = <T>(f: () => T): [T, number] => {
  const t = process.hrtime.bigint();
  const r = f();
  return [r, Number(process.hrtime.bigint() - t) / 1e6];
};

/** Says loudly what can only be a bug, and fails the run. */
export function bug(message: string) {
  const text = `!!! BUG: ${message}`;
  console.log(text);
  console.error(text);
  process.exitCode = 1;
}

export function describeScenario(s: Scenario) {
  console.log(`workload: ${describeWorkload(s.requests)}`);
  printCapacity(s.capacity);
  const unplaceable = s.requests.reduce(
    (k, r, i) => k + (s.eligible[i].length ? 0 : r.replicas),
    0,
  );
  console.log(
    `charge per unplaced replica: ${usd(
      s.charge,
    )}/month (the monthly price of the dearest node with capacity); ${unplaceable} replicas have no eligible pool with capacity (every method pays their charge)`,
  );
}

/** The engine's objective must be the score's: they share the charge. */
export function checkEngine(name: string, r: PlacementResult, s: Score) {
  if (
    r.objective !== undefined &&
    Math.abs(r.objective - s.total) > 1e-6 * Math.max(1, s.total)
  ) {
    bug(
      `${name}: the engine's objective ${r.objective} is not its score ${s.total}`,
    );
  }
}

/** Prints the inputs and every rule that turns them into scenarios. */
export function printInputs(
  o: {
    prices: string;
    workload: string;
    nodes: string;
    seed: number;
    headroom: number;
  },
  built: Pools,
  trace: Trace,
  cluster: Cluster,
  catalog: ReadonlySet<string>,
) {
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
    `workload: ${o.workload} — ${num(trace.gpuPods)} GPU pods of ${num(
      trace.rows,
    )}; gpu_milli rounded up to ¼, ½ or 1 GPU (pools time-slice 4 units per GPU); gpu_spec → catalog GPUs by the table of placement/gpus.ts: ${describeMappings(
      trace.mappings.values(),
    )}; GPU memory needed: the units' share of the smallest allowed GPU (16 GiB when unconstrained)`,
  );
  if (trace.leftOut.size) {
    console.log(
      `  left out: ${num(
        [...trace.leftOut.values()].reduce((a, b) => a + b, 0),
      )} pods that may run only on GPUs the catalog lacks (${[
        ...trace.leftOut.entries(),
      ]
        .sort((a, b) => b[1] - a[1])
        .map(([spec, k]) => `${spec} ${num(k)}`)
        .join(', ')})`,
    );
  }
  console.log(
    `workload rules: models = pods of one shape (units, allowed GPUs, QoS) in groups of 1–8 replicas (seed ${o.seed}); spot from QoS: BE/Burstable allowed, LS/Guaranteed forbidden; priority LS/Guaranteed 2, Burstable 1, BE 0 (the engine's order; the objective has one charge for all); residency (seeded): 60 % anywhere, 25 % North America, 15 % Europe`,
  );
  console.log(
    `capacity: ${o.nodes} — the trace cluster's ${num(
      cluster.nodes,
    )} GPU nodes (${[...cluster.byType.entries()]
      .map(([k, v]) => `${k} ${num(v)}`)
      .join(', ')}; ${describeMappings(
      [...cluster.byType.keys()].map(k => mapGpu(k, catalog)),
    )}), scaled so that ${
      o.headroom
    } × each scenario's GPU demand is dealt, one node at a time in a seeded order, to the pools some replica may use, split between spot and on-demand by the share of each GPU's demand that may use spot`,
  );
  console.log(OBJECTIVE);
}
