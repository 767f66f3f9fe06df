/**
 * The Kubernetes name and label rules the API server enforces: DNS-1123 and
 * DNS-1035 names, IANA service (port) names, and label keys and values.
 */

export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
export const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A value of the manifest in a message: a string quoted (cut short), a
 * number as is, anything else by its type. Never `${value}`: an object
 * whose `toString` is no function throws when made a string.
 */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Why `key` is not a Kubernetes label key (`[prefix/]name`), or undefined.
 *
 * @public
 */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'has more than one "/"';
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (
    prefix !== undefined &&
    (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
  ) {
    return `prefix "${prefix}" must be a DNS-1123 subdomain`;
  }
  if (name.length > 63 || !LABEL_NAME.test(name)) {
    return `name "${name}" must be at most 63 alphanumerics, "-", "_" or ".", starting and ending alphanumeric`;
  }
  return undefined;
}

/** Why `value` is not a Kubernetes label value, or undefined. */
export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value === '') return undefined;
  if (value.length > 63 || !LABEL_NAME.test(value)) {
    return `${show(
      value,
    )} must be at most 63 alphanumerics, "-", "_" or ".", starting and ending alphanumeric`;
  }
  return undefined;
}
