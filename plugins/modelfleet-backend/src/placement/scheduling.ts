import {
  GpuPoolObservation,
  PoolScheduling,
} from '@modelfleet/plugin-modelfleet-common';

/** The node label each provider's managed node pools carry with the pool's name. */
const POOL_LABEL: Record<GpuPoolObservation['provider'], string> = {
  aws: 'eks.amazonaws.com/nodegroup',
  gcp: 'cloud.google.com/gke-nodepool',
  azure: 'kubernetes.azure.com/agentpool',
  other: 'modelfleet.io/pool',
};

/** MIG profile of a GPU split into `slices` equal instances (NVIDIA's A100/H100 profiles). */
function migResource(memoryMiB: number | undefined, slices: number): string {
  const compute: Record<number, number> = { 7: 1, 3: 2, 2: 3, 1: 7 };
  const memoryEighths: Record<number, number> = { 1: 1, 2: 2, 3: 4, 7: 8 };
  const g = compute[slices];
  if (!g || !memoryMiB) return 'nvidia.com/gpu';
  const gb = Math.round(((memoryMiB / 1024) * memoryEighths[g]) / 8);
  return `nvidia.com/mig-${g}g.${gb}gb`;
}

/**
 * What a model's pods need to land on a pool: the pool's node label, the
 * taints GPU and spot node pools carry on each cloud (the NVIDIA GPU taint
 * GKE adds and EKS/AKS GPU pools are usually given, AKS's spot taint, GKE's
 * spot label), and the GPU resource to request.
 */
export function poolScheduling(pool: GpuPoolObservation): PoolScheduling {
  const nodeSelector: Record<string, string> = {
    [POOL_LABEL[pool.provider]]: pool.name,
  };
  const tolerations: PoolScheduling['tolerations'] = [
    { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (pool.capacityType === 'spot') {
    if (pool.provider === 'azure') {
      tolerations.push({
        key: 'kubernetes.azure.com/scalesetpriority',
        operator: 'Equal',
        value: 'spot',
        effect: 'NoSchedule',
      });
    }
    if (pool.provider === 'gcp') {
      nodeSelector['cloud.google.com/gke-spot'] = 'true';
      tolerations.push({
        key: 'cloud.google.com/gke-spot',
        operator: 'Equal',
        value: 'true',
        effect: 'NoSchedule',
      });
    }
  }
  const gpuResource =
    pool.gpu.sharing === 'mig'
      ? migResource(pool.gpu.memoryMiB, pool.gpu.replicasPerGpu ?? 1)
      : 'nvidia.com/gpu';
  return { nodeSelector, tolerations, gpuResource };
}
