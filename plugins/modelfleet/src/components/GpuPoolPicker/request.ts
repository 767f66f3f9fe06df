import type {
  ModelPrecision,
  ModelRuntime,
  PlacementRequestBody,
  PlacementSpotTolerance,
  TrafficPattern,
} from '@modelfleet/plugin-modelfleet-common';

/**
 * The form values the GpuPoolPicker reads to place the model, by their
 * default template parameter names.
 *
 * @public
 */
export type GpuPoolPickerInput =
  | 'name'
  | 'owner'
  | 'runtime'
  | 'parametersBillions'
  | 'precision'
  | 'memoryMiB'
  | 'gpusPerReplica'
  | 'replicasMin'
  | 'replicasMax'
  | 'traffic'
  | 'spot'
  | 'regions'
  | 'gpuTypes'
  | 'monthlyBudgetUsd';

/** Default form field name of each input: the same as the input. */
export const DEFAULT_INPUT_FIELDS: Record<GpuPoolPickerInput, string> = {
  name: 'name',
  owner: 'owner',
  runtime: 'runtime',
  parametersBillions: 'parametersBillions',
  precision: 'precision',
  memoryMiB: 'memoryMiB',
  gpusPerReplica: 'gpusPerReplica',
  replicasMin: 'replicasMin',
  replicasMax: 'replicasMax',
  traffic: 'traffic',
  spot: 'spot',
  regions: 'regions',
  gpuTypes: 'gpuTypes',
  monthlyBudgetUsd: 'monthlyBudgetUsd',
};

/** Reads `path` (a field name, or a dotted path into nested objects). */
function read(formData: Record<string, unknown>, path: string): unknown {
  if (path in formData) return formData[path];
  let current: unknown = formData;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed ? trimmed : undefined;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

function texts(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value : [value];
  const result = list.map(text).filter((v): v is string => v !== undefined);
  return result.length ? result : undefined;
}

/**
 * What the picker needs before it can ask for a placement, or the request
 * to send.
 */
export type PlacementInputs =
  | { ready: false; missing: string }
  | { ready: true; body: PlacementRequestBody };

/**
 * The placement request for the form's current values; `fields` renames
 * inputs (`{ replicasMin: 'minReplicas' }`). The model's size is required:
 * `parametersBillions` with `precision`, or `memoryMiB`.
 */
export function placementInputs(
  formData: Record<string, unknown> | undefined,
  fields: Partial<Record<GpuPoolPickerInput, string>> = {},
  pool?: string,
): PlacementInputs {
  const data = formData ?? {};
  const get = (input: GpuPoolPickerInput) =>
    read(data, fields[input] ?? DEFAULT_INPUT_FIELDS[input]);

  const parametersBillions = num(get('parametersBillions'));
  const precision = text(get('precision')) as ModelPrecision | undefined;
  const memoryMiB = num(get('memoryMiB'));
  const sized =
    (memoryMiB !== undefined && memoryMiB > 0) ||
    (parametersBillions !== undefined &&
      parametersBillions > 0 &&
      precision !== undefined);
  if (!sized) {
    return {
      ready: false,
      missing:
        "Enter the model's parameter count and precision to see the GPU pools that fit.",
    };
  }

  const min = num(get('replicasMin')) ?? 1;
  const max = num(get('replicasMax')) ?? Math.max(min, 1);
  const body: PlacementRequestBody = {
    // The name only identifies the model; a new model may not have one yet.
    name: text(get('name')) ?? 'new-model',
    owner: text(get('owner')),
    runtime: text(get('runtime')) as ModelRuntime | undefined,
    memoryMiB: memoryMiB !== undefined && memoryMiB > 0 ? memoryMiB : undefined,
    parametersBillions,
    precision,
    gpusPerReplica: num(get('gpusPerReplica')),
    replicas: { min, max },
    traffic: text(get('traffic')) as TrafficPattern | undefined,
    spot: text(get('spot')) as PlacementSpotTolerance | undefined,
    regions: texts(get('regions')),
    gpuTypes: texts(get('gpuTypes')),
    monthlyBudgetUsd: num(get('monthlyBudgetUsd')),
    pool: text(pool),
  };
  // Leave out what is not set, so the backend's defaults apply.
  for (const key of Object.keys(body) as Array<keyof PlacementRequestBody>) {
    if (body[key] === undefined) delete body[key];
  }
  return { ready: true, body };
}
