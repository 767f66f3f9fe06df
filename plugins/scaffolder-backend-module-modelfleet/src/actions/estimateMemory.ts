import { InputError } from '@backstage/errors';
import {
  BYTES_PER_PARAMETER,
  estimateModelGpuMemory,
  MODEL_INPUT_RANGES as RANGES,
  ModelPrecision,
} from '@modelfleet/plugin-modelfleet-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod';
import { numberIn, parseInput, scaffolderFields } from '../validation';
import { examples } from './estimateMemory.examples';

const PRECISIONS = Object.keys(BYTES_PER_PARAMETER) as [
  ModelPrecision,
  ...ModelPrecision[],
];

const round2 = (n: number) => Math.round(n * 100) / 100;

const inputFields = {
  parametersBillions: numberIn(
    RANGES.parametersBillions,
    'Parameter count in billions (8 for an 8B model)',
  ),
  precision: z.enum(PRECISIONS, {
    description: 'Precision the weights are served in',
  }),
  kvCacheFraction: numberIn(
    RANGES.kvCacheFraction,
    'KV-cache headroom as a fraction of the weights (default 0.2)',
  ).optional(),
  runtimeOverheadGiB: numberIn(
    RANGES.runtimeOverheadGiB,
    'CUDA context and runtime overhead per GPU in GiB (default 1)',
  ).optional(),
  gpuCount: numberIn(
    RANGES.gpusPerReplica,
    'GPUs the model is sharded over (default 1)',
  ).optional(),
};
const inputSchema = z.object(inputFields).strict();

/**
 * `modelfleet:model:estimate-memory`: how much GPU memory a model needs, in
 * total and per GPU when its weights are sharded over `gpuCount` GPUs
 * (tensor parallelism: weights and KV cache split, the runtime overhead paid
 * on every GPU).
 *
 * @public
 */
export function createEstimateMemoryAction() {
  return createTemplateAction({
    id: 'modelfleet:model:estimate-memory',
    description:
      'Estimates the GPU memory a model needs: weights (parameters × bytes per parameter), KV-cache headroom and runtime overhead, in total and per GPU.',
    examples,
    supportsDryRun: true,
    schema: {
      input: scaffolderFields(inputFields),
      output: scaffolderFields({
        weightsGiB: z.number({ description: 'Memory of the weights' }),
        kvCacheGiB: z.number({ description: 'KV-cache headroom' }),
        runtimeOverheadGiB: z.number({
          description: 'Runtime overhead per GPU',
        }),
        totalGiB: z.number({ description: 'Total over all GPUs' }),
        perGpuGiB: z.number({ description: 'What each GPU must hold' }),
        summary: z.string({ description: 'The estimate in one sentence' }),
      }),
    },
    async handler(ctx) {
      const { gpuCount = 1, ...rest } = parseInput(inputSchema, ctx.input);
      let estimate;
      try {
        estimate = estimateModelGpuMemory(rest);
      } catch (error) {
        throw new InputError((error as Error).message);
      }
      const perGpuGiB = round2(
        (estimate.weightsGiB + estimate.kvCacheGiB) / gpuCount +
          estimate.runtimeOverheadGiB,
      );
      const totalGiB = round2(
        estimate.weightsGiB +
          estimate.kvCacheGiB +
          estimate.runtimeOverheadGiB * gpuCount,
      );
      const summary = `A ${rest.parametersBillions}B model in ${
        rest.precision
      } needs ${totalGiB} GiB: ${estimate.weightsGiB} GiB weights + ${
        estimate.kvCacheGiB
      } GiB KV cache + ${estimate.runtimeOverheadGiB} GiB runtime per GPU${
        gpuCount > 1 ? `, ${perGpuGiB} GiB on each of ${gpuCount} GPUs` : ''
      }`;
      ctx.logger.info(summary);
      ctx.output('weightsGiB', estimate.weightsGiB);
      ctx.output('kvCacheGiB', estimate.kvCacheGiB);
      ctx.output('runtimeOverheadGiB', estimate.runtimeOverheadGiB);
      ctx.output('totalGiB', totalGiB);
      ctx.output('perGpuGiB', perGpuGiB);
      ctx.output('summary', summary);
    },
  });
}
