import {
  BillLine,
  BillSource,
  wholeUtcDays,
} from '@modelfleet/plugin-modelfleet-node';
import { DemoClusterConnector } from './DemoClusterConnector';
import { DemoFleet } from './DemoFleet';
import { SimulatorUsage } from './SimulatorUsage';

/** The demo's made-up cloud accounts, one per provider. */
export const DEMO_ACCOUNTS: Record<string, string> = {
  aws: '000000000000',
  gcp: 'modelfleet-demo',
  azure: '/subscriptions/00000000-0000-0000-0000-000000000000',
};

const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * Daily bills of the simulated fleet: one line per node pool and day, its
 * node-hours at the pool's billed rate. The node-hours since the simulator
 * started are those its nodes ran (see {@link SimulatorUsage}): a pool whose
 * models scaled to zero loses its idle nodes and costs less. Before that,
 * and without a simulator, they are the replay's (the fleet as scheduled,
 * hour by hour). Like a real bill it lags: days end before `now` only.
 */
export class DemoBillSource implements BillSource {
  readonly id = 'demo-bills';
  private readonly clusters: DemoClusterConnector;

  constructor(
    private readonly fleet: DemoFleet,
    private readonly clock: () => Date = () => new Date(),
    private readonly usage?: SimulatorUsage,
  ) {
    this.clusters = new DemoClusterConnector(fleet, clock);
  }

  async *fetchLines(window: {
    start: Date;
    end: Date;
  }): AsyncIterable<BillLine> {
    const days = wholeUtcDays(window);
    const firstDay = days.start;
    const today = Math.floor(this.clock().getTime() / DAY) * DAY;
    const lastDay = Math.min(days.end, today);
    if (this.usage && firstDay + DAY <= lastDay) await this.usage.refresh();
    for (let day = firstDay; day + DAY <= lastDay; day += DAY) {
      for (const cluster of this.fleet.clusters) {
        // The replay before the simulator's statistics, the statistics after.
        const since = this.usage?.since(cluster.name) ?? Infinity;
        const nodeHours = new Map<string, number>();
        for (let t = day; t < Math.min(day + DAY, since); t += HOUR) {
          const share = (Math.min(t + HOUR, since) - t) / HOUR;
          const s = await this.clusters.snapshotAt(cluster.name, new Date(t));
          for (const p of s.pools) {
            nodeHours.set(
              p.name,
              (nodeHours.get(p.name) ?? 0) + p.nodes.current * share,
            );
          }
        }
        if (this.usage && day + DAY > since) {
          for (const pool of this.fleet.pools) {
            if (pool.cluster !== cluster.name) continue;
            const seconds = this.usage.poolNodeSeconds(
              cluster.name,
              pool.name,
              Math.max(day, since),
              day + DAY,
            );
            nodeHours.set(
              pool.name,
              (nodeHours.get(pool.name) ?? 0) + seconds / 3600,
            );
          }
        }
        for (const pool of this.fleet.pools.filter(
          p => p.cluster === cluster.name,
        )) {
          const hours =
            Math.round((nodeHours.get(pool.name) ?? 0) * 1000) / 1000;
          if (hours === 0) continue;
          yield {
            source: this.id,
            provider: cluster.provider,
            account: DEMO_ACCOUNTS[cluster.provider] ?? cluster.provider,
            periodStart: new Date(day).toISOString(),
            periodEnd: new Date(day + DAY).toISOString(),
            resourceId: `${cluster.name}/${pool.name}`,
            service: 'compute',
            tags: { 'modelfleet.io/pool': pool.name, cluster: cluster.name },
            costUsd: Math.round(hours * pool.billedUsdPerNodeHour * 100) / 100,
            usage: { quantity: hours, unit: 'node-hours' },
          };
        }
      }
    }
  }
}
