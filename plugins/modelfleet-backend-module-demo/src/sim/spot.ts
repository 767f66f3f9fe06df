import { DemoCluster, DemoPool } from '../definition';
import { SimTimer } from './clock';
import { ClusterContext } from './controllers/context';
import { poolLabelKey } from './nodes';
import { StoredObject } from './objects';
import { SpotMarket } from './spotMarket';

export {
  loadSpotTraces,
  parseSpotTrace,
  SpotMarket,
  SPOT_TRACE_READINGS,
  ZONE_TRACES,
} from './spotMarket';
export type { SpotTrace, SpotTraceReading } from './spotMarket';

/** How each cloud announces a spot reclaim, and how long before. */
export const SPOT_NOTICE_MS: Record<string, number> = {
  aws: 120_000,
  gcp: 30_000,
  azure: 30_000,
};

/**
 * Spot reclaims, replayed from the market: when capacity goes away in a
 * zone, every spot node of the pool there is reclaimed, announced the way
 * its cloud does, then deleted with its pods (their controllers recreate
 * them, Pending).
 * - AWS: two minutes ahead, the AWS Node Termination Handler taints the
 *   node `aws-node-termination-handler/spot-itn` (NoSchedule), cordons it
 *   and drains it.
 * - GCP: thirty seconds ahead, the node is tainted
 *   `cloud.google.com/impending-node-termination` and the kubelet's
 *   graceful node shutdown ends its pods (phase Failed, reason
 *   Terminated) and reports the node not ready.
 * - Azure: thirty seconds ahead (a Preempt scheduled event), AKS node
 *   auto-drain taints the node `remediator.kubernetes.azure.com/unschedulable`,
 *   cordons it and drains it.
 */
export class SpotController {
  private readonly timers = new Set<SimTimer>();
  private readonly reclaiming = new Set<string>();
  private readonly reclaims = new Map<string, number>();
  /** Outages asked for (`holdCapacity`): until when, per `<pool>/<zone>`. */
  private readonly held = new Map<string, { until: number; timer: SimTimer }>();
  private seq = 0;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly cluster: DemoCluster,
    private readonly pools: DemoPool[],
    /** Without one, spot nodes are reclaimed only when asked. */
    private readonly market: SpotMarket | undefined,
    private readonly kick: () => void,
  ) {}

  /** Starts following the market from now. */
  start(): void {
    if (!this.market) return;
    for (const pool of this.pools.filter(p => p.capacityType === 'spot')) {
      for (const zone of this.cluster.zones)
        this.follow(this.market, pool, zone);
    }
  }

  private follow(market: SpotMarket, pool: DemoPool, zone: string): void {
    const next = market.nextChange(
      this.cluster.name,
      pool,
      zone,
      this.ctx.clock.now(),
    );
    if (next === undefined) return;
    const timer = this.ctx.clock.at(next, () => {
      this.timers.delete(timer);
      if (
        !market.available(this.cluster.name, pool, zone, this.ctx.clock.now())
      ) {
        this.reclaimZone(pool, zone);
      }
      this.kick();
      this.follow(market, pool, zone);
    });
    this.timers.add(timer);
  }

  /**
   * Whether spot capacity of a pool can be had in a zone now: the
   * market's (always, without one), unless an outage asked for holds it.
   */
  available(pool: DemoPool, zone: string): boolean {
    const now = this.ctx.clock.now();
    if ((this.held.get(`${pool.name}/${zone}`)?.until ?? 0) > now) return false;
    return (
      !this.market || this.market.available(this.cluster.name, pool, zone, now)
    );
  }

  /**
   * Keeps a pool's spot capacity in a zone away until `until` (ms): new
   * nodes are not launched there meanwhile (the provisioner asks
   * {@link SpotController.available}); a later `until` extends an outage,
   * an earlier one leaves it. Kicks the controllers when it ends.
   */
  holdCapacity(pool: DemoPool, zone: string, until: number): number {
    const key = `${pool.name}/${zone}`;
    const before = this.held.get(key);
    if (before && before.until >= until) return before.until;
    if (before) {
      this.ctx.clock.clearTimeout(before.timer);
      this.timers.delete(before.timer);
    }
    const timer = this.ctx.clock.at(until, () => {
      this.timers.delete(timer);
      this.held.delete(key);
      this.kick();
    });
    this.timers.add(timer);
    this.held.set(key, { until, timer });
    return until;
  }

  /** Outages asked for and not over. */
  get outages(): Array<{ pool: string; zone: string; until: number }> {
    const now = this.ctx.clock.now();
    return [...this.held]
      .filter(([, h]) => h.until > now)
      .map(([key, h]) => {
        const [pool, zone] = key.split('/');
        return { pool, zone, until: h.until };
      })
      .sort((a, b) =>
        `${a.pool}/${a.zone}`.localeCompare(`${b.pool}/${b.zone}`),
      );
  }

  /** Reclaims the nodes of a pool in a zone now (those not under reclaim already). */
  reclaimZone(
    pool: DemoPool,
    zone: string,
  ): Array<{ node: string; zone: string; deleteAt: number }> {
    const key = poolLabelKey(this.cluster);
    const out: Array<{ node: string; zone: string; deleteAt: number }> = [];
    for (const node of this.ctx.store.list(this.ctx.types.node)) {
      if (
        node.metadata.labels?.[key] === pool.name &&
        node.metadata.labels?.['topology.kubernetes.io/zone'] === zone
      ) {
        const done = this.reclaim(node.metadata.name);
        if (done) out.push({ ...done, zone });
      }
    }
    return out;
  }

  /** Nodes reclaimed so far, per pool. */
  reclaimCounts(): Record<string, number> {
    return Object.fromEntries(this.reclaims);
  }

  /** Nodes announced for reclaim and not deleted yet. */
  get pending(): string[] {
    return [...this.reclaiming].sort();
  }

  /** Whether a node is announced for reclaim and not deleted yet. */
  isReclaiming(nodeName: string): boolean {
    return this.reclaiming.has(nodeName);
  }

  /** Reclaims a node: announces it now, deletes it after the cloud's notice. */
  reclaim(nodeName: string): { node: string; deleteAt: number } | undefined {
    const node = this.ctx.store.get(this.ctx.types.node, undefined, nodeName);
    if (!node || this.reclaiming.has(nodeName)) return undefined;
    this.reclaiming.add(nodeName);
    const pool = node.metadata.labels?.[poolLabelKey(this.cluster)] ?? '';
    this.reclaims.set(pool, (this.reclaims.get(pool) ?? 0) + 1);
    const notice = SPOT_NOTICE_MS[this.cluster.provider] ?? 30_000;
    const deleteAt = this.ctx.clock.now() + notice;
    this.announce(node, deleteAt);
    const timer = this.ctx.clock.at(deleteAt, () => {
      this.timers.delete(timer);
      this.reclaiming.delete(nodeName);
      this.ctx.remove(
        this.ctx.types.node,
        node,
        'cloud-node-lifecycle-controller',
      );
      this.kick();
    });
    this.timers.add(timer);
    return { node: nodeName, deleteAt };
  }

  private podsOn(node: StoredObject): StoredObject[] {
    return this.ctx.store
      .list(this.ctx.types.pod)
      .filter(p => p.spec?.nodeName === node.metadata.name);
  }

  private taint(
    node: StoredObject,
    manager: string,
    key: string,
    value: string | undefined,
    cordon: boolean,
  ) {
    const time = this.ctx.time();
    return this.ctx.modify(this.ctx.types.node, node, manager, draft => {
      draft.spec.taints = [
        ...(draft.spec.taints ?? []),
        {
          key,
          ...(value ? { value } : {}),
          effect: 'NoSchedule',
          timeAdded: time,
        },
        ...(cordon
          ? [
              {
                key: 'node.kubernetes.io/unschedulable',
                effect: 'NoSchedule',
                timeAdded: time,
              },
            ]
          : []),
      ];
      if (cordon) draft.spec.unschedulable = true;
    });
  }

  private drain(node: StoredObject, manager: string): void {
    for (const pod of this.podsOn(node))
      this.ctx.remove(this.ctx.types.pod, pod, manager);
  }

  private announce(node: StoredObject, deleteAt: number): void {
    const when = new Date(deleteAt).toUTCString();
    const instance = (node.spec?.providerID ?? '').split('/').pop();
    switch (this.cluster.provider) {
      case 'aws': {
        const manager = 'aws-node-termination-handler';
        const eventId = `spot-itn-${(++this.seq)
          .toString(16)
          .padStart(8, '0')}`;
        const tainted = this.taint(
          node,
          manager,
          'aws-node-termination-handler/spot-itn',
          eventId,
          true,
        );
        if (tainted) {
          this.ctx.event({
            object: tainted,
            reason: 'SpotInterruption',
            type: 'Warning',
            component: manager,
            message: `Spot Interruption notice for instance ${instance} was sent at ${new Date(
              this.ctx.clock.now(),
            ).toUTCString()}; the instance will be terminated at ${when}`,
          });
        }
        this.drain(node, manager);
        break;
      }
      case 'gcp': {
        const tainted = this.taint(
          node,
          'kubelet',
          'cloud.google.com/impending-node-termination',
          undefined,
          false,
        );
        const time = this.ctx.time();
        for (const pod of this.podsOn(node)) {
          this.ctx.modify(this.ctx.types.pod, pod, 'kubelet', draft => {
            draft.status = {
              ...draft.status,
              phase: 'Failed',
              reason: 'Terminated',
              message:
                'Pod was terminated in response to imminent node shutdown.',
              conditions: [
                ...(draft.status?.conditions ?? []).map((c: any) =>
                  c.type === 'Ready' || c.type === 'ContainersReady'
                    ? { ...c, status: 'False', lastTransitionTime: time }
                    : c,
                ),
                {
                  type: 'DisruptionTarget',
                  status: 'True',
                  reason: 'TerminationByKubelet',
                  message:
                    'Pod was terminated in response to imminent node shutdown.',
                  lastTransitionTime: time,
                },
              ],
            };
          });
        }
        if (tainted) {
          this.ctx.modify(this.ctx.types.node, tainted, 'kubelet', draft => {
            draft.status.conditions = (draft.status.conditions ?? []).map(
              (c: any) =>
                c.type === 'Ready'
                  ? {
                      ...c,
                      status: 'False',
                      reason: 'KubeletNotReady',
                      message: 'node is shutting down',
                      lastTransitionTime: time,
                    }
                  : c,
            );
          });
          this.ctx.event({
            object: tainted,
            reason: 'NodeShutdown',
            type: 'Warning',
            component: 'kubelet',
            message: `Preemption notice: the instance ${instance} shuts down at ${when}`,
          });
        }
        break;
      }
      default: {
        const manager = 'aks-node-auto-drain';
        const tainted = this.taint(
          node,
          manager,
          'remediator.kubernetes.azure.com/unschedulable',
          undefined,
          true,
        );
        if (tainted) {
          this.ctx.event({
            object: tainted,
            reason: 'Preempt',
            type: 'Warning',
            component: manager,
            message: `Scheduled event Preempt for the VM ${instance}, not before ${when}: cordoning and draining the node`,
          });
        }
        this.drain(node, manager);
      }
    }
  }

  stop(): void {
    for (const t of this.timers) this.ctx.clock.clearTimeout(t);
    this.timers.clear();
  }
}
