/**
 * The accounting of keep-alive policies over a request trace: cold starts
 * and idle GPU time of models that each run on a single replica.
 *
 * - A request occupies its model's replica for max(exec time, 1 s) from its
 *   arrival; a model's overlapping or touching requests make one busy
 *   interval.
 * - A busy interval whose first request finds the model at zero, or still
 *   loading, is a cold start; the first busy interval of each model is cold.
 *   Requests inside a busy interval find the model serving: they are warm.
 * - Every wake (cold or pre-warm) holds the GPU for the load time L.
 * - Idle GPU time = time a model is warm and not serving + L per wake.
 * - Policies learn only from the past: busy intervals are fed in global time
 *   order, `observeBusyStart` when one starts and `decide` when it ends; the
 *   decision applies to the gap until the model's next busy start, or, after
 *   its last one, until the end of the evaluated period (the horizon).
 *
 * @internal
 */
import { IdleDecision, KeepAlivePolicy, ModelWakeCost } from './types';

/** The least time a request holds its model's replica. */
export const MIN_SERVICE_SECONDS = 1;

/** One request of a trace. Times in seconds. */
export interface TraceRequest {
  model: string;
  /** Arrival (epoch seconds). */
  start: number;
  /** Execution time as the trace gives it (before the 1 s floor). */
  execSeconds: number;
}

/** A maximal period during which a model serves at least one request. */
export interface BusyInterval {
  model: string;
  start: number;
  end: number;
  /** Requests merged into it. */
  requests: number;
}

/**
 * Merges each model's requests into busy intervals (overlapping or touching
 * ones are one interval); the result is in global order of start time (ties
 * by model name).
 */
export function busyIntervals(
  requests: readonly TraceRequest[],
): BusyInterval[] {
  const byModel = new Map<string, TraceRequest[]>();
  for (const r of requests) {
    const list = byModel.get(r.model);
    if (list) list.push(r);
    else byModel.set(r.model, [r]);
  }
  const out: BusyInterval[] = [];
  for (const [model, list] of byModel) {
    list.sort((a, b) => a.start - b.start);
    let cur: BusyInterval | undefined;
    for (const r of list) {
      const end = r.start + Math.max(r.execSeconds, MIN_SERVICE_SECONDS);
      if (cur && r.start <= cur.end) {
        cur.end = Math.max(cur.end, end);
        cur.requests++;
      } else {
        cur = { model, start: r.start, end, requests: 1 };
        out.push(cur);
      }
    }
  }
  return out.sort((a, b) => a.start - b.start || (a.model < b.model ? -1 : 1));
}

/** What one idle gap costs under a decision. */
export interface GapOutcome {
  /** Warm-not-serving seconds in the gap + L per wake in it. */
  idleSeconds: number;
  /** Whether the request that ends the gap is a cold start. */
  cold: boolean;
  /** Wakes in the gap (a pre-warm, a cold start's wake). */
  wakes: number;
  /** The decision's pre-warm started before its keep-alive ended, and was ignored. */
  prewarmIgnored: boolean;
}

interface Prewarm {
  after: number;
  window: number;
}

function validate(d: IdleDecision, policy: string): void {
  const bad = (what: string) => {
    throw new Error(`policy ${policy}: invalid decision, ${what}`);
  };
  if (!(d.keepAliveSeconds >= 0)) bad(`keepAliveSeconds ${d.keepAliveSeconds}`);
  if (d.prewarm) {
    const { afterSeconds, windowSeconds } = d.prewarm;
    if (!(afterSeconds >= 0) || !Number.isFinite(afterSeconds))
      bad(`prewarm.afterSeconds ${afterSeconds}`);
    if (!(windowSeconds >= 0)) bad(`prewarm.windowSeconds ${windowSeconds}`);
  }
}

/**
 * The pre-warm that takes effect: none when the decision has none or when
 * it would start before the keep-alive ends (p < k); its window is at least
 * the load time (the model stays warm at least until loaded).
 */
function effectivePrewarm(
  d: IdleDecision,
  loadSeconds: number,
): Prewarm | undefined {
  if (!d.prewarm || d.prewarm.afterSeconds < d.keepAliveSeconds)
    return undefined;
  return {
    after: d.prewarm.afterSeconds,
    window: Math.max(d.prewarm.windowSeconds, loadSeconds),
  };
}

/**
 * The cost of a gap of `gap` seconds (> 0) between two busy intervals of a
 * model under `decision`, with load time `loadSeconds` (L). With k the
 * keep-alive and (p, w) the pre-warm: warm on [0, k); a request before k is a
 * warm hit. Else the model sleeps from k; a pre-warm (p >= k) loads on
 * [p, p + L) and is warm until p + w. A request before p is cold (one wake);
 * during the load, cold with no extra wake; on [p + L, p + w) a warm hit;
 * from p + w on, cold again (a second wake).
 */
export function gapOutcome(
  decision: IdleDecision,
  gap: number,
  loadSeconds: number,
): GapOutcome {
  const k = decision.keepAliveSeconds;
  const L = loadSeconds;
  const prewarmIgnored =
    !!decision.prewarm && decision.prewarm.afterSeconds < k;
  if (gap < k)
    return { idleSeconds: gap, cold: false, wakes: 0, prewarmIgnored };
  const pre = effectivePrewarm(decision, L);
  // Before the pre-warm starts, or while it loads: cold, one wake (the
  // pre-warm's own when it has started, since its L is counted once).
  if (!pre || gap < pre.after + L)
    return { idleSeconds: k + L, cold: true, wakes: 1, prewarmIgnored };
  if (gap < pre.after + pre.window)
    return {
      idleSeconds: k + L + (gap - pre.after - L),
      cold: false,
      wakes: 1,
      prewarmIgnored,
    };
  return {
    idleSeconds: k + pre.window + L,
    cold: true,
    wakes: 2,
    prewarmIgnored,
  };
}

/**
 * The cost of the time from a model's last busy end to the horizon
 * (`remaining` seconds): the decision still applies, clipped at the horizon
 * (a pre-warm that starts before it counts as a wake, its load and warm
 * time only up to the horizon).
 */
export function trailingOutcome(
  decision: IdleDecision,
  remaining: number,
  loadSeconds: number,
): { idleSeconds: number; wakes: number; prewarmIgnored: boolean } {
  const t = Math.max(0, remaining);
  const prewarmIgnored =
    !!decision.prewarm &&
    decision.prewarm.afterSeconds < decision.keepAliveSeconds;
  let idleSeconds = Math.min(decision.keepAliveSeconds, t);
  let wakes = 0;
  const pre = effectivePrewarm(decision, loadSeconds);
  if (pre && pre.after < t) {
    wakes = 1;
    idleSeconds += Math.min(pre.after + pre.window, t) - pre.after;
  }
  return { idleSeconds, wakes, prewarmIgnored };
}

/** Options of {@link simulate}. */
export interface SimulationOptions {
  /** L: seconds from a wake to ready, for every model. */
  loadSeconds: number;
  /** End of the evaluated period; default the latest busy end. */
  horizon?: number;
  /** A nanosecond clock: when given, each `decide` call is timed. */
  clock?: () => bigint;
}

/** The totals of a policy over a trace. */
export interface SimulationResult {
  policy: string;
  models: number;
  requests: number;
  busyIntervals: number;
  coldStarts: number;
  /** Cold starts per 1,000 requests. */
  coldPer1k: number;
  wakes: number;
  idleSeconds: number;
  idleGpuHours: number;
  /** Decisions whose pre-warm would have started within the keep-alive. */
  prewarmsIgnored: number;
  /** Nanoseconds of each `decide` call (empty without a clock). */
  decideNanos: number[];
}

/**
 * Runs `policy` over the busy intervals (from {@link busyIntervals}) and
 * counts its cold starts, wakes and idle GPU time.
 */
export function simulate(
  policy: KeepAlivePolicy,
  intervals: readonly BusyInterval[],
  options: SimulationOptions,
): SimulationResult {
  const L = options.loadSeconds;
  const cost: ModelWakeCost = { loadSeconds: L };
  const horizon =
    options.horizon ??
    intervals.reduce((m, b) => Math.max(m, b.end), -Infinity);
  // The next busy interval of the same model, by index.
  const next = new Array<number>(intervals.length).fill(-1);
  const last = new Map<string, number>();
  for (let i = intervals.length - 1; i >= 0; i--) {
    const m = intervals[i].model;
    next[i] = last.get(m) ?? -1;
    last.set(m, i);
  }
  // Events: [time, kind (0 end, 1 start: ends first on a tie), index].
  const events: Array<[number, number, number]> = [];
  intervals.forEach((b, i) => {
    events.push([b.start, 1, i]);
    events.push([b.end, 0, i]);
  });
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);

  const seen = new Set<string>();
  const decideNanos: number[] = [];
  let coldStarts = 0;
  let wakes = 0;
  let idleSeconds = 0;
  let prewarmsIgnored = 0;
  let requests = 0;
  for (const [, kind, i] of events) {
    const b = intervals[i];
    if (kind === 1) {
      requests += b.requests;
      if (!seen.has(b.model)) {
        seen.add(b.model);
        coldStarts++;
        wakes++;
        idleSeconds += L;
      }
      policy.observeBusyStart(b.model, b.start, cost);
      continue;
    }
    let decision: IdleDecision;
    if (options.clock) {
      const t0 = options.clock();
      decision = policy.decide(b.model, b.end, cost);
      decideNanos.push(Number(options.clock() - t0));
    } else {
      decision = policy.decide(b.model, b.end, cost);
    }
    validate(decision, policy.name);
    const j = next[i];
    if (j < 0) {
      const o = trailingOutcome(decision, horizon - b.end, L);
      idleSeconds += o.idleSeconds;
      wakes += o.wakes;
      if (o.prewarmIgnored) prewarmsIgnored++;
    } else {
      const o = gapOutcome(decision, intervals[j].start - b.end, L);
      idleSeconds += o.idleSeconds;
      wakes += o.wakes;
      if (o.cold) coldStarts++;
      if (o.prewarmIgnored) prewarmsIgnored++;
    }
  }
  return {
    policy: policy.name,
    models: seen.size,
    requests,
    busyIntervals: intervals.length,
    coldStarts,
    coldPer1k: requests > 0 ? (coldStarts / requests) * 1000 : 0,
    wakes,
    idleSeconds,
    idleGpuHours: idleSeconds / 3600,
    prewarmsIgnored,
    decideNanos,
  };
}

/**
 * Fixed keep-alive: every model stays warm `seconds` after each busy
 * interval (`Infinity`: always on once woken), then goes to zero.
 */
export function fixedKeepAlivePolicy(seconds: number): KeepAlivePolicy {
  const name = Number.isFinite(seconds) ? `fixed ${seconds} s` : 'always-on';
  return {
    name,
    observeBusyStart() {},
    decide: () => ({
      keepAliveSeconds: seconds,
      reason: Number.isFinite(seconds)
        ? `fixed keep-alive of ${seconds} s`
        : 'always on',
    }),
  };
}

/** A point of the offline optimum's curve. */
export interface OptimumPoint {
  coldStarts: number;
  coldPer1k: number;
  idleSeconds: number;
  idleGpuHours: number;
}

/**
 * The offline optimum at each number of cold starts C from M (the models:
 * each model's first request is cold) to M + the number of gaps: sleep
 * through the C − M longest gaps between busy intervals (over all models),
 * stay warm across the others, sleep after each model's last interval.
 * Idle = the warm gaps + L × C. Without pre-warming: an oracle that
 * pre-warms exactly L before each request would pay only min(gap, L) per
 * gap at M cold starts (see `prewarmOracleSeconds`).
 */
export function optimumCurve(
  intervals: readonly BusyInterval[],
  loadSeconds: number,
): {
  models: number;
  requests: number;
  gaps: number;
  points: OptimumPoint[];
  prewarmOracleSeconds: number;
} {
  const lastEnd = new Map<string, number>();
  const gaps: number[] = [];
  let requests = 0;
  for (const b of [...intervals].sort((x, y) => x.start - y.start)) {
    const prev = lastEnd.get(b.model);
    if (prev !== undefined) gaps.push(b.start - prev);
    lastEnd.set(b.model, b.end);
    requests += b.requests;
  }
  const models = lastEnd.size;
  gaps.sort((a, b) => b - a);
  let warm = gaps.reduce((s, g) => s + g, 0);
  const points: OptimumPoint[] = [];
  for (let j = 0; j <= gaps.length; j++) {
    if (j > 0) warm -= gaps[j - 1];
    const c = models + j;
    const idle = Math.max(0, warm) + loadSeconds * c;
    points.push({
      coldStarts: c,
      coldPer1k: requests > 0 ? (c / requests) * 1000 : 0,
      idleSeconds: idle,
      idleGpuHours: idle / 3600,
    });
  }
  const prewarmOracleSeconds =
    gaps.reduce((s, g) => s + Math.min(g, loadSeconds), 0) +
    loadSeconds * models;
  return { models, requests, gaps: gaps.length, points, prewarmOracleSeconds };
}
