/*
 * The baselines, and the engine's result as a plan: what every method
 * produces, so that objective.ts scores them all the same way.
 */
import {
  HOURS_PER_MONTH,
  PlacementPool,
  PlacementRequest,
  PlacementResult,
  rejectionOf,
  unitsPerNode,
} from '../../src/engines/placement';

/** A placement: nodes added per pool, replicas per request and pool. */
export interface Plan {
  /** Nodes added per pool. */
  added: number[];
  /** Replicas per request and pool. */
  x: Array<Map<number, number>>;
}

export const nodeMonthly = (p: PlacementPool) =>
  p.usdPerNodeHour! * HOURS_PER_MONTH;
export const unitMonthly = (p: PlacementPool) =>
  nodeMonthly(p) / unitsPerNode(p);

/** The pools each request may use (with their capacity). */
export function eligibility(
  requests: PlacementRequest[],
  pools: PlacementPool[],
): number[][] {
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
export function skypilotStyle(
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
export function ffd(
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

/** The engine's result as a plan over `pools`. */
export function planOf(result: PlacementResult, pools: PlacementPool[]): Plan {
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
