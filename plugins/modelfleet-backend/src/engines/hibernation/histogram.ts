/**
 * The hybrid histogram keep-alive policy of "Serverless in the Wild"
 * (Shahrad et al., USENIX ATC '20, §4.2), a baseline for the engine.
 *
 * Per model it keeps a range-limited histogram of idle times (the gap from
 * the end of a busy interval to the start of the next), 1-minute bins over
 * 4 hours, and after each busy interval decides:
 *
 * 1. too few idle times observed (fewer than `minObservations`; the paper
 *    names no number, 10 is ours): the paper's "standard keep-alive", no
 *    pre-warm and a keep-alive of the whole range (4 h);
 * 2. most idle times (more than `outOfRangeShare`, 1/2) beyond the range:
 *    the paper forecasts the next idle time with ARIMA; no ARIMA here (there
 *    is an `arima` package on npm, a WebAssembly build we did not add as a
 *    dependency): the forecast is the median of the last
 *    `forecastSamples` (5) out-of-range idle times, and the model pre-warms
 *    at forecast × (1 − 15 %) for a window of forecast × 2 × 15 %;
 * 3. a histogram that is not representative — the coefficient of variation
 *    (population standard deviation ÷ mean) of its bin counts below
 *    `cvThreshold`, the paper's 2 (a flat histogram): standard keep-alive;
 * 4. otherwise the pre-warm window is the head (5th percentile) − 10 %, and
 *    the keep-alive window, measured from the pre-warm point, the tail
 *    (99th percentile) + 10 %, less the pre-warm window. Percentiles are read
 *    off the bins: the head at the lower edge of its bin, the tail at the
 *    upper edge (both conservative). A pre-warm window of 0 keeps the model
 *    warm for the keep-alive window from the end of the busy interval.
 *
 * The paper does not model load time: here the pre-warm starts loading at
 * the pre-warm point and its window (at least the load time) counts from
 * there.
 *
 * @internal
 */
import { IdleDecision, KeepAlivePolicy, ModelWakeCost } from './types';

/** Knobs of the hybrid histogram policy; defaults in {@link HISTOGRAM_DEFAULTS}. */
export interface HistogramPolicyOptions {
  /** Percentile of idle times that sets the pre-warm point. */
  headPercentile?: number;
  /** Percentile of idle times that sets the end of the keep-alive. */
  tailPercentile?: number;
  binSeconds?: number;
  /** The histogram's range; also the standard keep-alive. */
  rangeSeconds?: number;
  /** Below this coefficient of variation of the bin counts, the histogram is not representative. */
  cvThreshold?: number;
  /** Fewer idle times than this: standard keep-alive. */
  minObservations?: number;
  /** Above this share of out-of-range idle times: forecast. */
  outOfRangeShare?: number;
  /** Margin on the head (−) and tail (+). */
  histogramMargin?: number;
  /** Margin around the forecast idle time (±). */
  forecastMargin?: number;
  /** Out-of-range idle times the forecast takes the median of. */
  forecastSamples?: number;
}

/** The paper's values (and ours where it names none, see the module doc). */
export const HISTOGRAM_DEFAULTS: Readonly<Required<HistogramPolicyOptions>> =
  Object.freeze({
    headPercentile: 5,
    tailPercentile: 99,
    binSeconds: 60,
    rangeSeconds: 4 * 3600,
    cvThreshold: 2,
    minObservations: 10,
    outOfRangeShare: 0.5,
    histogramMargin: 0.1,
    forecastMargin: 0.15,
    forecastSamples: 5,
  });

/** `options` over the defaults (an option set to `undefined` takes its default). */
function withDefaults(
  options: HistogramPolicyOptions,
): Required<HistogramPolicyOptions> {
  const o = { ...HISTOGRAM_DEFAULTS };
  for (const [k, v] of Object.entries(options) as Array<
    [keyof HistogramPolicyOptions, number | undefined]
  >)
    if (v !== undefined) o[k] = v;
  return o;
}

/** A model's idle times: the in-range histogram and the recent out-of-range ones. */
export interface IdleHistogram {
  bins: number[];
  inRange: number;
  outOfRange: number;
  /** The last `forecastSamples` out-of-range idle times, oldest first. */
  recentOutOfRange: number[];
}

/** An empty histogram for `options`. */
export function emptyIdleHistogram(
  options: HistogramPolicyOptions = {},
): IdleHistogram {
  const o = withDefaults(options);
  return {
    bins: new Array(Math.ceil(o.rangeSeconds / o.binSeconds)).fill(0),
    inRange: 0,
    outOfRange: 0,
    recentOutOfRange: [],
  };
}

/** Adds one idle time (seconds) to `h`. */
export function recordIdleTime(
  h: IdleHistogram,
  idleSeconds: number,
  options: HistogramPolicyOptions = {},
): void {
  const o = withDefaults(options);
  const bin = Math.floor(Math.max(0, idleSeconds) / o.binSeconds);
  if (bin < h.bins.length) {
    h.bins[bin]++;
    h.inRange++;
    return;
  }
  h.outOfRange++;
  h.recentOutOfRange.push(idleSeconds);
  if (h.recentOutOfRange.length > o.forecastSamples) h.recentOutOfRange.shift();
}

/** Coefficient of variation (population) of the bin counts; 0 when empty. */
export function binCountCv(bins: readonly number[]): number {
  const n = bins.length;
  const mean = bins.reduce((s, c) => s + c, 0) / n;
  if (!(mean > 0)) return 0;
  const variance = bins.reduce((s, c) => s + (c - mean) ** 2, 0) / n;
  return Math.sqrt(variance) / mean;
}

/** The first bin at which the cumulative count reaches `percentile` % of the in-range idle times. */
function percentileBin(h: IdleHistogram, percentile: number): number {
  let cum = 0;
  for (let i = 0; i < h.bins.length; i++) {
    cum += h.bins[i];
    if (cum * 100 >= percentile * h.inRange) return i;
  }
  return h.bins.length - 1;
}

const minutes = (s: number) => `${(s / 60).toFixed(1)} min`;

/**
 * The hybrid histogram policy's decision for a model whose idle times are
 * `h` (the four cases of the module doc), given its load time.
 */
export function histogramDecision(
  h: IdleHistogram,
  cost: ModelWakeCost,
  options: HistogramPolicyOptions = {},
): IdleDecision {
  const o = withDefaults(options);
  const total = h.inRange + h.outOfRange;
  const standard = (why: string): IdleDecision => ({
    keepAliveSeconds: o.rangeSeconds,
    reason: `standard keep-alive of ${minutes(o.rangeSeconds)}: ${why}`,
  });
  if (total < o.minObservations)
    return standard(
      `${total} idle time${total === 1 ? '' : 's'} observed, fewer than ${
        o.minObservations
      }`,
    );
  if (h.outOfRange > o.outOfRangeShare * total) {
    const recent = [...h.recentOutOfRange].sort((a, b) => a - b);
    const mid = recent.length >> 1;
    const forecast =
      recent.length % 2 ? recent[mid] : (recent[mid - 1] + recent[mid]) / 2;
    return {
      keepAliveSeconds: 0,
      prewarm: {
        afterSeconds: forecast * (1 - o.forecastMargin),
        windowSeconds: Math.max(
          2 * o.forecastMargin * forecast,
          cost.loadSeconds,
        ),
      },
      reason: `${h.outOfRange} of ${total} idle times beyond ${minutes(
        o.rangeSeconds,
      )}: pre-warm around the next idle time, forecast ${minutes(
        forecast,
      )} (median of the last ${recent.length})`,
    };
  }
  const cv = binCountCv(h.bins);
  if (cv < o.cvThreshold)
    return standard(
      `idle-time histogram not representative (CV ${cv.toFixed(2)} < ${
        o.cvThreshold
      })`,
    );
  const head = percentileBin(h, o.headPercentile) * o.binSeconds;
  const tail = (percentileBin(h, o.tailPercentile) + 1) * o.binSeconds;
  const prewarmAfter = head * (1 - o.histogramMargin);
  const keepAlive = tail * (1 + o.histogramMargin) - prewarmAfter;
  const why = `idle times p${o.headPercentile} ${minutes(head)}, p${
    o.tailPercentile
  } ${minutes(tail)} (${total} observed)`;
  if (prewarmAfter <= 0)
    return {
      keepAliveSeconds: keepAlive,
      reason: `keep warm ${minutes(keepAlive)}: ${why}`,
    };
  return {
    keepAliveSeconds: 0,
    prewarm: {
      afterSeconds: prewarmAfter,
      windowSeconds: Math.max(keepAlive, cost.loadSeconds),
    },
    reason: `sleep, pre-warm after ${minutes(prewarmAfter)} for ${minutes(
      keepAlive,
    )}: ${why}`,
  };
}

/**
 * The hybrid histogram policy as a {@link KeepAlivePolicy}: it learns each
 * model's idle times from the busy starts it is told of.
 */
export function histogramPolicy(
  options: HistogramPolicyOptions = {},
  name = 'hybrid histogram',
): KeepAlivePolicy {
  const o = withDefaults(options);
  const models = new Map<string, { lastEnd?: number; h: IdleHistogram }>();
  const stateOf = (model: string) => {
    let s = models.get(model);
    if (!s) {
      s = { h: emptyIdleHistogram(o) };
      models.set(model, s);
    }
    return s;
  };
  return {
    name,
    observeBusyStart(model, start) {
      const s = stateOf(model);
      if (s.lastEnd !== undefined) recordIdleTime(s.h, start - s.lastEnd, o);
    },
    decide(model, end, cost) {
      const s = stateOf(model);
      s.lastEnd = end;
      return histogramDecision(s.h, cost, o);
    },
  };
}
