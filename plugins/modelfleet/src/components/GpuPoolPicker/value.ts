/** The value the GpuPoolPicker field stores, its `ui:options` and props, its validation, and how a placement answer maps to the value. */
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import type {
  PlacementRequestBody,
  PlacementResponse,
} from '@modelfleet/plugin-modelfleet-common';
import { GpuPoolPickerInput } from './request';

/**
 * The value the GpuPoolPicker field stores: the picked GpuPool entity ref,
 * its monthly cost at the minimum replicas, and the reasons the model cannot
 * be deployed as requested (empty when it can).
 *
 * @public
 */
export type GpuPoolPickerValue = {
  pool?: string;
  monthlyUsd?: number;
  blocking?: string[];
  /** How the picked pool shares its GPUs (the sleep idle tier needs time-slicing). */
  sharing?: 'whole' | 'mig' | 'time-slicing';
  /** The placement in words, for the scaffolder's Review step. */
  summary?: GpuPoolPickerSummary;
};

/**
 * The picked placement in words. A template shows it on the Review step by
 * declaring these properties with titles under the field's schema (and
 * hiding the others with `ui:backstage: { review: { show: false } }`).
 *
 * @public
 */
export type GpuPoolPickerSummary = {
  /** The pool, its cloud and region, GPUs and capacity type. */
  pool: string;
  /** The GPU memory a replica needs and how it fits the pool's GPUs. */
  memory: string;
  /** What showback charges the owner team a month, at the minimum and maximum replicas. */
  teamPays: string;
  /** What the cloud bill grows by a month, at the minimum and maximum replicas. */
  billGrows: string;
  /** The owner team's policy checks the placement passed. */
  policy: string;
};

/**
 * `ui:options` of the GpuPoolPicker field.
 *
 * @public
 */
export type GpuPoolPickerUiOptions = {
  /**
   * Form field names of the placement inputs, where the template names them
   * differently, e.g. `{ replicasMin: 'minReplicas' }`. A dotted path reads
   * a nested value.
   */
  fields?: Partial<Record<GpuPoolPickerInput, string>>;
  /** Wait this long after the last change of an input before asking again. Defaults to 500 ms. */
  debounceMs?: number;
};

/**
 * Props of the GpuPoolPicker field.
 *
 * @public
 */
export type GpuPoolPickerProps = FieldExtensionComponentProps<
  GpuPoolPickerValue,
  GpuPoolPickerUiOptions
>;

/** The error shown when no pool is picked. */
export const NO_POOL_PICKED = 'Pick a GPU pool for the model to run on.';

/**
 * Validation of the GpuPoolPicker field: a pool must be picked, and the
 * placement must have no blocking reason (a policy violation, no capacity).
 *
 * @public
 */
export const gpuPoolPickerValidation: CustomFieldValidator<
  GpuPoolPickerValue,
  GpuPoolPickerUiOptions
> = (value, validation) => {
  if (!value?.pool) {
    validation.addError(NO_POOL_PICKED);
  }
  for (const reason of value?.blocking ?? []) {
    validation.addError(reason);
  }
};

/** A placement request and the backend's answer to it. */
export type Placement = {
  request: PlacementRequestBody;
  response: PlacementResponse;
};

/**
 * The blocking reasons of a placement for `pool`. When the answer was for
 * another pick, the reasons about that pick are left out until the next
 * answer comes.
 */
export function blockingFor(placement: Placement, pool: string | undefined) {
  const { request, response } = placement;
  if (request.pool === pool) return response.blocking;
  const stale = new Set<string>();
  if (response.picked?.exclusion) stale.add(response.picked.exclusion.reason);
  for (const violation of response.picked?.option?.violations ?? []) {
    stale.add(violation.reason);
  }
  return response.blocking.filter(reason => !stale.has(reason));
}

/** Whether two values of the field are the same. */
export function sameValue(
  a: GpuPoolPickerValue | undefined,
  b: GpuPoolPickerValue,
): boolean {
  return (
    a?.pool === b.pool &&
    a?.monthlyUsd === b.monthlyUsd &&
    a?.sharing === b.sharing &&
    JSON.stringify(a?.blocking ?? []) === JSON.stringify(b.blocking ?? []) &&
    JSON.stringify(a?.summary ?? null) === JSON.stringify(b.summary ?? null)
  );
}
