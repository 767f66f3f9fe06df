/**
 * One property OpenCost groups allocations by: a Kubernetes label, the
 * namespace, the pod or the controller.
 *
 * @internal
 */
export type AggregateProperty =
  | { kind: 'label'; label: string }
  | { kind: 'namespace' }
  | { kind: 'pod' }
  | { kind: 'controller' };

// Kubernetes label keys: an optional DNS-subdomain prefix and a name of at
// most 63 characters.
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_PREFIX =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function isLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return LABEL_NAME.test(key);
  const prefix = key.slice(0, slash);
  return (
    prefix.length <= 253 &&
    LABEL_PREFIX.test(prefix) &&
    LABEL_NAME.test(key.slice(slash + 1))
  );
}

/**
 * Parses an OpenCost `aggregate` value (`label:<key>`, `namespace`, `pod`,
 * `controller`, or a comma-separated list of them). Throws an error that
 * says what is wrong; the caller prefixes the config key.
 *
 * @internal
 */
export function parseAggregate(text: string): AggregateProperty[] {
  const parts = text.split(',').map(p => p.trim());
  if (parts.some(p => p === '')) {
    throw new Error(`'${text}' has an empty property`);
  }
  const seen = new Set<string>();
  return parts.map(part => {
    if (seen.has(part)) throw new Error(`'${part}' appears twice`);
    seen.add(part);
    if (part === 'namespace' || part === 'pod' || part === 'controller') {
      return { kind: part };
    }
    if (part === 'cluster') {
      throw new Error(
        `'cluster' is always part of the query (every line is per cluster); leave it out`,
      );
    }
    if (part.startsWith('label:')) {
      const label = part.slice('label:'.length).trim();
      if (!isLabelKey(label)) {
        throw new Error(`'${label}' is not a Kubernetes label key`);
      }
      return { kind: 'label', label };
    }
    throw new Error(
      `'${part}' is not supported; use label:<key>, namespace, pod or controller`,
    );
  });
}

/** The `aggregate` query parameter: the cluster first, then the properties. */
export function aggregateParam(props: AggregateProperty[]): string {
  return [
    'cluster',
    ...props.map(p => (p.kind === 'label' ? `label:${p.label}` : p.kind)),
  ].join(',');
}

/** The tag key a property's value is stored under on a bill line. */
export function tagKey(prop: AggregateProperty): string {
  return prop.kind === 'label' ? prop.label : prop.kind;
}
