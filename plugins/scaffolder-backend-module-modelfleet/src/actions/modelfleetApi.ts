import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';

/**
 * Calls the ModelFleet backend on behalf of the task's initiator and
 * returns the JSON body; a 400 becomes an InputError with the backend's
 * message (which names the field), any other failure a ResponseError.
 */
export async function callModelfleet<T>(
  services: { discovery: DiscoveryService; auth: AuthService },
  credentials: BackstageCredentials,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const { token } = await services.auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: 'modelfleet',
  });
  const base = await services.discovery.getBaseUrl('modelfleet');
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body !== undefined
        ? { 'content-type': 'application/json' }
        : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (res.status === 400) {
    const e = await ResponseError.fromResponse(res);
    throw new InputError(e.body.error.message);
  }
  if (!res.ok) throw await ResponseError.fromResponse(res);
  return (await res.json()) as T;
}
