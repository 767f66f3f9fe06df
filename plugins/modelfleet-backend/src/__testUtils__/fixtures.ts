import { GpuPoolObservation } from '@modelfleet/plugin-modelfleet-common';

/** An L4 spot pool in us-east-1 with one of two GPUs allocated. */
export function pool(cluster: string, name: string): GpuPoolObservation {
  return {
    cluster,
    name,
    provider: 'aws',
    region: 'us-east-1',
    zones: ['us-east-1a'],
    instanceType: 'g6.xlarge',
    capacityType: 'spot',
    gpu: { product: 'L4', memoryMiB: 23034, perNode: 1, sharing: 'whole' },
    nodes: { current: 2, min: 0, max: 8 },
    gpus: { allocatable: 2, allocated: 1 },
  };
}
