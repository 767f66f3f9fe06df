import {
  PlacementDecision,
  PlacementPool,
  PlacementRequest,
  PlacementResult,
  Rejection,
} from './types';
import { rejectionOf, unitsPerNode } from './eligibility';
import { seededRandom } from '../random';
import { lpText } from './lpText';

/** Hours in an average month, for monthly figures. */
export const HOURS_PER_MONTH = 730;

/** The solve function of the HiGHS module (`require('highs')()`), which the caller loads once. */
export type HighsSolve = (
  lp: string,
  options?: Record<string, unknown>,
) => {
  Status: string;
  ObjectiveValue: number;
  Columns: Record<string, { Primal: number }>;
};

/** Settings of {@link placeModels}. */
export interface PlaceOptions {
  /** HiGHS, for the exact solution and the bound. */
  solve: HighsSolve;
  /** Most integer variables solved exactly; larger problems use the heuristic. */
  exactMaxVariables?: number;
  /** Time limit of the exact solver, seconds. */
  timeLimitSeconds?: number;
  /** Ruin-and-recreate moves of the heuristic's local search (1000). */
  searchIterations?: number;
  /**
   * Most integer variables of the heuristic's restricted program (the pools
   * the LP relaxation or the local search use), solved with HiGHS; larger
   * restricted programs are skipped. 20000 by default.
   */
  restrictedMaxVariables?: number;
  /**
   * The charge per unplaced replica in the objective, in monthly USD, the
   * same for every replica. By default a penalty above any node cost that
   * grows with priority, so that capacity goes to higher priority first.
   * With a charge, `objective` and `objectiveLowerBound` are the node cost
   * plus this charge per unplaced replica (and `lowerBoundUsd` assumes the
   * bound's placement leaves no more replicas unplaced than this one).
   */
  unplacedUsdPerReplica?: number;
}

interface Problem {
  requests: PlacementRequest[];
  pools: PlacementPool[];
  /** Eligible pool indexes per request. */
  eligible: number[][];
  rejected: Rejection[][];
  /** The charge per unplaced replica, when the caller sets one. */
  unplacedUsd?: number;
}

function prepare(
  requests: PlacementRequest[],
  pools: PlacementPool[],
  unplacedUsd?: number,
): Problem {
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
  });
  const eligible: number[][] = [];
  const rejected: Rejection[][] = [];
  for (const r of requests) {
    const ok: number[] = [];
    const no: Rejection[] = [];
    pools.forEach((p, j) => {
      const why = rejectionOf(r, p);
      if (why) no.push(why);
      else ok.push(j);
    });
    eligible.push(ok);
    rejected.push(no);
  }
  return { requests, pools, eligible, rejected, unplacedUsd };
}

const nodeCost = (p: PlacementPool) => p.usdPerNodeHour! * HOURS_PER_MONTH;

/**
 * Penalty per unplaced replica: the caller's charge, else above any cost
 * and higher for higher priority.
 */
function penalties(pb: Problem): number[] {
  if (pb.unplacedUsd !== undefined)
    return pb.requests.map(() => pb.unplacedUsd!);
  const maxNode = Math.max(
    1,
    ...pb.pools.map(p => (p.usdPerNodeHour ?? 0) * HOURS_PER_MONTH),
  );
  const base =
    maxNode * 10 * (1 + Math.max(1, ...pb.requests.map(r => r.gpusPerReplica)));
  return pb.requests.map(r => base * (1 + Math.max(0, r.priority ?? 0)));
}

/** Which part of the problem a program covers: pools, and pairs within them. */
interface Restriction {
  pools: Set<number>;
}

/** The placement as a mixed-integer program in CPLEX LP format. */
function toLp(pb: Problem, integer: boolean, only?: Restriction): string {
  const pen = penalties(pb);
  const terms: string[][] = pb.pools.map(() => []);
  const rows: string[] = [];
  const xs: string[] = [];
  pb.requests.forEach((r, i) => {
    if (r.replicas === 0) return;
    const mine: string[] = [];
    for (const j of pb.eligible[i]) {
      if (only && !only.pools.has(j)) continue;
      const x = `x${i}_${j}`;
      mine.push(x);
      terms[j].push(`${r.gpusPerReplica} ${x}`);
    }
    xs.push(...mine);
    rows.push(` d${i}: ${[...mine, `s${i}`].join(' + ')} = ${r.replicas}`);
  });
  const used = pb.pools.map((_, j) => j).filter(j => terms[j].length > 0);
  const obj: string[] = [];
  for (const j of used) obj.push(`${nodeCost(pb.pools[j])} n${j}`);
  pb.requests.forEach((r, i) => {
    if (r.replicas > 0) obj.push(`${pen[i]} s${i}`);
  });
  for (const j of used) {
    rows.push(
      ` c${j}: ${terms[j].join(' + ')} - ${unitsPerNode(
        pb.pools[j],
      )} n${j} <= ${pb.pools[j].freeUnits}`,
    );
  }
  const bounds = used.map(
    j => ` 0 <= n${j} <= ${Math.max(0, pb.pools[j].addableNodes)}`,
  );
  const ints = integer
    ? [
        ...used.map(j => `n${j}`),
        ...xs,
        ...pb.requests.flatMap((r, i) => (r.replicas > 0 ? [`s${i}`] : [])),
      ]
    : [];
  return lpText({ obj, rows, bounds, ints });
}

type Solution = { x: number[][]; added: number[] };

function fromColumns(
  pb: Problem,
  cols: Record<string, { Primal: number }>,
): Solution {
  const v = (name: string) => Math.round(cols[name]?.Primal ?? 0);
  return {
    x: pb.requests.map((_, i) => pb.pools.map((__, j) => v(`x${i}_${j}`))),
    added: pb.pools.map((_, j) => v(`n${j}`)),
  };
}

/** Requests by priority (highest first), then larger replicas first. */
function requestOrder(pb: Problem): number[] {
  return pb.requests
    .map((_, i) => i)
    .sort(
      (a, b) =>
        (pb.requests[b].priority ?? 0) - (pb.requests[a].priority ?? 0) ||
        pb.requests[b].gpusPerReplica - pb.requests[a].gpusPerReplica,
    );
}

/**
 * A placement being built by the heuristic: replicas per request and pool,
 * nodes added, free units; every change is logged so that a move can be
 * undone.
 */
class Packing {
  readonly x: number[][];
  readonly added: number[];
  readonly free: number[];
  /** Objective: node cost plus the penalty of unplaced replicas. */
  cost: number;
  private readonly placed: number[];
  private log: Array<[number, number, number]> = [];

  constructor(private readonly pb: Problem, private readonly pen: number[]) {
    this.x = pb.requests.map(() => pb.pools.map(() => 0));
    this.added = pb.pools.map(() => 0);
    this.free = pb.pools.map(p => p.freeUnits);
    this.placed = pb.requests.map(() => 0);
    this.cost = pb.requests.reduce((s, r, i) => s + r.replicas * pen[i], 0);
  }

  unplaced(i: number): number {
    return this.pb.requests[i].replicas - this.placed[i];
  }

  /** Adds (k > 0) or removes (k < 0) nodes of pool j. */
  nodes(j: number, k: number) {
    const p = this.pb.pools[j];
    this.added[j] += k;
    this.free[j] += k * unitsPerNode(p);
    this.cost += k * nodeCost(p);
    this.log.push([-1, j, k]);
  }

  /** Adds (k > 0) or removes (k < 0) replicas of request i on pool j. */
  move(i: number, j: number, k: number) {
    this.x[i][j] += k;
    this.placed[i] += k;
    this.free[j] -= k * this.pb.requests[i].gpusPerReplica;
    this.cost -= k * this.pen[i];
    this.log.push([i, j, k]);
  }

  /** Starts logging changes for {@link undo}. */
  mark() {
    this.log = [];
  }

  undo() {
    const log = this.log;
    this.log = [];
    for (let n = log.length - 1; n >= 0; n--) {
      const [i, j, k] = log[n];
      if (i < 0) this.nodes(j, -k);
      else this.move(i, j, -k);
    }
    this.log = [];
  }

  /**
   * Places up to `k` replicas of request i: on free units first (the pool
   * left with the fewest free units), else on new nodes of the pool where
   * they cost least per replica. Returns how many were placed.
   */
  insert(i: number, k: number, avoid = -1): number {
    const { pools, eligible, requests } = this.pb;
    const u = requests[i].gpusPerReplica;
    let left = k;
    while (left > 0) {
      let best = -1;
      for (const j of eligible[i]) {
        if (
          this.free[j] >= u &&
          (best < 0 ||
            this.free[j] < this.free[best] ||
            (this.free[j] === this.free[best] &&
              pools[j].usdPerNodeHour! < pools[best].usdPerNodeHour!))
        ) {
          best = j;
        }
      }
      if (best >= 0) {
        const n = Math.min(left, Math.floor(this.free[best] / u));
        this.move(i, best, n);
        left -= n;
        continue;
      }
      let bestCost = Infinity;
      for (const j of eligible[i]) {
        if (j === avoid || this.added[j] >= pools[j].addableNodes) continue;
        const fit = Math.floor((unitsPerNode(pools[j]) + this.free[j]) / u);
        if (fit < 1) continue;
        const c = nodeCost(pools[j]) / Math.min(fit, left);
        if (c < bestCost) {
          bestCost = c;
          best = j;
        }
      }
      if (best < 0) break;
      this.nodes(best, 1);
      const n = Math.min(left, Math.floor(this.free[best] / u));
      this.move(i, best, n);
      left -= n;
    }
    return k - left;
  }

  /** Removes nodes left empty. */
  trim() {
    this.pb.pools.forEach((p, j) => {
      while (this.added[j] > 0 && this.free[j] >= unitsPerNode(p)) {
        this.nodes(j, -1);
      }
    });
  }

  /**
   * Local search: removes one node of a pool (costliest first) and places
   * the replicas it displaces elsewhere; keeps the move when the objective
   * falls. Repeats until no move helps, at most `passes` times.
   */
  improve(order: number[], passes = 4) {
    const { pools, requests } = this.pb;
    for (let pass = 0; pass < passes; pass++) {
      let better = false;
      const open = pools
        .map((_, j) => j)
        .filter(j => this.added[j] > 0)
        .sort((a, b) => nodeCost(pools[b]) - nodeCost(pools[a]));
      for (const j of open) {
        while (this.added[j] > 0) {
          const before = this.cost;
          this.mark();
          this.nodes(j, -1);
          // Displace the smallest replicas first until the pool fits again.
          const displaced: Array<[number, number]> = [];
          for (let o = order.length - 1; o >= 0 && this.free[j] < 0; o--) {
            const i = order[o];
            const u = requests[i].gpusPerReplica;
            const n = Math.min(this.x[i][j], Math.ceil(-this.free[j] / u));
            if (n > 0) {
              this.move(i, j, -n);
              displaced.push([i, n]);
            }
          }
          for (const [i, n] of displaced.reverse()) this.insert(i, n, j);
          this.trim();
          if (this.cost < before - 1e-6) {
            better = true;
          } else {
            this.undo();
            break;
          }
        }
      }
      // Capacity the moves freed may take replicas left unplaced.
      for (const i of order) {
        if (this.unplaced(i) > 0 && this.insert(i, this.unplaced(i)) > 0) {
          better = true;
        }
      }
      if (!better) break;
    }
    this.mark();
  }

  /**
   * Ruin and recreate: empties a few open nodes (a random one and others of
   * its GPU or region), re-inserts every replica left unplaced (priority,
   * then larger replicas first, ties in random order) and keeps the result
   * when the objective does not rise. `iterations` bounds the work.
   */
  recreate(iterations: number, random: () => number) {
    const { pools, requests } = this.pb;
    const onPool: number[][] = pools.map(() => []);
    requests.forEach((_, i) => {
      for (const j of this.pb.eligible[i]) onPool[j].push(i);
    });
    for (let it = 0; it < iterations; it++) {
      const open: number[] = [];
      for (let j = 0; j < pools.length; j++)
        if (this.added[j] > 0) open.push(j);
      if (!open.length) break;
      const seed = open[Math.floor(random() * open.length)];
      const related = open.filter(
        j =>
          j !== seed &&
          (pools[j].gpu.product === pools[seed].gpu.product ||
            pools[j].region === pools[seed].region),
      );
      const ruin = [seed];
      const k = Math.floor(random() * 4);
      for (let n = 0; n < k; n++) {
        const from = related.length && random() < 0.7 ? related : open;
        const j = from[Math.floor(random() * from.length)];
        if (!ruin.includes(j)) ruin.push(j);
      }
      const before = this.cost;
      this.mark();
      for (const j of ruin) {
        for (const i of onPool[j]) {
          if (this.x[i][j] > 0) {
            this.move(i, j, -this.x[i][j]);
          }
        }
        this.nodes(j, -this.added[j]);
      }
      const todo: number[] = [];
      for (let i = 0; i < requests.length; i++) {
        if (this.unplaced(i) > 0) todo.push(i);
      }
      const noise = requests.map(() => random());
      todo.sort(
        (a, b) =>
          (requests[b].priority ?? 0) - (requests[a].priority ?? 0) ||
          requests[b].gpusPerReplica - requests[a].gpusPerReplica ||
          noise[a] - noise[b],
      );
      for (const i of todo) this.insert(i, this.unplaced(i));
      for (const j of ruin) this.trimPool(j);
      if (this.cost > before + 1e-6) this.undo();
    }
    this.mark();
  }

  /** Removes nodes of pool j left empty. */
  trimPool(j: number) {
    const p = this.pb.pools[j];
    while (this.added[j] > 0 && this.free[j] >= unitsPerNode(p)) {
      this.nodes(j, -1);
    }
  }

  solution(): Solution {
    return { x: this.x.map(row => [...row]), added: [...this.added] };
  }
}

/**
 * Greedy: by priority, then largest replicas first; free units first, then
 * new nodes where a replica costs least; then the local search.
 */
function greedy(pb: Problem, pen: number[]): Packing {
  const order = requestOrder(pb);
  const s = new Packing(pb, pen);
  for (const i of order) s.insert(i, pb.requests[i].replicas);
  s.improve(order);
  return s;
}

/**
 * Rounds the LP relaxation: its whole nodes and whole replicas first, the
 * rest placed greedily, then the local search.
 */
function lpRounded(
  pb: Problem,
  pen: number[],
  cols: Record<string, { Primal: number }>,
): Packing {
  const order = requestOrder(pb);
  const s = new Packing(pb, pen);
  const v = (name: string) => cols[name]?.Primal ?? 0;
  pb.pools.forEach((p, j) => {
    const n = Math.min(p.addableNodes, Math.floor(v(`n${j}`) + 1e-6));
    if (n > 0) s.nodes(j, n);
  });
  for (const i of order) {
    const u = pb.requests[i].gpusPerReplica;
    for (const j of pb.eligible[i]) {
      const n = Math.min(
        Math.floor(v(`x${i}_${j}`) + 1e-6),
        Math.floor(s.free[j] / u),
        s.unplaced(i),
      );
      if (n > 0) s.move(i, j, n);
    }
  }
  for (const i of order) s.insert(i, s.unplaced(i));
  s.trim();
  s.improve(order);
  return s;
}

/**
 * The "restricted master": the program over the pools the LP relaxation or
 * the heuristic's placement use (every eligible pair within them), solved
 * by HiGHS within the time limit. Any solution is feasible for the full
 * problem; undefined when the program is too large or has no solution.
 */
function restrictedMip(
  pb: Problem,
  cols: Record<string, { Primal: number }>,
  heuristics: Packing[],
  options: PlaceOptions,
): Solution | undefined {
  const v = (name: string) => cols[name]?.Primal ?? 0;
  const only = new Set<number>();
  pb.pools.forEach((_, j) => {
    if (v(`n${j}`) > 1e-9 || heuristics.some(h => h.added[j] > 0)) only.add(j);
  });
  let variables = only.size;
  pb.requests.forEach((r, i) => {
    if (r.replicas === 0) return;
    variables++;
    for (const j of pb.eligible[i]) {
      if (v(`x${i}_${j}`) > 1e-9 || heuristics.some(h => h.x[i][j] > 0)) {
        only.add(j);
      }
    }
  });
  pb.requests.forEach((r, i) => {
    if (r.replicas > 0) {
      variables += pb.eligible[i].filter(j => only.has(j)).length;
    }
  });
  if (variables > (options.restrictedMaxVariables ?? 20000)) return undefined;
  const res = options.solve(toLp(pb, true, { pools: only }), {
    mip_rel_gap: 1e-9,
    time_limit: options.timeLimitSeconds ?? 30,
  });
  if (!res.Columns || !Object.keys(res.Columns).length) return undefined;
  if (
    res.Status !== 'Optimal' &&
    res.Status !== 'Time limit reached' &&
    res.Status !== 'Iteration limit reached'
  ) {
    return undefined;
  }
  const sol = fromColumns(pb, res.Columns);
  return isFeasible(pb, sol) ? sol : undefined;
}

/** Whether a solution keeps to eligibility, capacity and demand. */
function isFeasible(pb: Problem, s: Solution): boolean {
  const used = pb.pools.map(() => 0);
  for (let i = 0; i < pb.requests.length; i++) {
    const r = pb.requests[i];
    let placed = 0;
    for (let j = 0; j < pb.pools.length; j++) {
      if (s.x[i][j] < 0) return false;
      used[j] += s.x[i][j] * r.gpusPerReplica;
      placed += s.x[i][j];
    }
    if (placed > r.replicas) return false;
  }
  return pb.pools.every(
    (p, j) =>
      s.added[j] >= 0 &&
      s.added[j] <= Math.max(0, p.addableNodes) &&
      used[j] <= p.freeUnits + s.added[j] * unitsPerNode(p),
  );
}

/**
 * Places model replicas onto GPU pools at the lowest monthly cost of the
 * nodes to add, using free GPU units on running nodes first. Exact (a
 * mixed-integer program solved by HiGHS) when it has at most
 * `exactMaxVariables` integer variables, else greedy with the LP
 * relaxation's lower bound. Every pool a model cannot use has a reason;
 * when capacity binds, higher-priority models are placed first and the rest
 * is reported unplaced.
 *
 * Pure apart from the solver it is given: no I/O, no clock.
 */
export function placeModels(
  requests: PlacementRequest[],
  pools: PlacementPool[],
  options: PlaceOptions,
): PlacementResult {
  const pb = prepare(requests, pools, options.unplacedUsdPerReplica);
  const variables =
    pb.eligible.reduce((s, e) => s + e.length, 0) +
    pools.length +
    requests.length;
  let exact = variables <= (options.exactMaxVariables ?? 5000);
  let sol: Solution | undefined;
  let lowerBoundUsd = 0;
  let objectiveLowerBound = 0;
  const pen = penalties(pb);
  const penaltyOf = (s: Solution) =>
    pb.requests.reduce(
      (t, r, i) =>
        t + pen[i] * (r.replicas - s.x[i].reduce((a, b) => a + b, 0)),
      0,
    );
  if (exact) {
    const res = options.solve(toLp(pb, true), {
      mip_rel_gap: 1e-9,
      time_limit: options.timeLimitSeconds ?? 30,
    });
    if (res.Status === 'Optimal') {
      sol = fromColumns(pb, res.Columns);
      lowerBoundUsd = res.ObjectiveValue - penaltyOf(sol);
      objectiveLowerBound = res.ObjectiveValue;
    } else if (
      res.Status !== 'Time limit reached' &&
      res.Status !== 'Iteration limit reached'
    ) {
      throw new Error(`placement solver ended with status ${res.Status}`);
    } else {
      // Not proven optimal in time: the best of its incumbent (if any) and
      // the heuristic, with the LP bound.
      exact = false;
      const incumbent =
        res.Columns && Object.keys(res.Columns).length
          ? fromColumns(pb, res.Columns)
          : undefined;
      if (incumbent && isFeasible(pb, incumbent)) sol = incumbent;
    }
  }
  if (!exact) {
    const relaxed = toLp(pb, false);
    // Without presolve: faster on these programs (HiGHS WebAssembly).
    const lp = options.solve(relaxed, { presolve: 'off' });
    const candidates: Packing[] = [greedy(pb, pen)];
    if (lp.Status === 'Optimal')
      candidates.push(lpRounded(pb, pen, lp.Columns));
    const best = candidates.sort((a, b) => a.cost - b.cost)[0];
    best.recreate(options.searchIterations ?? 1000, seededRandom(1));
    best.improve(requestOrder(pb));
    const objective = (s: Solution) =>
      penaltyOf(s) +
      s.added.reduce((t, n, j) => t + n * nodeCost(pb.pools[j]), 0);
    if (!sol || best.cost < objective(sol) - 1e-6) sol = best.solution();
    if (lp.Status === 'Optimal') {
      const restricted = restrictedMip(pb, lp.Columns, candidates, options);
      if (restricted && objective(restricted) < objective(sol) - 1e-6) {
        sol = restricted;
      }
    }
    // The optimum places at least as many replicas (penalties outweigh node
    // costs), so its node cost is at least the LP's objective less this
    // solution's penalties.
    lowerBoundUsd =
      lp.Status === 'Optimal'
        ? Math.max(0, lp.ObjectiveValue - penaltyOf(sol))
        : 0;
    // The LP relaxation bounds the same objective (node cost + penalties).
    objectiveLowerBound = lp.Status === 'Optimal' ? lp.ObjectiveValue : 0;
  }
  const final: Solution = sol!;

  const poolCost = pools.map(
    (p, j) => final.added[j] * (p.usdPerNodeHour ?? 0) * HOURS_PER_MONTH,
  );
  const unitsOn = pools.map((_, j) =>
    pb.requests.reduce((s, r, i) => s + final.x[i][j] * r.gpusPerReplica, 0),
  );
  const decisions: PlacementDecision[] = pb.requests.map((r, i) => {
    const assignments = pools
      .map((p, j) => ({ pool: p.ref, replicas: final.x[i][j] }))
      .filter(a => a.replicas > 0);
    const placed = assignments.reduce((s, a) => s + a.replicas, 0);
    const monthlyUsd = pools.reduce(
      (s, _, j) =>
        s +
        (unitsOn[j]
          ? (poolCost[j] * final.x[i][j] * r.gpusPerReplica) / unitsOn[j]
          : 0),
      0,
    );
    return {
      id: r.id,
      assignments,
      unplaced: r.replicas - placed,
      monthlyUsd,
      rejected: pb.rejected[i],
    };
  });
  return {
    decisions,
    nodes: pools
      .map((p, j) => ({ pool: p.ref, added: final.added[j] }))
      .filter(n => n.added > 0),
    monthlyUsd: poolCost.reduce((a, b) => a + b, 0),
    method: exact ? 'exact' : 'heuristic',
    lowerBoundUsd: Math.max(0, lowerBoundUsd),
    objective: penaltyOf(final) + poolCost.reduce((a, b) => a + b, 0),
    objectiveLowerBound,
  };
}
