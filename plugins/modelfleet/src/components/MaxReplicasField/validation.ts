/** The MaxReplicas field's `ui:options`, props and validation: the maximum replicas, never below the minimum. */
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';

/**
 * `ui:options` of the MaxReplicas field.
 *
 * @public
 */
export type MaxReplicasUiOptions = {
  /** Form field of the minimum replicas. Defaults to `replicasMin`. */
  minField?: string;
};

/**
 * Props of the MaxReplicas field.
 *
 * @public
 */
export type MaxReplicasFieldProps = FieldExtensionComponentProps<
  number | undefined,
  MaxReplicasUiOptions
>;

/** The default form field of the minimum replicas. */
export const DEFAULT_MIN_FIELD = 'replicasMin';

/** The number a form value holds, or undefined. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined;
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/**
 * Why `max` cannot be the maximum replicas with `min` as the minimum, in
 * words for under the field, or undefined when it can.
 */
export function maxReplicasProblem(
  max: unknown,
  min: unknown,
): string | undefined {
  const maximum = numberOf(max);
  const minimum = numberOf(min);
  if (maximum === undefined || minimum === undefined) return undefined;
  if (maximum < minimum) {
    return `must be at least the minimum replicas (${minimum}): lower the minimum or raise the maximum`;
  }
  return undefined;
}

/**
 * Validation of the MaxReplicas field: at least the minimum replicas, on
 * the step where both are typed (the range of each is the schema's).
 *
 * @public
 */
export const maxReplicasValidation: CustomFieldValidator<
  number | undefined,
  MaxReplicasUiOptions
> = (value, validation, context) => {
  const minField =
    (context.uiSchema?.['ui:options'] as MaxReplicasUiOptions | undefined)
      ?.minField ?? DEFAULT_MIN_FIELD;
  const problem = maxReplicasProblem(
    value,
    (context.formData as Record<string, unknown> | undefined)?.[minField],
  );
  if (problem) validation.addError(problem);
};
