/** What a node's labels and provider id say of it: its pool, instance type, capacity type, cloud, region and zone. */
import type { V1Node } from '@kubernetes/client-node';
import {
  CapacityType,
  CloudProvider,
} from '@modelfleet/plugin-modelfleet-common';
import {
  AKS_SCALE_SET_PRIORITY,
  EKS_CAPACITY_TYPE,
  GKE_PREEMPTIBLE,
  GKE_SPOT,
  INSTANCE_TYPE_LABELS,
  KARPENTER_CAPACITY_TYPE,
  POOL_LABELS,
  REGION_LABELS,
  ZONE_LABELS,
} from '../labels';
import { firstLabel, mostCommon } from './common';

/** The node's labels; none when it has none. */
export const labelsOf = (node: V1Node): Record<string, string> =>
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
