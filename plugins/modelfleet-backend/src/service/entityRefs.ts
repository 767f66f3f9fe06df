import {
  CompoundEntityRef,
  makeValidator,
  parseEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

const validator = makeValidator();

const FORM = '[<kind>:][<namespace>/]<name>';

/**
 * Parses an entity ref a request names (`group:default/search-team`,
 * `default/search-team` or `search-team`), or throws an InputError naming
 * `field`. Its kind, namespace and name must be made of the characters the
 * catalog allows in entity names, checked before the ref is looked up
 * anywhere: the catalog answers a lookup of a lone surrogate or a space
 * with a bare "400 Bad Request" that names no field. The message does not
 * repeat the value: a credential pasted into the wrong field would reach
 * the logs and the scaffolder task log.
 */
export function parseRequestedRef(
  value: string,
  field: string,
  defaults: { defaultKind: string; defaultNamespace: string },
): CompoundEntityRef {
  let ref;
  try {
    ref = parseEntityRef(value, defaults);
  } catch {
    throw new InputError(`${field}: must be an entity reference, ${FORM}`);
  }
  const bad = [
    !validator.isValidKind(ref.kind) && 'kind',
    !validator.isValidNamespace(ref.namespace.toLocaleLowerCase('en-US')) &&
      'namespace',
    !validator.isValidEntityName(ref.name) && 'name',
  ].filter(Boolean);
  if (bad.length) {
    throw new InputError(
      `${field}: must be an entity reference, ${FORM}, whose ${bad.join(
        ' and ',
      )} may only have letters, digits, '-', '_' and '.' (a namespace: lower-case letters, digits and '-'), at most 63 characters each, starting and ending with a letter or digit`,
    );
  }
  return ref;
}
