import { Entity, entityKindSchemaValidator } from '@backstage/catalog-model';

/**
 * `entityKindSchemaValidator` of a kind's JSON schema, compiled on its
 * first call rather than when the module loads. Compiling a kind's schema
 * takes tens of milliseconds; the frontend imports the kinds for
 * `isModelEntity` and `isGpuPoolEntity` and never validates, so compiling
 * at import only delayed the start of every page.
 */
export function lazyKindSchemaValidator<T extends Entity>(
  schema: unknown,
): (data: unknown) => T | false {
  let validate: ((data: unknown) => T | false) | undefined;
  return data => {
    validate ??= entityKindSchemaValidator<T>(schema);
    return validate(data);
  };
}
