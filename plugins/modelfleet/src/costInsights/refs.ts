import { InputError } from '@backstage/errors';
import { CostEntityRef } from '../api';

/** An entity ref split into lowercase kind and namespace, and name. */
export interface ParsedRef {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Splits an entity ref `[kind:][namespace/]name`, with a default kind and
 * the default namespace. Kind and namespace are lowercased (the catalog
 * compares them case-insensitively).
 */
export function parseRef(
  ref: string,
  field: string,
  defaultKind?: string,
): ParsedRef {
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(
    String(ref ?? '').trim(),
  );
  const kind = match?.[1] ?? defaultKind;
  if (!match || !kind) {
    throw new InputError(
      `${field} must be an entity ref like ${
        defaultKind ?? 'kind'
      }:default/name, got ${JSON.stringify(ref)}`,
    );
  }
  return {
    kind: kind.toLocaleLowerCase('en-US'),
    namespace: (match[2] ?? 'default').toLocaleLowerCase('en-US'),
    name: match[3],
  };
}

/** The canonical string of a parsed ref, as the catalog writes it. */
export function refString(ref: ParsedRef): string {
  return `${ref.kind}:${ref.namespace}/${ref.name}`;
}

/** The canonical string of a parsed ref, lowercased for comparisons. */
export function refKey(ref: ParsedRef): string {
  return refString(ref).toLocaleLowerCase('en-US');
}

/** A parsed ref as the ModelFleet cost API takes it. */
export function costRef(ref: ParsedRef): CostEntityRef {
  return {
    kind: ref.kind as CostEntityRef['kind'],
    namespace: ref.namespace,
    name: ref.name,
  };
}
