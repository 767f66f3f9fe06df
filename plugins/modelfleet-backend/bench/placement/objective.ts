/*
 * The one objective every method is scored by, the exact solve minimises
 * and the LP relaxation bounds: the monthly cost of the nodes added plus
 * one charge per unplaced replica (`unplacedCharge`, printed with the
 * results).
 */
import {
  HighsSolve,
  PlacementPool,
  PlacementRequest,
  unitsPerNode,
} from '../../src/engines/placement';
import { nodeMonthly, Plan } from './methods';
import { lpText } from '../../src/engines/placement/lpText';

/**
 * The charge per unplaced replica: the monthly price of the dearest node
 * among the pools with capacity, in whole dollars, so that a replica placed
 * on a node of its own never costs more than leaving it unplaced.
 */
export function unplacedCharge(pools: PlacementPool[]): number {
  return Math.ceil(
    Math.max(
      0,
      ...pools
        .filter(p => p.addableNodes > 0 && p.usdPerNodeHour !== null)
        .map(nodeMonthly),
    ),
  );
}

export interface Score {
  /** Monthly cost of the nodes added. */
  cost: number;
  unplaced: number;
  /** The charge for the unplaced replicas. */
  charge: number;
  /** The objective: cost + charge. */
  total: number;
  nodes: number;
  /** Pools whose capacity the plan uses up. */
  poolsFull: number;
}

/**
 * Checks a plan (eligible pools only, replicas within the nodes added,
 * nodes within capacity, no request over-placed), throwing an error naming
 * the method, and scores it.
 */
export function score(
  name: string,
  plan: Plan,
  requests: PlacementRequest[],
  pools: PlacementPool[],
  eligible: number[][],
  chargePerReplica: number,
): Score {
  const used = pools.map(() => 0);
  let unplaced = 0;
  requests.forEach((r, i) => {
    let placed = 0;
    for (const [j, n] of plan.x[i]) {
      if (n < 0 || !Number.isInteger(n)) {
        throw new Error(
          `${name}: ${r.id} has ${n} replicas on ${pools[j].ref}`,
        );
      }
      if (n > 0 && !eligible[i].includes(j)) {
        throw new Error(
          `${name}: ${r.id} placed on ineligible ${pools[j].ref}`,
        );
      }
      used[j] += n * r.gpusPerReplica;
      placed += n;
    }
    if (placed > r.replicas) throw new Error(`${name}: ${r.id} over-placed`);
    unplaced += r.replicas - placed;
  });
  let cost = 0;
  pools.forEach((p, j) => {
    if (plan.added[j] < 0 || plan.added[j] > p.addableNodes) {
      throw new Error(`${name}: ${p.ref} over its capacity`);
    }
    if (used[j] > plan.added[j] * unitsPerNode(p) + p.freeUnits) {
      throw new Error(`${name}: ${p.ref} has more units placed than nodes`);
    }
    if (plan.added[j] > 0) cost += plan.added[j] * nodeMonthly(p);
  });
  const charge = unplaced * chargePerReplica;
  return {
    cost,
    unplaced,
    charge,
    total: cost + charge,
    nodes: plan.added.reduce((a, b) => a + b, 0),
    poolsFull: pools.filter(
      (p, j) => p.addableNodes > 0 && plan.added[j] === p.addableNodes,
    ).length,
  };
}

/**
 * The placement as a program in CPLEX LP format, with the objective of
 * `score`: n_j nodes added to pool j, x_i_j replicas of request i on pool j
 * (eligible pairs only), s_i replicas of request i unplaced.
 */
export function program(
  requests: PlacementRequest[],
  pools: PlacementPool[],
  eligible: number[][],
  chargePerReplica: number,
  integer: boolean,
): string {
  const terms: string[][] = pools.map(() => []);
  const rows: string[] = [];
  const ints: string[] = [];
  const obj: string[] = [];
  requests.forEach((r, i) => {
    if (r.replicas === 0) return;
    const xs = eligible[i].map(j => `x${i}_${j}`);
    eligible[i].forEach((j, k) =>
      terms[j].push(`${r.gpusPerReplica} ${xs[k]}`),
    );
    rows.push(` d${i}: ${[...xs, `s${i}`].join(' + ')} = ${r.replicas}`);
    obj.push(`${chargePerReplica} s${i}`);
    ints.push(...xs, `s${i}`);
  });
  const bounds: string[] = [];
  pools.forEach((p, j) => {
    if (!terms[j].length) return;
    obj.push(`${nodeMonthly(p)} n${j}`);
    rows.push(
      ` c${j}: ${terms[j].join(' + ')} - ${unitsPerNode(p)} n${j} <= ${
        p.freeUnits
      }`,
    );
    bounds.push(` 0 <= n${j} <= ${Math.max(0, p.addableNodes)}`);
    ints.push(`n${j}`);
  });
  return lpText({ obj, rows, bounds, ints: integer ? ints : [] });
}

export interface Solved {
  /** HiGHS's status: `Optimal` is proven optimal. */
  status: string;
  objective: number;
  /** The solution (integer programs only). */
  plan?: Plan;
  ms: number;
}

/**
 * Solves `program` with HiGHS: the exact optimum (integer) or the LP
 * relaxation's bound (not integer).
 */
export function solveProgram(
  solve: HighsSolve,
  requests: PlacementRequest[],
  pools: PlacementPool[],
  eligible: number[][],
  chargePerReplica: number,
  integer: boolean,
  timeLimitSeconds: number,
): Solved {
  const lp = program(requests, pools, eligible, chargePerReplica, integer);
  const t = process.hrtime.bigint();
  const res = solve(lp, {
    time_limit: timeLimitSeconds,
    ...(integer ? { mip_rel_gap: 1e-9 } : {}),
  });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (!integer || !res.Columns || !Object.keys(res.Columns).length) {
    return { status: res.Status, objective: res.ObjectiveValue, ms };
  }
  const v = (name: string) => Math.round(res.Columns[name]?.Primal ?? 0);
  return {
    status: res.Status,
    objective: res.ObjectiveValue,
    plan: {
      added: pools.map((_, j) => v(`n${j}`)),
      x: requests.map(
        (_, i) =>
          new Map(
            eligible[i]
              .map(j => [j, v(`x${i}_${j}`)] as [number, number])
              .filter(([, n]) => n > 0),
          ),
      ),
    },
    ms,
  };
}

/** Relative tolerance of comparisons with the optimum (the solver's gap is 1e-9). */
const TOLERANCE = 1e-6;

/**
 * The methods that score below a proven optimum: always a bug (in the
 * program, the scoring, or a method's plan).
 */
export function belowOptimum(
  optimum: number,
  scores: Record<string, Score>,
): string[] {
  return Object.entries(scores)
    .filter(([, s]) => s.total < optimum - TOLERANCE * Math.max(1, optimum))
    .map(([name]) => name);
}
