/*
 * yarn bench:consolidation — the consolidation engine against Karpenter-style
 * consolidation, on a running fleet built from a real GPU cluster trace and
 * real prices (consolidation/fleet.ts says how), at the same disruption
 * budget.
 *
 * Both methods are scored the same way: the monthly cost of the fleet's
 * nodes after consolidation (730 h), and the pods they move. The last line:
 * `consolidation: cost_vs_karpenter=… nodes_removed=… pods_moved=… ms=…`
 * (the engine's cost after ÷ Karpenter's; the engine's nodes removed, pods
 * moved and time).
 *
 * Options: --prices <dir or file> (data/prices), --workload <pod list csv>
 * (data/workloads/openb_pod_list_gpuspec33.csv), --nodes <node list csv>
 * (data/workloads/openb_node_list_gpu_node.csv), --seed <n> (1),
 * --budget <pods per team per pass, or n%> (10%), --teams <n> (6),
 * --region <provider/region>
 * (the one covering the most of the trace's GPUs).
 */
import path from 'node:path';
import { HighsSolve } from '../src/engines/placement';
import { consolidate } from '../src/engines/rightsizing';
import {
  ConsolidationInput,
  ConsolidationResult,
  DisruptionBudget,
} from '../src/engines/rightsizing/types';
import { argValue, positiveArg, traceArgs } from './args';
import {
  chooseRegion,
  deal,
  fleetPods,
  priceNodes,
  readRows,
  tracePods,
} from './consolidation/fleet';
import { karpenterConsolidate } from './consolidation/karpenter';
import { buildPools, loadQuotes } from './placement/pools';
import { UNITS_PER_GPU } from './placement/trace';

const num = (n: number) => n.toLocaleString('en-US');
const usd = (n: number) =>
  `$${n.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;

export function parseBudget(raw: string): DisruptionBudget {
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(raw.trim());
  if (!m || (m[2] === '' && !Number.isInteger(Number(m[1])))) {
    throw new Error(
      `--budget must be a whole number of pods or a percentage (10%), got ${raw}`,
    );
  }
  const n = Number(m[1]);
  if (m[2] && n > 100)
    throw new Error(`--budget must be at most 100%, got ${raw}`);
  return m[2] ? { percent: n } : { pods: n };
}

function options() {
  return {
    ...traceArgs(path.resolve(__dirname, '../data')),
    seed: positiveArg('seed', 1),
    teams: positiveArg('teams', 6),
    budget: argValue('budget') ?? '10%',
    region: argValue('region'),
  };
}

function line(name: string, r: ConsolidationResult, ms: number) {
  const added = r.nodesAdded.length ? `, ${r.nodesAdded.length} added` : '';
  return `  ${name.padEnd(34)} ${usd(r.monthlyUsdBefore)} → ${usd(
    r.monthlyUsdAfter,
  )}/month (−${((1 - r.monthlyUsdAfter / r.monthlyUsdBefore) * 100).toFixed(
    1,
  )} %); nodes ${r.nodesRemoved.length} removed (${
    r.steps.filter(x => !x.moves.length).length
  } empty)${added}; pods moved ${r.podsMoved}; ${
    r.steps.length
  } steps; ${ms.toFixed(0)} ms`;
}

/** The GPUs of the nodes with pods a method removed, and of those it added. */
function mix(r: ConsolidationResult, input: ConsolidationInput) {
  const byId = new Map(input.nodes.map(n => [n.id, n]));
  const count = (names: string[]) => {
    const m = new Map<string, number>();
    for (const x of names) m.set(x, (m.get(x) ?? 0) + 1);
    return (
      [...m.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    );
  };
  const busy = r.steps.filter(x => x.moves.length).flatMap(x => x.removed);
  const gpu = (id: string) => {
    const n = byId.get(id)!;
    return `${n.gpu}×${n.units / UNITS_PER_GPU}`;
  };
  const saved = r.steps
    .filter(x => x.moves.length)
    .reduce((a, x) => a + x.monthlySavingUsd, 0);
  return `    nodes with pods removed: ${count(busy.map(gpu))}; added: ${count(
    r.nodesAdded.map(a => a.pool.replace(/^gpupool:default\//, '')),
  )}; ${usd(saved)}/month saved by moving pods, ${usd(
    r.podsMoved ? saved / r.podsMoved : 0,
  )} per pod moved`;
}

async function main() {
  const o = options();
  const budget = parseBudget(o.budget);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const highs = await require('highs')();
  const solve: HighsSolve = (lp, opts) => highs.solve(lp, opts);

  const built = buildPools(await loadQuotes(o.prices));
  const nodeRows = readRows(
    o.nodes,
    ['sn', 'gpu', 'model'],
    'the node list (--nodes)',
  );
  const traceNodes = nodeRows
    .map(r => ({ name: r.sn, gpus: Number(r.gpu), model: r.model }))
    .filter(n => n.gpus > 0);
  const gpusByType = new Map<string, number>();
  for (const n of traceNodes) {
    gpusByType.set(n.model, (gpusByType.get(n.model) ?? 0) + n.gpus);
  }
  const region = o.region ?? chooseRegion(built.pools, gpusByType);
  const regionPools = built.pools.filter(
    p =>
      `${p.provider}/${p.region}` === region &&
      p.capacityType === 'on-demand' &&
      p.usdPerNodeHour !== null,
  );
  if (!regionPools.length) {
    throw new Error(
      `--region ${region}: the catalog has no on-demand GPU machine there`,
    );
  }
  const priced = priceNodes(traceNodes, regionPools);
  const catalog = new Set(priced.nodes.map(n => n.gpu));
  const memory = new Map(
    regionPools.map(p => [p.gpu.product, p.gpu.memoryMiB]),
  );
  const podRows = readRows(
    o.workload,
    [
      'name',
      'num_gpu',
      'gpu_milli',
      'creation_time',
      'scheduled_time',
      'pod_phase',
    ],
    'the pod list (--workload)',
  );
  const trace = tracePods(podRows, catalog, memory);
  const dealt = deal(priced.nodes, trace.pods);
  const { pods, maxUnavailable } = fleetPods(dealt.running, o.seed, o.teams);

  const units = priced.nodes.reduce((s, n) => s + n.units, 0);
  const used = pods.reduce((s, p) => s + p.units, 0);
  const busy = new Set(pods.map(p => p.node)).size;
  console.log(
    `prices: ${o.prices}; region ${region} (${
      o.region ? '--region' : 'covers the most of the trace GPUs'
    }): ${
      regionPools.length
    } on-demand machines, the node types replacements may use`,
  );
  console.log(
    `nodes: ${o.nodes} — ${num(traceNodes.length)} GPU nodes; ${num(
      priced.nodes.length,
    )} priced in the region (${
      priced.perGpuPriced
    } as GPU count × the per-GPU price: no machine with their GPU count); left out: ${
      [...priced.leftOut.entries()]
        .map(([k, v]) => `${k} ${v.nodes} (${v.why})`)
        .join(', ') || 'none'
    }`,
  );
  console.log(
    `pods: ${o.workload} — ${num(
      trace.pods.length,
    )} scheduled GPU pods the fleet's GPUs may run (${num(
      trace.leftOut,
    )} left out: only GPUs the fleet lacks; ${num(
      trace.unscheduled,
    )} never scheduled); dealt first fit in creation order: ${num(
      dealt.admitted,
    )} admitted, ${num(
      dealt.notAdmitted,
    )} found no room (the trace cluster ran them on GPUs this fleet lacks); then the churn: ${num(
      dealt.left,
    )} admitted pods Succeeded or Failed and left`,
  );
  console.log(
    `running fleet: ${num(pods.length)} pods of ${
      Object.keys(maxUnavailable).length
    } models (${o.teams} teams, seed ${
      o.seed
    }; PDB maxUnavailable max(1, ⌈25 %⌉)) on ${num(
      priced.nodes.length,
    )} nodes (${busy} with pods); ${((used / units) * 100).toFixed(
      1,
    )} % of GPU units requested; disruption budget per team per pass: ${
      o.budget
    }${budget.percent !== undefined ? ' of its pods' : ' pods'}`,
  );

  const input: ConsolidationInput = {
    nodes: priced.nodes,
    pods,
    nodeTypes: priced.types,
    maxUnavailable,
    defaultBudget: budget,
  };
  let t = process.hrtime.bigint();
  const karpenter = karpenterConsolidate(input);
  const karpenterMs = Number(process.hrtime.bigint() - t) / 1e6;
  // The engine is held to the same budgets and, besides, to no more pods
  // moved than Karpenter moved.
  t = process.hrtime.bigint();
  const engine = consolidate(
    { ...input, maxPodsMoved: karpenter.podsMoved },
    { solve },
  );
  const engineMs = Number(process.hrtime.bigint() - t) / 1e6;

  console.log(
    "results (monthly node cost before → after; pods moved) — both within each team's budget and the PDBs, the engine also within Karpenter's pods moved:",
  );
  console.log(line('engine (placeModels target)', engine, engineMs));
  console.log(mix(engine, input));
  console.log(
    `    target packing (${engine.target.method}): keeps ${
      engine.target.kept.length
    } busy nodes, adds ${
      engine.target.added.map(a => `${a.count} × ${a.pool}`).join(', ') ||
      'none'
    }; ${usd(engine.target.monthlyUsd)}/month for the busy nodes' pods`,
  );
  console.log(line('Karpenter-style consolidation', karpenter, karpenterMs));
  console.log(mix(karpenter, input));
  const ratio = engine.monthlyUsdAfter / karpenter.monthlyUsdAfter;
  const goal = ratio <= 0.9 && engine.podsMoved <= karpenter.podsMoved;
  console.log(
    goal
      ? `goal met: cost_vs_karpenter ${ratio.toFixed(4)} ≤ 0.9 with ${
          engine.podsMoved
        } pods moved ≤ Karpenter's ${karpenter.podsMoved}`
      : `!!! goal missed: cost_vs_karpenter ${ratio.toFixed(
          4,
        )} (goal ≤ 0.9), pods moved ${engine.podsMoved} (Karpenter ${
          karpenter.podsMoved
        }; goal no more)`,
  );
  console.log(
    `consolidation: cost_vs_karpenter=${ratio.toFixed(4)} nodes_removed=${
      engine.nodesRemoved.length
    } pods_moved=${engine.podsMoved} ms=${engineMs.toFixed(0)}`,
  );
}

if (require.main === module) {
  main().catch(e => {
    console.error(e);
    process.exit(1);
  });
}
