import {
  PlacementDecision,
  PlacementPool,
  PlacementRequest,
  PlacementResult,
  Rejection,
} from './types';
import { rejectionOf, unitsPerNode } from './eligibility';

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
}

interface Problem {
  requests: PlacementRequest[];
  pools: PlacementPool[];
  /** Eligible pool indexes per request. */
  eligible: number[][];
  rejected: Rejection[][];
}

function prepare(
  requests: PlacementRequest[],
  pools: PlacementPool[],
): Problem {
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
  return { requests, pools, eligible, rejected };
}

const nodeCost = (p: PlacementPool) => p.usdPerNodeHour! * HOURS_PER_MONTH;

/** Penalty per unplaced replica: above any cost, higher for higher priority. */
function penalties(pb: Problem): number[] {
  const maxNode = Math.max(
    1,
    ...pb.pools.map(p => (p.usdPerNodeHour ?? 0) * HOURS_PER_MONTH),
  );
  const base =
    maxNode * 10 * (1 + Math.max(1, ...pb.requests.map(r => r.gpusPerReplica)));
  return pb.requests.map(r => base * (1 + Math.max(0, r.priority ?? 0)));
}

/** The placement as a mixed-integer program in CPLEX LP format. */
function toLp(pb: Problem, integer: boolean): string {
  const pen = penalties(pb);
  const used = new Set(pb.eligible.flat());
  const obj: string[] = [];
  for (const j of used) obj.push(`${nodeCost(pb.pools[j])} n${j}`);
  pb.requests.forEach((r, i) => {
    if (r.replicas > 0) obj.push(`${pen[i]} s${i}`);
  });
  const rows: string[] = [];
  pb.requests.forEach((r, i) => {
    if (r.replicas === 0) return;
    const terms = pb.eligible[i].map(j => `x${i}_${j}`);
    rows.push(` d${i}: ${[...terms, `s${i}`].join(' + ')} = ${r.replicas}`);
  });
  for (const j of used) {
    const terms = pb.requests
      .map((r, i) =>
        r.replicas > 0 && pb.eligible[i].includes(j)
          ? `${r.gpusPerReplica} x${i}_${j}`
          : '',
      )
      .filter(Boolean);
    if (!terms.length) continue;
    rows.push(
      ` c${j}: ${terms.join(' + ')} - ${unitsPerNode(pb.pools[j])} n${j} <= ${
        pb.pools[j].freeUnits
      }`,
    );
  }
  const bounds = [...used].map(
    j => ` 0 <= n${j} <= ${Math.max(0, pb.pools[j].addableNodes)}`,
  );
  const ints = integer
    ? [
        ...[...used].map(j => `n${j}`),
        ...pb.requests.flatMap((r, i) =>
          r.replicas > 0 ? pb.eligible[i].map(j => `x${i}_${j}`) : [],
        ),
        ...pb.requests.flatMap((r, i) => (r.replicas > 0 ? [`s${i}`] : [])),
      ]
    : [];
  return [
    'Minimize',
    ` obj: ${obj.length ? obj.join(' + ') : '0 z'}`,
    'Subject To',
    ...(rows.length ? rows : [' r0: z >= 0']),
    'Bounds',
    ...bounds,
    ...(obj.length ? [] : [' z = 0']),
    ...(ints.length ? ['General', ` ${ints.join(' ')}`] : []),
    'End',
  ].join('\n');
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

/** Greedy: by priority, then largest replicas first; free units first, then the cheapest unit. */
function greedy(pb: Problem): Solution {
  const free = pb.pools.map(p => p.freeUnits);
  const addable = pb.pools.map(p => p.addableNodes);
  const x = pb.requests.map(() => pb.pools.map(() => 0));
  const added = pb.pools.map(() => 0);
  const order = pb.requests
    .map((_, i) => i)
    .sort(
      (a, b) =>
        (pb.requests[b].priority ?? 0) - (pb.requests[a].priority ?? 0) ||
        pb.requests[b].gpusPerReplica - pb.requests[a].gpusPerReplica,
    );
  for (const i of order) {
    const r = pb.requests[i];
    for (let k = 0; k < r.replicas; k++) {
      const u = r.gpusPerReplica;
      const onFree = pb.eligible[i]
        .filter(j => free[j] >= u)
        .sort(
          (a, b) => pb.pools[a].usdPerNodeHour! - pb.pools[b].usdPerNodeHour!,
        )[0];
      let j = onFree;
      if (j === undefined) {
        j = pb.eligible[i]
          .filter(p => addable[p] > 0)
          .sort(
            (a, b) =>
              nodeCost(pb.pools[a]) / unitsPerNode(pb.pools[a]) -
              nodeCost(pb.pools[b]) / unitsPerNode(pb.pools[b]),
          )[0];
        if (j === undefined) break;
        addable[j] -= 1;
        added[j] += 1;
        free[j] += unitsPerNode(pb.pools[j]);
      }
      free[j] -= u;
      x[i][j] += 1;
    }
  }
  return { x, added };
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
  const pb = prepare(requests, pools);
  const variables =
    pb.eligible.reduce((s, e) => s + e.length, 0) +
    pools.length +
    requests.length;
  const exact = variables <= (options.exactMaxVariables ?? 5000);
  let sol: Solution;
  let lowerBoundUsd: number;
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
    if (res.Status !== 'Optimal') {
      throw new Error(`placement solver ended with status ${res.Status}`);
    }
    sol = fromColumns(pb, res.Columns);
    lowerBoundUsd = res.ObjectiveValue - penaltyOf(sol);
  } else {
    sol = greedy(pb);
    const lp = options.solve(toLp(pb, false));
    lowerBoundUsd =
      lp.Status === 'Optimal'
        ? Math.max(0, lp.ObjectiveValue - penaltyOf(sol))
        : 0;
  }

  const poolCost = pools.map(
    (p, j) => sol.added[j] * (p.usdPerNodeHour ?? 0) * HOURS_PER_MONTH,
  );
  const unitsOn = pools.map((_, j) =>
    pb.requests.reduce((s, r, i) => s + sol.x[i][j] * r.gpusPerReplica, 0),
  );
  const decisions: PlacementDecision[] = pb.requests.map((r, i) => {
    const assignments = pools
      .map((p, j) => ({ pool: p.ref, replicas: sol.x[i][j] }))
      .filter(a => a.replicas > 0);
    const placed = assignments.reduce((s, a) => s + a.replicas, 0);
    const monthlyUsd = pools.reduce(
      (s, _, j) =>
        s +
        (unitsOn[j]
          ? (poolCost[j] * sol.x[i][j] * r.gpusPerReplica) / unitsOn[j]
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
      .map((p, j) => ({ pool: p.ref, added: sol.added[j] }))
      .filter(n => n.added > 0),
    monthlyUsd: poolCost.reduce((a, b) => a + b, 0),
    method: exact ? 'exact' : 'heuristic',
    lowerBoundUsd: Math.max(0, lowerBoundUsd),
  };
}
