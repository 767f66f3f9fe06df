/*
 * yarn bench:hibernation — keep-alive policies for models that each run on
 * one GPU replica, replayed on a real request trace (the Alibaba GenAI
 * trace's LoRA requests: a model is a checkpoint_model_version_id) with the
 * trace's median base-model load time as every model's load time L.
 *
 * Each policy is a curve of (cold starts per 1,000 requests, idle GPU-hours),
 * all measured in the same run with the same accounting
 * (src/engines/hibernation/simulate.ts):
 * - always-on, and a fixed keep-alive swept from 30 s to 2 h;
 * - the hybrid histogram policy of "Serverless in the Wild" (Shahrad et al.,
 *   ATC '20), its tail percentile swept, the paper's 5/99 marked;
 * - the offline optimum at each number of cold starts C (sleep through the
 *   longest gaps), swept from one cold start per model upwards;
 * - the engine (src/engines/hibernation/adaptive.ts), its
 *   coldStartPenaltySeconds swept, its default marked.
 * Then, at the cold-start rates of fixed keep-alives of 90 s, 300 s and
 * 10 min, each curve is read (piecewise linear in the rate; a rate outside
 * a curve is clamped to its end and flagged) and the engine's idle
 * GPU-hours are compared with the others'.
 *
 * Options: --trace <request csv> (default the bundled first half of
 * lora_request_trace.csv), --from <ISO time>, --to <ISO time> (keep
 * requests with from <= gmt_create < to; gmt_create is UTC; default the
 * whole trace; --to also ends the evaluated period), --load-latency <csv>
 * (default the bundled basemodel_update_latency_anon.csv; the median of
 * its `value`, ms, is L).
 *
 * The last line: hibernation: idle_vs_optimal=… idle_vs_histogram=…
 * idle_vs_fixed=… cold_per_1k=… decide_ms_p95=… — each ratio is the
 * engine's idle GPU-hours ÷ the other's, the worst (largest) of the three
 * rates; cold_per_1k is the engine at its default knob; decide_ms_p95 the
 * 95th percentile of one decide call in that run.
 */
import { argValue } from './args';
import fs from 'node:fs';
import path from 'node:path';
import {
  HISTOGRAM_DEFAULTS,
  histogramPolicy,
} from '../src/engines/hibernation/histogram';
import {
  BusyInterval,
  busyIntervals,
  fixedKeepAlivePolicy,
  optimumCurve,
  simulate,
  SimulationResult,
} from '../src/engines/hibernation/simulate';
import {
  parseLoadLatency,
  parseRequestTrace,
  parseTimestamp,
  RowIssue,
} from '../src/engines/hibernation/trace';
import { KeepAlivePolicy } from '../src/engines/hibernation/types';
import {
  CurvePoint,
  CurveReading,
  describeReading,
  percentile,
  ratio,
  readCurve,
} from './hibernation/curves';
import { loadEngine, PENALTY_SWEEP_SECONDS } from './hibernation/engine';

// ---------------------------------------------------------------- options

function options() {
  const get = argValue;
  const time = (name: string): number | undefined => {
    const v = get(name);
    if (v === undefined) return undefined;
    const t = parseTimestamp(v);
    if (t === undefined) throw new Error(`--${name}: not a time: ${v}`);
    return t;
  };
  const data = path.resolve(
    __dirname,
    '../../modelfleet-backend-module-demo/data/alibaba-gentd26',
  );
  return {
    trace: get('trace') ?? path.join(data, 'lora_request_trace.first-half.csv'),
    loadLatency:
      get('load-latency') ??
      path.join(data, 'basemodel_update_latency_anon.csv'),
    from: time('from'),
    to: time('to'),
  };
}

/** Fixed keep-alives swept, seconds. */
const FIXED_SWEEP = [
  30, 60, 90, 120, 180, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200,
];
/** Fixed keep-alives whose cold-start rates the curves are compared at. */
const COMPARE_AT = [90, 300, 600];
/** Tail percentiles of the histogram policy swept (head 5). */
const TAIL_SWEEP = [25, 50, 75, 90, 95, 99, 99.5, 99.9];

const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000', '');
const num = (n: number) => n.toLocaleString('en-US');

function describeIssues(what: string, issues: RowIssue[]): string[] {
  if (!issues.length) return [];
  const byColumn = new Map<string, number>();
  for (const i of issues)
    byColumn.set(i.column, (byColumn.get(i.column) ?? 0) + 1);
  const lines = [
    `  ${what}: ${num(issues.length)} rows skipped (${[...byColumn]
      .map(([c, n]) => `${c} ${num(n)}`)
      .join(', ')})${issues.length > 5 ? '; the first 5:' : ':'}`,
  ];
  for (const i of issues.slice(0, 5))
    lines.push(`    line ${i.line}, column ${i.column}: ${i.message}`);
  return lines;
}

// ---------------------------------------------------------------- runs

interface Row {
  family: string;
  knob: string;
  marked: boolean;
  result: SimulationResult;
}

function run(
  policy: KeepAlivePolicy,
  intervals: BusyInterval[],
  loadSeconds: number,
  horizon: number,
): SimulationResult {
  return simulate(policy, intervals, {
    loadSeconds,
    horizon,
    clock: () => process.hrtime.bigint(),
  });
}

function printRow(
  family: string,
  knob: string,
  requests: number,
  cold: number,
  coldPer1k: number,
  idleGpuHours: number,
  wakes: string,
  decideUs: string,
) {
  console.log(
    `  ${family.padEnd(10)} ${knob.padEnd(20)} ${num(requests).padStart(
      8,
    )} ${num(cold).padStart(6)} ${coldPer1k
      .toFixed(2)
      .padStart(8)} ${idleGpuHours.toFixed(2).padStart(10)} ${wakes.padStart(
      6,
    )} ${decideUs.padStart(8)}`,
  );
}

function main() {
  const o = options();
  const traceText = fs.readFileSync(o.trace, 'utf8');
  const trace = parseRequestTrace(traceText, { from: o.from, to: o.to });
  const load = parseLoadLatency(fs.readFileSync(o.loadLatency, 'utf8'));
  const L = load.loadSeconds;
  if (!trace.requests.length)
    throw new Error(`${o.trace}: no request in the period`);
  const intervals = busyIntervals(trace.requests);
  const lastEnd = intervals.reduce((m, b) => Math.max(m, b.end), -Infinity);
  const horizon = o.to ?? lastEnd;
  const firstStart = intervals[0].start;

  console.log(
    `trace: ${o.trace} — ${num(trace.rows)} rows; ${num(
      trace.requests.length,
    )} requests used${
      trace.outsidePeriod
        ? `, ${num(trace.outsidePeriod)} outside the period`
        : ''
    }; statuses ${
      Object.entries(trace.statuses)
        .map(([k, v]) => `${k} ${num(v)}`)
        .join(', ') || 'n/a'
    } (all kept: a failed request held its model too)`,
  );
  for (const w of trace.warnings) console.log(`  warning: ${w}`);
  for (const l of describeIssues('trace', trace.issues)) console.log(l);
  const models = new Set(intervals.map(b => b.model)).size;
  console.log(
    `period: ${iso(o.from ?? firstStart)} → ${iso(horizon)} (${(
      (horizon - (o.from ?? firstStart)) /
      86400
    ).toFixed(2)} days; ends at ${
      o.to !== undefined ? '--to' : 'the last request end'
    }); ${models} models (checkpoint_model_version_id), ${num(
      intervals.length,
    )} busy intervals (a request holds its model max(exec_time_seconds, 1 s); overlapping or touching ones merged)`,
  );
  console.log(
    `load time: ${o.loadLatency} — median of ${num(load.samples)} of ${num(
      load.rows,
    )} rows: L = ${L.toFixed(3)} s, the same for every model`,
  );
  for (const l of describeIssues('load latency', load.issues)) console.log(l);
  console.log(
    'accounting: a busy interval that finds its model at zero or loading is a cold start (each model’s first is); each wake, cold or pre-warm, costs L; idle GPU time = warm-not-serving time + L per wake; after a model’s last request its last decision applies to the end of the period',
  );

  // ------------------------------------------------ policies
  const rows: Row[] = [];
  const add = (
    family: string,
    knob: string,
    marked: boolean,
    p: KeepAlivePolicy,
  ) =>
    rows.push({ family, knob, marked, result: run(p, intervals, L, horizon) });
  add('always-on', '∞', false, fixedKeepAlivePolicy(Infinity));
  for (const k of FIXED_SWEEP)
    add('fixed', `${k} s`, false, fixedKeepAlivePolicy(k));
  for (const tail of TAIL_SWEEP)
    add(
      'histogram',
      `p${HISTOGRAM_DEFAULTS.headPercentile}/p${tail}`,
      tail === HISTOGRAM_DEFAULTS.tailPercentile,
      histogramPolicy({ tailPercentile: tail }, `histogram p5/p${tail}`),
    );
  const engine = loadEngine();
  const engineDefault = engine?.DEFAULT_COLD_START_PENALTY_SECONDS;
  if (engine) {
    const knobs = [...new Set([...PENALTY_SWEEP_SECONDS, engineDefault!])].sort(
      (a, b) => a - b,
    );
    for (const penalty of knobs)
      add(
        'engine',
        `penalty ${penalty} s`,
        penalty === engineDefault,
        engine.adaptivePolicy({ coldStartPenaltySeconds: penalty }),
      );
  }
  const optimum = optimumCurve(intervals, L);

  // ------------------------------------------------ the curves
  console.log(
    `\ncurves (* marks a policy's default; decide p95 in µs over all decide calls of the run):`,
  );
  console.log(
    `  ${'policy'.padEnd(10)} ${'knob'.padEnd(20)} ${'requests'.padStart(
      8,
    )} ${'cold'.padStart(6)} ${'cold/1k'.padStart(8)} ${'idle GPU-h'.padStart(
      10,
    )} ${'wakes'.padStart(6)} ${'decide'.padStart(8)}`,
  );
  for (const r of rows) {
    const x = r.result;
    printRow(
      r.family,
      `${r.knob}${r.marked ? ' *' : ''}`,
      x.requests,
      x.coldStarts,
      x.coldPer1k,
      x.idleGpuHours,
      num(x.wakes),
      (percentile(x.decideNanos, 95) / 1000).toFixed(2),
    );
    if (x.prewarmsIgnored)
      console.log(
        `    (${num(
          x.prewarmsIgnored,
        )} decisions pre-warmed within their keep-alive: pre-warm ignored)`,
      );
  }
  if (!engine)
    console.log(
      `  ${'engine'.padEnd(10)} ${'n/a'.padEnd(
        20,
      )} src/engines/hibernation/adaptive.ts does not exist yet`,
    );
  const G = optimum.gaps;
  const picks = new Set([0, G]);
  for (const q of [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75])
    picks.add(Math.round(G * q));
  const best = optimum.points.reduce(
    (b, p, j) => (p.idleSeconds < optimum.points[b].idleSeconds ? j : b),
    0,
  );
  picks.add(best);
  for (const j of [...picks].sort((a, b) => a - b)) {
    const p = optimum.points[j];
    printRow(
      'optimum',
      `sleep ${num(j)} gaps${j === best ? ' ‡' : ''}`,
      optimum.requests,
      p.coldStarts,
      p.coldPer1k,
      p.idleGpuHours,
      '',
      '',
    );
  }
  console.log(
    `  (optimum: ${num(optimum.models)} models + C − ${
      optimum.models
    } longest of ${num(
      G,
    )} gaps slept through, read at every C; ‡ its least idle. It does not pre-warm: an oracle pre-warming exactly L before each request would idle ${(
      optimum.prewarmOracleSeconds / 3600
    ).toFixed(2)} GPU-h at ${num(optimum.models)} cold starts)`,
  );

  // ------------------------------------------------ at the fixed rates
  const curveOf = (family: string): CurvePoint[] =>
    rows.filter(r => r.family === family).map(r => r.result);
  const curves: Record<string, CurvePoint[]> = {
    optimum: optimum.points,
    histogram: curveOf('histogram'),
    fixed: curveOf('fixed'),
    engine: curveOf('engine'),
  };
  console.log(
    '\nat the cold-start rates of fixed keep-alives (idle GPU-hours read off each curve; * clamped):',
  );
  const worst = { optimum: 0, histogram: 0, fixed: 0 };
  for (const k of COMPARE_AT) {
    const rate = rows.find(r => r.family === 'fixed' && r.knob === `${k} s`)!
      .result.coldPer1k;
    const read: Record<string, CurveReading | undefined> = {};
    for (const [name, pts] of Object.entries(curves))
      read[name] = pts.length ? readCurve(pts, rate) : undefined;
    const show = (name: string) =>
      read[name] ? describeReading(read[name]!) : 'n/a';
    let ratios = 'engine n/a';
    if (read.engine) {
      const e = read.engine.idleGpuHours;
      const r = {
        optimum: ratio(e, read.optimum!.idleGpuHours),
        histogram: ratio(e, read.histogram!.idleGpuHours),
        fixed: ratio(e, read.fixed!.idleGpuHours),
      };
      worst.optimum = Math.max(worst.optimum, r.optimum);
      worst.histogram = Math.max(worst.histogram, r.histogram);
      worst.fixed = Math.max(worst.fixed, r.fixed);
      ratios = `engine/optimum ${r.optimum.toFixed(
        3,
      )}, engine/histogram ${r.histogram.toFixed(
        3,
      )}, engine/fixed ${r.fixed.toFixed(3)}`;
    }
    console.log(
      `  ${rate.toFixed(2)} cold/1k (fixed ${k} s): optimum ${show(
        'optimum',
      )}, histogram ${show('histogram')}, fixed ${show('fixed')}, engine ${show(
        'engine',
      )}; ${ratios}`,
    );
  }

  // ------------------------------------------------ summary
  const def = rows.find(r => r.family === 'engine' && r.marked)?.result;
  const f = (x: number, d: number) => (engine ? x.toFixed(d) : 'n/a');
  console.log(
    `\nratios: the engine's idle GPU-hours ÷ the optimum's, the hybrid histogram's and the fixed keep-alive's, each read at the same cold-start rate; the worst of the three rates`,
  );
  console.log(
    `hibernation: idle_vs_optimal=${f(worst.optimum, 3)} idle_vs_histogram=${f(
      worst.histogram,
      3,
    )} idle_vs_fixed=${f(worst.fixed, 3)} cold_per_1k=${f(
      def?.coldPer1k ?? NaN,
      2,
    )} decide_ms_p95=${f(percentile(def?.decideNanos ?? [], 95) / 1e6, 4)}`,
  );
}

try {
  main();
} catch (e) {
  // Input errors (a missing column, a bad option) by their message; others in full.
  console.error(
    e instanceof Error && e.constructor === Error
      ? `hibernation: ${e.message}`
      : e,
  );
  process.exit(1);
}
