/*
 * What a model's samples say (peak and p95 memory, utilization, p95 request
 * rate, the request rate one replica serves at a target utilization) and
 * how sure that is; and the input checks of rightsizing, naming the field.
 */
import { mean, median, quantile, standardDeviation } from 'simple-statistics';
import {
  Confidence,
  RightsizingInput,
  RightsizingOptions,
  UsageSummary,
} from './types';

const DAY = 86400;

/** Samples below this utilization (percent) say too little about capacity. */
export const MIN_CAPACITY_UTILIZATION = 5;

const bad = (field: string, what: string, got: unknown) =>
  new TypeError(`${field} must be ${what}, got ${JSON.stringify(got)}`);

function nonNegative(field: string, v: unknown, max?: number) {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw bad(field, 'a number ≥ 0', v);
  }
  if (max !== undefined && v > max) throw bad(field, `at most ${max}`, v);
}

function positive(field: string, v: unknown) {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw bad(field, 'a number > 0', v);
  }
}

/** Throws a TypeError naming the first bad field. */
export function validateRightsizing(
  input: RightsizingInput,
  options: RightsizingOptions,
) {
  if (typeof input.model !== 'string' || !input.model) {
    throw bad('model', 'a name', input.model);
  }
  const c = input.current;
  if (!c) throw bad('current', 'where the model runs now', c);
  positive('current.memoryMiBPerReplica', c.memoryMiBPerReplica);
  positive('current.gpusPerReplica', c.gpusPerReplica);
  if (!Number.isInteger(c.replicas) || c.replicas < 1) {
    throw bad('current.replicas', 'a whole number ≥ 1', c.replicas);
  }
  nonNegative('current.usdPerGpuHour', c.usdPerGpuHour);
  if (input.estimateMiB !== undefined)
    positive('estimateMiB', input.estimateMiB);
  if (!Array.isArray(input.samples) || !input.samples.length) {
    throw bad('samples', 'at least one sample', input.samples);
  }
  input.samples.forEach((s, i) => {
    nonNegative(`samples[${i}].t`, s.t);
    nonNegative(`samples[${i}].gpuMemoryUsedMiB`, s.gpuMemoryUsedMiB);
    nonNegative(`samples[${i}].gpuUtilization`, s.gpuUtilization, 100);
    nonNegative(`samples[${i}].requestsPerSecond`, s.requestsPerSecond);
  });
  input.candidates.forEach((p, i) => {
    const f = `candidates[${i}]`;
    if (typeof p.ref !== 'string' || !p.ref)
      throw bad(`${f}.ref`, 'a name', p.ref);
    positive(`${f}.gpuMemoryMiB`, p.gpuMemoryMiB);
    nonNegative(`${f}.usdPerGpuHour`, p.usdPerGpuHour);
    if (!['whole', 'mig', 'time-slicing'].includes(p.sharing)) {
      throw bad(`${f}.sharing`, 'whole, mig or time-slicing', p.sharing);
    }
    if (p.sharing !== 'whole') {
      const k = p.replicasPerGpu;
      if (!Number.isInteger(k) || (k as number) < 1) {
        throw bad(
          `${f}.replicasPerGpu`,
          'a whole number ≥ 1 for a shared pool',
          k,
        );
      }
    }
    if (p.relativeSpeed !== undefined)
      positive(`${f}.relativeSpeed`, p.relativeSpeed);
  });
  if (options.headroom !== undefined) nonNegative('headroom', options.headroom);
  if (options.targetUtilization !== undefined) {
    positive('targetUtilization', options.targetUtilization);
    nonNegative('targetUtilization', options.targetUtilization, 100);
  }
}

/**
 * The usage of a model. The request rate one replica serves at `target` %
 * utilization: over the samples at ≥ 5 % utilization, the median of
 * (requests per second ÷ replicas ÷ utilization) × target — utilization is
 * taken to grow in proportion to load; undefined when no sample is busy
 * enough to tell.
 */
export function summarize(
  input: RightsizingInput,
  target: number,
): UsageSummary & { perReplicaKnown: boolean } {
  const s = input.samples;
  const ts = s.map(x => x.t);
  const days = (Math.max(...ts) - Math.min(...ts)) / DAY;
  const memory = s.map(x => x.gpuMemoryUsedMiB);
  const util = s.map(x => x.gpuUtilization);
  const rps = s.map(x => x.requestsPerSecond);
  const ratios = s
    .filter(x => x.gpuUtilization >= MIN_CAPACITY_UTILIZATION)
    .map(x => x.requestsPerSecond / input.current.replicas / x.gpuUtilization);
  const perReplicaKnown = ratios.length > 0 && median(ratios) > 0;
  return {
    days,
    peakMemoryMiB: Math.max(...memory),
    p95MemoryMiB: quantile(memory, 0.95),
    p95Utilization: quantile(util, 0.95),
    meanUtilization: mean(util),
    p95Rps: quantile(rps, 0.95),
    perReplicaRps: perReplicaKnown ? median(ratios) * target : 0,
    perReplicaKnown,
  };
}

/** How sure: days of samples, and how steady the daily p95 request rate is. */
export function confidenceOf(
  input: RightsizingInput,
  days: number,
): Confidence {
  const byDay = new Map<number, number[]>();
  for (const x of input.samples) {
    const d = Math.floor(x.t / DAY);
    byDay.set(d, [...(byDay.get(d) ?? []), x.requestsPerSecond]);
  }
  const daily = [...byDay.values()].map(v => quantile(v, 0.95));
  const m = mean(daily);
  const variation =
    daily.length > 1 && m > 0 ? standardDeviation(daily) / m : 0;
  const span = `${days.toFixed(1)} days of samples`;
  const steady = `daily p95 request rate varies ${(variation * 100).toFixed(
    0,
  )} %`;
  if (days >= 13 && variation <= 0.3) {
    return { level: 'high', days, variation, reason: `${span}; ${steady}` };
  }
  if (days >= 7 && variation <= 0.6) {
    return {
      level: 'medium',
      days,
      variation,
      reason: `${span}; ${steady}${days < 13 ? ' (under 14 days)' : ''}`,
    };
  }
  return {
    level: 'low',
    days,
    variation,
    reason: `${span}; ${steady}${days < 7 ? ' (under a week)' : ' (unsteady)'}`,
  };
}
