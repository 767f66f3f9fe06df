/**
 * Where model pods run: the GPU nodes of a cluster and the scheduled pods
 * of its model workloads, for consolidation. Read from the same cache as
 * the pools and workloads; no other call to the API server.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { ModelWorkloadObservation } from '@modelfleet/plugin-modelfleet-common';
import {
  ClusterNodeObservation,
  ModelPodObservation,
} from '@modelfleet/plugin-modelfleet-node';
import { isPodTerminated, podGpuUnits } from './common';
import { readNodeGpu } from './nodeGpu';
import { nodePoolName } from './nodes';
import { selectedPool } from './workloads';

const podKey = (p: V1Pod) =>
  `${p.metadata?.namespace ?? 'default'}/${p.metadata?.name ?? ''}`;

/**
 * The scheduled pods of one model workload (a pod no node has taken yet
 * runs nowhere to consolidate).
 */
export function modelPodsOf(
  w: ModelWorkloadObservation,
  pods: readonly V1Pod[],
): ModelPodObservation[] {
  const out: ModelPodObservation[] = [];
  for (const p of pods) {
    const node = p.spec?.nodeName;
    const name = p.metadata?.name;
    if (!node || !name || isPodTerminated(p)) continue;
    const pinnedPool = selectedPool(p.spec);
    out.push({
      name,
      node,
      workload: {
        cluster: w.cluster,
        namespace: w.namespace,
        kind: w.kind,
        name: w.name,
      },
      gpuUnits: podGpuUnits(p.spec),
      priority: p.spec?.priority ?? 0,
      ...(pinnedPool ? { pinnedPool } : {}),
    });
  }
  return out;
}

/**
 * The GPU nodes of a cluster: pool, schedulable GPU units and the memory
 * of one unit (a whole GPU, or its MIG or time-slice share), with the GPU
 * units pods of no model workload hold on it, and whether it is cordoned.
 */
export function buildClusterNodes(input: {
  nodes: readonly V1Node[];
  pods: readonly V1Pod[];
  /** The model pods, as {@link modelPodsOf} found them. */
  modelPods: readonly ModelPodObservation[];
}): ClusterNodeObservation[] {
  const models = new Set(
    input.modelPods.map(p => `${p.workload.namespace}/${p.name}`),
  );
  const other = new Map<string, number>();
  for (const p of input.pods) {
    const node = p.spec?.nodeName;
    if (!node || isPodTerminated(p) || models.has(podKey(p))) continue;
    const units = podGpuUnits(p.spec);
    if (units > 0) other.set(node, (other.get(node) ?? 0) + units);
  }
  const out: ClusterNodeObservation[] = [];
  for (const node of input.nodes) {
    const name = node.metadata?.name;
    const gpu = readNodeGpu(node);
    if (!name || !gpu) continue;
    const share = gpu.sharing === 'whole' ? 1 : gpu.replicasPerGpu ?? 1;
    const otherGpuUnits = other.get(name) ?? 0;
    out.push({
      name,
      pool: nodePoolName(node),
      gpuUnits: gpu.allocatable,
      ...(gpu.memoryMiB
        ? { unitMemoryMiB: Math.floor(gpu.memoryMiB / share) }
        : {}),
      ...(otherGpuUnits ? { otherGpuUnits } : {}),
      ...(node.spec?.unschedulable ? { cordoned: true } : {}),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
