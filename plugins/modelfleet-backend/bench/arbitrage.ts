/*
 * yarn bench:arbitrage — serving models on spot with on-demand fallback,
 * replayed over real spot availability traces (skypilot-org/spot-traces,
 * the data of "Can't Be Late", NSDI '24) at real prices (the bundled
 * SkyPilot catalog).
 *
 * The fleet: the latency-sensitive GPU pods (qos LS/Guaranteed) of the
 * Alibaba GPU cluster trace (openb_pod_list_gpuspec33.csv) grouped by pod
 * spec (CPU, memory, GPUs, GPU share, GPU-type constraint): a group is one
 * model, its pods its replicas (at most --max-replicas, 8), num_gpu its GPUs
 * per replica (a GPU share takes a whole GPU; the GPU type is the traces').
 * Every model needs all its replicas Ready at all times and may use spot.
 *
 * The markets: one spot pool per trace file (zone × instance size); a
 * replica of G GPUs runs on the smallest instance of the traces' GPU with
 * ≥ G GPUs (another size stands in for the zone's trace when there is no
 * trace of that size, said in the output). Spot prices per zone from the
 * catalog (zone names mapped to its zone ids by a --seed shuffle per
 * region, as AWS does per account) or from --spot-prices; one on-demand
 * pool per region, always with capacity.
 *
 * The accounting (src/engines/arbitrage/spotSim.ts), the same for every
 * policy: a pool's outage is announced --notice-seconds (120) before it
 * starts; the replicas there are gone at its start, and launches there fail
 * from the notice until it ends; a launch is Ready --provision-seconds
 * (180) + --load-seconds (90) later; cost is every replica from launch to
 * stop or reclaim at its pool's price; availability is the time-weighted
 * share of required replicas Ready; moves are replicas launched after the
 * start (the first placement is Ready at once, a running fleet).
 *
 * The trace values are ambiguous (data/spot-traces/SOURCE.txt): the README
 * calls a value the number of available instances (0 = none), the paper's
 * simulator reads 1 as preempted. Both readings are run, each stated.
 *
 * Policies, all in one run: always on-demand; cheapest spot replaced
 * reactively; SpotHedge-like (SkyServe, EuroSys '25: spread, 1 replica
 * overprovisioned, dynamic on-demand fallback) with its overprovisioning
 * swept 0–3; the engine (src/engines/arbitrage/spotServing.ts) with its
 * valueHours swept, its default marked. Per reading: a table, the curves,
 * and each curve read at the other's availability.
 *
 * Options: --spot-trace DIR (data/spot-traces/aws-02-15-2023), --spot-prices
 * FILE (DescribeSpotPriceHistory rows, CSV or JSON; aligned so its first
 * Timestamp is the replay's start), --prices DIR|FILE (data/prices),
 * --workload FILE, --days N (whole traces), --seed N (1: zone ids, and the
 * start when --days is shorter than the traces), --provision-seconds,
 * --load-seconds, --notice-seconds, --max-replicas, --base-on-demand (0),
 * --max-on-demand-share (1), --value-hours (the engine's, 16), --quick (no
 * curves).
 *
 * The last line: arbitrage: cost_vs_ondemand=… availability=…
 * cost_vs_spothedge=… availability_spothedge=… moves_per_model_day=…
 * moves_spothedge=… — the engine's figures at its default; for the two
 * readings each figure is the worse of the two (the larger cost and moves,
 * the smaller availability; availability_spothedge and moves_spothedge are
 * SpotHedge-like's (1 extra), the smaller and the larger).
 * cost_vs_spothedge compares the two at equal availability: the engine's
 * cost at SpotHedge-like's availability (read off the engine's curve, the
 * cheapest setting that reaches it) ÷ SpotHedge-like's cost; where the
 * engine's curve does not reach it, its default's cost ÷ SpotHedge-like's.
 * (Its default sits at a higher availability than SpotHedge-like reaches
 * under the "preemption" reading with any overprovisioning, so a ratio of
 * the two defaults would weigh availability the other cannot buy.)
 */
import { argValue } from './args';
import fs from 'node:fs';
import path from 'node:path';
import {
  prepareMarkets,
  PreparedMarkets,
} from '../src/engines/arbitrage/spotSim';
import {
  alwaysOnDemandPolicy,
  cheapestSpotPolicy,
  spotHedgePolicy,
} from '../src/engines/arbitrage/spotBaselines';
import {
  SPOT_SERVING_DEFAULTS,
  spotServingPolicy,
} from '../src/engines/arbitrage/spotServing';
import {
  parseSpotPriceHistory,
  READING_DESCRIPTIONS,
  SPOT_TRACE_READINGS,
  SpotPricePoint,
  SpotTraceReading,
} from '../src/engines/arbitrage/spotTrace';
import { loadFleet } from './arbitrage/fleet';
import {
  buildMarkets,
  loadQuotes,
  loadTraces,
  Markets,
  rng,
} from './arbitrage/markets';
import {
  costAt,
  CurvePoint,
  Figures,
  figures,
  ModelGroup,
  percentile,
  PolicySpec,
  runAll,
} from './arbitrage/runs';
import {
  describeInputs,
  printReading,
  ReadingResult,
} from './arbitrage/report';

// ---------------------------------------------------------------- options

function options() {
  // Relative to where it runs, so that the output names no machine's paths.
  const data = path.relative(process.cwd(), path.resolve(__dirname, '../data'));
  const num = (name: string, fallback: number, min = 0, integer = false) => {
    const v = argValue(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n)))
      throw new Error(
        `--${name}: '${v}' is not ${
          integer ? 'a whole number' : 'a number'
        } ≥ ${min}`,
      );
    return n;
  };
  const days = argValue('days');
  return {
    spotTrace:
      argValue('spot-trace') ??
      path.join(data, 'spot-traces', 'aws-02-15-2023'),
    spotPrices: argValue('spot-prices'),
    prices: argValue('prices') ?? path.join(data, 'prices'),
    workload:
      argValue('workload') ??
      path.join(data, 'workloads', 'openb_pod_list_gpuspec33.csv'),
    days: days === undefined ? undefined : num('days', 0, 0.01),
    seed: num('seed', 1, 0, true),
    provisionSeconds: num('provision-seconds', 180),
    loadSeconds: num('load-seconds', 90),
    noticeSeconds: num('notice-seconds', 120),
    maxReplicas: num('max-replicas', 8, 1, true),
    baseOnDemand: num('base-on-demand', 0, 0, true),
    maxOnDemandShare: Math.min(1, num('max-on-demand-share', 1)),
    valueHours: num('value-hours', SPOT_SERVING_DEFAULTS.valueHours, 0),
    quick: process.argv.slice(2).includes('--quick'),
  };
}
type Options = ReturnType<typeof options>;

const ENGINE_SWEEP = [4, 7, 10, 16, 32];
const HEDGE_SWEEP = [0, 1, 2, 3];

function loadHistory(file: string) {
  let h;
  try {
    h = parseSpotPriceHistory(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(
      `--spot-prices ${file}: ${e instanceof Error ? e.message : e}`,
    );
  }
  if (!h.points.length)
    throw new Error(
      `--spot-prices ${file}: no usable row (${h.issues.length} skipped)`,
    );
  return h;
}

// ---------------------------------------------------------------- runs

function runReading(
  reading: SpotTraceReading,
  o: Options,
  groups: ModelGroup[],
  build: (gpus: number, reading: SpotTraceReading) => Markets,
  horizonSeconds: number,
): ReadingResult {
  const cache = new Map<number, PreparedMarkets>();
  const markets = new Map<number, Markets>();
  const prepared = (gpus: number) => {
    let p = cache.get(gpus);
    if (!p) {
      const m = build(gpus, reading);
      markets.set(gpus, m);
      p = prepareMarkets(m.markets, o.noticeSeconds, horizonSeconds);
      cache.set(gpus, p);
    }
    return p;
  };
  const def = o.valueHours;
  const specs: PolicySpec[] = [
    { key: 'on-demand', make: alwaysOnDemandPolicy },
    { key: 'cheapest', make: cheapestSpotPolicy },
    ...(o.quick ? [1] : HEDGE_SWEEP).map(x => ({
      key: `hedge:${x}`,
      make: () => spotHedgePolicy(x),
    })),
    ...(o.quick
      ? [def]
      : [...new Set([...ENGINE_SWEEP, def])].sort((a, b) => a - b)
    ).map(v => ({
      key: `engine:${v}`,
      make: () => spotServingPolicy({ valueHours: v }),
      timed: v === def,
    })),
  ];
  const started = Date.now();
  const totals = runAll(specs, {
    groups,
    prepared,
    horizonSeconds,
    provisionSeconds: o.provisionSeconds,
    loadSeconds: o.loadSeconds,
    noticeSeconds: o.noticeSeconds,
    policy: {
      maxOnDemandShare: o.maxOnDemandShare,
      baseOnDemandReplicas: o.baseOnDemand,
    },
  });
  const onDemandCost = totals.get('on-demand')!.costUsd;
  const fig = new Map<string, Figures>();
  for (const [k, t] of totals) fig.set(k, figures(t, onDemandCost));
  const curve = (prefix: string): CurvePoint[] =>
    [...fig.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, f]) => ({
        knob: k.slice(prefix.length),
        cost: f.costVsOnDemand,
        availability: f.availability,
      }));
  const engine = fig.get(`engine:${def}`)!;
  const hedge = fig.get('hedge:1')!;
  return {
    reading,
    figures: fig,
    engine,
    hedge,
    engineCurve: curve('engine:'),
    hedgeCurve: curve('hedge:'),
    engineAtHedge: costAt(curve('engine:'), hedge.availability),
    hedgeAtEngine: costAt(curve('hedge:'), engine.availability),
    engineKey: `engine:${def}`,
    decideP95Us:
      percentile(totals.get(`engine:${def}`)!.decideNanos, 95) / 1000,
    seconds: (Date.now() - started) / 1000,
    markets,
  };
}

async function main() {
  const o = options();
  const traces = loadTraces(o.spotTrace);
  const quotes = await loadQuotes(o.prices);
  const fleet = loadFleet(o.workload, o.maxReplicas);
  const history = o.spotPrices ? loadHistory(o.spotPrices) : undefined;
  const traceSeconds = Math.min(
    ...traces.map(t => t.values.length * t.gapSeconds),
  );
  const horizonSeconds = Math.min(
    traceSeconds,
    o.days !== undefined ? o.days * 86400 : Infinity,
  );
  const gap = traces[0].gapSeconds;
  const spareTicks = Math.floor((traceSeconds - horizonSeconds) / gap);
  const startTick =
    spareTicks > 0 ? Math.floor(rng(o.seed + 7)() * (spareTicks + 1)) : 0;
  const groups = new Map<string, ModelGroup>();
  for (const m of fleet.models) {
    const k = `${m.replicas}x${m.gpusPerReplica}`;
    const g = groups.get(k) ?? {
      replicas: m.replicas,
      gpusPerReplica: m.gpusPerReplica,
      models: 0,
    };
    g.models++;
    groups.set(k, g);
  }
  const build = (gpus: number, reading: SpotTraceReading) =>
    buildMarkets(gpus, {
      traces,
      quotes,
      reading,
      startTick,
      horizonSeconds,
      seed: o.seed,
      history: history?.points as SpotPricePoint[] | undefined,
    });
  describeInputs({
    o,
    traces,
    fleet,
    history,
    horizonSeconds,
    startTick,
    groups: [...groups.values()],
    markets: build(1, 'availability'),
  });

  const results = SPOT_TRACE_READINGS.map(r =>
    runReading(r, o, [...groups.values()], build, horizonSeconds),
  );
  for (const r of results) printReading(r, READING_DESCRIPTIONS[r.reading]);

  // ------------------------------------------------ summary
  // The engine at SpotHedge-like's availability: its curve's cost there,
  // or its default's where the curve does not reach it.
  const atHedge = (r: ReadingResult) =>
    r.engineAtHedge?.cost ?? r.engine.costVsOnDemand;
  const worst = (f: (r: ReadingResult) => number, max: boolean) =>
    results.map(f).reduce((a, b) => (max ? Math.max(a, b) : Math.min(a, b)));
  const s = {
    cost: worst(r => r.engine.costVsOnDemand, true),
    availability: worst(r => r.engine.availability, false),
    vsHedge: worst(r => atHedge(r) / r.hedge.costVsOnDemand, true),
    hedgeAvailability: worst(r => r.hedge.availability, false),
    moves: worst(r => r.engine.movesPerModelDay, true),
    hedgeMoves: worst(r => r.hedge.movesPerModelDay, true),
  };
  console.log('\ngoals, per reading:');
  for (const r of results) {
    const e = r.engine;
    const h = r.hedge;
    console.log(
      `  ${r.reading}: cost_vs_ondemand ≤ 0.57 at availability ≥ 0.995 — ${
        e.costVsOnDemand <= 0.57 && e.availability >= 0.995 ? 'met' : 'NOT met'
      } (${e.costVsOnDemand.toFixed(3)} at ${e.availability.toFixed(
        4,
      )}); cheaper than SpotHedge-like at equal or better availability — ${
        atHedge(r) < h.costVsOnDemand &&
        (r.engineAtHedge !== undefined || e.availability >= h.availability)
          ? 'met'
          : 'NOT met'
      } (the engine ${atHedge(r).toFixed(3)} at ${
        r.engineAtHedge ? 'SpotHedge-like’s availability' : 'its default'
      } vs SpotHedge-like ${h.costVsOnDemand.toFixed(
        3,
      )} at ${h.availability.toFixed(
        4,
      )}; the engine's default ${e.costVsOnDemand.toFixed(
        3,
      )} at ${e.availability.toFixed(4)}${
        r.hedgeAtEngine
          ? `, SpotHedge-like there ${r.hedgeAtEngine.cost.toFixed(3)}`
          : ', which no overprovisioning of SpotHedge-like (0–3 extra) reaches'
      })`,
    );
    const moves = (k: string) =>
      r.figures.get(k)?.movesPerModelDay.toFixed(1) ?? '–';
    console.log(
      `    moves per model-day (replicas launched after the start; reclaims force most of them: ${r.engine.reclaimedPerModelDay.toFixed(
        1,
      )} of the engine's replicas reclaimed a model-day): engine ${moves(
        r.engineKey,
      )}, SpotHedge-like ${moves('hedge:1')}, cheapest spot ${moves(
        'cheapest',
      )}, always on-demand ${moves('on-demand')}`,
    );
  }
  console.log(
    `\nsummary: the engine at valueHours ${o.valueHours}${
      o.valueHours === SPOT_SERVING_DEFAULTS.valueHours ? ' (its default)' : ''
    }; of the two readings, the worse of each figure (larger cost ratios and moves, smaller availabilities)`,
  );
  console.log(
    `arbitrage: cost_vs_ondemand=${s.cost.toFixed(
      3,
    )} availability=${s.availability.toFixed(
      4,
    )} cost_vs_spothedge=${s.vsHedge.toFixed(
      3,
    )} availability_spothedge=${s.hedgeAvailability.toFixed(
      4,
    )} moves_per_model_day=${s.moves.toFixed(
      1,
    )} moves_spothedge=${s.hedgeMoves.toFixed(1)}`,
  );
}

main().catch(e => {
  // Input errors (a bad file, a bad option) by their message; others in full.
  console.error(
    e instanceof Error && e.constructor === Error
      ? `arbitrage: ${e.message}`
      : e,
  );
  process.exit(1);
});
