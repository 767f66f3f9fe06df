/**
 * What `yarn bench:arbitrage` prints: its inputs, and per reading of the
 * traces the table, the curves and their read-offs.
 */
import {
  availabilityOf,
  SPOT_TRACE_READINGS,
  SpotPriceHistory,
  SpotTraceFile,
} from '../../src/engines/arbitrage/spotTrace';
import { Fleet } from './fleet';
import { Markets } from './markets';
import { costAt, CurvePoint, Figures, ModelGroup } from './runs';

export interface ReadingResult {
  reading: (typeof SPOT_TRACE_READINGS)[number];
  figures: Map<string, Figures>;
  engine: Figures;
  hedge: Figures;
  engineCurve: CurvePoint[];
  hedgeCurve: CurvePoint[];
  engineAtHedge: ReturnType<typeof costAt>;
  hedgeAtEngine: ReturnType<typeof costAt>;
  engineKey: string;
  decideP95Us: number;
  seconds: number;
  /** By GPUs per replica. */
  markets: Map<number, Markets>;
}

const num = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, what: string) =>
  `${num(n)} ${what}${n === 1 ? '' : 's'}`;
const pct = (x: number) => `${Math.round(100 * x)} %`;
const days = (s: number) => (s / 86400).toFixed(1);

function histogram(xs: number[]) {
  const m = new Map<number, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}

export function describeInputs(x: {
  o: {
    spotTrace: string;
    spotPrices?: string;
    prices: string;
    workload: string;
    seed: number;
    provisionSeconds: number;
    loadSeconds: number;
    noticeSeconds: number;
    maxReplicas: number;
    baseOnDemand: number;
    maxOnDemandShare: number;
  };
  traces: SpotTraceFile[];
  fleet: Fleet;
  history?: SpotPriceHistory;
  horizonSeconds: number;
  startTick: number;
  groups: ModelGroup[];
  markets: Markets;
}) {
  const { o, traces } = x;
  const t0 = traces[0];
  console.log(
    `spot traces: ${o.spotTrace} — ${traces.length} files (${[
      ...new Set(traces.map(t => `${t.cloud} ${t.gpu} ×${t.gpusPerInstance}`)),
    ].join(', ')}), gap ${t0.gapSeconds} s, ${num(
      Math.min(...traces.map(t => t.values.length)),
    )} ticks; replayed from tick ${num(x.startTick)} for ${days(
      x.horizonSeconds,
    )} days`,
  );
  console.log(
    '  capacity per zone (share of ticks; outages a day), by reading:',
  );
  for (const t of traces) {
    const parts = SPOT_TRACE_READINGS.map(r => {
      const a = availabilityOf(t.values, r);
      let up = 0;
      let outages = 0;
      for (let i = 0; i < a.length; i++) {
        up += a[i];
        if (i > 0 && a[i - 1] === 1 && a[i] === 0) outages++;
      }
      const d = (a.length * t.gapSeconds) / 86400;
      return `${r} ${pct(up / a.length)}, ${(outages / d).toFixed(1)}/day`;
    });
    console.log(`    ${t.file.padEnd(24)} ${parts.join('; ')}`);
  }
  console.log(`prices: ${o.prices}`);
  for (const m of x.markets.markets)
    console.log(
      `    ${m.pool.id.padEnd(34)} $${m.pool.usdPerHour.toFixed(4)}/h${
        m.prices ? ` (history: ${m.prices.times.length} points)` : ''
      }`,
    );
  for (const n of x.markets.notes) console.log(`  note: ${n}`);
  if (x.history) {
    console.log(
      `spot price history: ${o.spotPrices} (${x.history.format}) — ${num(
        x.history.rows,
      )} rows, ${num(
        x.history.points.length,
      )} prices used; its first Timestamp (${new Date(
        x.history.points[0].at * 1000,
      ).toISOString()}) is the replay's start; a pool without history keeps the catalog price`,
    );
    if (x.history.issues.length) {
      console.log(
        `  ${plural(x.history.issues.length, 'row')} skipped${
          x.history.issues.length > 5 ? '; the first 5:' : ':'
        }`,
      );
      for (const i of x.history.issues.slice(0, 5))
        console.log(`    ${i.where}, ${i.field}: ${i.message}`);
    }
  }
  const f = x.fleet;
  console.log(
    `workload: ${o.workload} — ${num(f.rows)} pods, ${num(
      f.servingPods,
    )} latency-sensitive GPU pods (qos LS/Guaranteed) → ${num(
      f.models.length,
    )} models (a model = the pods of one spec, at most ${
      o.maxReplicas
    } replicas); replicas ${histogram(
      f.models.map(m => m.replicas),
    )}; GPUs per replica ${histogram(f.models.map(m => m.gpusPerReplica))}`,
  );
  for (const [why, lines] of f.skipped)
    console.log(
      `  skipped ${plural(lines.length, 'row')}: ${why} (line ${lines
        .slice(0, 5)
        .join(', ')}${lines.length > 5 ? ', …' : ''})`,
    );
  console.log(
    `accounting: notice ${o.noticeSeconds} s; Ready ${o.provisionSeconds} s (provisioning) + ${o.loadSeconds} s (load) after a launch; policy: base on-demand ${o.baseOnDemand}, maxOnDemandShare ${o.maxOnDemandShare}; ${x.groups.length} groups of identical models replayed once each (every policy is deterministic)`,
  );
}

const LABELS: Array<[string, (k: string) => string]> = [
  ['on-demand', () => 'always on-demand'],
  ['cheapest', () => 'cheapest spot, reactive'],
  ['hedge:', k => `SpotHedge-like, ${k} extra`],
  ['engine:', k => `engine, valueHours ${k}`],
];

function label(key: string) {
  for (const [prefix, f] of LABELS)
    if (key.startsWith(prefix)) return f(key.slice(prefix.length));
  return key;
}

export function printReading(r: ReadingResult, description: string) {
  console.log(
    `\nreading "${r.reading}" — ${description} (${r.seconds.toFixed(1)} s):`,
  );
  console.log(
    `  ${'policy'.padEnd(30)} ${'cost/OD'.padStart(
      8,
    )} ${'availability'.padStart(12)} ${'moves/day'.padStart(
      9,
    )} ${'OD share'.padStart(8)} ${'short/day'.padStart(
      9,
    )} ${'reclaim/day'.padStart(11)} ${'failed/day'.padStart(10)}`,
  );
  for (const [k, f] of r.figures) {
    const star = k === 'hedge:1' || k === r.engineKey ? ' *' : '';
    console.log(
      `  ${(label(k) + star).padEnd(30)} ${f.costVsOnDemand
        .toFixed(3)
        .padStart(8)} ${f.availability
        .toFixed(5)
        .padStart(12)} ${f.movesPerModelDay
        .toFixed(1)
        .padStart(9)} ${f.onDemandShare
        .toFixed(3)
        .padStart(8)} ${f.shortfallsPerModelDay
        .toFixed(2)
        .padStart(9)} ${f.reclaimedPerModelDay
        .toFixed(1)
        .padStart(11)} ${f.failedPerModelDay.toFixed(0).padStart(10)}`,
    );
  }
  console.log(
    '  (* the defaults; per model-day: moves = replicas launched, short = times Ready fell below required, reclaim = replicas preempted, failed = launches refused for want of capacity; OD share = share of billed replica-hours on on-demand)',
  );
  const read = (what: string, at: number, x: ReturnType<typeof costAt>) =>
    x
      ? `${what} costs ${x.cost.toFixed(
          3,
        )} of on-demand at availability ${at.toFixed(5)} (read ${x.between
          .map(
            p =>
              `${p.knob}: ${p.cost.toFixed(3)} at ${p.availability.toFixed(5)}`,
          )
          .join(' – ')})`
      : `${what} does not reach availability ${at.toFixed(5)} on its curve`;
  if (r.engineCurve.length > 1)
    console.log(
      `  ${read(
        "the engine's curve (valueHours)",
        r.hedge.availability,
        r.engineAtHedge,
      )}`,
    );
  if (r.hedgeCurve.length > 1)
    console.log(
      `  ${read(
        "SpotHedge-like's curve (extra replicas)",
        r.engine.availability,
        r.hedgeAtEngine,
      )}`,
    );
  console.log(`  engine decide p95: ${r.decideP95Us.toFixed(1)} µs`);
  console.log(
    `  instances by GPUs per replica: ${[...r.markets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(
        ([g, m]) =>
          `${g} → ${m.instanceType}${
            m.notes.length > 1 ? ` (${plural(m.notes.length - 1, 'note')})` : ''
          }`,
      )
      .join(', ')}`,
  );
  for (const [g, m] of r.markets)
    if (g > 1 && r.reading === SPOT_TRACE_READINGS[0])
      for (const n of m.notes.slice(1)) console.log(`    ${g} GPUs: ${n}`);
}
