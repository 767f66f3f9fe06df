import { ClusterInfo } from '@modelfleet/plugin-modelfleet-common';
import {
  ClusterConnector,
  ClusterSnapshot,
} from '@modelfleet/plugin-modelfleet-node';
import { DemoFleet } from './DemoFleet';
import { pastReplicasAt } from './pastReplicas';

/**
 * The demo fleet as scheduled, replayed: its clusters, pools and workloads
 * at any time, a pure function of time (flagged `demo`). The demo's bills
 * take the past before the simulator started from it; the present comes
 * from the simulated clusters, which the Kubernetes connector reads. It is
 * not registered as a cluster connector: it would report the clusters a
 * second time.
 */
export class DemoClusterConnector implements ClusterConnector {
  readonly id = 'demo';

  constructor(
    private readonly fleet: DemoFleet,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async listClusters(): Promise<ClusterInfo[]> {
    return this.fleet.clusters.map(c => ({
      name: c.name,
      provider: c.provider,
      region: c.region,
      demo: true,
    }));
  }

  async snapshot(clusterName: string): Promise<ClusterSnapshot> {
    return this.snapshotAt(clusterName, this.clock());
  }

  /**
   * The cluster as it was at a past time. The simulation is a pure function
   * of time, so the showback loop can fill in the fleet's history.
   */
  async snapshotAt(clusterName: string, at: Date): Promise<ClusterSnapshot> {
    const cluster = this.fleet.clusters.find(c => c.name === clusterName);
    if (!cluster) throw new Error(`demo fleet has no cluster '${clusterName}'`);
    const deployed = this.fleet.models.filter(
      m => m.deployment?.cluster === clusterName,
    );
    const replicas = new Map(
      deployed.map(m => [
        m.id,
        pastReplicasAt(m, this.fleet.traffic.get(m.id), at),
      ]),
    );
    const pools = this.fleet.pools
      .filter(p => p.cluster === clusterName)
      .map(pool => {
        const units = pool.gpu.perNode * (pool.gpu.replicasPerGpu ?? 1);
        const allocated = deployed
          .filter(m => m.deployment!.pool === pool.name)
          .reduce(
            (sum, m) =>
              sum + replicas.get(m.id)! * m.deployment!.gpusPerReplica,
            0,
          );
        const needed = Math.ceil(allocated / units);
        const current = Math.min(
          pool.nodes.max,
          Math.max(pool.nodes.min, needed + pool.idleNodes),
        );
        return {
          cluster: clusterName,
          name: pool.name,
          provider: cluster.provider,
          region: cluster.region,
          zones: cluster.zones,
          instanceType: pool.instanceType,
          capacityType: pool.capacityType,
          gpu: { ...pool.gpu },
          nodes: { current, min: pool.nodes.min, max: pool.nodes.max },
          gpus: { allocatable: current * units, allocated },
        };
      });
    const workloads = deployed.map(m => ({
      cluster: clusterName,
      namespace: m.namespace,
      kind: 'Deployment' as const,
      name: m.id,
      modelId: m.id,
      replicas: {
        desired: replicas.get(m.id)!,
        ready: replicas.get(m.id)!,
      },
      gpusPerReplica: m.deployment!.gpusPerReplica,
      pool: m.deployment!.pool,
    }));
    return {
      cluster: {
        name: cluster.name,
        provider: cluster.provider,
        region: cluster.region,
        demo: true,
      },
      observedAt: at.toISOString(),
      pools,
      workloads,
    };
  }
}
