import { SimTimer } from './clock';
import { ClusterContext } from './controllers/context';
import { serveVllm } from './engineServer';
import { isWakeGate, serveWakeGate } from './wakeGate';
import { MODEL_LABEL, StoredObject } from './objects';
import { PodConnectionLost, PodNetwork, PodServer } from './podProxy';
import {
  containerReady,
  containerRunning,
  VllmServer,
  vllmServerOf,
} from './vllm';

/** How long a sleeping engine takes to wake (level 1: weights back from host memory), by default. */
export const DEFAULT_ENGINE_WAKE_MS = 5_000;

/** How many of its last wakes a wake gate keeps (and answers). */
const KEEP_GATE_WAKES = 100;

/** What sleep level 1 offloads and level 2 discards: vLLM's memory pool tags. */
const SLEEP_TAGS = ['weights', 'kv_cache'];

interface Wake {
  due: number;
  timer: SimTimer;
  /** Resolves with the simulated time the engine woke at. */
  done: Promise<number>;
  resolve: (at: number) => void;
  reject: (e: Error) => void;
}

/** The sleep state of one pod's engine (of one container's process). */
interface Engine {
  uid: string;
  namespace: string;
  pod: string;
  model?: string;
  /** The level it was put to sleep at; undefined while awake. */
  level?: number;
  /** vLLM's sleeping memory tags; empty while awake. */
  sleepingTags: Set<string>;
  wake?: Wake;
  wakes: { api: number; requests: number };
  /** The wakes requests caused, as the pod's wake gate logs them. */
  gateWakes: Array<{ startedAt: number; ms: number }>;
  sleeps: number;
  asleepMs: number;
  asleepSince?: number;
}

/**
 * The sleep state of a pod's engine, and what it has done.
 *
 * @public
 */
export interface EngineSnapshot {
  sleeping: boolean;
  /** The level it sleeps at. */
  level?: number;
  waking: boolean;
  /** Wakes by `/wake_up` and by requests arriving at the sleeping engine. */
  wakes: { api: number; requests: number };
  sleeps: number;
  asleepSeconds: number;
}

/**
 * What the engines of a model did, in total (engines of deleted pods
 * included).
 *
 * @public
 */
export interface EngineTotals {
  sleeps: number;
  wakes: { api: number; requests: number };
}

/**
 * Options of {@link EngineRegistry}.
 *
 * @public
 */
export interface EngineOptions {
  /** How long a sleeping engine takes to wake, in simulated ms, or per pod; 5 s by default. */
  wakeMs?: number | ((pod: StoredObject) => number);
}

/**
 * The vLLM engines of a cluster's pods, as the API server's pod proxy
 * reaches them: a container that runs vLLM's OpenAI server listens on its
 * `--port` (8000) once Ready; other containers on the ports they declare
 * once running (every path 404). Each engine that runs with sleep mode can
 * sleep (level 1 offloads its weights, level 2 discards them; GPU memory
 * freed) and wake, which takes the wake time in simulated time; a request
 * arriving at a sleeping engine wakes it first (the wake gate in front of
 * vLLM: one wake for all the requests that come meanwhile). The state is
 * the pod's: a deleted or stopped pod's is gone, a new pod starts awake.
 */
export class EngineRegistry implements PodNetwork {
  private readonly engines = new Map<string, Engine>();
  private readonly totals = new Map<string, EngineTotals>();
  private readonly listeners: Array<() => void> = [];
  private readonly unsubscribe: () => void;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly options: EngineOptions = {},
  ) {
    this.unsubscribe = ctx.store.subscribe(e => {
      if (e.resource.group !== '' || e.resource.plural !== 'pods') return;
      if (e.type === 'DELETED' || e.object.status?.phase !== 'Running')
        this.forget(e.object.metadata.uid);
    });
  }

  /** Called when an engine falls asleep or wakes (after the change). */
  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  /** The vLLM server of a pod, if one of its containers runs one. */
  serverOf(pod: StoredObject): VllmServer | undefined {
    for (const c of pod.spec?.containers ?? []) {
      const v = vllmServerOf(pod, c);
      if (v) return v;
    }
    return undefined;
  }

  serverAt(pod: StoredObject, port: number): PodServer | undefined {
    for (const c of pod.spec?.containers ?? []) {
      if (isWakeGate(c)) {
        const serves = (c.ports ?? []).some(
          (p: any) =>
            p.containerPort === port && (p.protocol ?? 'TCP') === 'TCP',
        );
        if (serves && containerRunning(pod, c.name)) {
          const engine = this.serverOf(pod);
          return req => serveWakeGate(this, pod, engine, req);
        }
        continue;
      }
      const v = vllmServerOf(pod, c);
      if (v) {
        if (v.port === port && containerReady(pod, v.container))
          return req => serveVllm(this, pod, v, req);
        continue;
      }
      const declared = (c.ports ?? []).some(
        (p: any) => p.containerPort === port && (p.protocol ?? 'TCP') === 'TCP',
      );
      if (declared && containerRunning(pod, c.name)) {
        // A server the simulation does not model: nothing is found.
        return async () => ({ status: 404 });
      }
    }
    return undefined;
  }

  private wakeMsOf(pod: StoredObject): number {
    const w = this.options.wakeMs ?? DEFAULT_ENGINE_WAKE_MS;
    return typeof w === 'function' ? w(pod) : w;
  }

  private state(pod: StoredObject): Engine {
    let e = this.engines.get(pod.metadata.uid);
    if (!e) {
      // Not a pod deleted or stopped since the request reached it.
      const now = this.ctx.store.get(
        this.ctx.types.pod,
        pod.metadata.namespace,
        pod.metadata.name,
      );
      if (
        now?.metadata.uid !== pod.metadata.uid ||
        now.status?.phase !== 'Running'
      )
        throw new PodConnectionLost();
      e = {
        uid: pod.metadata.uid,
        namespace: pod.metadata.namespace ?? '',
        pod: pod.metadata.name,
        model: pod.metadata.labels?.[MODEL_LABEL],
        sleepingTags: new Set(),
        wakes: { api: 0, requests: 0 },
        gateWakes: [],
        sleeps: 0,
        asleepMs: 0,
      };
      this.engines.set(pod.metadata.uid, e);
    }
    return e;
  }

  /** The engine of the pod, still the same one (not forgotten since). */
  private current(e: Engine): Engine {
    if (this.engines.get(e.uid) !== e) throw new PodConnectionLost();
    return e;
  }

  /** The totals of the engine's model (`<namespace>/<model>`). */
  private tally(e: Engine): EngineTotals {
    const key = `${e.namespace}/${e.model ?? e.pod}`;
    let t = this.totals.get(key);
    if (!t) {
      t = { sleeps: 0, wakes: { api: 0, requests: 0 } };
      this.totals.set(key, t);
    }
    return t;
  }

  /** Per model (`<namespace>/<model>`): sleeps and wakes of its engines so far. */
  modelTotals(): Record<string, EngineTotals> {
    return Object.fromEntries(
      [...this.totals].map(([k, t]) => [
        k,
        { sleeps: t.sleeps, wakes: { ...t.wakes } },
      ]),
    );
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  /** Whether the pod's engine sleeps (waking included). */
  isAsleep(pod: StoredObject): boolean {
    return (this.engines.get(pod.metadata.uid)?.sleepingTags.size ?? 0) > 0;
  }

  /** Whether any engine sleeps or wakes (when none does, requests are served as before). */
  anyAsleep(): boolean {
    for (const e of this.engines.values())
      if (e.sleepingTags.size > 0) return true;
    return false;
  }

  /** `GET /is_sleeping`: answers after a wake under way (vLLM's engine core does one thing at a time). */
  async isSleeping(pod: StoredObject): Promise<boolean> {
    const e = this.state(pod);
    if (e.wake) await e.wake.done;
    return this.current(e).sleepingTags.size > 0;
  }

  /** `POST /sleep?level=n`: nothing when it sleeps already; after a wake under way. */
  async sleep(pod: StoredObject, level: number): Promise<void> {
    const e = this.state(pod);
    while (e.wake) await e.wake.done;
    this.current(e);
    if (e.sleepingTags.size > 0) return;
    e.level = level;
    SLEEP_TAGS.forEach(t => e.sleepingTags.add(t));
    e.sleeps += 1;
    this.tally(e).sleeps += 1;
    e.asleepSince = this.ctx.clock.now();
    this.changed();
  }

  /**
   * `POST /wake_up[?tags=…]`: resolves when awake (at once when it is), with
   * the simulated time it woke at. A wake under way is joined; tags it does
   * not sleep with change nothing (vLLM warns).
   */
  async wakeUp(
    pod: StoredObject,
    tags?: string[],
    by: 'api' | 'requests' = 'api',
  ): Promise<number> {
    const e = this.state(pod);
    while (e.wake) await e.wake.done;
    this.current(e);
    if (e.sleepingTags.size === 0) return this.ctx.clock.now();
    if (tags?.some(t => !e.sleepingTags.has(t))) return this.ctx.clock.now();
    return this.startWake(e, pod, tags, by);
  }

  /**
   * A request arrived at the pod's engine: undefined when it is awake;
   * otherwise when it will be (the wake gate starts a wake unless one is
   * under way, which it joins).
   */
  wakeForRequest(pod: StoredObject): Promise<number> | undefined {
    const e = this.engines.get(pod.metadata.uid);
    if (!e || e.sleepingTags.size === 0) return undefined;
    if (e.wake) return e.wake.done;
    return this.startWake(e, pod, undefined, 'requests');
  }

  private startWake(
    e: Engine,
    pod: StoredObject,
    tags: string[] | undefined,
    by: 'api' | 'requests',
  ): Promise<number> {
    const woken = tags && tags.length > 0 ? tags : [...e.sleepingTags];
    // Reallocating the KV cache alone is quick; the weights take the wake time.
    const ms = woken.includes('weights') ? this.wakeMsOf(pod) : 0;
    let resolve!: (at: number) => void;
    let reject!: (error: Error) => void;
    const done = new Promise<number>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    done.catch(() => undefined);
    const startedAt = this.ctx.clock.now();
    const due = startedAt + Math.max(0, ms);
    e.wakes[by] += 1;
    this.tally(e).wakes[by] += 1;
    e.wake = {
      due,
      resolve,
      reject,
      done,
      timer: this.ctx.clock.at(due, () => {
        e.wake = undefined;
        woken.forEach(t => e.sleepingTags.delete(t));
        if (e.sleepingTags.size === 0) {
          e.level = undefined;
          e.asleepMs += due - (e.asleepSince ?? due);
          e.asleepSince = undefined;
          this.changed();
        }
        if (by === 'requests') {
          e.gateWakes.push({ startedAt, ms: due - startedAt });
          e.gateWakes.splice(0, e.gateWakes.length - KEEP_GATE_WAKES);
        }
        resolve(due);
      }),
    };
    return done;
  }

  /** The pod is gone or stopped: its engine's state with it. */
  private forget(uid: string): void {
    const e = this.engines.get(uid);
    if (!e) return;
    this.engines.delete(uid);
    if (e.wake) {
      this.ctx.clock.clearTimeout(e.wake.timer);
      e.wake.reject(new PodConnectionLost());
    }
    if (e.sleepingTags.size > 0) this.changed();
  }

  /**
   * The wakes requests caused at the pod's engine, oldest first: what its
   * wake gate logs (the last 100; gone with the pod).
   */
  gateWakes(pod: StoredObject): Array<{ startedAt: number; ms: number }> {
    return [...(this.engines.get(pod.metadata.uid)?.gateWakes ?? [])];
  }

  /** `GET /metrics`: the engine's sleep state gauge, as vLLM exports it. */
  sleepState(pod: StoredObject): { sleeping: boolean; level?: number } {
    const e = this.engines.get(pod.metadata.uid);
    if (!e || e.sleepingTags.size === 0) return { sleeping: false };
    return { sleeping: true, level: e.level };
  }

  /** What the pod's engine has done, and its state now. */
  snapshot(pod: StoredObject): EngineSnapshot {
    const e = this.engines.get(pod.metadata.uid);
    const sleeping = (e?.sleepingTags.size ?? 0) > 0;
    const asleepMs =
      (e?.asleepMs ?? 0) +
      (e?.asleepSince !== undefined ? this.ctx.clock.now() - e.asleepSince : 0);
    return {
      sleeping,
      ...(sleeping ? { level: e!.level } : {}),
      waking: !!e?.wake,
      wakes: { ...(e?.wakes ?? { api: 0, requests: 0 }) },
      sleeps: e?.sleeps ?? 0,
      asleepSeconds: Math.round(asleepMs) / 1000,
    };
  }

  stop(): void {
    this.unsubscribe();
    for (const e of this.engines.values()) {
      if (!e.wake) continue;
      this.ctx.clock.clearTimeout(e.wake.timer);
      e.wake.reject(new PodConnectionLost());
    }
    this.engines.clear();
  }
}
