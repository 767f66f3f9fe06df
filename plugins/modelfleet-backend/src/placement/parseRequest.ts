import { InputError } from '@backstage/errors';
import {
  BYTES_PER_PARAMETER,
  PlacementRequestBody,
} from '@modelfleet/plugin-modelfleet-common';
import { z } from 'zod';

const PRECISIONS = Object.keys(BYTES_PER_PARAMETER) as [string, ...string[]];

const schema = z
  .object({
    name: z
      .string()
      .regex(
        /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
        'must be a lower-case DNS label (a-z, 0-9, -; at most 63 characters)',
      ),
    owner: z.string().min(1).optional(),
    runtime: z.enum(['vllm', 'tgi', 'triton', 'generic']).optional(),
    memoryMiB: z.number().positive().optional(),
    parametersBillions: z.number().positive().max(10000).optional(),
    precision: z.enum(PRECISIONS).optional(),
    gpusPerReplica: z.number().int().min(1).max(64).optional(),
    replicas: z.object({
      min: z.number().int().min(0).max(1000),
      max: z.number().int().min(1).max(1000),
    }),
    traffic: z.enum(['always-on', 'business-hours', 'sporadic']).optional(),
    spot: z.enum(['forbid', 'allow', 'require']).optional(),
    regions: z.array(z.string().min(1)).optional(),
    gpuTypes: z.array(z.string().min(1)).optional(),
    monthlyBudgetUsd: z.number().positive().optional(),
    priority: z.number().int().optional(),
    pool: z.string().min(1).optional(),
  })
  .strict();

/**
 * Reads a `POST /placement` body, or throws an InputError naming the first
 * bad field (`replicas.max: …`).
 */
export function parsePlacementRequest(body: unknown): PlacementRequestBody {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.join('.') || 'body';
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.join(', ')}`
        : issue.message;
    throw new InputError(`${path}: ${message}`);
  }
  const r = parsed.data as PlacementRequestBody;
  if (r.replicas.max < r.replicas.min) {
    throw new InputError(
      `replicas.max: must be at least replicas.min (${r.replicas.min}), got ${r.replicas.max}`,
    );
  }
  if (r.memoryMiB === undefined) {
    if (r.parametersBillions === undefined) {
      throw new InputError(
        'memoryMiB: give memoryMiB, or parametersBillions with precision',
      );
    }
    if (r.precision === undefined) {
      throw new InputError(
        'precision: needed with parametersBillions to estimate GPU memory',
      );
    }
  }
  return r;
}
