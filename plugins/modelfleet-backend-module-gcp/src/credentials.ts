/**
 * A Google credentials JSON (a service account key, or another kind that
 * google-auth-library reads, e.g. `external_account` for workload identity
 * federation).
 *
 * @public
 */
export interface GcpCredentials {
  type: string;
  project_id?: string;
  client_email?: string;
  private_key?: string;
  [field: string]: unknown;
}

const TYPES = [
  'service_account',
  'authorized_user',
  'external_account',
  'external_account_authorized_user',
  'impersonated_service_account',
];

/**
 * Reads credentials given as the JSON text of a key file or as an object;
 * throws naming `key` (and the field) when they are not usable.
 */
export function parseCredentials(value: unknown, key: string): GcpCredentials {
  let json = value;
  if (typeof value === 'string') {
    try {
      json = JSON.parse(value);
    } catch {
      throw new Error(`${key}: is not JSON (expected a service account key)`);
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error(`${key}: is not a JSON object`);
  }
  const creds = json as Record<string, unknown>;
  for (const [field, v] of Object.entries(creds)) {
    if (typeof v !== 'string' && (typeof v !== 'object' || v === null)) {
      throw new Error(`${key}.${field}: is not a string`);
    }
  }
  if (typeof creds.type !== 'string' || !TYPES.includes(creds.type)) {
    throw new Error(
      `${key}.type: is ${JSON.stringify(
        creds.type,
      )}; expected one of ${TYPES.join(', ')}`,
    );
  }
  if (creds.type === 'service_account') {
    for (const field of ['client_email', 'private_key']) {
      if (typeof creds[field] !== 'string' || !creds[field]) {
        throw new Error(`${key}.${field}: is missing`);
      }
    }
    if (!String(creds.private_key).includes('PRIVATE KEY-----')) {
      throw new Error(`${key}.private_key: is not a PEM private key`);
    }
  }
  return creds as GcpCredentials;
}
