import { InputError } from '@backstage/errors';
import {
  BYTES_PER_PARAMETER,
  describeRange,
  MODEL_INPUT_RANGES as RANGES,
  NumericRange,
  PlacementRequestBody,
} from '@modelfleet/plugin-modelfleet-common';
import { z } from 'zod';

const PRECISIONS = Object.keys(BYTES_PER_PARAMETER) as [string, ...string[]];

/**
 * A finite number in `range`. `1e999` arrives as Infinity from JSON.parse
 * and would be sent on as `null`; fractions where a count is meant, and
 * absurd magnitudes, are refused the same way, naming the range.
 */
function numberIn(range: NumericRange) {
  const message = `must be ${describeRange(range)}`;
  let n = z.number({ invalid_type_error: message }).finite(message);
  if (range.integer) n = n.int(message);
  n = range.exclusiveMin ? n.gt(range.min, message) : n.min(range.min, message);
  return n.max(range.max, message);
}

const names = () => z.array(z.string().min(1).max(100)).max(50).optional();

const schema = z
  .object({
    name: z
      .string()
      .regex(
        /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
        'must be a lower-case DNS label (a-z, 0-9, -; at most 63 characters)',
      ),
    owner: z.string().min(1).max(400).optional(),
    runtime: z.enum(['vllm', 'tgi', 'triton', 'generic']).optional(),
    memoryMiB: numberIn(RANGES.memoryMiB).optional(),
    parametersBillions: numberIn(RANGES.parametersBillions).optional(),
    precision: z.enum(PRECISIONS).optional(),
    gpusPerReplica: numberIn(RANGES.gpusPerReplica).optional(),
    replicas: z
      .object({
        min: numberIn(RANGES.minReplicas),
        max: numberIn(RANGES.maxReplicas),
      })
      .strict(),
    traffic: z.enum(['always-on', 'business-hours', 'sporadic']).optional(),
    spot: z.enum(['forbid', 'allow', 'require']).optional(),
    regions: names(),
    gpuTypes: names(),
    monthlyBudgetUsd: numberIn(RANGES.monthlyBudgetUsd).optional(),
    priority: numberIn(RANGES.priority).optional(),
    pool: z.string().min(1).max(400).optional(),
  })
  .strict();

/**
 * Reads a `POST /placement` body, or throws an InputError naming the first
 * bad field (`replicas.max: …`, `replicas.maxx: unknown key`), at any depth.
 */
export function parsePlacementRequest(body: unknown): PlacementRequestBody {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      throw new InputError(
        issue.keys
          .map(k => `${[...issue.path, k].join('.')}: unknown key`)
          .join('; '),
      );
    }
    throw new InputError(`${issue.path.join('.') || 'body'}: ${issue.message}`);
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
