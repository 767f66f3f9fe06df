/*
 * What the placement benchmark prints: the scenario, capacity, each
 * method's score, and the last line.
 */
import { HOURS_PER_MONTH } from '../../src/engines/placement';
import { Capacity } from './capacity';
import { GpuMapping, TRACE_GPUS } from './gpus';
import { Score } from './objective';

export const usd = (n: number) =>
  `$${Math.round(n).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
export const num = (n: number) => n.toLocaleString('en-US');

/** a ÷ b; 1 when both are 0, Infinity when only b is. */
export function ratio(a: number, b: number): number {
  if (b > 0) return a / b;
  return a > 0 ? Infinity : 1;
}

/** The trace's GPU names, each with where it goes in the catalog. */
export function describeMappings(mappings: Iterable<GpuMapping>): string {
  return [...mappings]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(m => {
      if (m.gpus.length) return `${m.name}→${m.gpus.join('/')}`;
      return m.missing === 'unknown GPU'
        ? `${m.name}→none (unknown GPU)`
        : `${m.name}→none (the catalog has no ${(
            TRACE_GPUS[m.canonical] ?? [m.canonical]
          ).join('/')})`;
    })
    .join(', ');
}

export function printCapacity(c: Capacity) {
  console.log(
    `capacity: ${num(c.gpus)} GPUs dealt for a demand of ${c.demandGpus.toFixed(
      1,
    )} GPUs: usable headroom ×${ratio(c.gpus, c.demandGpus).toFixed(
      2,
    )} (every GPU dealt is on a pool some replica may use); replicas that may not use spot need ${c.onDemandOnlyGpus.toFixed(
      1,
    )} GPUs and have ${num(c.onDemandGpus)} on-demand GPUs (×${ratio(
      c.onDemandGpus,
      c.onDemandOnlyGpus,
    ).toFixed(2)}); scale ${c.scale.toFixed(
      4,
    )} of the trace cluster's usable GPUs`,
  );
  if (c.unused.length) {
    console.log(
      `  trace GPUs not dealt: ${c.unused
        .map(u => `${u.name} ${num(u.gpus)} (${u.why})`)
        .join('; ')}`,
    );
  }
  console.log(
    '  GPU          on-demand: pools with nodes / usable pools, nodes, GPUs (budget) | spot: the same ← trace GPUs',
  );
  const part = (d: Capacity['rows'][number]['onDemand']) =>
    `${String(d.poolsWithNodes).padStart(4)} / ${String(d.pools).padEnd(
      4,
    )} ${String(d.nodes).padStart(4)} nodes ${String(d.gpus).padStart(
      5,
    )} GPUs (${d.budget.toFixed(1)})`;
  for (const row of c.rows) {
    console.log(
      `  ${row.gpu.padEnd(11)} ${part(row.onDemand)} | ${part(
        row.spot,
      )} ← ${row.from.join(', ')}`,
    );
  }
}

/** One method's score, against the optimum's objective when there is one. */
export function methodLine(
  name: string,
  s: Score,
  ms: number,
  optimum?: number,
  extra = '',
): string {
  return `  ${name.padEnd(40)} ${usd(s.cost).padStart(
    11,
  )}/month  unplaced ${String(s.unplaced).padStart(4)} (+${usd(
    s.charge,
  )})  = ${usd(s.total).padStart(11)}  nodes ${String(s.nodes).padStart(
    4,
  )}  pools full ${String(s.poolsFull).padStart(4)}  ${ms
    .toFixed(0)
    .padStart(6)} ms${
    optimum === undefined
      ? ''
      : `  ×${ratio(s.total, optimum).toFixed(4)} of optimum`
  }${extra}`;
}

export const OBJECTIVE = `objective = monthly cost of the nodes added (price × ${HOURS_PER_MONTH} h) + the charge per unplaced replica; every method, the exact solve and the LP bound use it`;

export interface Figures {
  costVsOptimal: number;
  costVsGreedy: number;
  costVsFfd: number;
  costVsFfd2000: number;
  gapToLp2000: number;
  ms2000: number;
  exactMs200: number;
}

/** The benchmark's last line. */
export function lastLine(f: Figures): string {
  return `placement: cost_vs_optimal=${f.costVsOptimal.toFixed(
    4,
  )} cost_vs_greedy=${f.costVsGreedy.toFixed(
    4,
  )} cost_vs_ffd=${f.costVsFfd.toFixed(
    4,
  )} cost_vs_ffd_2000=${f.costVsFfd2000.toFixed(
    4,
  )} gap_to_lp_2000=${f.gapToLp2000.toFixed(4)} ms_2000=${Math.round(
    f.ms2000,
  )} exact_ms_200=${Math.round(f.exactMs200)}`;
}

/** The median of some numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
