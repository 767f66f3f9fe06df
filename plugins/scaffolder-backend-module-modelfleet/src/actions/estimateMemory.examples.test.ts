import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createEstimateMemoryAction } from './estimateMemory';
import { examples } from './estimateMemory.examples';

describe('modelfleet:model:estimate-memory examples', () => {
  const action = createEstimateMemoryAction();

  it.each(examples.map(e => [e.description, e.example]))(
    '%s',
    async (_d, example) => {
      const [step] = yaml.parse(example).steps;
      expect(step.action).toBe(action.id);
      const ctx = createMockActionContext({ input: step.input });
      await action.handler(ctx as any);
      const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
      expect(out.totalGiB).toBeGreaterThan(out.weightsGiB);
      expect(out.summary).toMatch(/^A \d+B model in bf16 needs/);
    },
  );
});
