import { isPodReady, isTerminated } from './controllers/placement';
import { MODEL_LABEL, StoredObject } from './objects';
import { ObjectStore } from './store';

/**
 * Per model: seconds of replicas (pods that exist and have not finished,
 * pending ones included), of ready replicas, and of ready replicas whose
 * engine sleeps (GPU memory released).
 *
 * @public
 */
export interface ModelUsage {
  replicaSeconds: number;
  readyReplicaSeconds: number;
  sleepingReplicaSeconds: number;
  /** Now. */
  replicas: number;
  readyReplicas: number;
  sleepingReplicas: number;
}

/**
 * Per pool: seconds of nodes.
 *
 * @public
 */
export interface PoolUsage {
  nodeSeconds: number;
  /** Now. */
  nodes: number;
}

/**
 * Integrates replicas, ready replicas, sleeping ones and nodes over
 * simulated time, from the store's changes (and the engines', through
 * {@link UsageMeter.refresh}).
 */
export class UsageMeter {
  private readonly models = new Map<string, ModelUsage>();
  private readonly pools = new Map<string, PoolUsage>();
  private last: number;
  private readonly unsubscribe: () => void;
  readonly since: number;

  constructor(
    private readonly store: ObjectStore,
    private readonly now: () => number,
    private readonly poolOf: (node: StoredObject) => string | undefined,
    private readonly asleep: (pod: StoredObject) => boolean = () => false,
  ) {
    this.last = now();
    this.since = this.last;
    this.recount();
    this.unsubscribe = store.subscribe(e => {
      if (
        e.resource.group !== '' ||
        !['pods', 'nodes'].includes(e.resource.plural)
      )
        return;
      this.accrue();
      this.recount();
    });
  }

  /** Adds the time since the last change, at the counts of then. */
  accrue(): void {
    const now = this.now();
    const dt = Math.max(0, now - this.last) / 1000;
    this.last = now;
    if (dt === 0) return;
    for (const m of this.models.values()) {
      m.replicaSeconds += m.replicas * dt;
      m.readyReplicaSeconds += m.readyReplicas * dt;
      m.sleepingReplicaSeconds += m.sleepingReplicas * dt;
    }
    for (const p of this.pools.values()) p.nodeSeconds += p.nodes * dt;
  }

  /** Something other than the store changed what is counted (an engine fell asleep or woke). */
  refresh(): void {
    this.accrue();
    this.recount();
  }

  private recount(): void {
    for (const m of this.models.values()) {
      m.replicas = 0;
      m.readyReplicas = 0;
      m.sleepingReplicas = 0;
    }
    for (const p of this.pools.values()) p.nodes = 0;
    for (const pod of this.store.list(this.store.type('v1', 'Pod'))) {
      const model = pod.metadata.labels?.[MODEL_LABEL];
      if (!model || isTerminated(pod)) continue;
      const key = `${pod.metadata.namespace}/${model}`;
      const m = this.models.get(key) ?? {
        replicaSeconds: 0,
        readyReplicaSeconds: 0,
        sleepingReplicaSeconds: 0,
        replicas: 0,
        readyReplicas: 0,
        sleepingReplicas: 0,
      };
      m.replicas += 1;
      if (isPodReady(pod)) {
        m.readyReplicas += 1;
        if (this.asleep(pod)) m.sleepingReplicas += 1;
      }
      this.models.set(key, m);
    }
    for (const node of this.store.list(this.store.type('v1', 'Node'))) {
      const pool = this.poolOf(node);
      if (!pool) continue;
      const p = this.pools.get(pool) ?? { nodeSeconds: 0, nodes: 0 };
      p.nodes += 1;
      this.pools.set(pool, p);
    }
  }

  report(): {
    models: Record<string, ModelUsage>;
    pools: Record<string, PoolUsage>;
  } {
    this.accrue();
    const round = (v: number) => Math.round(v * 1000) / 1000;
    return {
      models: Object.fromEntries(
        [...this.models].sort().map(([k, m]) => [
          k,
          {
            ...m,
            replicaSeconds: round(m.replicaSeconds),
            readyReplicaSeconds: round(m.readyReplicaSeconds),
            sleepingReplicaSeconds: round(m.sleepingReplicaSeconds),
          },
        ]),
      ),
      pools: Object.fromEntries(
        [...this.pools]
          .sort()
          .map(([k, p]) => [k, { ...p, nodeSeconds: round(p.nodeSeconds) }]),
      ),
    };
  }

  dispose(): void {
    this.unsubscribe();
  }
}
