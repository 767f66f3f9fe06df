import { lpText } from './lpText';
import { Core, CoreSolution, isFeasible } from './problem';

/** The solve function of the HiGHS module (`require('highs')()`), which the caller loads once. */
export type HighsSolve = (
  lp: string,
  options?: Record<string, unknown>,
) => {
  Status: string;
  ObjectiveValue: number;
  Columns: Record<string, { Primal: number }>;
};

/** A solution's columns, as HiGHS returns them. */
export type Columns = Record<string, { Primal: number }>;

/**
 * The core placement as a program in CPLEX LP format: `n{k}` nodes added to
 * pool k, `x{c}_{k}` replicas of class c on pool k (eligible pairs only),
 * `s{c}` replicas of class c unplaced. `only` restricts it to some pools.
 */
export function toLp(core: Core, integer: boolean, only?: Set<number>): string {
  const terms: string[][] = core.pools.map(() => []);
  const rows: string[] = [];
  const ints: string[] = [];
  const obj: string[] = [];
  core.classes.forEach((c, ci) => {
    const mine: string[] = [];
    for (const k of c.eligible) {
      if (only && !only.has(k)) continue;
      const x = `x${ci}_${k}`;
      mine.push(x);
      terms[k].push(`${c.units} ${x}`);
    }
    ints.push(...mine, `s${ci}`);
    rows.push(` d${ci}: ${[...mine, `s${ci}`].join(' + ')} = ${c.demand}`);
    obj.push(`${c.penalty} s${ci}`);
  });
  const bounds: string[] = [];
  core.pools.forEach((p, k) => {
    if (!terms[k].length) return;
    obj.push(`${p.nodeCost} n${k}`);
    rows.push(
      ` c${k}: ${terms[k].join(' + ')} - ${p.unitsPerNode} n${k} <= ${p.free}`,
    );
    bounds.push(` 0 <= n${k} <= ${p.addable}`);
    ints.push(`n${k}`);
  });
  return lpText({ obj, rows, bounds, ints: integer ? ints : [] });
}

/** Integer variables of the core program (restricted to `only` when given). */
export function variableCount(core: Core, only?: Set<number>): number {
  const pools = new Set<number>();
  let n = 0;
  for (const c of core.classes) {
    n++;
    for (const k of c.eligible) {
      if (only && !only.has(k)) continue;
      n++;
      pools.add(k);
    }
  }
  return n + pools.size;
}

/** The integer solution in HiGHS's columns (rounded). */
export function fromColumns(core: Core, cols: Columns): CoreSolution {
  const v = (name: string) => Math.round(cols[name]?.Primal ?? 0);
  return {
    x: core.classes.map((c, ci) => {
      const row = core.pools.map(() => 0);
      for (const k of c.eligible) row[k] = v(`x${ci}_${k}`);
      return row;
    }),
    added: core.pools.map((_, k) => v(`n${k}`)),
  };
}

/** Statuses after which HiGHS's columns hold its best solution so far. */
const STOPPED = ['Time limit reached', 'Iteration limit reached'];

export interface MipResult {
  status: string;
  objective: number;
  /** A feasible solution, when HiGHS found one. */
  solution?: CoreSolution;
}

/** Solves the core program (restricted to `only`) as a mixed-integer program. */
export function solveMip(
  core: Core,
  solve: HighsSolve,
  timeLimitSeconds: number,
  only?: Set<number>,
): MipResult {
  const res = solve(toLp(core, true, only), {
    mip_rel_gap: 1e-9,
    time_limit: timeLimitSeconds,
  });
  const hasColumns = res.Columns && Object.keys(res.Columns).length > 0;
  if (
    !hasColumns ||
    (res.Status !== 'Optimal' && !STOPPED.includes(res.Status))
  )
    return { status: res.Status, objective: res.ObjectiveValue };
  const solution = fromColumns(core, res.Columns);
  return {
    status: res.Status,
    objective: res.ObjectiveValue,
    solution: isFeasible(core, solution) ? solution : undefined,
  };
}

/** Whether a status is a solver stop (time or iterations) rather than a failure. */
export const isStopped = (status: string) => STOPPED.includes(status);

/**
 * The pools a restricted program keeps: those the LP relaxation or one of
 * the heuristic placements use.
 */
export function usedPools(
  core: Core,
  lp: Columns,
  heuristics: CoreSolution[],
): Set<number> {
  const v = (name: string) => lp[name]?.Primal ?? 0;
  const only = new Set<number>();
  core.pools.forEach((_, k) => {
    if (v(`n${k}`) > 1e-9 || heuristics.some(h => h.added[k] > 0)) only.add(k);
  });
  core.classes.forEach((c, ci) => {
    for (const k of c.eligible) {
      if (v(`x${ci}_${k}`) > 1e-9 || heuristics.some(h => h.x[ci][k] > 0)) {
        only.add(k);
      }
    }
  });
  return only;
}

export interface Relaxation {
  status: string;
  /** The LP relaxation's optimum: a lower bound on the objective. */
  objective: number;
  /** Its solution as columns of {@link toLp}'s program (`n{k}`, `x{c}_{k}`), fractional. */
  columns: Columns;
}

/**
 * The LP relaxation of {@link toLp}'s program, solved over groups of pools
 * that the same classes may use. With nodes fractional, such pools are one
 * capacity to the program: their free units at no cost, then each pool's
 * units at its price per unit (`y{k}`, cheapest used first), so the group
 * program has the same optimum with one column per class and group instead
 * of one per class and pool. Its solution is split back onto the pools,
 * filling each pool's free and paid units in turn.
 */
export function relaxation(core: Core, solve: HighsSolve): Relaxation {
  const setOf: number[][] = core.pools.map(() => []);
  core.classes.forEach((c, ci) => {
    for (const k of c.eligible) setOf[k].push(ci);
  });
  const groupOf = new Map<string, number[]>();
  core.pools.forEach((_, k) => {
    if (!setOf[k].length) return;
    const key = setOf[k].join(',');
    const g = groupOf.get(key);
    if (g) g.push(k);
    else groupOf.set(key, [k]);
  });
  const groups = [...groupOf.values()];
  const terms: string[][] = core.classes.map(() => []);
  const rows: string[] = [];
  const obj: string[] = [];
  const bounds: string[] = [];
  groups.forEach((members, g) => {
    const load = setOf[members[0]].map(
      ci => `${core.classes[ci].units} x${ci}_g${g}`,
    );
    for (const ci of setOf[members[0]]) terms[ci].push(`x${ci}_g${g}`);
    let free = 0;
    const paid: string[] = [];
    for (const k of members) {
      const p = core.pools[k];
      free += p.free;
      if (p.addable > 0) {
        obj.push(`${p.nodeCost / p.unitsPerNode} y${k}`);
        bounds.push(` 0 <= y${k} <= ${p.addable * p.unitsPerNode}`);
        paid.push(`y${k}`);
      }
    }
    rows.push(
      ` g${g}: ${[...load, ...paid.map(y => `- ${y}`)]
        .join(' + ')
        .replace(/\+ -/g, '-')} <= ${free}`,
    );
  });
  core.classes.forEach((c, ci) => {
    rows.push(` d${ci}: ${[...terms[ci], `s${ci}`].join(' + ')} = ${c.demand}`);
    obj.push(`${c.penalty} s${ci}`);
  });
  const res = solve(lpText({ obj, rows, bounds, ints: [] }), {
    presolve: 'off',
  });
  if (res.Status !== 'Optimal') {
    return { status: res.Status, objective: res.ObjectiveValue, columns: {} };
  }
  const v = (name: string) => Math.max(0, res.Columns[name]?.Primal ?? 0);
  const columns: Columns = {};
  groups.forEach((members, g) => {
    // Units each pool holds in the LP's solution: its free units, then the
    // units it pays for.
    const room = members.map(k => {
      const p = core.pools[k];
      const y = v(`y${k}`);
      if (y > 0) columns[`n${k}`] = { Primal: y / p.unitsPerNode };
      return p.free + y;
    });
    let m = 0;
    for (const ci of setOf[members[0]]) {
      const u = core.classes[ci].units;
      let units = v(`x${ci}_g${g}`) * u;
      while (units > 1e-9 && m < members.length) {
        const take = Math.min(units, room[m]);
        if (take > 1e-9) {
          const name = `x${ci}_${members[m]}`;
          columns[name] = { Primal: (columns[name]?.Primal ?? 0) + take / u };
          room[m] -= take;
          units -= take;
        }
        if (room[m] <= 1e-9) m++;
      }
    }
  });
  return { status: res.Status, objective: res.ObjectiveValue, columns };
}
