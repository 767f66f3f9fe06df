import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Documented, and run as tests. */
export const examples: TemplateExample[] = [
  {
    description:
      'The cheapest pool for an 8B chat model served by vLLM in bf16, two to four replicas, spot allowed',
    example: yaml.stringify({
      steps: [
        {
          id: 'placement',
          action: 'modelfleet:placement:recommend',
          name: 'Pick a GPU pool',
          input: {
            name: 'llama-3-1-8b-chat',
            owner: 'group:default/assistant-team',
            runtime: 'vllm',
            parametersBillions: 8,
            precision: 'bf16',
            replicas: { min: 2, max: 4 },
            traffic: 'always-on',
            spot: 'allow',
          },
        },
      ],
    }),
  },
  {
    description:
      'Check the pool the developer picked: on-demand only, us-central1 residency, at most $3,000 a month',
    example: yaml.stringify({
      steps: [
        {
          id: 'placement',
          action: 'modelfleet:placement:recommend',
          name: 'Check the GPU pool',
          input: {
            name: 'whisper-large-v3',
            owner: 'group:default/speech-team',
            runtime: 'triton',
            parametersBillions: 1.55,
            precision: 'fp16',
            replicas: { min: 1, max: 2 },
            spot: 'forbid',
            regions: ['us-central1'],
            monthlyBudgetUsd: 3000,
            pool: 'gpupool:default/demo-gcp-usc1.a2-a100',
          },
        },
      ],
    }),
  },
];
