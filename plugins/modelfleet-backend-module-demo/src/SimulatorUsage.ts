import { LoggerService } from '@backstage/backend-plugin-api';
import { addSpan, clipSpans, dropSpansBefore, Spans } from './busySpans';
import type { ClusterStats } from './sim/SimulatedCluster';

/** Reads the statistics of the simulated clusters that answer. */
export type StatsReader = () => Promise<ClusterStats[]>;

/** Cumulative counters of one cluster at one simulated time (ms). */
interface Point {
  at: number;
  /**
   * Per `<namespace>/<model>`: requests served, ready-replica seconds, and
   * the seconds of those whose engine slept (the sleep idle tier).
   */
  models: Record<
    string,
    { served: number; readySeconds: number; sleepingSeconds: number }
  >;
  /** Per pool: node seconds. */
  pools: Record<string, number>;
}

interface ClusterHistory {
  /** When the simulated cluster started counting (its counters are 0 then). */
  since: number;
  points: Point[];
  /** Per `<namespace>/<model>`: when requests kept it busy, exactly (ms). */
  busy: Map<string, Spans>;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Linear interpolation of a cumulative counter at `t`, 0 before the first point, the last value after the last. */
function valueAt(points: Point[], get: (p: Point) => number, t: number) {
  if (points.length === 0 || t <= points[0].at) return 0;
  const last = points[points.length - 1];
  if (t >= last.at) return get(last);
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (points[mid].at <= t) lo = mid;
    else hi = mid;
  }
  const a = points[lo];
  const b = points[hi];
  const va = get(a);
  const vb = get(b);
  return b.at === a.at ? vb : va + ((vb - va) * (t - a.at)) / (b.at - a.at);
}

/**
 * What the running simulator has done, over time: its statistics (requests
 * served, ready-replica time per model, node time per pool) read every
 * minute and on demand, as cumulative counters, so that the demo's metrics
 * and bills for any window since the simulator started are differences of
 * them. Minute points are kept for a day, hourly ones for `keepDays`.
 */
export class SimulatorUsage {
  private readonly clusters = new Map<string, ClusterHistory>();
  private lastRead = 0;
  private reading?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private readonly failing = new Set<string>();
  /** When this backend began to read the simulator (ms). */
  readonly startedAt: number;

  constructor(
    private readonly options: {
      read: StatsReader;
      /** The demo clusters expected to answer. */
      clusters: string[];
      logger?: LoggerService;
      now?: () => number;
      keepDays?: number;
    },
  ) {
    this.startedAt = this.now();
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Reads the statistics every `intervalMs` until `stop()`. */
  start(intervalMs = 60_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.refresh(0).catch(() => undefined);
    }, intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reads the statistics unless they were read less than `maxAgeMs` ago. */
  async refresh(maxAgeMs = 5_000): Promise<void> {
    if (this.reading) return this.reading;
    if (this.now() - this.lastRead < maxAgeMs) return undefined;
    this.reading = (async () => {
      try {
        this.record(await this.options.read());
      } catch (e) {
        this.options.logger?.warn(
          `The demo could not read the simulator's statistics: ${e}`,
        );
      } finally {
        this.lastRead = this.now();
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  /** Adds what the clusters say now. */
  record(stats: ClusterStats[]): void {
    const answered = new Set(stats.map(s => s.cluster));
    for (const name of this.options.clusters) {
      if (!answered.has(name) && !this.failing.has(name)) {
        this.failing.add(name);
        this.options.logger?.warn(
          `The simulated cluster ${name} did not give its statistics; the demo's metrics and bills count nothing for it until it does`,
        );
      } else if (answered.has(name)) this.failing.delete(name);
    }
    for (const s of stats) {
      const since = Date.parse(s.since);
      const at = Date.parse(s.at);
      let history = this.clusters.get(s.cluster);
      // A new `since` is a simulator that started again: its counters restarted.
      if (!history || history.since !== since) {
        history = {
          since,
          points: [{ at: since, models: {}, pools: {} }],
          busy: new Map(),
        };
        this.clusters.set(s.cluster, history);
      }
      this.recordBusy(history, s);
      const last = history.points[history.points.length - 1];
      if (!(at > last.at)) continue;
      history.points.push({
        at,
        models: Object.fromEntries(
          Object.entries(s.models).map(([k, m]) => [
            k,
            {
              served: m.requestsServed,
              readySeconds: m.readyReplicaSeconds,
              sleepingSeconds: m.sleepingReplicaSeconds ?? 0,
            },
          ]),
        ),
        pools: Object.fromEntries(
          Object.entries(s.pools).map(([k, p]) => [k, p.nodeSeconds]),
        ),
      });
      this.thin(history);
    }
  }

  /**
   * Adds the busy spans the cluster gave (those of its last hour, so each
   * comes several times: merging them again changes nothing).
   */
  private recordBusy(history: ClusterHistory, stats: ClusterStats): void {
    for (const [key, m] of Object.entries(stats.models)) {
      const given = Array.isArray(m.busySpans) ? m.busySpans : [];
      let spans = history.busy.get(key);
      for (const span of given) {
        const [start, end]: unknown[] = Array.isArray(span) ? span : [];
        if (typeof start !== 'number' || typeof end !== 'number') continue;
        if (!Number.isFinite(start) || !Number.isFinite(end)) continue;
        if (!spans) {
          spans = [];
          history.busy.set(key, spans);
        }
        addSpan(spans, start, end);
      }
    }
  }

  /** Keeps the first point, the points of the last day, and one an hour before. */
  private thin(history: ClusterHistory): void {
    const points = history.points;
    const last = points[points.length - 1].at;
    const keepFrom = last - (this.options.keepDays ?? 40) * DAY;
    for (const [key, spans] of history.busy) {
      history.busy.set(key, dropSpansBefore(spans, keepFrom));
    }
    const minuteFrom = last - DAY;
    const kept: Point[] = [points[0]];
    let hour = -1;
    for (const p of points.slice(1)) {
      if (p.at < keepFrom) continue;
      if (p.at >= minuteFrom) kept.push(p);
      else if (Math.floor(p.at / HOUR) !== hour) {
        hour = Math.floor(p.at / HOUR);
        kept.push(p);
      }
    }
    history.points = kept;
  }

  /**
   * From when the simulator's statistics stand for a cluster: when it
   * started counting, or, before it answered, when this backend began to
   * read it. Earlier times are the replay's.
   */
  since(cluster: string): number {
    return this.clusters.get(cluster)?.since ?? this.startedAt;
  }

  /** Until when the statistics of a cluster are known. */
  knownUntil(cluster: string): number | undefined {
    const points = this.clusters.get(cluster)?.points;
    return points && points.length > 1
      ? points[points.length - 1].at
      : undefined;
  }

  /**
   * Requests served, ready-replica seconds and the seconds of those asleep
   * of a model in [from, to) (ms), summed over the clusters it runs in.
   */
  modelUsage(
    key: string,
    from: number,
    to: number,
    clusters?: string[],
  ): { served: number; readySeconds: number; sleepingSeconds: number } {
    const out = { served: 0, readySeconds: 0, sleepingSeconds: 0 };
    for (const [name, h] of this.clusters) {
      if (clusters && !clusters.includes(name)) continue;
      for (const field of [
        'served',
        'readySeconds',
        'sleepingSeconds',
      ] as const) {
        const get = (p: Point): number => p.models[key]?.[field] ?? 0;
        out[field] += valueAt(h.points, get, to) - valueAt(h.points, get, from);
      }
    }
    return out;
  }

  /**
   * When requests kept a model busy in [from, to) (ms), exactly: each from
   * its arrival for its execution time, merged over the clusters it runs in.
   */
  busySpans(key: string, from: number, to: number, clusters?: string[]): Spans {
    const out: Spans = [];
    for (const [name, h] of this.clusters) {
      if (clusters && !clusters.includes(name)) continue;
      for (const [s, e] of clipSpans(h.busy.get(key) ?? [], from, to)) {
        addSpan(out, s, e);
      }
    }
    return out;
  }

  /** Node seconds of a pool in [from, to) (ms). */
  poolNodeSeconds(
    cluster: string,
    pool: string,
    from: number,
    to: number,
  ): number {
    const h = this.clusters.get(cluster);
    if (!h) return 0;
    const get = (p: Point) => p.pools[pool] ?? 0;
    return valueAt(h.points, get, to) - valueAt(h.points, get, from);
  }
}
