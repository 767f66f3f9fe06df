/** How the object store builds what it writes: generated names, replaced and modified objects, and server-set metadata. */
import { randomUUID } from 'node:crypto';
import {
  clone,
  comparable,
  deepEqual,
  KubeObject,
  specPart,
  StoredObject,
} from './objects';
import { apiVersionOf, ResourceType } from './resources';

const SUFFIX_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** A name for `generateName`: the prefix and five characters, drawn from `seq`. */
export function generatedName(prefix: string, seq: number): string {
  let h = Math.imul(seq, 0x9e3779b1) >>> 0;
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += SUFFIX_CHARS[h % SUFFIX_CHARS.length];
    h = Math.floor(h / SUFFIX_CHARS.length) ^ Math.imul(h, 31);
    h >>>= 0;
  }
  return `${prefix}${suffix}`;
}

/**
 * The object a PUT of `object` writes over `before`: its identity and field
 * managers kept; a write of the status subresource changes the status only,
 * and one of the main resource keeps the status (of a type that has one).
 */
export function replacementOf(
  type: ResourceType,
  before: StoredObject,
  object: KubeObject,
  name: string,
  namespace: string | undefined,
  subresource: string | undefined,
): KubeObject {
  let after: KubeObject = clone(object);
  after.apiVersion = apiVersionOf(type);
  after.kind = type.kind;
  after.metadata = {
    ...after.metadata,
    name,
    ...(namespace ? { namespace } : {}),
    uid: before.metadata.uid,
    creationTimestamp: before.metadata.creationTimestamp,
    managedFields: before.metadata.managedFields,
  };
  if (subresource === 'status') {
    after = { ...before, status: after.status };
  } else if (type.status) {
    after.status = before.status;
    if (before.status === undefined) delete after.status;
  }
  return after;
}

/** Gives a changed copy of `before` back the identity of `before`. */
export function keepIdentity(before: StoredObject, after: KubeObject): void {
  after.metadata = {
    ...after.metadata,
    name: before.metadata.name,
    ...(before.metadata.namespace
      ? { namespace: before.metadata.namespace }
      : {}),
    uid: before.metadata.uid,
    creationTimestamp: before.metadata.creationTimestamp,
    resourceVersion: before.metadata.resourceVersion,
    managedFields: before.metadata.managedFields,
  };
}

/** Whether writing `after` over `before` changes nothing, field ownership included. */
export function changesNothing(
  before: StoredObject,
  after: KubeObject,
): boolean {
  if (!deepEqual(comparable(before), comparable(after))) return false;
  return deepEqual(
    before.metadata.managedFields?.map(e => [
      e.manager,
      e.operation,
      e.fieldsV1,
    ]),
    after.metadata!.managedFields?.map(e => [
      e.manager,
      e.operation,
      e.fieldsV1,
    ]),
  );
}

/**
 * Sets what the server owns in the metadata of a written object: uid and
 * creation time (new ones on create), and the generation, which a change
 * of the spec increments.
 */
export function stampMetadata(
  before: StoredObject | undefined,
  after: KubeObject,
  time: () => string,
): void {
  const meta = after.metadata!;
  if (!before) {
    meta.uid = meta.uid ?? randomUUID();
    meta.creationTimestamp = time();
    if (after.spec !== undefined) meta.generation = 1;
  } else {
    meta.uid = before.metadata.uid;
    meta.creationTimestamp = before.metadata.creationTimestamp;
    const gen = before.metadata.generation;
    if (gen !== undefined || after.spec !== undefined) {
      meta.generation = deepEqual(specPart(before), specPart(after))
        ? gen ?? 1
        : (gen ?? 0) + 1;
    }
  }
}
