import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { Request } from 'express';

/** Who is asking, as actions record it: a user's entity ref or `service:<subject>`. */
export function actorOf(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (p.type === 'user' && p.userEntityRef) return p.userEntityRef;
  if (p.type === 'service' && p.subject) return `service:${p.subject}`;
  return 'unknown';
}

/** The caller's credentials (a user, or a backend acting for one). */
export function callerOf(httpAuth: HttpAuthService, req: Request) {
  return httpAuth.credentials(req, { allow: ['user', 'service'] });
}

/** Whether a basic permission is allowed, without throwing. */
export async function isAllowed(
  permissions: PermissionsService,
  permission: BasicPermission,
  credentials: BackstageCredentials,
): Promise<boolean> {
  const [d] = await permissions.authorize([{ permission }], { credentials });
  return d.result === AuthorizeResult.ALLOW;
}

/** Allows a basic permission, or throws NotAllowedError naming it. */
export async function authorize(
  permissions: PermissionsService,
  permission: BasicPermission,
  credentials: BackstageCredentials,
): Promise<void> {
  if (!(await isAllowed(permissions, permission, credentials))) {
    throw new NotAllowedError(`${permission.name} is not allowed`);
  }
}

const NAME = /^[a-z0-9A-Z][a-z0-9A-Z._-]{0,252}$/;

/** A path parameter that names a catalog entity part, or an InputError. */
export function nameParam(value: string, field: string): string {
  if (!NAME.test(value)) {
    throw new InputError(
      `${field}: must be a catalog name (letters, digits, '.', '_', '-'), got '${value.slice(
        0,
        80,
      )}'`,
    );
  }
  return value;
}

/** What a parsed JSON body is, for messages: `null`, `an array`, `a number`… */
export function describeJson(value: unknown): string {
  if (value === undefined) return 'none';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * A JSON object body, or an InputError. `req.body` is undefined when the
 * request has no JSON body (see `jsonBody`).
 */
export function requiredObjectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) {
    throw new InputError(
      'body: must be a JSON object, got none (send one with Content-Type: application/json)',
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError(
      `body: must be a JSON object, got ${describeJson(body)}`,
    );
  }
  return body as Record<string, unknown>;
}

/** An optional JSON object body: `{}` when there is none, or an InputError. */
export function objectBody(body: unknown): Record<string, unknown> {
  return body === undefined ? {} : requiredObjectBody(body);
}

/**
 * An optional single-valued query parameter, trimmed, or an InputError
 * naming it. Only the query's own properties count.
 */
export function optionalQueryParam(
  query: Record<string, unknown>,
  name: string,
): string | undefined {
  if (!Object.hasOwn(query, name)) return undefined;
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError(`${name}: must be given once, as a non-empty string`);
  }
  return value.trim();
}

/** An optional free-text reason of at most 500 characters. */
export function reasonOf(body: Record<string, unknown>): string | undefined {
  const { reason } = body;
  if (reason === undefined || reason === null) return undefined;
  if (typeof reason !== 'string') {
    throw new InputError('reason: must be a string');
  }
  const trimmed = reason.trim();
  if (trimmed.length > 500) {
    throw new InputError(
      `reason: must be at most 500 characters, got ${trimmed.length}`,
    );
  }
  return trimmed || undefined;
}
