import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  describeRange,
  MODEL_INPUT_RANGES,
  NumericRange,
} from '@modelfleet/plugin-modelfleet-common';
import { z } from 'zod';

/**
 * A finite number inside `range`, whose JSON schema carries the range
 * (`minimum`/`exclusiveMinimum`, `maximum`, `integer`) and whose error says
 * it (`must be a whole number from 0 to 64`) for any bad value: out of
 * range, fractional, NaN, Infinity or not a number at all.
 */
export function numberIn(range: NumericRange, description: string) {
  const message = `must be ${describeRange(range)}`;
  let n = z
    .number({
      description: `${description} (${describeRange(range)})`,
      invalid_type_error: message,
    })
    .finite(message);
  if (range.integer) n = n.int(message);
  n = range.exclusiveMin ? n.gt(range.min, message) : n.min(range.min, message);
  return n.max(range.max, message);
}

/** `replicas: { min, max }`, both bounded, max at least min, nothing else. */
export const replicasSchema = z
  .object(
    {
      min: numberIn(MODEL_INPUT_RANGES.minReplicas, 'Minimum replicas'),
      max: numberIn(MODEL_INPUT_RANGES.maxReplicas, 'Maximum replicas'),
    },
    { description: 'Replica bounds' },
  )
  .strict()
  .refine(r => r.max >= r.min, {
    message: 'max must be ≥ min',
    path: ['max'],
  });

/** `replicas.max` from `['replicas', 'max']`, `tolerations[0].key` from `['tolerations', 0, 'key']`. */
function fieldOf(path: ReadonlyArray<string | number>): string {
  return (
    path
      .map(p => (typeof p === 'number' ? `[${p}]` : `.${p}`))
      .join('')
      .replace(/^\./, '') || 'input'
  );
}

/**
 * Every problem zod found, `field: message` each, unknown keys as
 * `replicas.maxx: unknown key`. No message repeats a string value (zod's
 * enum message would; it is rewritten), so a secret typed into the wrong
 * field does not reach the task log.
 */
export function formatIssues(issues: ReadonlyArray<z.ZodIssue>): string {
  const lines = issues.flatMap(i => {
    if (i.code === 'unrecognized_keys') {
      return i.keys.map(k => `${fieldOf([...i.path, k])}: unknown key`);
    }
    if (i.code === 'invalid_enum_value') {
      // zod's own message repeats the value.
      return [`${fieldOf(i.path)}: must be one of ${i.options.join(', ')}`];
    }
    return [`${fieldOf(i.path)}: ${i.message}`];
  });
  // A value can break several checks with the same message (0.5 replicas
  // is neither whole nor ≥ 1): say it once.
  return [...new Set(lines)].join('; ');
}

/**
 * Parses an action's input with its own (strict) schema, or throws an
 * InputError naming each bad field. The scaffolder checks the input
 * against the JSON schema too, but a handler must not count on it (tests,
 * other callers, fields a JSON schema cannot express).
 */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new InputError(formatIssues(parsed.error.issues));
  }
  return parsed.data;
}

/**
 * The scaffolder's field-by-field input declaration for this package's zod
 * schemas. The scaffolder only turns them into JSON schema; its own zod copy
 * types them differently, hence `any`.
 */
export function scaffolderFields<T extends z.ZodRawShape>(
  shape: T,
): { [K in keyof T]: () => any } {
  return Object.fromEntries(
    Object.entries(shape).map(([k, v]) => [k, () => v]),
  ) as { [K in keyof T]: () => any };
}

/**
 * An entity ref as a user types it: `group:default/team`, `default/team`
 * or `team`. The message gives an example, never the value.
 */
export const entityRefString = (
  description: string,
  example = 'group:default/search-team',
) =>
  z
    .string({ description })
    .max(400)
    .regex(
      /^([A-Za-z]+:)?([A-Za-z0-9][-A-Za-z0-9_.]*\/)?[A-Za-z0-9][-A-Za-z0-9_.]*$/,
      `must be an entity ref such as ${example}`,
    );

/**
 * The Group `ref` names, as a full entity ref, once the catalog (asked on
 * behalf of the user running the template) knows it; an InputError naming
 * `field` otherwise. A team's policy, budget and ownership follow this ref,
 * so it must not be a typo or someone else's kind of entity.
 */
export async function assertGroupInCatalog(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  field: string;
  ref: string;
}): Promise<string> {
  const { catalog, credentials, field, ref } = options;
  let parsed;
  try {
    parsed = parseEntityRef(ref, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch (e) {
    throw new InputError(
      `${field}: '${ref}' is not an entity reference (${(e as Error).message})`,
    );
  }
  if (parsed.kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new InputError(
      `${field}: '${ref}' must refer to a Group, not a ${parsed.kind}`,
    );
  }
  const full = stringifyEntityRef(parsed);
  const entity = await catalog.getEntityByRef(full, { credentials });
  if (!entity || entity.kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new InputError(
      `${field}: ${full} is not a Group in the catalog; pick an existing team`,
    );
  }
  return full;
}
