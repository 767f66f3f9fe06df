import type { V1Node, V1Pod } from '@kubernetes/client-node';
import {
  CloudProvider,
  GpuPoolObservation,
} from '@modelfleet/plugin-modelfleet-common';
import { RECLAIM_TAINTS } from '../labels';
import { isPodTerminated, mostCommon, podGpuUnits } from './common';
import { catalogGpuName } from './gpuNames';
import { NodeGpu, readNodeGpu } from './nodeGpu';
import {
  nodeCapacityType,
  nodeInstanceType,
  nodePoolName,
  nodeRegion,
  nodeZone,
} from './nodes';

/** The pool of every GPU node, by node name. */
export function gpuNodePools(nodes: readonly V1Node[]): Map<string, string> {
  const pools = new Map<string, string>();
  for (const node of nodes) {
    if (node.metadata?.name && readNodeGpu(node)) {
      pools.set(node.metadata.name, nodePoolName(node));
    }
  }
  return pools;
}

/**
 * The nodes under a spot reclaim notice ({@link RECLAIM_TAINTS}), by node
 * name, with the notice's time (the taint's `timeAdded`, else now).
 */
export function reclaimNotices(
  nodes: readonly V1Node[],
  now: Date,
): Map<string, string> {
  const notices = new Map<string, string>();
  for (const node of nodes) {
    const taint = node.spec?.taints?.find(t =>
      (RECLAIM_TAINTS as readonly string[]).includes(t.key),
    );
    if (!node.metadata?.name || !taint) continue;
    const added = taint.timeAdded ? new Date(taint.timeAdded) : now;
    notices.set(
      node.metadata.name,
      (Number.isNaN(added.getTime()) ? now : added).toISOString(),
    );
  }
  return notices;
}

/** GPU units requested by the pods that hold them, by node name. */
export function allocatedGpusByNode(
  pods: readonly V1Pod[],
): Map<string, number> {
  const byNode = new Map<string, number>();
  for (const pod of pods) {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || isPodTerminated(pod)) continue;
    const units = podGpuUnits(pod.spec);
    if (units > 0) byNode.set(nodeName, (byNode.get(nodeName) ?? 0) + units);
  }
  return byNode;
}

/**
 * The GPU pools of a cluster: its GPU nodes grouped by pool, each described
 * by what most of its nodes are (a Karpenter NodePool may mix instance
 * types and capacity types), with the GPUs its pods request against what
 * its nodes offer.
 */
export function buildGpuPools(input: {
  cluster: string;
  provider: CloudProvider;
  /** The configured region; otherwise the nodes' region label. */
  region?: string;
  nodes: readonly V1Node[];
  pods: readonly V1Pod[];
}): GpuPoolObservation[] {
  const groups = new Map<string, Array<{ node: V1Node; gpu: NodeGpu }>>();
  for (const node of input.nodes) {
    const gpu = readNodeGpu(node);
    if (!gpu) continue;
    const name = nodePoolName(node);
    const members = groups.get(name) ?? [];
    members.push({ node, gpu });
    groups.set(name, members);
  }
  const allocated = allocatedGpusByNode(input.pods);

  return [...groups.keys()].sort().map(name => {
    const members = groups.get(name)!;
    const nodes = members.map(m => m.node);
    const gpu = mostCommon(
      members.map(m => m.gpu),
      g =>
        JSON.stringify([
          g.product,
          g.memoryMiB,
          g.perNode,
          g.sharing,
          g.replicasPerGpu,
        ]),
    )!;
    const region = input.region ?? mostCommon(nodes.map(nodeRegion));
    const instanceType = mostCommon(nodes.map(nodeInstanceType));
    const zones = [
      ...new Set(nodes.map(nodeZone).filter((z): z is string => Boolean(z))),
    ].sort();
    return {
      cluster: input.cluster,
      name,
      provider: input.provider,
      ...(region ? { region } : {}),
      zones,
      ...(instanceType ? { instanceType } : {}),
      capacityType: mostCommon(nodes.map(nodeCapacityType)) ?? 'on-demand',
      gpu: {
        // The catalog's and the policies' name (`L4`), not the label's (`NVIDIA-L4`).
        product: catalogGpuName(gpu.product, gpu.memoryMiB),
        ...(gpu.memoryMiB ? { memoryMiB: gpu.memoryMiB } : {}),
        perNode: gpu.perNode,
        sharing: gpu.sharing,
        ...(gpu.replicasPerGpu ? { replicasPerGpu: gpu.replicasPerGpu } : {}),
      },
      nodes: { current: members.length },
      gpus: {
        allocatable: members.reduce((sum, m) => sum + m.gpu.allocatable, 0),
        allocated: nodes.reduce(
          (sum, n) => sum + (allocated.get(n.metadata?.name ?? '') ?? 0),
          0,
        ),
      },
      ...poolReclaim(nodes),
    };
  });
}

/**
 * The pools of `current` and, at zero nodes, those of `seen` (pools seen
 * before) that have no node now: a node pool scaled to zero, or a spot
 * pool whose nodes were all reclaimed, still exists (its nodes come back
 * when the autoscaler, or the market, brings them). A pool emptied under
 * a reclaim notice keeps that notice: its pods wait for capacity that was
 * taken away. Updates `seen` with `current`.
 */
export function withEmptyPools(
  current: GpuPoolObservation[],
  seen: Map<string, GpuPoolObservation>,
): GpuPoolObservation[] {
  const now = new Set(current.map(p => p.name));
  const empty: GpuPoolObservation[] = [];
  for (const [name, last] of seen) {
    if (now.has(name)) continue;
    const { reclaim, ...rest } = last;
    empty.push({
      ...rest,
      nodes: { ...last.nodes, current: 0 },
      gpus: { allocatable: 0, allocated: 0 },
      ...(reclaim
        ? { reclaim: { nodes: 0, noticedAt: reclaim.noticedAt } }
        : {}),
    });
  }
  for (const p of current) seen.set(p.name, p);
  for (const p of empty) seen.set(p.name, p);
  return [...current, ...empty].sort((a, b) => a.name.localeCompare(b.name));
}

/** The pool's nodes under a spot reclaim notice now, each, and the latest notice. */
function poolReclaim(
  nodes: readonly V1Node[],
): Pick<GpuPoolObservation, 'reclaim'> {
  const notices = reclaimNotices(nodes, new Date());
  if (notices.size === 0) return {};
  return {
    reclaim: {
      nodes: notices.size,
      noticedAt: [...notices.values()].sort().pop()!,
      notices: [...notices]
        .map(([node, noticedAt]) => ({ node, noticedAt }))
        .sort((a, b) => a.node.localeCompare(b.node)),
    },
  };
}
