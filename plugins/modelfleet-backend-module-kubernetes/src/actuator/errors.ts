import { STATUS_CODES } from 'node:http';
import { ApiException } from '@kubernetes/client-node';
import {
  ActuatorError,
  ActuatorErrorCode,
} from '@modelfleet/plugin-modelfleet-node';
import { UnknownKindError } from './ClusterClient';

/** Where a failed call went: named in the error's message. */
export interface CallContext {
  cluster: string;
  /** The object, e.g. `Deployment ml/chat`. */
  object: string;
  /** The time limit of a request, for the message of a timeout. */
  timeoutMs: number;
}

/** The actuator's code of an HTTP status of the API server. */
export function codeOfStatus(status: number): ActuatorErrorCode {
  if (status === 409) return 'conflict';
  if (status === 403) return 'forbidden';
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'notFound';
  if (status === 408) return 'timeout';
  if (status === 429 || status >= 500) return 'unavailable';
  // 400, 422, and the other client errors (405, 410, 413, 415, ...)
  return 'invalid';
}

/** The `message` of a Kubernetes Status body, which may still be JSON text. */
function statusMessage(body: unknown): string | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value === 'object' && value !== null && 'message' in value) {
    const message = (value as { message?: unknown }).message;
    if (typeof message === 'string' && message) return message;
  }
  return undefined;
}

/** Whether an error says the object (or its kind) does not exist. */
export function isNotFound(error: unknown): boolean {
  return (
    error instanceof UnknownKindError ||
    (error instanceof ApiException && error.code === 404)
  );
}

/**
 * The {@link ActuatorError} of a failed call: its code from the HTTP status
 * or the kind of network failure, its message prefixed with the cluster and
 * the object, e.g. `demo-aws-use1: Deployment ml/chat: deployments.apps
 * "chat" is forbidden: ...`.
 */
export function toActuatorError(
  error: unknown,
  context: CallContext,
): ActuatorError {
  if (error instanceof ActuatorError) return error;
  const prefix = `${context.cluster}: ${context.object}: `;
  if (error instanceof ApiException) {
    const status = error.code;
    const message =
      statusMessage(error.body) ??
      `${status} ${STATUS_CODES[status] ?? 'Unknown status'}`;
    return new ActuatorError(
      codeOfStatus(status),
      prefix + message,
      undefined,
      status,
    );
  }
  if (error instanceof UnknownKindError) {
    return new ActuatorError('notFound', prefix + error.message);
  }
  const e = error as { name?: string; code?: string; type?: string };
  const message = error instanceof Error ? error.message : String(error);
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') {
    return new ActuatorError(
      'timeout',
      `${prefix}the API server did not answer within ${context.timeoutMs} ms`,
    );
  }
  if (e?.code === 'ETIMEDOUT' || e?.type === 'request-timeout') {
    return new ActuatorError('timeout', prefix + message);
  }
  // Connection errors (ECONNREFUSED, ECONNRESET and "socket hang up",
  // EHOSTUNREACH, ENOTFOUND, ...), and answers that are not what an API
  // server sends (e.g. a proxy's HTML page): most likely passing.
  return new ActuatorError('unavailable', prefix + message);
}
