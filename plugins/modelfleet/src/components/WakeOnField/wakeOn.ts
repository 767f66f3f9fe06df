/** The WakeOn field's `ui:options`, props and the pure rules of when it applies. */
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';

/**
 * `ui:options` of the WakeOn field.
 *
 * @public
 */
export type WakeOnUiOptions = {
  /** Form field of the traffic pattern. Defaults to `traffic`. */
  trafficField?: string;
  /**
   * The traffic patterns that idle, for which the wake method is asked.
   * Defaults to `business-hours` and `sporadic`.
   */
  idleTraffic?: string[];
};

/**
 * Props of the WakeOn field.
 *
 * @public
 */
export type WakeOnFieldProps = FieldExtensionComponentProps<
  string | undefined,
  WakeOnUiOptions
>;

/** The default form field of the traffic pattern. */
export const DEFAULT_TRAFFIC_FIELD = 'traffic';

/** The traffic patterns that scale to zero, by default. */
export const DEFAULT_IDLE_TRAFFIC: readonly string[] = [
  'business-hours',
  'sporadic',
];

/**
 * Whether the wake method applies to the form's values: only when the
 * traffic pattern (`options.trafficField`) is one that idles.
 */
export function wakeOnApplies(
  formData: unknown,
  options: WakeOnUiOptions | undefined,
): boolean {
  if (!formData || typeof formData !== 'object') return false;
  const traffic = (formData as Record<string, unknown>)[
    options?.trafficField ?? DEFAULT_TRAFFIC_FIELD
  ];
  const idle = options?.idleTraffic ?? DEFAULT_IDLE_TRAFFIC;
  return typeof traffic === 'string' && idle.includes(traffic);
}

/** One answer of the wake method: its value and its name in words. */
export type WakeOnChoice = { value: string; label: string };

/**
 * The answers a wake method schema offers (`enum`), each named by its
 * `enumNames` entry, or by the value itself without one.
 */
export function wakeOnChoices(
  schema: { enum?: unknown; enumNames?: unknown } | undefined,
): WakeOnChoice[] {
  const values = Array.isArray(schema?.enum) ? schema!.enum : [];
  const names = Array.isArray(schema?.enumNames) ? schema!.enumNames : [];
  return values
    .filter((v): v is string => typeof v === 'string')
    .map((value, i) => ({
      value,
      label: typeof names[i] === 'string' ? (names[i] as string) : value,
    }));
}

/**
 * What the field's value should become (`{ to }`), or `undefined` when it
 * is right: cleared (`to: undefined`) when the wake method does not apply
 * but a value is kept, so no stale answer reaches the Review step or the
 * task; `fallback` (the schema's default) when it applies and is empty.
 */
export function wakeOnCorrection(
  value: unknown,
  applies: boolean,
  fallback: string | undefined,
): { to: string | undefined } | undefined {
  if (!applies) return value === undefined ? undefined : { to: undefined };
  if ((value === undefined || value === '') && fallback !== undefined) {
    return { to: fallback };
  }
  return undefined;
}
