/*
 * yarn bench:placement — the placement engine on real prices and a workload
 * mix taken from a real GPU cluster trace, under binding pool capacity.
 *
 * Every method is scored with one objective: the monthly cost of the nodes
 * it adds plus one charge per replica it leaves unplaced (the monthly price
 * of the dearest node with capacity, printed). The methods:
 *
 * - the exact optimum: that objective as a mixed-integer program
 *   (placement/objective.ts) solved by HiGHS; no method can score below it,
 *   and the benchmark says so loudly if one does;
 * - the engine: placeModels with its default options and that charge
 *   (`unplacedUsdPerReplica`), and its heuristic alone (exactMaxVariables 0);
 * - greedy (SkyPilot-style): the cheapest pool per model, one at a time;
 * - FFD (Karpenter-style): first-fit decreasing onto the cheapest pools,
 *   per GPU-hour and per node-hour, the better of the two;
 * - the LP relaxation of the program: a lower bound.
 *
 * At --replicas (200): all of them. At --timing-replicas (2,000), over
 * every pool of the catalog (at least 300; the output says how many have
 * capacity): the engine's median time over --timing-runs, its gap to the
 * LP bound, and the baselines.
 *
 * Options: --prices <dir or file> (default data/prices, the bundled copy of
 * the skypilot-catalog prices), --workload <pod list csv> (default
 * data/workloads/openb_pod_list_gpuspec33.csv), --nodes <node list csv>
 * (default data/workloads/openb_node_list_gpu_node.csv: the trace cluster's
 * GPUs, the supply mix of pool capacity), --seed <n> (1), --replicas <n>
 * (200), --timing-replicas <n> (2000), --timing-runs <n> (3; 1 with
 * --quick), --headroom <x> (1.5: GPUs dealt ÷ GPU demand), --exact-time-limit
 * <seconds> (300), --quick (one timing run).
 *
 * The parts: placement/gpus.ts (trace GPU names → catalog GPUs),
 * trace.ts, pools.ts, workload.ts, capacity.ts (dealing capacity),
 * methods.ts (baselines), objective.ts (the scoring and the program),
 * report.ts (output).
 */
import path from 'node:path';
import {
  HighsSolve,
  placeModels,
  PlacementResult,
} from '../src/engines/placement';
import { positiveArg, traceArgs } from './args';
import { ffd, planOf, skypilotStyle } from './placement/methods';
import { belowOptimum, solveProgram } from './placement/objective';
import { buildPools, loadQuotes } from './placement/pools';
import {
  lastLine,
  median,
  methodLine,
  num,
  ratio,
  usd,
} from './placement/report';
import {
  bug,
  checkEngine,
  describeScenario,
  printInputs,
  scenario,
  timed,
} from './placement/scenario';
import { loadCluster, loadTrace } from './placement/trace';

/** Pools the engine should be given at least in the timing scenario. */
const MIN_TIMING_POOLS = 300;

function options() {
  const data = path.resolve(__dirname, '../data');
  const quick = process.argv.slice(2).includes('--quick');
  return {
    ...traceArgs(data),
    seed: positiveArg('seed', 1),
    replicas: positiveArg('replicas', 200),
    timingReplicas: positiveArg('timing-replicas', 2000),
    timingRuns: positiveArg('timing-runs', quick ? 1 : 3),
    headroom: positiveArg('headroom', 1.5, false),
    exactTimeLimit: positiveArg('exact-time-limit', 300, false),
    quick,
  };
}

async function main() {
  const o = options();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const highs = await require('highs')();
  const solve: HighsSolve = (lp, opts) => highs.solve(lp, opts);

  const built = buildPools(await loadQuotes(o.prices));
  const memory = new Map<string, number>();
  for (const p of built.pools) memory.set(p.gpu.product, p.gpu.memoryMiB);
  const catalog = new Set(memory.keys());
  const trace = loadTrace(o.workload, catalog);
  const cluster = loadCluster(o.nodes);

  printInputs(o, built, trace, cluster, catalog);

  // ------------------------------------------------ --replicas: cost
  const small = scenario(
    o.headroom,
    o.replicas,
    o.seed,
    trace,
    built.pools,
    cluster,
    memory,
  );
  const { requests, pools } = small;
  console.log(`\n== ${num(o.replicas)} replicas: cost ==`);
  describeScenario(small);

  const exact = solveProgram(
    solve,
    requests,
    pools,
    small.eligible,
    small.charge,
    true,
    o.exactTimeLimit,
  );
  if (!exact.plan) {
    throw new Error(`the exact solve found no solution (${exact.status})`);
  }
  const lp = solveProgram(
    solve,
    requests,
    pools,
    small.eligible,
    small.charge,
    false,
    o.exactTimeLimit,
  );
  const engineOptions = { solve, unplacedUsdPerReplica: small.charge };
  const [engine, engineMs] = timed(() =>
    placeModels(requests, pools, engineOptions),
  );
  const [heuristic, heuristicMs] = timed(() =>
    placeModels(requests, pools, { ...engineOptions, exactMaxVariables: 0 }),
  );
  const [greedy, greedyMs] = timed(() =>
    skypilotStyle(requests, pools, small.eligible),
  );
  const [ffdUnit, ffdUnitMs] = timed(() =>
    ffd(requests, pools, small.eligible, 'unit'),
  );
  const [ffdNode, ffdNodeMs] = timed(() =>
    ffd(requests, pools, small.eligible, 'node'),
  );
  const optimum = small.score('exact optimum', exact.plan);
  const s = {
    engine: small.score('engine', planOf(engine, pools)),
    'engine heuristic': small.score('heuristic', planOf(heuristic, pools)),
    greedy: small.score('greedy', greedy),
    'FFD per GPU-hour': small.score('ffd per GPU-hour', ffdUnit),
    'FFD per node-hour': small.score('ffd per node-hour', ffdNode),
  };
  checkEngine('engine', engine, s.engine);
  checkEngine('engine heuristic', heuristic, s['engine heuristic']);
  const ffdBest =
    s['FFD per GPU-hour'].total <= s['FFD per node-hour'].total
      ? s['FFD per GPU-hour']
      : s['FFD per node-hour'];

  console.log('results (cost + charge = objective):');
  console.log(
    methodLine(
      'exact optimum (MIP, HiGHS)',
      optimum,
      exact.ms,
      optimum.total,
      `  ${exact.status === 'Optimal' ? 'proven optimal' : exact.status}`,
    ),
  );
  console.log(
    methodLine(
      'engine (defaults + the charge)',
      s.engine,
      engineMs,
      optimum.total,
      `  method ${engine.method}`,
    ),
  );
  console.log(
    methodLine(
      'engine heuristic (exactMaxVariables 0)',
      s['engine heuristic'],
      heuristicMs,
      optimum.total,
    ),
  );
  console.log(
    methodLine('greedy (SkyPilot-style)', s.greedy, greedyMs, optimum.total),
  );
  console.log(
    methodLine(
      'FFD (Karpenter-style), cheapest GPU-hour',
      s['FFD per GPU-hour'],
      ffdUnitMs,
      optimum.total,
    ),
  );
  console.log(
    methodLine(
      'FFD (Karpenter-style), cheapest node-hour',
      s['FFD per node-hour'],
      ffdNodeMs,
      optimum.total,
    ),
  );
  console.log(
    `  LP relaxation bound ${usd(lp.objective)} (${
      lp.status
    }); the optimum is ×${ratio(optimum.total, lp.objective).toFixed(4)} of it`,
  );
  if (Math.abs(exact.objective - optimum.total) > 1e-6 * optimum.total + 1) {
    bug(
      `the exact solve's objective ${exact.objective} is not its score ${optimum.total}`,
    );
  }
  if (exact.status !== 'Optimal') {
    console.log(
      `!!! the exact solve is not proven optimal (${exact.status}): cost_vs_optimal compares with its best solution; raise --exact-time-limit`,
    );
  } else {
    for (const name of belowOptimum(optimum.total, s)) {
      bug(`${name} scores below the proven optimum`);
    }
  }
  if (
    lp.status === 'Optimal' &&
    optimum.total < lp.objective - 1e-6 * lp.objective
  ) {
    bug('the optimum scores below the LP relaxation bound');
  }

  // ------------------------------------------------ --timing-replicas: time
  const big = scenario(
    o.headroom,
    o.timingReplicas,
    o.seed + 1,
    trace,
    built.pools,
    cluster,
    memory,
  );
  const bigPools = big.pools.filter(p => p.addableNodes > 0).length;
  console.log(
    `\n== ${num(o.timingReplicas)} replicas: time, gap to the LP bound ==`,
  );
  describeScenario(big);
  console.log(
    `pools: ${num(big.pools.length)} given to the engine, ${num(
      bigPools,
    )} with capacity`,
  );
  if (big.pools.length < MIN_TIMING_POOLS) {
    console.log(
      `!!! fewer than ${MIN_TIMING_POOLS} pools: ms_2000 is not measured over ${MIN_TIMING_POOLS} pools`,
    );
  }
  const bigOptions = { solve, unplacedUsdPerReplica: big.charge };
  // Warm-up: HiGHS loaded and the engine's code compiled, both paths (the
  // exact solve, and the heuristic), on a few requests; a backend's worker
  // keeps them warm between placements.
  for (const exactMaxVariables of [undefined, 0]) {
    placeModels(big.requests.slice(0, 3), big.pools, {
      ...bigOptions,
      exactMaxVariables,
    });
  }
  const runs: number[] = [];
  let bigEngine: PlacementResult | undefined;
  for (let k = 0; k < o.timingRuns; k++) {
    const [r, ms] = timed(() =>
      placeModels(big.requests, big.pools, bigOptions),
    );
    bigEngine = r;
    runs.push(ms);
  }
  const ms2000 = median(runs);
  const be = big.score('engine', planOf(bigEngine!, big.pools));
  checkEngine('engine', bigEngine!, be);
  const bigLp = solveProgram(
    solve,
    big.requests,
    big.pools,
    big.eligible,
    big.charge,
    false,
    o.exactTimeLimit,
  );
  if (bigLp.status !== 'Optimal') {
    throw new Error(
      `the LP relaxation at ${o.timingReplicas} replicas ended ${bigLp.status}`,
    );
  }
  const [bigGreedy, bigGreedyMs] = timed(() =>
    skypilotStyle(big.requests, big.pools, big.eligible),
  );
  const [bigFfdUnit, bigFfdUnitMs] = timed(() =>
    ffd(big.requests, big.pools, big.eligible, 'unit'),
  );
  const [bigFfdNode, bigFfdNodeMs] = timed(() =>
    ffd(big.requests, big.pools, big.eligible, 'node'),
  );
  const bs = {
    greedy: big.score('greedy 2000', bigGreedy),
    'FFD per GPU-hour': big.score('ffd per GPU-hour 2000', bigFfdUnit),
    'FFD per node-hour': big.score('ffd per node-hour 2000', bigFfdNode),
  };
  const bigFfd =
    bs['FFD per GPU-hour'].total <= bs['FFD per node-hour'].total
      ? bs['FFD per GPU-hour']
      : bs['FFD per node-hour'];
  console.log('results (cost + charge = objective):');
  console.log(
    methodLine(
      `engine (defaults + the charge), ${bigEngine!.method}`,
      be,
      ms2000,
      undefined,
      `  runs ${runs.map(ms => ms.toFixed(0)).join(', ')} ms`,
    ),
  );
  console.log(methodLine('greedy (SkyPilot-style)', bs.greedy, bigGreedyMs));
  console.log(
    methodLine(
      'FFD (Karpenter-style), cheapest GPU-hour',
      bs['FFD per GPU-hour'],
      bigFfdUnitMs,
    ),
  );
  console.log(
    methodLine(
      'FFD (Karpenter-style), cheapest node-hour',
      bs['FFD per node-hour'],
      bigFfdNodeMs,
    ),
  );
  const gap = ratio(be.total - bigLp.objective, bigLp.objective);
  console.log(
    `  LP relaxation bound ${usd(bigLp.objective)} (${bigLp.ms.toFixed(
      0,
    )} ms): the engine is ${(gap * 100).toFixed(2)} % above it`,
  );
  for (const [name, x] of Object.entries({ engine: be, ...bs })) {
    if (x.total < bigLp.objective - 1e-6 * bigLp.objective) {
      bug(`${name} at ${o.timingReplicas} replicas scores below the LP bound`);
    }
  }

  console.log(
    `\nratios: the engine's objective ÷ the exact optimum's, greedy's and the better FFD variant's at ${num(
      o.replicas,
    )} replicas, ÷ the better FFD's at ${num(
      o.timingReplicas,
    )}; gap_to_lp_2000 = (engine − LP bound) ÷ LP bound at ${num(
      o.timingReplicas,
    )}; ms_2000 the engine's median of ${o.timingRuns} run${
      o.timingRuns > 1 ? 's' : ''
    }; exact_ms_200 the exact solve's time at ${num(o.replicas)}`,
  );
  console.log(
    lastLine({
      costVsOptimal: ratio(s.engine.total, optimum.total),
      costVsGreedy: ratio(s.engine.total, s.greedy.total),
      costVsFfd: ratio(s.engine.total, ffdBest.total),
      costVsFfd2000: ratio(be.total, bigFfd.total),
      gapToLp2000: gap,
      ms2000,
      exactMs200: exact.ms,
    }),
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
