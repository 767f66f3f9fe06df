import type { V1Node, V1Pod } from '@kubernetes/client-node';
import {
  CapacityType,
  CloudProvider,
  GpuPoolObservation,
  GpuSharingMode,
} from '@modelfleet/plugin-modelfleet-common';
import {
  AKS_SCALE_SET_PRIORITY,
  EKS_CAPACITY_TYPE,
  GFD_COUNT,
  GFD_MEMORY,
  GFD_PRESENT,
  GFD_PRODUCT,
  GFD_REPLICAS,
  GKE_ACCELERATOR,
  GKE_PREEMPTIBLE,
  GKE_SPOT,
  INSTANCE_TYPE_LABELS,
  KARPENTER_AWS_GPU_COUNT,
  KARPENTER_AWS_GPU_MEMORY,
  KARPENTER_AWS_GPU_NAME,
  KARPENTER_CAPACITY_TYPE,
  NVIDIA_GPU,
  NVIDIA_MIG_PREFIX,
  POOL_LABELS,
  RECLAIM_TAINTS,
  REGION_LABELS,
  ZONE_LABELS,
} from '../labels';
import {
  firstLabel,
  isPodTerminated,
  mostCommon,
  parseCount,
  podGpuUnits,
} from './common';
import { catalogGpuName } from './gpuNames';

/** The GPUs of one node, as its labels and allocatable resources tell. */
export interface NodeGpu {
  product: string;
  memoryMiB?: number;
  /** Physical GPUs. */
  perNode: number;
  sharing: GpuSharingMode;
  replicasPerGpu?: number;
  /** Schedulable GPU units: `nvidia.com/gpu` plus MIG slices. */
  allocatable: number;
}

const labelsOf = (node: V1Node): Record<string, string> =>
  node.metadata?.labels ?? {};

/** The value of the node's pool label, if it has one. */
export function nodePoolLabel(node: V1Node): string | undefined {
  return firstLabel(labelsOf(node), POOL_LABELS);
}

export function nodeInstanceType(node: V1Node): string | undefined {
  return firstLabel(labelsOf(node), INSTANCE_TYPE_LABELS);
}

/**
 * The pool a GPU node is counted in: its pool label, or else its instance
 * type, or else `unknown`.
 */
export function nodePoolName(node: V1Node): string {
  return nodePoolLabel(node) ?? nodeInstanceType(node) ?? 'unknown';
}

/** How the node is bought, from the Karpenter, EKS, GKE or AKS labels. */
export function nodeCapacityType(node: V1Node): CapacityType {
  const labels = labelsOf(node);
  const karpenter = labels[KARPENTER_CAPACITY_TYPE]?.toLowerCase();
  if (
    karpenter === 'spot' ||
    karpenter === 'on-demand' ||
    karpenter === 'reserved'
  ) {
    return karpenter;
  }
  const eks = labels[EKS_CAPACITY_TYPE]?.toUpperCase();
  if (eks === 'SPOT') return 'spot';
  if (eks === 'CAPACITY_BLOCK') return 'reserved';
  if (labels[GKE_SPOT] === 'true' || labels[GKE_PREEMPTIBLE] === 'true') {
    return 'spot';
  }
  if (labels[AKS_SCALE_SET_PRIORITY]?.toLowerCase() === 'spot') return 'spot';
  return 'on-demand';
}

/** The cloud a node runs in, from its platform labels or provider id. */
export function nodeProvider(node: V1Node): CloudProvider | undefined {
  const keys = Object.keys(labelsOf(node));
  const providerId = node.spec?.providerID ?? '';
  const hasPrefix = (...prefixes: string[]) =>
    keys.some(k => prefixes.some(p => k.startsWith(p)));
  if (
    providerId.startsWith('aws://') ||
    hasPrefix('eks.amazonaws.com/', 'karpenter.k8s.aws/')
  ) {
    return 'aws';
  }
  if (providerId.startsWith('gce://') || hasPrefix('cloud.google.com/gke-')) {
    return 'gcp';
  }
  if (providerId.startsWith('azure://') || hasPrefix('kubernetes.azure.com/')) {
    return 'azure';
  }
  return undefined;
}

export function nodeRegion(node: V1Node): string | undefined {
  return firstLabel(labelsOf(node), REGION_LABELS);
}

export function nodeZone(node: V1Node): string | undefined {
  return firstLabel(labelsOf(node), ZONE_LABELS);
}

/** Compute slices (GPCs) of a MIG profile such as `3g.40gb` or `1c.3g.40gb`. */
function migComputeSlices(profile: string): number {
  return parseCount(/(\d+)g\.\d+gb/i.exec(profile)?.[1]) || 1;
}

/** Compute slices of one GPU: 4 on an A30, 7 on A100, H100, H200 and B200. */
function migMaxSlices(product: string): number {
  return /A30\b/i.test(product) ? 4 : 7;
}

/**
 * The GPUs of a node, or undefined when it has none. A node has GPUs when it
 * offers `nvidia.com/gpu` or MIG resources, or when GPU feature discovery or
 * its platform labels it as a GPU node (so a node whose device plugin is not
 * up yet still counts, with nothing allocatable).
 */
export function readNodeGpu(node: V1Node): NodeGpu | undefined {
  const labels = labelsOf(node);
  const allocatable = node.status?.allocatable ?? {};
  const whole = parseCount(allocatable[NVIDIA_GPU]);
  const mig = Object.entries(allocatable)
    .filter(([name]) => name.startsWith(NVIDIA_MIG_PREFIX))
    .map(([name, q]) => ({
      profile: name.slice(NVIDIA_MIG_PREFIX.length),
      count: parseCount(q),
    }))
    .filter(p => p.count > 0);
  const migTotal = mig.reduce((sum, p) => sum + p.count, 0);
  const gfdCount = parseCount(labels[GFD_COUNT]);
  const isGpuNode =
    whole > 0 ||
    migTotal > 0 ||
    parseCount(node.status?.capacity?.[NVIDIA_GPU]) > 0 ||
    labels[GFD_PRESENT] === 'true' ||
    Boolean(labels[GFD_PRODUCT]) ||
    gfdCount > 0 ||
    Boolean(labels[GKE_ACCELERATOR]) ||
    parseCount(labels[KARPENTER_AWS_GPU_COUNT]) > 0;
  if (!isGpuNode) return undefined;

  // GPU feature discovery marks shared GPUs with a -SHARED suffix.
  let product = (
    labels[GFD_PRODUCT] ??
    labels[GKE_ACCELERATOR] ??
    labels[KARPENTER_AWS_GPU_NAME] ??
    'unknown'
  ).replace(/-SHARED$/i, '');
  const memoryMiB =
    parseCount(labels[GFD_MEMORY]) ||
    parseCount(labels[KARPENTER_AWS_GPU_MEMORY]) ||
    undefined;
  const withMemory = memoryMiB ? { memoryMiB } : {};

  // MIG, mixed strategy: each profile is its own resource, and GPU feature
  // discovery counts the physical GPUs.
  if (migTotal > 0) {
    const maxSlices = migMaxSlices(product);
    const migGpus =
      gfdCount > whole
        ? gfdCount - whole
        : Math.max(
            1,
            Math.ceil(
              mig.reduce(
                (s, p) => s + p.count * migComputeSlices(p.profile),
                0,
              ) / maxSlices,
            ),
          );
    return {
      product,
      ...withMemory,
      perNode: gfdCount > whole ? gfdCount : whole + migGpus,
      sharing: 'mig',
      replicasPerGpu: Math.max(1, Math.round(migTotal / migGpus)),
      allocatable: whole + migTotal,
    };
  }

  // MIG, single strategy: every GPU is cut the same way, MIG devices are
  // offered as nvidia.com/gpu and the product label names the profile.
  const single = /^(.+)-MIG-(.+)$/i.exec(product);
  if (single) {
    product = single[1];
    const perGpu = Math.max(
      1,
      Math.floor(migMaxSlices(product) / migComputeSlices(single[2])),
    );
    const devices = Math.max(whole, gfdCount);
    return {
      product,
      perNode: Math.ceil(devices / perGpu),
      sharing: 'mig',
      replicasPerGpu: perGpu,
      allocatable: whole,
    };
  }

  const replicas = parseCount(labels[GFD_REPLICAS]);
  if (replicas > 1) {
    return {
      product,
      ...withMemory,
      perNode: gfdCount || Math.floor(whole / replicas),
      sharing: 'time-slicing',
      replicasPerGpu: replicas,
      allocatable: whole,
    };
  }
  return {
    product,
    ...withMemory,
    perNode: gfdCount || whole || parseCount(labels[KARPENTER_AWS_GPU_COUNT]),
    sharing: 'whole',
    allocatable: whole,
  };
}

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

/** The pool's nodes under a spot reclaim notice now, and the latest notice. */
function poolReclaim(
  nodes: readonly V1Node[],
): Pick<GpuPoolObservation, 'reclaim'> {
  const notices = reclaimNotices(nodes, new Date());
  if (notices.size === 0) return {};
  return {
    reclaim: {
      nodes: notices.size,
      noticedAt: [...notices.values()].sort().pop()!,
    },
  };
}

/** The cloud and region of a cluster, as most of its nodes say. */
export function inferClusterPlacement(nodes: readonly V1Node[]): {
  provider?: CloudProvider;
  region?: string;
} {
  const provider = mostCommon(nodes.map(nodeProvider));
  const region = mostCommon(nodes.map(nodeRegion));
  return {
    ...(provider ? { provider } : {}),
    ...(region ? { region } : {}),
  };
}
