import {
  PlacementDecision,
  PlacementPool,
  PlacementRequest,
  PlacementResult,
} from './types';
import { seededRandom } from '../random';
import {
  classOrder,
  CoreSolution,
  disaggregate,
  HOURS_PER_MONTH,
  objectiveOf,
  prepare,
  Problem,
} from './problem';
import {
  HighsSolve,
  isStopped,
  relaxation,
  solveMip,
  usedPools,
  variableCount,
} from './program';
import { greedy, lpRounded } from './packing';

export { HOURS_PER_MONTH } from './problem';
export type { HighsSolve } from './program';

/** Settings of {@link placeModels}. */
export interface PlaceOptions {
  /** HiGHS, for the exact solution and the bound. */
  solve: HighsSolve;
  /**
   * Most integer variables solved exactly; larger problems use the
   * heuristic. Counted after replicas of the same shape and eligibility
   * are grouped into one variable per pool (5000 by default).
   */
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
   * Time limit of the restricted program, seconds (5): it keeps its best
   * solution found by then, if better than the local search's.
   */
  restrictedTimeLimitSeconds?: number;
  /**
   * The heuristic solves its restricted program only when its placement is
   * further than this from the LP relaxation's bound, as a fraction of the
   * bound (0.005 by default; 0 always solves it).
   */
  targetGap?: number;
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

const DEFAULTS = {
  exactMaxVariables: 2000,
  timeLimitSeconds: 30,
  searchIterations: 1000,
  restrictedMaxVariables: 20000,
  restrictedTimeLimitSeconds: 5,
  targetGap: 0.02,
};

/** Settings that must be above 0 (time limits); the others may be 0. */
const POSITIVE = new Set(['timeLimitSeconds', 'restrictedTimeLimitSeconds']);

function settings(options: PlaceOptions) {
  const s = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as Array<keyof typeof DEFAULTS>) {
    const v = options[key];
    if (v === undefined) continue;
    const positive = POSITIVE.has(key);
    if (typeof v !== 'number' || !(positive ? v > 0 : v >= 0)) {
      throw new Error(
        `options.${key} must be a number ${positive ? '>' : '≥'} 0, got ${v}`,
      );
    }
    s[key] = v;
  }
  return s;
}

interface Solved {
  solution: CoreSolution;
  exact: boolean;
  /** The LP relaxation's (or, when exact, the optimum's) objective; 0 when unknown. */
  bound: number;
}

/**
 * The heuristic: greedy and LP-rounded packings, ruin-and-recreate local
 * search on the better one, then the program restricted to the pools they
 * and the LP use when the placement is not yet within the target gap.
 */
function heuristic(
  pb: Problem,
  o: ReturnType<typeof settings>,
  solve: HighsSolve,
  incumbent?: CoreSolution,
): Solved {
  const core = pb.core;
  const lp = relaxation(core, solve);
  const relaxed = lp.status === 'Optimal';
  const candidates = [greedy(core)];
  if (relaxed) candidates.push(lpRounded(core, lp.columns));
  const best = candidates.sort((a, b) => a.cost - b.cost)[0];
  best.recreate(o.searchIterations, seededRandom(1));
  best.improve(classOrder(core));
  let sol =
    incumbent && objectiveOf(core, incumbent) <= best.cost + 1e-6
      ? incumbent
      : best.solution();
  const bound = relaxed ? lp.objective : 0;
  const gap = (objectiveOf(core, sol) - bound) / Math.max(1, bound);
  if (relaxed && gap > o.targetGap) {
    const only = usedPools(core, lp.columns, candidates);
    if (variableCount(core, only) <= o.restrictedMaxVariables) {
      const r = solveMip(
        core,
        solve,
        o.restrictedTimeLimitSeconds,
        only,
      ).solution;
      if (r && objectiveOf(core, r) < objectiveOf(core, sol) - 1e-6) sol = r;
    }
  }
  return { solution: sol, exact: false, bound };
}

/**
 * Places model replicas onto GPU pools at the lowest monthly cost of the
 * nodes to add, using free GPU units on running nodes first. Replicas of the
 * same shape and eligibility are one variable per pool. Exact (a
 * mixed-integer program solved by HiGHS) when it has at most
 * `exactMaxVariables` integer variables, else a heuristic with the LP
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
  const o = settings(options);
  const pb = prepare(requests, pools, options.unplacedUsdPerReplica);
  let solved: Solved | undefined;
  const exact = variableCount(pb.core) <= o.exactMaxVariables;
  if (o.exactMaxVariables > 0 && exact) {
    const mip = solveMip(pb.core, options.solve, o.timeLimitSeconds);
    if (mip.status === 'Optimal' && mip.solution) {
      solved = { solution: mip.solution, exact: true, bound: mip.objective };
    } else if (mip.status !== 'Optimal' && !isStopped(mip.status)) {
      throw new Error(`placement solver ended with status ${mip.status}`);
    } else {
      // Not proven optimal in time: the better of its incumbent (if any)
      // and the heuristic, with the LP bound.
      solved = heuristic(pb, o, options.solve, mip.solution);
    }
  }
  solved ??= heuristic(pb, o, options.solve);
  return result(pb, solved);
}

/**
 * A decision whose `rejected` is worked out when first read (an own,
 * enumerable property: spreading, JSON and structured cloning read it as
 * data), then kept.
 */
function withRejections(
  d: Omit<PlacementDecision, 'rejected'>,
  rejected: () => PlacementDecision['rejected'],
): PlacementDecision {
  return Object.defineProperty(d, 'rejected', {
    enumerable: true,
    configurable: true,
    get(this: PlacementDecision) {
      const value = rejected();
      Object.defineProperty(this, 'rejected', {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return value;
    },
    set(this: PlacementDecision, value: PlacementDecision['rejected']) {
      Object.defineProperty(this, 'rejected', {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    },
  }) as PlacementDecision;
}

function result(pb: Problem, solved: Solved): PlacementResult {
  const { requests, pools } = pb;
  const { x, added } = disaggregate(pb, solved.solution);
  const poolCost = pools.map(
    (p, j) => added[j] * (p.usdPerNodeHour ?? 0) * HOURS_PER_MONTH,
  );
  const unitsOn = pools.map(() => 0);
  x.forEach((row, i) => {
    for (const [j, n] of row) unitsOn[j] += n * requests[i].gpusPerReplica;
  });
  let penalty = 0;
  const decisions: PlacementDecision[] = requests.map((r, i) => {
    const assignments = [...x[i].entries()]
      .filter(([, n]) => n > 0)
      .sort(([a], [b]) => a - b)
      .map(([j, n]) => ({ pool: pools[j].ref, replicas: n }));
    const placed = assignments.reduce((s, a) => s + a.replicas, 0);
    let monthlyUsd = 0;
    for (const [j, n] of x[i]) {
      if (unitsOn[j]) {
        monthlyUsd += (poolCost[j] * n * r.gpusPerReplica) / unitsOn[j];
      }
    }
    penalty += pb.penalty[i] * (r.replicas - placed);
    return withRejections(
      { id: r.id, assignments, unplaced: r.replicas - placed, monthlyUsd },
      () => pb.rejectedOf(i),
    );
  });
  const monthlyUsd = poolCost.reduce((a, b) => a + b, 0);
  // The optimum places at least as many replicas (penalties outweigh node
  // costs), so its node cost is at least the bound less this placement's
  // penalties.
  const lowerBoundUsd = Math.max(0, solved.bound - penalty);
  return {
    decisions,
    nodes: pools
      .map((p, j) => ({ pool: p.ref, added: added[j] }))
      .filter(n => n.added > 0),
    monthlyUsd,
    method: solved.exact ? 'exact' : 'heuristic',
    lowerBoundUsd,
    objective: penalty + monthlyUsd,
    // The LP relaxation bounds the same objective (node cost + penalties).
    objectiveLowerBound: solved.bound,
  };
}
