import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

const step = (name: string, input: Record<string, unknown>) =>
  yaml.stringify({
    steps: [
      {
        id: 'manifests',
        action: 'modelfleet:manifests:render',
        name,
        input,
      },
    ],
  });

/** Documented, and run as tests. */
export const examples: TemplateExample[] = [
  {
    description:
      'An 8B chat model on vLLM, always on, on one whole L4 of a spot pool',
    example: step('Render Kubernetes manifests', {
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
        ref: 'gpupool:default/gpu-aws-use1.g6-l4-spot',
        cluster: 'gpu-aws-use1',
        region: 'us-east-1',
        capacityType: 'spot',
        scheduling: {
          nodeSelector: {
            'node.kubernetes.io/instance-type': 'g6.xlarge',
            'karpenter.sh/capacity-type': 'spot',
          },
          tolerations: [
            { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
          ],
          gpuResource: 'nvidia.com/gpu',
        },
      },
      spot: 'allow',
      monthlyBudgetUsd: 3000,
    }),
  },
  {
    description:
      'A quantized model on TGI from S3, on a MIG slice, scaled to zero outside Paris business hours',
    example: step('Render Kubernetes manifests', {
      name: 'mistral-7b-support',
      owner: 'group:default/support-team',
      model: {
        source: 's3://models-acme/mistral-7b-instruct-awq/',
        parametersBillions: 7,
        precision: 'int4',
        runtime: 'tgi',
      },
      gpu: { product: 'A100-80GB', count: 1, memoryGiB: 10 },
      replicas: { min: 0, max: 2 },
      traffic: 'business-hours',
      hibernation: {
        idleMinutes: 20,
        businessHours: {
          start: '0 8 * * 1-5',
          end: '0 18 * * 1-5',
          timezone: 'Europe/Paris',
        },
      },
      pool: {
        ref: 'gpupool:default/gpu-aws-euw3.p4de-mig',
        cluster: 'gpu-aws-euw3',
        region: 'eu-west-3',
        capacityType: 'on-demand',
        scheduling: {
          nodeSelector: { 'nvidia.com/mig.config': 'all-3g.40gb' },
          tolerations: [],
          gpuResource: 'nvidia.com/mig-3g.40gb',
        },
      },
      spot: 'forbid',
      targetPath: 'deploy',
    }),
  },
  {
    description:
      'A sporadic 8B model on vLLM sharing a time-sliced L4: asleep between bursts, woken in seconds by its wake gate',
    example: step('Render Kubernetes manifests', {
      name: 'qwen-7b-drafts',
      namespace: 'search',
      owner: 'group:default/search-team',
      model: {
        source: 'Qwen/Qwen2.5-7B-Instruct',
        parametersBillions: 7.6,
        precision: 'bf16',
        runtime: 'vllm',
      },
      gpu: { product: 'L4', count: 1, memoryGiB: 19 },
      replicas: { min: 1, max: 1 },
      traffic: 'sporadic',
      idleTier: 'sleep',
      hibernation: { idleMinutes: 5 },
      pool: {
        ref: 'gpupool:default/gpu-gcp-usc1.g2-l4-shared',
        cluster: 'gpu-gcp-usc1',
        region: 'us-central1',
        capacityType: 'on-demand',
        sharing: 'time-slicing',
        scheduling: {
          nodeSelector: {
            'cloud.google.com/gke-gpu-sharing-strategy': 'time-sharing',
          },
          tolerations: [],
          gpuResource: 'nvidia.com/gpu',
        },
      },
    }),
  },
];
