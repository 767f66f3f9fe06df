import { Trace } from './traces';

/** A deterministic hash of (seed, i) into [0, 1). */
function unitHash(seed: number, i: number): number {
  let h = Math.imul(seed ^ i, 0x9e3779b1) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** A string → 32-bit seed. */
export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  }
  return h >>> 0;
}

/**
 * Replays a trace in a loop against wall-clock time: second `t` of real time
 * is second `(t + offset) mod period` of the trace. A share below 1 keeps a
 * deterministic subset of the requests (the same ones every loop).
 * Pure: every answer is a function of the trace and the times asked for.
 */
export class TraceReplay {
  private readonly offsets: Float64Array;
  /** prefix[i] = sum of weights of kept requests before i. */
  private readonly prefix: Float64Array;
  readonly periodSeconds: number;

  constructor(
    trace: Trace,
    private readonly options: {
      share: number;
      offsetSeconds: number;
      seed: number;
    },
  ) {
    if (!(options.share > 0 && options.share <= 1)) {
      throw new Error(`share must be in (0, 1], got ${options.share}`);
    }
    const kept: number[] = [];
    for (let i = 0; i < trace.offsets.length; i++) {
      if (options.share === 1 || unitHash(options.seed, i) < options.share)
        kept.push(i);
    }
    this.offsets = Float64Array.from(kept, i => trace.offsets[i]);
    this.prefix = new Float64Array(kept.length + 1);
    kept.forEach((i, k) => {
      this.prefix[k + 1] = this.prefix[k] + trace.weights[i];
    });
    this.periodSeconds = trace.periodSeconds;
  }

  /** Number of requests in the whole period. */
  get requestsPerPeriod(): number {
    return this.offsets.length;
  }

  /** Mean weight of a request (tokens, or execution seconds), 0 without requests. */
  get meanWeight(): number {
    const n = this.offsets.length;
    return n === 0 ? 0 : this.prefix[n] / n;
  }

  /** Index of the first request at or after trace second `x`. */
  private lowerBound(x: number): number {
    let lo = 0;
    let hi = this.offsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.offsets[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Requests and weight in trace seconds [a, b), 0 ≤ a ≤ b ≤ period. */
  private within(a: number, b: number): { count: number; weight: number } {
    const i = this.lowerBound(a);
    const j = this.lowerBound(b);
    return { count: j - i, weight: this.prefix[j] - this.prefix[i] };
  }

  /** Requests and their summed weight in real time [fromSec, toSec) (unix seconds). */
  between(fromSec: number, toSec: number): { count: number; weight: number } {
    if (!(toSec >= fromSec))
      throw new Error(`window end ${toSec} is before its start ${fromSec}`);
    const P = this.periodSeconds;
    let count = 0;
    let weight = 0;
    const add = (r: { count: number; weight: number }) => {
      count += r.count;
      weight += r.weight;
    };
    const span = toSec - fromSec;
    const loops = Math.floor(span / P);
    if (loops > 0)
      add({
        count: this.offsets.length * loops,
        weight: this.prefix[this.offsets.length] * loops,
      });
    const rest = span - loops * P;
    const a = (((fromSec + this.options.offsetSeconds) % P) + P) % P;
    const b = a + rest;
    if (b <= P) add(this.within(a, b));
    else {
      add(this.within(a, P));
      add(this.within(0, b - P));
    }
    return { count, weight };
  }

  /** Seconds since the last request before unix second `atSec`, or null if none in a period. */
  secondsSinceLastRequest(atSec: number): number | null {
    if (this.offsets.length === 0) return null;
    const P = this.periodSeconds;
    const x = (((atSec + this.options.offsetSeconds) % P) + P) % P;
    const i = this.lowerBound(x);
    if (i > 0) return x - this.offsets[i - 1];
    return x + (P - this.offsets[this.offsets.length - 1]);
  }

  /**
   * Visits each request in real time [fromSec, toSec) (unix seconds) in
   * time order: its time and weight.
   */
  forEachRequest(
    fromSec: number,
    toSec: number,
    visit: (atSec: number, weight: number) => void,
  ): void {
    const n = this.offsets.length;
    if (n === 0 || !(toSec > fromSec)) return;
    const P = this.periodSeconds;
    const shift = this.options.offsetSeconds;
    // Trace second x of loop k is at real time k·P + x − shift.
    for (let k = Math.floor((fromSec + shift) / P); ; k++) {
      const base = k * P - shift;
      if (base >= toSec) break;
      const to = toSec - base;
      for (
        let i = this.lowerBound(fromSec - base);
        i < n && this.offsets[i] < to;
        i++
      ) {
        visit(base + this.offsets[i], this.prefix[i + 1] - this.prefix[i]);
      }
    }
  }
}
