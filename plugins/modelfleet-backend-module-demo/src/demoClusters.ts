/** The demo fleet's clusters and their GPU node pools. */
import type { DemoCluster, DemoPool } from './demoTypes';

export const DEMO_CLUSTERS: DemoCluster[] = [
  {
    name: 'demo-aws-use1',
    provider: 'aws',
    region: 'us-east-1',
    zones: ['us-east-1a', 'us-east-1b'],
  },
  {
    name: 'demo-gcp-usc1',
    provider: 'gcp',
    region: 'us-central1',
    zones: ['us-central1-a', 'us-central1-c'],
  },
  {
    name: 'demo-azure-eastus',
    provider: 'azure',
    region: 'eastus',
    zones: ['eastus-1', 'eastus-2'],
  },
];

const GIB = 1024;

export const DEMO_POOLS: DemoPool[] = [
  // AWS us-east-1: EKS managed node groups
  {
    cluster: 'demo-aws-use1',
    name: 'g6-l4-spot',
    instanceType: 'g6.xlarge',
    capacityType: 'spot',
    gpu: {
      product: 'L4',
      memoryMiB: Math.round(22.35 * GIB),
      perNode: 1,
      sharing: 'whole',
    },
    nodes: { min: 0, max: 10 },
    idleNodes: 0,
    billedUsdPerNodeHour: 0.347,
  },
  {
    cluster: 'demo-aws-use1',
    name: 'g5-a10g',
    instanceType: 'g5.2xlarge',
    capacityType: 'on-demand',
    gpu: {
      product: 'A10G',
      memoryMiB: Math.round(22.35 * GIB),
      perNode: 1,
      sharing: 'whole',
    },
    nodes: { min: 1, max: 6 },
    idleNodes: 1,
    billedUsdPerNodeHour: 1.1514,
  },
  {
    cluster: 'demo-aws-use1',
    name: 'g6-12x-l4',
    instanceType: 'g6.12xlarge',
    capacityType: 'on-demand',
    gpu: {
      product: 'L4',
      memoryMiB: Math.round(22.35 * GIB),
      perNode: 4,
      sharing: 'whole',
    },
    nodes: { min: 0, max: 4 },
    idleNodes: 0,
    billedUsdPerNodeHour: 4.37152,
  },
  {
    cluster: 'demo-aws-use1',
    name: 'g6e-l40s-spot',
    instanceType: 'g6e.2xlarge',
    capacityType: 'spot',
    gpu: {
      product: 'L40S',
      memoryMiB: Math.round(44.7 * GIB),
      perNode: 1,
      sharing: 'whole',
    },
    nodes: { min: 0, max: 6 },
    idleNodes: 0,
    billedUsdPerNodeHour: 0.8402,
  },
  // GCP us-central1: GKE node pools
  {
    cluster: 'demo-gcp-usc1',
    name: 'g2-l4-spot',
    instanceType: 'g2-standard-8',
    capacityType: 'spot',
    gpu: { product: 'L4', memoryMiB: 24 * GIB, perNode: 1, sharing: 'whole' },
    nodes: { min: 0, max: 8 },
    idleNodes: 0,
    billedUsdPerNodeHour: 0.43623,
  },
  {
    cluster: 'demo-gcp-usc1',
    name: 'g2-l4-shared',
    instanceType: 'g2-standard-8',
    capacityType: 'on-demand',
    gpu: {
      product: 'L4',
      memoryMiB: 24 * GIB,
      perNode: 1,
      sharing: 'time-slicing',
      replicasPerGpu: 4,
    },
    nodes: { min: 1, max: 4 },
    idleNodes: 0,
    billedUsdPerNodeHour: 0.76826,
  },
  {
    cluster: 'demo-gcp-usc1',
    name: 'a2-a100',
    instanceType: 'a2-highgpu-1g',
    capacityType: 'on-demand',
    gpu: { product: 'A100', memoryMiB: 40 * GIB, perNode: 1, sharing: 'whole' },
    nodes: { min: 0, max: 4 },
    idleNodes: 1,
    billedUsdPerNodeHour: 3.30605,
  },
  {
    cluster: 'demo-gcp-usc1',
    name: 'a2u-a100-80-spot',
    instanceType: 'a2-ultragpu-1g',
    capacityType: 'spot',
    gpu: {
      product: 'A100-80GB',
      memoryMiB: 80 * GIB,
      perNode: 1,
      sharing: 'whole',
    },
    nodes: { min: 0, max: 4 },
    idleNodes: 0,
    billedUsdPerNodeHour: 2.73756,
  },
  {
    cluster: 'demo-gcp-usc1',
    name: 'a3-h100',
    instanceType: 'a3-highgpu-8g',
    capacityType: 'on-demand',
    gpu: { product: 'H100', memoryMiB: 80 * GIB, perNode: 8, sharing: 'whole' },
    nodes: { min: 0, max: 2 },
    idleNodes: 0,
    billedUsdPerNodeHour: 38.75953,
  },
  // Azure eastus: AKS agent pools (names are at most 12 lowercase characters)
  {
    cluster: 'demo-azure-eastus',
    name: 'nca100',
    instanceType: 'Standard_NC24ads_A100_v4',
    capacityType: 'on-demand',
    gpu: {
      product: 'A100-80GB',
      memoryMiB: 80 * GIB,
      perNode: 1,
      sharing: 'whole',
    },
    // Its one idle node is the minimum's (no model runs there): lowering
    // the minimum (the demo's node-pool API) lets the autoscaler remove it.
    nodes: { min: 1, max: 4 },
    idleNodes: 0,
    billedUsdPerNodeHour: 3.56281,
  },
  {
    cluster: 'demo-azure-eastus',
    name: 'nc96a100',
    instanceType: 'Standard_NC96ads_A100_v4',
    capacityType: 'on-demand',
    gpu: {
      product: 'A100-80GB',
      memoryMiB: 80 * GIB,
      perNode: 4,
      sharing: 'whole',
    },
    nodes: { min: 0, max: 2 },
    idleNodes: 0,
    billedUsdPerNodeHour: 14.25124,
  },
  {
    cluster: 'demo-azure-eastus',
    name: 'nva10spot',
    instanceType: 'Standard_NV36ads_A10_v5',
    capacityType: 'spot',
    gpu: { product: 'A10', memoryMiB: 24 * GIB, perNode: 1, sharing: 'whole' },
    nodes: { min: 0, max: 6 },
    idleNodes: 0,
    billedUsdPerNodeHour: 0.8,
  },
  {
    // On-demand A10 beside the spot pool: where the spot fallback's
    // stand-in of an A10 model runs while spot is reclaimed. One node is
    // kept (AKS's minimum count) so the pool is seen, and idle.
    cluster: 'demo-azure-eastus',
    name: 'nva10',
    instanceType: 'Standard_NV36ads_A10_v5',
    capacityType: 'on-demand',
    gpu: { product: 'A10', memoryMiB: 24 * GIB, perNode: 1, sharing: 'whole' },
    nodes: { min: 1, max: 4 },
    idleNodes: 1,
    billedUsdPerNodeHour: 3.2,
  },
  {
    cluster: 'demo-azure-eastus',
    name: 'nct4',
    instanceType: 'Standard_NC4as_T4_v3',
    capacityType: 'on-demand',
    gpu: { product: 'T4', memoryMiB: 16 * GIB, perNode: 1, sharing: 'whole' },
    nodes: { min: 0, max: 4 },
    idleNodes: 0,
    billedUsdPerNodeHour: 0.51022,
  },
];
