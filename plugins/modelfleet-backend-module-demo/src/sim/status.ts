import { STATUS_CODES } from 'node:http';
import { qualifiedName, ResourceType } from './resources';

/** A Kubernetes `Status` body. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: Array<{ reason?: string; message: string; field?: string }>;
  };
  code: number;
}

/** The reason Kubernetes gives for a status code. */
const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function reasonFor(code: number): string {
  return REASONS[code] ?? (STATUS_CODES[code] ?? 'Unknown').replace(/ /g, '');
}

/** An error the API server answers with a Status. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason: string = reasonFor(code),
    readonly details?: KubeStatus['details'],
  ) {
    super(message);
  }

  toStatus(): KubeStatus {
    return statusBody(this.code, this.reason, this.message, this.details);
  }
}

export function statusBody(
  code: number,
  reason: string,
  message: string,
  details?: KubeStatus['details'],
): KubeStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: code < 400 ? 'Success' : 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

const detailsOf = (type: ResourceType, name?: string) => ({
  ...(name !== undefined ? { name } : {}),
  group: type.group,
  kind: type.plural,
});

export const notFound = (type: ResourceType, name: string) =>
  new ApiError(
    404,
    `${qualifiedName(type)} "${name}" not found`,
    'NotFound',
    detailsOf(type, name),
  );

export const alreadyExists = (type: ResourceType, name: string) =>
  new ApiError(
    409,
    `${qualifiedName(type)} "${name}" already exists`,
    'AlreadyExists',
    detailsOf(type, name),
  );

export const staleConflict = (type: ResourceType, name: string) =>
  new ApiError(
    409,
    `Operation cannot be fulfilled on ${qualifiedName(
      type,
    )} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    'Conflict',
    detailsOf(type, name),
  );

export const invalid = (
  type: ResourceType,
  name: string,
  causes: Array<{ field: string; message: string }>,
) =>
  new ApiError(
    422,
    `${type.kind}${
      type.group ? `.${type.group}` : ''
    } "${name}" is invalid: ${causes
      .map(c => `${c.field}: ${c.message}`)
      .join(', ')}`,
    'Invalid',
    {
      ...detailsOf(type, name),
      kind: type.kind,
      causes: causes.map(c => ({
        reason: 'FieldValueInvalid',
        message: c.message,
        field: c.field,
      })),
    },
  );

export const badRequest = (message: string) =>
  new ApiError(400, message, 'BadRequest');

export const resourceNotFound = () =>
  new ApiError(404, 'the server could not find the requested resource');
