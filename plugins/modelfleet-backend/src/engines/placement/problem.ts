import { PlacementPool, PlacementRequest, Rejection } from './types';
import { rejecter, unitsPerNode } from './eligibility';

/** Hours in an average month, for monthly figures. */
export const HOURS_PER_MONTH = 730;

/** A pool as the solver sees it: only what packing and pricing need. */
export interface CorePool {
  /** Index of the pool in the caller's list. */
  index: number;
  unitsPerNode: number;
  /** Free units on running nodes. */
  free: number;
  /** Nodes the pool may add (≥ 0). */
  addable: number;
  /** Monthly cost of one node. */
  nodeCost: number;
  product: string;
  region: string;
}

/**
 * Replicas that are interchangeable for the program: the same GPU units per
 * replica, the same eligible pools and the same charge when unplaced (and
 * the same priority, so that the heuristic's order is kept). One integer
 * variable per class and pool replaces one per request and pool; any
 * placement of a class splits onto its members at the same cost.
 */
export interface ReplicaClass {
  /** Request indexes, in the caller's order. */
  members: number[];
  units: number;
  /** Replicas of all members. */
  demand: number;
  /** Charge per unplaced replica. */
  penalty: number;
  priority: number;
  /** Eligible pools, as indexes into {@link Core.pools}. */
  eligible: number[];
}

/** The program the solver works on: classes of replicas and the pools they may use. */
export interface Core {
  classes: ReplicaClass[];
  /** The pools some class may use (others cannot take any replica). */
  pools: CorePool[];
}

/** A placement of the core program: replicas per class and pool, nodes added per pool. */
export interface CoreSolution {
  x: number[][];
  added: number[];
}

/** The caller's problem, checked, with eligibility and its classes. */
export interface Problem {
  requests: PlacementRequest[];
  pools: PlacementPool[];
  /** Eligible pool indexes per request. */
  eligible: number[][];
  /**
   * The pools request i cannot use, each with its reason: worked out when
   * first asked for, once per distinct set of constraints (a fleet-wide
   * placement has hundreds of thousands, which few callers read).
   */
  rejectedOf: (i: number) => Rejection[];
  /** The charge per unplaced replica, per request. */
  penalty: number[];
  core: Core;
}

/** The fields {@link rejectionOf} reads: requests equal on them share their rejections. */
const signature = (r: PlacementRequest) =>
  JSON.stringify([
    r.gpusPerReplica,
    r.memoryMiB,
    r.allowedGpuTypes ?? null,
    r.spot,
    r.regions ?? null,
    r.tolerations ?? null,
  ]);

function validate(requests: PlacementRequest[], unplacedUsd?: number) {
  if (
    unplacedUsd !== undefined &&
    !(Number.isFinite(unplacedUsd) && unplacedUsd >= 0)
  ) {
    throw new Error(
      `options.unplacedUsdPerReplica must be a finite number ≥ 0, got ${unplacedUsd}`,
    );
  }
  const seen = new Set<string>();
  requests.forEach((r, i) => {
    if (seen.has(r.id))
      throw new Error(`requests[${i}].id '${r.id}' appears twice`);
    seen.add(r.id);
    if (!Number.isInteger(r.replicas) || r.replicas < 0) {
      throw new Error(
        `requests[${i}].replicas must be a whole number ≥ 0, got ${r.replicas}`,
      );
    }
    if (!Number.isInteger(r.gpusPerReplica) || r.gpusPerReplica < 1) {
      throw new Error(
        `requests[${i}].gpusPerReplica must be a whole number ≥ 1, got ${r.gpusPerReplica}`,
      );
    }
    if (r.priority !== undefined && !Number.isFinite(r.priority)) {
      throw new Error(
        `requests[${i}].priority must be a finite number, got ${r.priority}`,
      );
    }
  });
}

/**
 * Penalty per unplaced replica: the caller's charge, else above any node
 * cost and higher for higher priority.
 */
function penalties(
  requests: PlacementRequest[],
  pools: PlacementPool[],
  unplacedUsd?: number,
): number[] {
  if (unplacedUsd !== undefined) return requests.map(() => unplacedUsd);
  let maxNode = 1;
  for (const p of pools) {
    maxNode = Math.max(maxNode, (p.usdPerNodeHour ?? 0) * HOURS_PER_MONTH);
  }
  let maxUnits = 1;
  for (const r of requests) maxUnits = Math.max(maxUnits, r.gpusPerReplica);
  const base = maxNode * 10 * (1 + maxUnits);
  return requests.map(r => base * (1 + Math.max(0, r.priority ?? 0)));
}

/**
 * Checks the input, finds each request's eligible pools (once per distinct
 * set of constraints), and groups interchangeable replicas into classes.
 */
export function prepare(
  requests: PlacementRequest[],
  pools: PlacementPool[],
  unplacedUsd?: number,
): Problem {
  validate(requests, unplacedUsd);
  interface Signature {
    ok: number[];
    set: number;
    test: (pool: PlacementPool) => Rejection | undefined;
    rejected?: Rejection[];
  }
  const bySignature = new Map<string, Signature>();
  /** Distinct sets of eligible pools, by their text. */
  const sets = new Map<string, number>();
  const signatures: Signature[] = [];
  for (const r of requests) {
    const key = signature(r);
    let e = bySignature.get(key);
    if (!e) {
      const ok: number[] = [];
      const test = rejecter(r);
      pools.forEach((p, j) => {
        if (!test(p)) ok.push(j);
      });
      const text = ok.join(',');
      if (!sets.has(text)) sets.set(text, sets.size);
      e = { ok, set: sets.get(text)!, test };
      bySignature.set(key, e);
    }
    signatures.push(e);
  }
  const eligible = signatures.map(e => e.ok);
  const setOf = signatures.map(e => e.set);
  const rejectedOf = (i: number) => {
    const e = signatures[i];
    // Plain data: requests of one signature share them.
    e.rejected ??= pools.flatMap(p => e.test(p) ?? []);
    return e.rejected;
  };
  const penalty = penalties(requests, pools, unplacedUsd);

  const local = new Map<number, number>();
  const corePools: CorePool[] = [];
  const localOf = (j: number) => {
    let k = local.get(j);
    if (k === undefined) {
      const p = pools[j];
      k = corePools.length;
      local.set(j, k);
      corePools.push({
        index: j,
        unitsPerNode: unitsPerNode(p),
        free: p.freeUnits,
        addable: Math.max(0, p.addableNodes),
        nodeCost: p.usdPerNodeHour! * HOURS_PER_MONTH,
        product: p.gpu.product,
        region: p.region,
      });
    }
    return k;
  };
  const byKey = new Map<string, ReplicaClass>();
  const classes: ReplicaClass[] = [];
  requests.forEach((r, i) => {
    if (r.replicas === 0) return;
    const priority = r.priority ?? 0;
    const key = `${r.gpusPerReplica}|${penalty[i]}|${priority}|${setOf[i]}`;
    let c = byKey.get(key);
    if (!c) {
      c = {
        members: [],
        units: r.gpusPerReplica,
        demand: 0,
        penalty: penalty[i],
        priority,
        eligible: eligible[i].map(localOf),
      };
      byKey.set(key, c);
      classes.push(c);
    }
    c.members.push(i);
    c.demand += r.replicas;
  });
  return {
    requests,
    pools,
    eligible,
    rejectedOf,
    penalty,
    core: { classes, pools: corePools },
  };
}

/** Classes by priority (highest first), then larger replicas first. */
export function classOrder(core: Core): number[] {
  return core.classes
    .map((_, c) => c)
    .sort(
      (a, b) =>
        core.classes[b].priority - core.classes[a].priority ||
        core.classes[b].units - core.classes[a].units,
    );
}

/** The objective of a core solution: node cost plus the unplaced replicas' charge. */
export function objectiveOf(core: Core, s: CoreSolution): number {
  let total = 0;
  core.pools.forEach((p, k) => (total += s.added[k] * p.nodeCost));
  core.classes.forEach((c, ci) => {
    let placed = 0;
    for (const k of c.eligible) placed += s.x[ci][k];
    total += (c.demand - placed) * c.penalty;
  });
  return total;
}

/** Whether a core solution keeps to eligibility, capacity and demand. */
export function isFeasible(core: Core, s: CoreSolution): boolean {
  const used = core.pools.map(() => 0);
  for (let ci = 0; ci < core.classes.length; ci++) {
    const c = core.classes[ci];
    const eligible = new Set(c.eligible);
    let placed = 0;
    for (let k = 0; k < core.pools.length; k++) {
      const n = s.x[ci][k];
      if (n < 0 || (n > 0 && !eligible.has(k))) return false;
      used[k] += n * c.units;
      placed += n;
    }
    if (placed > c.demand) return false;
  }
  return core.pools.every(
    (p, k) =>
      s.added[k] >= 0 &&
      s.added[k] <= p.addable &&
      used[k] <= p.free + s.added[k] * p.unitsPerNode,
  );
}

/**
 * Splits a core solution onto the requests: each class's replicas on a pool
 * go to its members in order. Replicas per request as pool index → count,
 * nodes added per pool of the caller's list.
 */
export function disaggregate(
  pb: Problem,
  s: CoreSolution,
): { x: Array<Map<number, number>>; added: number[] } {
  const x = pb.requests.map(() => new Map<number, number>());
  const added = pb.pools.map(() => 0);
  pb.core.pools.forEach((p, k) => (added[p.index] = s.added[k]));
  pb.core.classes.forEach((c, ci) => {
    let m = 0;
    let room = c.members.length ? pb.requests[c.members[0]].replicas : 0;
    const pools = [...c.eligible].sort(
      (a, b) => pb.core.pools[a].index - pb.core.pools[b].index,
    );
    for (const k of pools) {
      let n = s.x[ci][k];
      while (n > 0 && m < c.members.length) {
        if (room === 0) {
          m++;
          room = m < c.members.length ? pb.requests[c.members[m]].replicas : 0;
          continue;
        }
        const take = Math.min(n, room);
        const row = x[c.members[m]];
        const j = pb.core.pools[k].index;
        row.set(j, (row.get(j) ?? 0) + take);
        n -= take;
        room -= take;
      }
    }
  });
  return { x, added };
}
