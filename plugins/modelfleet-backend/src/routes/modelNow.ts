import {
  GpuPoolObservation,
  ModelWorkloadObservation,
} from '@modelfleet/plugin-modelfleet-common';
import { ModelLookup } from '../showback/ModelDirectory';
import { ModelNow } from '../showback/utilizationReport';

/**
 * What a model's replicas hold now, from the fleet state: its replicas
 * summed over its workloads, and one replica's GPUs and GPU memory on the
 * pool of its largest workload. A MIG slice or time-slice is the share of
 * a GPU it is (1 / replicas per GPU). Undefined when no workload runs it.
 */
export function modelNowOf(
  modelRef: string,
  workloads: ModelWorkloadObservation[],
  pools: GpuPoolObservation[],
  modelOf: ModelLookup,
): ModelNow | undefined {
  const own = workloads.filter(w => modelOf(w).modelRef === modelRef);
  if (own.length === 0) return undefined;
  const main = [...own].sort(
    (a, b) => b.replicas.desired - a.replicas.desired,
  )[0];
  const pool = pools.find(
    p => p.cluster === main.cluster && p.name === main.pool,
  );
  const sliced = pool && pool.gpu.sharing !== 'whole';
  const perGpu = sliced ? pool.gpu.replicasPerGpu ?? 1 : 1;
  const gpusPerReplica = main.gpusPerReplica / perGpu;
  return {
    replicas: own.reduce((s, w) => s + w.replicas.desired, 0),
    gpusPerReplica,
    memoryPerReplicaMiB:
      pool?.gpu.memoryMiB !== undefined
        ? pool.gpu.memoryMiB * gpusPerReplica
        : null,
    gpu: pool?.gpu.product ?? null,
  };
}
