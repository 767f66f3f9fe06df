import { CostEntityKind, CostEntityRef } from '../../api';

/** The cost route's reference of a catalog entity. */
export function costRefOf<K extends CostEntityKind>(
  entity: { metadata: { name: string; namespace?: string } },
  kind: K,
): CostEntityRef<K> {
  return {
    kind,
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
  };
}

/** A readable subject for messages, e.g. `model default/llama-3`. */
export function subjectOf(ref: CostEntityRef): string {
  return `${ref.kind} ${ref.namespace}/${ref.name}`;
}
