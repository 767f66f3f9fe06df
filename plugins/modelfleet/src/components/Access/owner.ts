import { CostEntityRef } from '../../api';

/**
 * The catalog ref of an entity as the permission framework and the backend
 * name it, e.g. `model:default/llama-3-1-8b-chat`.
 */
export function entityRefOf(ref: CostEntityRef): string {
  return `${ref.kind}:${ref.namespace}/${ref.name}`;
}

/**
 * The team whose costs and models these are: a Group is its own team, a
 * Model or GpuPool belongs to its `spec.owner`. Undefined when the entity
 * names no owner.
 */
export function ownerRefOf(entity: {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: { owner?: unknown } | Record<string, unknown>;
}): string | undefined {
  if (entity.kind.toLocaleLowerCase('en-US') === 'group') {
    return `group:${entity.metadata.namespace ?? 'default'}/${
      entity.metadata.name
    }`;
  }
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  return typeof owner === 'string' && owner.trim() ? owner.trim() : undefined;
}

/**
 * A ref as people read it: without its kind, and without its namespace when
 * that is `default` (`group:default/vision-team` → `vision-team`,
 * `group:ml/vision-team` → `ml/vision-team`).
 */
export function displayRef(ref: string): string {
  const withoutKind = ref.includes(':') ? ref.slice(ref.indexOf(':') + 1) : ref;
  return withoutKind.startsWith('default/')
    ? withoutKind.slice('default/'.length)
    : withoutKind;
}

/** `a`, `a and b`, `a, b and c`. */
export function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
