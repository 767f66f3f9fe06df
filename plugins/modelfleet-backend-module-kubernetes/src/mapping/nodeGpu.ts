/** The GPUs of a node, read from its allocatable resources and its GPU feature discovery, Karpenter and GKE labels. */
import type { V1Node } from '@kubernetes/client-node';
import { GpuSharingMode } from '@modelfleet/plugin-modelfleet-common';
import {
  GFD_COUNT,
  GFD_MEMORY,
  GFD_PRESENT,
  GFD_PRODUCT,
  GFD_REPLICAS,
  GKE_ACCELERATOR,
  KARPENTER_AWS_GPU_COUNT,
  KARPENTER_AWS_GPU_MEMORY,
  KARPENTER_AWS_GPU_NAME,
  NVIDIA_GPU,
  NVIDIA_MIG_PREFIX,
} from '../labels';
import { parseCount } from './common';
import { labelsOf } from './nodes';

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
