import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Documented, and run as tests. */
export const examples: TemplateExample[] = [
  {
    description: 'GPU memory of an 8B chat model served in bf16',
    example: yaml.stringify({
      steps: [
        {
          id: 'memory',
          action: 'modelfleet:model:estimate-memory',
          name: 'Estimate GPU memory',
          input: { parametersBillions: 8, precision: 'bf16' },
        },
      ],
    }),
  },
  {
    description: 'A 70B model sharded over 4 GPUs with 30 % KV-cache headroom',
    example: yaml.stringify({
      steps: [
        {
          id: 'memory',
          action: 'modelfleet:model:estimate-memory',
          name: 'Estimate GPU memory',
          input: {
            parametersBillions: 70,
            precision: 'bf16',
            kvCacheFraction: 0.3,
            gpuCount: 4,
          },
        },
      ],
    }),
  },
];
