import { interleave, WeightedSplit } from './split';
import { addSpan, dropSpansBefore, Spans } from '../busySpans';
import { TraceReplay } from '../replay';
import { SimTimer } from './clock';
import { ClusterContext } from './controllers/context';
import { KedaController } from './controllers/keda';
import { isPodReady } from './controllers/placement';
import type { EngineRegistry } from './engines';
import { MODEL_LABEL, ROLE_LABEL, StoredObject } from './objects';
import { matchesLabelSelector } from './selectors';

/**
 * How a request went.
 *
 * @public
 */
export interface RequestResult {
  /** The model had no ready replica: the request waited for one. */
  coldStart: boolean;
  /** How long it waited, in simulated ms. */
  waitedMs: number;
  /** It arrived at a sleeping engine and waited for it to wake. */
  wokeEngine?: boolean;
}

/** How long the traffic keeps each model's busy spans after they end, simulated ms. */
const KEEP_BUSY_MS = 3_600_000;

/** Requests of one model. */
export interface ModelTraffic {
  served: number;
  coldStarts: number;
  /** Requests that waited longer than the request timeout and were given up. */
  dropped: number;
  /** Requests that arrived at a sleeping engine and waited for it to wake. */
  waitedForWake: number;
  /** Simulated time of the last request, ms since the epoch. */
  lastRequestAt?: number;
}

interface Waiting {
  at: number;
  count: number;
  resolve?: (r: RequestResult) => void;
  reject?: (e: Error) => void;
}

/** A cluster a model's requests go to, and its weight (its Ready replicas). */
export interface Destination {
  traffic: TrafficController;
  weight: number;
}

/**
 * The requests models receive: one at a time from `request()`, and the
 * replay of each deployed model's trace. A model with a ready replica
 * serves at once; otherwise requests wait until one is ready (KEDA wakes a
 * model at zero) and count as cold starts. While engines sleep, requests
 * go to the model's ready pods in turn (as a Service spreads them), and
 * those that reach a sleeping engine wait for it to wake: the wake gate in
 * front of the engine wakes it once for all of them.
 */
export class TrafficController {
  private readonly models = new Map<string, ModelTraffic>();
  private readonly waiting = new Map<string, Waiting[]>();
  /** Requests waiting for an engine to wake, per model. */
  private readonly atWake = new Map<string, number>();
  /** The next ready pod to take a request, per model. */
  private readonly cursors = new Map<string, number>();
  /** When each model was busy, exactly (simulated ms), the last hour. */
  private readonly busy = new Map<string, Spans>();
  private replayTimer?: SimTimer;
  private stopped = false;
  private router?: (namespace: string, model: string) => Destination[];
  private readonly splits = new WeightedSplit<TrafficController>();

  constructor(
    private readonly ctx: ClusterContext,
    private readonly keda: KedaController,
    private readonly options: {
      requestTimeoutMs: number;
      engines?: EngineRegistry;
    },
  ) {}

  private key = (namespace: string, model: string) => `${namespace}/${model}`;

  /**
   * Sends the requests this cluster receives (its trace replays and
   * `request()`) where `route` says: in a fleet, to the cluster that
   * exports the model's Service (see serviceExports.ts). Here by default.
   */
  routeWith(route: (namespace: string, model: string) => Destination[]): void {
    this.router = route;
  }

  /**
   * How `count` requests of a model split over its destinations, each in
   * proportion to its weight (see {@link WeightedSplit}).
   */
  private destinations(
    namespace: string,
    model: string,
    count: number,
  ): Array<[TrafficController, number]> {
    const to = this.router?.(namespace, model) ?? [];
    if (to.length === 0) return [[this, count]];
    return this.splits.split(
      this.key(namespace, model),
      to.map(d => ({ to: d.traffic, weight: d.weight })),
      count,
    );
  }

  /** Ready replicas of a model here: its Deployment's and its spot fallback's. */
  readyReplicas(namespace: string, model: string): number {
    return this.servingReady(namespace, model);
  }

  /**
   * The Deployment of a model: labelled `modelfleet.io/model` (not its spot
   * fallback, `modelfleet.io/role`), or named after it.
   */
  deploymentOf(namespace: string, model: string): StoredObject | undefined {
    const all = this.ctx.store.list(this.ctx.types.deployment, { namespace });
    return (
      all.find(
        d =>
          d.metadata.labels?.[MODEL_LABEL] === model &&
          !d.metadata.labels?.[ROLE_LABEL],
      ) ?? all.find(d => d.metadata.name === model)
    );
  }

  /**
   * Ready replicas serving a model: its Deployment's and those of the
   * Deployments standing in for it (its spot fallback), whose pods its
   * Service selects too.
   */
  private servingReady(namespace: string, model: string): number {
    return this.ctx.store
      .list(this.ctx.types.deployment, { namespace })
      .filter(
        d =>
          d.metadata.labels?.[MODEL_LABEL] === model ||
          d.metadata.name === model,
      )
      .reduce((n, d) => n + (d.status?.readyReplicas ?? 0), 0);
  }

  private entry(key: string): ModelTraffic {
    let e = this.models.get(key);
    if (!e) {
      e = { served: 0, coldStarts: 0, dropped: 0, waitedForWake: 0 };
      this.models.set(key, e);
    }
    return e;
  }

  /** `count` requests arrive for a model at `at` (simulated ms). */
  arrive(
    namespace: string,
    model: string,
    count: number,
    at: number,
    waiter?: Omit<Waiting, 'at' | 'count'>,
  ) {
    const key = this.key(namespace, model);
    const stats = this.entry(key);
    stats.lastRequestAt = Math.max(stats.lastRequestAt ?? 0, at);
    const d = this.deploymentOf(namespace, model);
    if (d) this.keda.onRequest(namespace, d.metadata.name, at);
    // A cluster may serve a model with its spot companion alone (the
    // spread to another cluster's spot pool): no Deployment of its own.
    if (this.servingReady(namespace, model) > 0) {
      if (
        d &&
        this.options.engines?.anyAsleep() &&
        this.toPods(namespace, model, d, count, at, waiter)
      )
        return;
      stats.served += count;
      waiter?.resolve?.({ coldStart: false, waitedMs: 0 });
      return;
    }
    stats.coldStarts += count;
    const list = this.waiting.get(key) ?? [];
    list.push({ at, count, ...waiter });
    this.waiting.set(key, list);
  }

  /**
   * Sends requests to the ready pods of a Deployment in turn; those at a
   * sleeping engine wait for its wake (the pod gone meanwhile: they
   * arrive again). False when no pod is ready.
   */
  private toPods(
    namespace: string,
    model: string,
    d: StoredObject,
    count: number,
    at: number,
    waiter?: Omit<Waiting, 'at' | 'count'>,
  ): boolean {
    const engines = this.options.engines!;
    const pods = this.ctx.store
      .list(this.ctx.types.pod, { namespace })
      .filter(
        p =>
          isPodReady(p) &&
          matchesLabelSelector(d.spec?.selector, p.metadata.labels),
      )
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    if (pods.length === 0) return false;
    const key = this.key(namespace, model);
    const stats = this.entry(key);
    const first = (this.cursors.get(key) ?? 0) % pods.length;
    this.cursors.set(key, (first + count) % pods.length);
    for (let i = 0; i < pods.length; i++) {
      const n =
        Math.floor(count / pods.length) + (i < count % pods.length ? 1 : 0);
      if (n === 0) continue;
      const w = i === 0 ? waiter : undefined;
      const wake = engines.wakeForRequest(pods[(first + i) % pods.length]);
      if (!wake) {
        stats.served += n;
        w?.resolve?.({ coldStart: false, waitedMs: 0 });
        continue;
      }
      this.atWake.set(key, (this.atWake.get(key) ?? 0) + n);
      const done = () => {
        const left = (this.atWake.get(key) ?? n) - n;
        if (left > 0) this.atWake.set(key, left);
        else this.atWake.delete(key);
      };
      wake.then(
        wokeAt => {
          done();
          stats.served += n;
          stats.waitedForWake += n;
          w?.resolve?.({
            coldStart: false,
            waitedMs: wokeAt - at,
            wokeEngine: true,
          });
        },
        () => {
          done();
          if (this.stopped)
            w?.reject?.(new Error('the simulated cluster stopped'));
          // After the controllers have seen the pod go.
          else
            this.ctx.clock.setTimeout(
              () => this.arrive(namespace, model, n, at, w),
              0,
            );
        },
      );
    }
    return true;
  }

  /** One request, at the model's destination; resolves when a replica served it. */
  request(namespace: string, model: string): Promise<RequestResult> {
    const now = this.ctx.clock.now();
    const [[to]] = this.destinations(namespace, model, 1);
    to.logBusy(this.key(namespace, model), now, now + 1000);
    return new Promise((resolve, reject) =>
      to.arrive(namespace, model, 1, now, {
        resolve,
        reject,
      }),
    );
  }

  /** A request kept the model busy in [start, end) (ms): its arrival, for its execution time. */
  private logBusy(key: string, start: number, end: number): void {
    let spans = this.busy.get(key);
    if (!spans) {
      spans = [];
      this.busy.set(key, spans);
    }
    addSpan(spans, start, end);
  }

  /**
   * Per model (`<namespace>/<model>`): when requests kept it busy, each
   * from its exact arrival for its execution time (at least 1 s), merged,
   * as simulated ms, those that ended in the last hour.
   */
  busySpans(): Record<string, Spans> {
    const from = this.ctx.clock.now() - KEEP_BUSY_MS;
    const out: Record<string, Spans> = {};
    for (const [key, spans] of this.busy) {
      const kept = dropSpansBefore(spans, from);
      this.busy.set(key, kept);
      if (kept.length > 0) out[key] = kept.map(([s, e]) => [s, e]);
    }
    return out;
  }

  /** After the cluster settled: serves the requests waiting for a replica that is ready now. */
  settled(): void {
    const now = this.ctx.clock.now();
    for (const [key, list] of this.waiting) {
      const [namespace, model] = key.split('/');
      const stats = this.entry(key);
      const d = this.deploymentOf(namespace, model);
      const ready = this.servingReady(namespace, model) > 0;
      // Requests served now are load the autoscaler sees now.
      if (ready && d && list.length > 0)
        this.keda.onRequest(namespace, d.metadata.name, now);
      const keep: Waiting[] = [];
      for (const w of list) {
        if (ready) {
          stats.served += w.count;
          w.resolve?.({ coldStart: true, waitedMs: now - w.at });
        } else if (now - w.at >= this.options.requestTimeoutMs) {
          stats.dropped += w.count;
          w.reject?.(
            new Error(
              `${key}: no replica became ready within ${this.options.requestTimeoutMs} ms`,
            ),
          );
        } else keep.push(w);
      }
      if (keep.length > 0) this.waiting.set(key, keep);
      else this.waiting.delete(key);
    }
  }

  /** Whether requests wait for a replica of a Deployment. */
  waitingFor(namespace: string, deployment: string): boolean {
    for (const key of this.waiting.keys()) {
      const [ns, model] = key.split('/');
      if (
        ns === namespace &&
        this.deploymentOf(ns, model)?.metadata.name === deployment
      )
        return true;
    }
    return false;
  }

  /** Requests waiting for a replica, per model. */
  waitingCount(): Record<string, number> {
    return Object.fromEntries(
      [...this.waiting].map(([k, list]) => [
        k,
        list.reduce((s, w) => s + w.count, 0),
      ]),
    );
  }

  /** Requests waiting for an engine to wake, per model. */
  waitingForWakeCount(): Record<string, number> {
    return Object.fromEntries(this.atWake);
  }

  stats(): Record<string, ModelTraffic> {
    return Object.fromEntries([...this.models].map(([k, v]) => [k, { ...v }]));
  }

  /**
   * Replays traces: every `tickMs` of simulated time, each model receives
   * the requests its trace has in that window (at the time of the last);
   * its busy spans have each at its exact time.
   */
  replay(
    models: Array<{
      namespace: string;
      model: string;
      replay: TraceReplay;
      /** Seconds a request keeps a replica busy, from its weight; 1 s without. */
      busySeconds?: (weight: number) => number;
    }>,
    tickMs = 10_000,
  ): void {
    let last = this.ctx.clock.now();
    const tick = () => {
      const now = this.ctx.clock.now();
      for (const m of models) {
        const { count } = m.replay.between(last / 1000, now / 1000);
        if (count === 0) continue;
        const key = this.key(m.namespace, m.model);
        // Replayed here, served where the model's traffic goes now: the
        // requests in turn over its destinations, each its share.
        const split = this.destinations(m.namespace, m.model, count);
        const order = interleave(split.map(([, n]) => n));
        let k = 0;
        m.replay.forEachRequest(last / 1000, now / 1000, (t, w) =>
          split[order[k++ % order.length]][0].logBusy(
            key,
            t * 1000,
            (t + (m.busySeconds?.(w) ?? 1)) * 1000,
          ),
        );
        const since = m.replay.secondsSinceLastRequest(now / 1000) ?? 0;
        for (const [to, n] of split)
          to.arrive(
            m.namespace,
            m.model,
            n,
            Math.max(last, now - since * 1000),
          );
      }
      last = now;
      // Requests waiting too long are given up even when nothing changes.
      this.settled();
      this.replayTimer = this.ctx.clock.setTimeout(tick, tickMs);
    };
    this.replayTimer = this.ctx.clock.setTimeout(tick, tickMs);
  }

  stop(): void {
    this.stopped = true;
    this.ctx.clock.clearTimeout(this.replayTimer);
    for (const list of this.waiting.values()) {
      for (const w of list)
        w.reject?.(new Error('the simulated cluster stopped'));
    }
    this.waiting.clear();
  }
}
