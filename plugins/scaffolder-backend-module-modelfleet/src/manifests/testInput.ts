import { RenderManifestsInput } from './input';

/** A complete input as a template and the placement step produce it. */
export function baseInput(
  overrides: Partial<RenderManifestsInput> = {},
): RenderManifestsInput {
  return {
    name: 'llama-3-1-8b-chat',
    namespace: 'search',
    title: 'Llama 3.1 8B chat',
    owner: 'group:default/search-team',
    model: {
      source: 'meta-llama/Llama-3.1-8B-Instruct',
      parametersBillions: 8,
      precision: 'bf16',
      runtime: 'vllm',
    },
    gpu: { product: 'L4', count: 1, memoryGiB: 19 },
    replicas: { min: 1, max: 4 },
    traffic: 'always-on',
    pool: {
      ref: 'gpupool:default/gpu-aws-use1.g6-l4',
      cluster: 'gpu-aws-use1',
      region: 'us-east-1',
      capacityType: 'on-demand',
      scheduling: {
        nodeSelector: { 'node.kubernetes.io/instance-type': 'g6.xlarge' },
        tolerations: [
          { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
        ],
        gpuResource: 'nvidia.com/gpu',
      },
    },
    ...overrides,
  };
}
