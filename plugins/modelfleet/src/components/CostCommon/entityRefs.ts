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

/**
 * A GpuPool entity by its pool and cluster, e.g. `nca100 on
 * demo-azure-eastus` for `gpupool:default/demo-azure-eastus.nca100` (pool
 * entities are named `<cluster>.<pool>`); its name where it is not.
 */
export function poolLabelOf(entityRef: string): string {
  const name = entityRef.replace(/^[^:]*:/, '').replace(/^[^/]*\//, '');
  const match = /^([^.]+)\.(.+)$/.exec(name);
  return match ? `${match[2]} on ${match[1]}` : name;
}
