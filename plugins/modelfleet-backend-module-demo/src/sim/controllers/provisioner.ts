import { DemoCluster, DemoPool } from '../../definition';
import { SimTimer } from '../clock';
import { makeNode, poolLabelKey, poolTaints, poolUnits } from '../nodes';
import { StoredObject } from '../objects';
import { ClusterContext } from './context';
import { unitOf } from './kubelet';
import { Controller } from './manager';
import { isTerminated, misfit, podGpus } from './placement';

/** How the node provisioner behaves. */
export interface ProvisionerTiming {
  /** A new node appears after a delay drawn in [min, max] ms. */
  provisionDelayMs: { min: number; max: number };
  /** A node without pods for this long is removed (down to the pool's floor). */
  scaleDownAfterMs: number;
}

export const DEFAULT_PROVISIONER_TIMING: ProvisionerTiming = {
  provisionDelayMs: { min: 60_000, max: 120_000 },
  scaleDownAfterMs: 10 * 60_000,
};

/** A pool's size bounds and nodes now (`GET /_sim/pools`). */
export interface PoolSize {
  name: string;
  min: number;
  max: number;
  /** Its nodes now. */
  nodes: number;
  /** Its nodes on their way (launched, not yet up). */
  provisioning: number;
}

/** Whether spot capacity of a pool can be had in a zone now. */
export type SpotAvailability = (pool: DemoPool, zone: string) => boolean;

const MANAGER = 'cluster-autoscaler';

/**
 * The node provisioner of each pool (cluster autoscaler, or Karpenter):
 * when pods are unschedulable and a node of the pool would take them, it
 * adds nodes, up to the pool's max, each after a provisioning delay
 * (pools at zero scale up from zero); spot nodes only in zones where spot
 * capacity is available. It removes a node that has run no pods for ten
 * minutes, down to the pool's floor: its min, or its busy nodes plus the
 * pool's `idleNodes` headroom (as overprovisioning keeps). A cordoned node
 * without pods (what a drain leaves) is removed first, down to the pool's
 * min (it is no headroom: nothing can be scheduled on it); a node under a
 * spot reclaim is left to the reclaim, which deletes it at the end of the
 * cloud's notice.
 */
export class NodeProvisioner implements Controller {
  readonly name = 'provisioner';
  private readonly inflight = new Map<
    string,
    Array<{ zone: string; timer: SimTimer }>
  >();
  private readonly idleSince = new Map<string, number>();
  private readonly recheck = new Map<string, SimTimer>();
  /** Each pool's size bounds now (`setMinimum` changes them; the definition is left as it is). */
  private readonly bounds: Map<string, { min: number; max: number }>;
  private seq = 0;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly cluster: DemoCluster,
    private readonly pools: DemoPool[],
    private readonly options: {
      timing: ProvisionerTiming;
      spotAvailable: SpotAvailability;
      gfdProductNames: 'demo' | 'nvidia';
      kick: () => void;
      /** Whether a node is under a spot reclaim (the reclaim deletes it). */
      reclaiming?: (nodeName: string) => boolean;
    },
  ) {
    this.bounds = new Map(pools.map(p => [p.name, { ...p.nodes }]));
  }

  /** A pool's size bounds now: its definition's, or the minimum set since. */
  boundsOf(pool: DemoPool): { min: number; max: number } {
    return this.bounds.get(pool.name) ?? pool.nodes;
  }

  /**
   * Each pool's bounds now, with its nodes and the launches under way, as
   * the cloud's node-pool API tells them (`GET /_sim/pools`).
   */
  poolSizes(): PoolSize[] {
    return this.pools.map(pool => ({
      name: pool.name,
      ...this.boundsOf(pool),
      nodes: this.nodesOf(pool).length,
      provisioning: this.inflight.get(pool.name)?.length ?? 0,
    }));
  }

  /**
   * Sets a pool's minimum size, as a cloud's node-pool API does, and
   * kicks the controllers: idle nodes above the new floor go after
   * `scaleDownAfterMs`, a pool below its new minimum gets nodes. The
   * caller checks the value (an integer in [0, max]). Its size after.
   */
  setMinimum(poolName: string, min: number): PoolSize | undefined {
    const pool = this.pools.find(p => p.name === poolName);
    if (!pool) return undefined;
    this.bounds.set(pool.name, { ...this.boundsOf(pool), min });
    this.options.kick();
    return this.poolSizes().find(p => p.name === poolName);
  }

  /** Creates a node of a pool now (start-up, and the provisioning delay's end). */
  addNode(pool: DemoPool, zone: string): StoredObject {
    const node = makeNode({
      cluster: this.cluster,
      pool,
      zone,
      index: this.seq++,
      time: this.ctx.time(),
      gfdProductNames: this.options.gfdProductNames,
    });
    return this.ctx.create(this.ctx.types.node, node, MANAGER);
  }

  /** Nodes of a pool. */
  nodesOf(pool: DemoPool): StoredObject[] {
    const key = poolLabelKey(this.cluster);
    return this.ctx.store
      .list(this.ctx.types.node)
      .filter(n => n.metadata.labels?.[key] === pool.name);
  }

  /** The zone for a new node: the least used zone where capacity is available. */
  pickZone(pool: DemoPool): string | undefined {
    const used = new Map(this.cluster.zones.map(z => [z, 0]));
    for (const n of this.nodesOf(pool)) {
      const z = n.metadata.labels?.['topology.kubernetes.io/zone'] ?? '';
      used.set(z, (used.get(z) ?? 0) + 1);
    }
    for (const f of this.inflight.get(pool.name) ?? [])
      used.set(f.zone, (used.get(f.zone) ?? 0) + 1);
    const zones = this.cluster.zones.filter(
      z => pool.capacityType !== 'spot' || this.options.spotAvailable(pool, z),
    );
    return zones.sort(
      (a, b) => used.get(a)! - used.get(b)! || a.localeCompare(b),
    )[0];
  }

  reconcile(): void {
    const pods = this.ctx.store.list(this.ctx.types.pod);
    const unschedulable = pods.filter(
      p =>
        (p.status?.conditions ?? []).some(
          (c: any) =>
            c.type === 'PodScheduled' &&
            c.status === 'False' &&
            c.reason === 'Unschedulable',
        ) && !p.spec?.nodeName,
    );
    const claimed = new Set<string>();
    for (const pool of this.pools) {
      const template = {
        labels: makeNode({
          cluster: this.cluster,
          pool,
          zone: this.cluster.zones[0],
          index: 0,
          time: '',
        }).metadata!.labels!,
        taints: poolTaints(this.cluster, pool),
        freeGpus: poolUnits(pool),
      };
      const fitting = unschedulable.filter(p => {
        if (claimed.has(p.metadata.uid)) return false;
        const zoneFree = { ...template, labels: { ...template.labels } };
        delete zoneFree.labels['topology.kubernetes.io/zone'];
        delete zoneFree.labels['failure-domain.beta.kubernetes.io/zone'];
        return !misfit(p, zoneFree) || !misfit(p, template);
      });
      fitting.forEach(p => claimed.add(p.metadata.uid));
      this.scaleUp(pool, fitting);
      this.scaleDown(pool, pods);
    }
  }

  private scaleUp(pool: DemoPool, pending: StoredObject[]): void {
    const units = poolUnits(pool);
    const inflight = this.inflight.get(pool.name) ?? [];
    // First fit of the pending pods into the nodes on their way, then new ones.
    const bins: number[] = inflight.map(() => units);
    for (const p of [...pending].sort((a, b) => podGpus(b) - podGpus(a))) {
      const need = podGpus(p);
      const i = bins.findIndex(free => free >= need);
      if (i >= 0) bins[i] -= need;
      else if (need <= units) bins.push(units - need);
    }
    const current = this.nodesOf(pool).length;
    let wanted = Math.max(
      bins.length - inflight.length,
      this.boundsOf(pool).min - current - inflight.length,
    );
    wanted = Math.min(
      wanted,
      this.boundsOf(pool).max - current - inflight.length,
    );
    for (let i = 0; i < wanted; i++) {
      const zone = this.pickZone(pool);
      if (!zone) break;
      const { min, max } = this.options.timing.provisionDelayMs;
      const delay =
        min +
        Math.floor(
          unitOf(
            `${this.cluster.name}/${pool.name}/${this.seq + inflight.length}`,
          ) *
            (max - min),
        );
      const entry = {
        zone,
        timer: this.ctx.clock.setTimeout(() => {
          const list = this.inflight.get(pool.name) ?? [];
          this.inflight.set(
            pool.name,
            list.filter(e => e !== entry),
          );
          this.addNode(pool, zone);
        }, delay),
      };
      inflight.push(entry);
      this.inflight.set(pool.name, inflight);
    }
  }

  private scaleDown(pool: DemoPool, pods: StoredObject[]): void {
    const now = this.ctx.clock.now();
    const busy = new Set(
      pods
        .filter(p => p.spec?.nodeName && !isTerminated(p))
        .map(p => p.spec.nodeName as string),
    );
    const nodes = this.nodesOf(pool);
    const busyCount = nodes.filter(n => busy.has(n.metadata.name)).length;
    const { min } = this.boundsOf(pool);
    const floor = Math.max(min, busyCount + pool.idleNodes);
    const reclaiming = this.options.reclaiming ?? (() => false);
    const cordoned = (n: StoredObject) => Boolean(n.spec?.unschedulable);
    // A node under a spot reclaim is the reclaim's to delete; a cordoned
    // node without pods (what a drain leaves) goes first.
    const idle = nodes
      .filter(n => !busy.has(n.metadata.name) && !reclaiming(n.metadata.name))
      .sort(
        (a, b) =>
          Number(cordoned(b)) - Number(cordoned(a)) ||
          a.metadata.name.localeCompare(b.metadata.name),
      );
    for (const n of nodes)
      if (busy.has(n.metadata.name)) this.idleSince.delete(n.metadata.name);
    let count = nodes.length;
    // Idle headroom (idleNodes) is schedulable nodes: a cordoned one is none.
    let schedulable = count - idle.filter(cordoned).length;
    for (const n of idle) {
      const name = n.metadata.name;
      const since = this.idleSince.get(name) ?? now;
      this.idleSince.set(name, since);
      const due = since + this.options.timing.scaleDownAfterMs;
      const removable = cordoned(n) ? count > min : schedulable > floor;
      if (now >= due && removable) {
        this.ctx.remove(this.ctx.types.node, n, MANAGER);
        this.idleSince.delete(name);
        count--;
        if (!cordoned(n)) schedulable--;
      } else if (removable && !this.recheck.has(name)) {
        this.recheck.set(
          name,
          this.ctx.clock.at(due, () => {
            this.recheck.delete(name);
            this.options.kick();
          }),
        );
      }
    }
  }

  /**
   * Launches of a pool's nodes in a zone under way fail (spot capacity
   * gone): they are dropped, and the next pass launches again where it
   * can. How many failed.
   */
  failLaunches(poolName: string, zone: string): number {
    const list = this.inflight.get(poolName) ?? [];
    const failed = list.filter(e => e.zone === zone);
    for (const e of failed) this.ctx.clock.clearTimeout(e.timer);
    this.inflight.set(
      poolName,
      list.filter(e => e.zone !== zone),
    );
    if (failed.length > 0) this.options.kick();
    return failed.length;
  }

  /** Nodes on their way, per pool. */
  provisioning(): Record<string, number> {
    return Object.fromEntries(
      [...this.inflight].map(([k, v]) => [k, v.length]),
    );
  }

  stop(): void {
    for (const list of this.inflight.values())
      for (const e of list) this.ctx.clock.clearTimeout(e.timer);
    for (const t of this.recheck.values()) this.ctx.clock.clearTimeout(t);
    this.inflight.clear();
    this.recheck.clear();
  }
}
