import { IdleDecision, KeepAlivePolicy, ModelWakeCost } from './types';

/**
 * The price of one cold start, in GPU-seconds of idle time, when a policy
 * does not say: a user waiting for a model to load is worth 10 minutes of
 * an idle GPU. `hibernation.coldStartPenalty` sets it per team.
 */
export const DEFAULT_COLD_START_PENALTY_SECONDS = 600;

/** Options of {@link adaptivePolicy}. */
export interface AdaptiveOptions {
  /**
   * What one cold start costs, in seconds of an idle GPU: the policy keeps
   * a model warm through a gap when that is cheaper than a wake (its load
   * time) plus this. Larger: fewer cold starts, more idle GPU-hours.
   */
  coldStartPenaltySeconds?: number;
  /** Gaps of its own a model needs before they outweigh the fleet's (default 8). */
  priorWeight?: number;
  /** Half-life of a gap's weight, in gaps of the same model (default 60). */
  halfLifeGaps?: number;
  /** Gaps remembered per model (default 256). */
  historyLimit?: number;
  /** Gaps of the whole fleet remembered, the prior of every model (default 1024). */
  fleetHistoryLimit?: number;
  /** Shortest time at zero before a pre-warm, in seconds (default 300). */
  minSleepSeconds?: number;
  /** How much more a past gap that began at the same hour of the day counts (default 3). */
  sameHourBoost?: number;
  /** How much more a past gap after a gap of the same length (bucket) counts (default 3). */
  samePreviousBoost?: number;
  /** How much more a past gap after as many busy starts in the hour (bucket) counts (default 2). */
  sameRecentBoost?: number;
}

/** One remembered gap: its length and when it began. */
interface Gap {
  seconds: number;
  /** Seconds of the day (UTC) the gap began at. */
  secondOfDay: number;
  /** What the traffic looked like when it began (see {@link contextOf}). */
  context: Context;
}

/** The traffic just before a gap: the gap before it and the recent busy starts, in buckets. */
interface Context {
  previous: number;
  recent: number;
}

interface ModelState {
  gaps: Gap[];
  lastEnd?: number;
  /** The gap before the current busy interval, if any. */
  previousGap?: number;
  /** Busy starts of the last hour. */
  starts: number[];
  /** The context of the gap now running. */
  context?: Context;
}

const PREVIOUS_BUCKETS = [30, 60, 120, 300, 900, 3600, 14_400];
const RECENT_BUCKETS = [1, 2, 4, 8, 16];
const bucketOf = (v: number, bounds: number[]) => {
  const i = bounds.findIndex(b => v <= b);
  return i < 0 ? bounds.length : i;
};

/** The context of a gap that begins now. */
function contextOf(s: ModelState, end: number): Context {
  while (s.starts.length > 0 && end - s.starts[0] > 3600) s.starts.shift();
  return {
    previous:
      s.previousGap === undefined
        ? PREVIOUS_BUCKETS.length + 1
        : bucketOf(s.previousGap, PREVIOUS_BUCKETS),
    recent: bucketOf(s.starts.length, RECENT_BUCKETS),
  };
}

/** Weighted samples of the next gap, sorted by length. */
interface Sample {
  x: Float64Array;
  w: Float64Array;
  total: number;
}

const DAY = 86_400;
/** How much more a gap that began within an hour of the same time of day counts. */
const SAME_HOUR_BOOST = 3;

/**
 * The adaptive keep-alive: for each model, the next idle gap is predicted
 * from the distribution of its own past gaps (recent ones and those that
 * began at the same time of day count more), blended with the fleet's
 * while the model has few; the policy then picks what costs least in
 * expectation over that distribution, in idle GPU-seconds plus the price
 * of a cold start:
 *
 * - stay warm for k seconds and go to zero (k just above one of the past
 *   gap lengths, so the gaps up to it are covered, or 0), or
 * - go to zero and wake ahead of the next request (pre-warm), when the
 *   gaps cluster well beyond the load time, as a model requested at the
 *   same time every day does.
 *
 * A gap slept through costs a wake (the load time) and a cold start; a
 * gap kept warm costs its length. So a model whose gaps are either short
 * or long keeps warm just past the short ones, and one whose gaps are
 * all long goes to zero at once. That is the rule of the offline optimum
 * (sleep through the gaps longer than the load time plus the price of a
 * cold start), applied to what the model's past says of its next gap.
 *
 * @internal
 */
export function adaptivePolicy(options: AdaptiveOptions = {}): KeepAlivePolicy {
  const penalty =
    options.coldStartPenaltySeconds ?? DEFAULT_COLD_START_PENALTY_SECONDS;
  const priorWeight = options.priorWeight ?? 8;
  const decay = Math.pow(0.5, 1 / (options.halfLifeGaps ?? 60));
  const limit = options.historyLimit ?? 256;
  const minSleep = options.minSleepSeconds ?? 300;
  const boosts = {
    hour: options.sameHourBoost ?? SAME_HOUR_BOOST,
    previous: options.samePreviousBoost ?? 3,
    recent: options.sameRecentBoost ?? 2,
  };
  const models = new Map<string, ModelState>();
  /** The fleet's recent gaps, the prior of a model with few. */
  const fleet: Gap[] = [];
  const FLEET_LIMIT = options.fleetHistoryLimit ?? 1024;

  const state = (model: string) => {
    let s = models.get(model);
    if (!s) {
      s = { gaps: [], starts: [] };
      models.set(model, s);
    }
    return s;
  };

  return {
    name: `adaptive(penalty=${penalty}s)`,
    observeBusyStart(model, start) {
      const s = state(model);
      s.starts.push(start);
      if (s.lastEnd === undefined || !s.context) return;
      const gap: Gap = {
        seconds: Math.max(0, start - s.lastEnd),
        secondOfDay: ((s.lastEnd % DAY) + DAY) % DAY,
        context: s.context,
      };
      s.previousGap = gap.seconds;
      s.gaps.push(gap);
      if (s.gaps.length > limit) s.gaps.shift();
      fleet.push(gap);
      if (fleet.length > FLEET_LIMIT) fleet.shift();
    },
    decide(model, end, cost) {
      const s = state(model);
      s.lastEnd = end;
      s.context = contextOf(s, end);
      const sample = sampleOf(
        s.gaps,
        fleet,
        { secondOfDay: ((end % DAY) + DAY) % DAY, context: s.context },
        priorWeight,
        decay,
        boosts,
      );
      return choose(sample, cost, penalty, minSleep, s.gaps.length);
    },
  };
}

/**
 * The weighted sample of the next gap: the model's gaps, newest weighing
 * most (each older one by `decay`), those begun within an hour of
 * `secondOfDay` three times as much; plus the fleet's gaps with a total
 * weight of `priorWeight` gaps, shrinking as the model's own grow.
 */
function sampleOf(
  own: Gap[],
  fleet: Gap[],
  now: { secondOfDay: number; context: Context },
  priorWeight: number,
  decay: number,
  boosts: { hour: number; previous: number; recent: number },
): Sample {
  const like = (g: Gap) =>
    (nearInDay(g.secondOfDay, now.secondOfDay) ? boosts.hour : 1) *
    (g.context.previous === now.context.previous ? boosts.previous : 1) *
    (g.context.recent === now.context.recent ? boosts.recent : 1);
  const xs: number[] = [];
  const ws: number[] = [];
  let weight = 1;
  let ownTotal = 0;
  for (let i = own.length - 1; i >= 0; i--) {
    const g = own[i];
    const w = weight * like(g);
    xs.push(g.seconds);
    ws.push(w);
    ownTotal += w;
    weight *= decay;
  }
  if (fleet.length > 0) {
    // The prior counts as `priorWeight` gaps of the model's own.
    const share =
      (priorWeight * priorWeight) / (priorWeight + own.length) / fleet.length;
    for (const g of fleet) {
      xs.push(g.seconds);
      ws.push(share * like(g));
    }
  }
  const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
  const x = new Float64Array(order.length);
  const w = new Float64Array(order.length);
  let total = 0;
  order.forEach((j, i) => {
    x[i] = xs[j];
    w[i] = ws[j];
    total += ws[j];
  });
  return { x, w, total: total || ownTotal };
}

function nearInDay(a: number, b: number): boolean {
  const d = Math.abs(a - b);
  return Math.min(d, DAY - d) <= 3600;
}

/** Keep-alives are set just past a gap, so that gap is covered. */
const MARGIN = 1.05;

/**
 * The decision of least expected cost over the sample (see
 * {@link adaptivePolicy}); `own` is how many gaps of its own the model has.
 */
function choose(
  sample: Sample,
  cost: ModelWakeCost,
  penalty: number,
  minSleep: number,
  own: number,
): IdleDecision {
  const { x, w, total } = sample;
  const L = cost.loadSeconds;
  const sleep = L + penalty;
  const rest = cost.restsAt === 'sleep' ? 'to sleep' : 'to zero';
  const n = x.length;
  if (n === 0 || total <= 0) {
    // Nothing to learn from: stay warm as long as a wake and a cold start
    // would cost (the break-even rule, never worse than twice the best).
    return {
      keepAliveSeconds: sleep,
      reason: `no idle gap seen yet: keep-alive ${minutes(
        sleep,
      )}, what a wake and a cold start cost`,
    };
  }
  // Prefix sums: W[i] = weight of x[0..i), S[i] = weighted sum of x[0..i).
  const W = new Float64Array(n + 1);
  const S = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    W[i + 1] = W[i] + w[i];
    S[i + 1] = S[i] + w[i] * x[i];
  }
  /** Expected cost of staying warm k seconds, then zero (gaps below index `i` covered). */
  const keepCost = (i: number, k: number) =>
    (S[i] + (total - W[i]) * (k + sleep)) / total;

  let best = { cost: keepCost(0, 0), k: 0, i: 0 };
  for (let i = 1; i <= n; i++) {
    // Covers x[0..i): just past x[i - 1].
    if (i < n && x[i] === x[i - 1]) continue;
    const k = x[i - 1] * MARGIN + 1;
    // Gaps in [x[i-1], k) are covered too.
    let j = i;
    while (j < n && x[j] < k) j++;
    const c = keepCost(j, k);
    if (c < best.cost) best = { cost: c, k, i: j };
  }
  // Pre-warm: zero at once, wake at p, warm until p + win (win > L), for
  // models whose gaps cluster well past the load time. Starts and ends
  // are taken at the sample's quantiles, a little early and a little
  // late; the sleep before a pre-warm is at least `minSleep`, or going
  // to zero is churn, not saving.
  let pre: { cost: number; p: number; win: number } | undefined;
  if (n >= 4) {
    const q = (f: number) =>
      x[Math.min(n - 1, lowerBound(W, f * total, 1) - 1)];
    for (const a of [0.02, 0.05, 0.1, 0.2, 0.3, 0.5]) {
      for (const early of [0.01, 0.05, 0.15]) {
        const p = q(a) * (1 - early) - L;
        if (p < minSleep) continue;
        for (const b of [0.5, 0.7, 0.8, 0.9, 0.95, 0.99]) {
          if (b <= a) continue;
          for (const late of [0.01, 0.05]) {
            const win = q(b) * (1 + late) + 1 - p;
            if (win <= L + 1) continue;
            const c = prewarmCost(x, W, S, total, p, win, L, sleep);
            if (!pre || c < pre.cost) pre = { cost: c, p, win };
          }
        }
      }
    }
  }

  const covered = (i: number) => Math.round((100 * W[i]) / total);
  const basis =
    own >= 3
      ? `this model's last ${own} idle gaps`
      : `the fleet's idle gaps (this model has ${own} of its own)`;
  if (pre && pre.cost < best.cost) {
    return {
      keepAliveSeconds: 0,
      prewarm: { afterSeconds: pre.p, windowSeconds: pre.win },
      reason: `${basis} cluster past ${minutes(
        pre.p + L,
      )}: ${rest} once idle, warm again ${minutes(
        pre.p,
      )} after the last request, ahead of the next one`,
    };
  }
  if (best.k === 0) {
    return {
      keepAliveSeconds: 0,
      reason: `${basis} are mostly longer than a wake and a cold start (${minutes(
        sleep,
      )}): ${rest} at once`,
    };
  }
  return {
    keepAliveSeconds: best.k,
    reason: `idle gaps under ${minutes(best.k)} are ${covered(
      best.i,
    )} % of ${basis}; keep-alive ${minutes(best.k)}`,
  };
}

/** The first index i >= from with xs[i] >= v (xs ascending), or xs.length. */
function lowerBound(xs: Float64Array, v: number, from = 0): number {
  let lo = from;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Expected cost of going to zero at once and pre-warming at p for win seconds. */
function prewarmCost(
  x: Float64Array,
  W: Float64Array,
  S: Float64Array,
  total: number,
  p: number,
  win: number,
  L: number,
  sleep: number,
): number {
  // g < p + L: cold (a wake and the penalty; a request in the loading
  //   window finds the pre-warm's wake);
  // p + L <= g < p + win: warm hit: the pre-warm's L and g - p - L warm;
  // g >= p + win: the pre-warm wasted (L + win - L) and then cold.
  const a = lowerBound(x, p + L);
  const b = lowerBound(x, p + win, a);
  const early = W[a] * sleep;
  const hit = S[b] - S[a] - (W[b] - W[a]) * p;
  const late = (total - W[b]) * (win + sleep);
  return (early + hit + late) / total;
}

function minutes(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
