import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';

/** Statuses whose message the backend writes for people, by the error they become. */
const FORWARDED: Record<number, new (message: string) => Error> = {
  400: InputError,
  403: NotAllowedError,
  404: NotFoundError,
  409: ConflictError,
};

/**
 * Calls the ModelFleet backend on behalf of the task's initiator and
 * returns the JSON body. A 400, 403, 404 or 409 becomes an InputError,
 * NotAllowedError, NotFoundError or ConflictError with the backend's
 * message (which names the field or the reason); any other failure a
 * ResponseError.
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
  const Forwarded = FORWARDED[res.status];
  if (Forwarded) {
    const e = await ResponseError.fromResponse(res);
    throw new Forwarded(e.body?.error?.message ?? e.message);
  }
  if (!res.ok) throw await ResponseError.fromResponse(res);
  return (await res.json()) as T;
}
