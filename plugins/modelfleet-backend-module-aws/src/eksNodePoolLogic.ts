import {
  ActuatorError,
  ActuatorErrorCode,
  NodePoolRef,
  NodePoolSize,
} from '@modelfleet/plugin-modelfleet-node';

/**
 * The `scalingConfig` an EKS `UpdateNodegroupConfig` request sends to set
 * a node group's minimum: the maximum kept, the desired size kept unless
 * below the new minimum (EKS requires minSize ≤ desiredSize ≤ maxSize), so
 * the node count is never raised beyond what EKS requires.
 */
export interface EksScalingConfig {
  minSize: number;
  maxSize: number;
  desiredSize: number;
}

function label(ref: NodePoolRef): string {
  return `cluster ${ref.cluster}, node group ${ref.pool}`;
}

/**
 * Checks a wanted minimum before anything is read: a non-negative integer.
 * Throws an `invalid` ActuatorError naming the pool.
 */
export function checkMinimum(ref: NodePoolRef, min: number): void {
  if (!Number.isInteger(min) || min < 0) {
    throw new ActuatorError(
      'invalid',
      `${label(ref)}: the minimum size ${min} is not a non-negative integer`,
      false,
    );
  }
}

/**
 * The scaling config that sets the node group's minimum to `min`, or
 * undefined when it already is `min` (nothing to write). Throws an
 * `invalid` ActuatorError naming the pool for a minimum above the maximum.
 */
export function scalingForMinimum(
  ref: NodePoolRef,
  current: NodePoolSize,
  min: number,
): EksScalingConfig | undefined {
  checkMinimum(ref, min);
  if (min > current.max) {
    throw new ActuatorError(
      'invalid',
      `${label(ref)}: the minimum size ${min} is above the maximum size ${
        current.max
      }`,
      false,
    );
  }
  if (current.min === min) return undefined;
  const desired = current.desired ?? current.min;
  return {
    minSize: min,
    maxSize: current.max,
    desiredSize: Math.max(desired, min),
  };
}

/**
 * The size bounds of an EKS `scalingConfig` as DescribeNodegroup returns
 * it; throws an `invalid` ActuatorError naming the pool and the missing
 * field when EKS returned no bounds.
 */
export function sizeOfScaling(
  ref: NodePoolRef,
  scaling:
    | { minSize?: number; maxSize?: number; desiredSize?: number }
    | undefined,
): NodePoolSize {
  const { minSize, maxSize, desiredSize } = scaling ?? {};
  if (typeof minSize !== 'number' || typeof maxSize !== 'number') {
    const missing = typeof minSize !== 'number' ? 'minSize' : 'maxSize';
    throw new ActuatorError(
      'invalid',
      `${label(ref)}: EKS returned no nodegroup.scalingConfig.${missing}`,
      false,
    );
  }
  return {
    min: minSize,
    max: maxSize,
    ...(typeof desiredSize === 'number' ? { desired: desiredSize } : {}),
  };
}

const BY_NAME: Record<string, ActuatorErrorCode> = {
  ResourceNotFoundException: 'notFound',
  NotFoundException: 'notFound',
  AccessDeniedException: 'forbidden',
  UnrecognizedClientException: 'unauthorized',
  InvalidSignatureException: 'unauthorized',
  ExpiredTokenException: 'unauthorized',
  IncompleteSignature: 'unauthorized',
  MissingAuthenticationToken: 'unauthorized',
  InvalidParameterException: 'invalid',
  InvalidRequestException: 'invalid',
  ValidationException: 'invalid',
  ResourceInUseException: 'conflict',
  ThrottlingException: 'unavailable',
  TooManyRequestsException: 'unavailable',
  ServerException: 'unavailable',
  ServiceUnavailableException: 'unavailable',
  TimeoutError: 'timeout',
  RequestTimeout: 'timeout',
  RequestTimeoutException: 'timeout',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

function codeOfStatus(
  status: number | undefined,
): ActuatorErrorCode | undefined {
  if (status === undefined) return undefined;
  if (status === 404) return 'notFound';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 409) return 'conflict';
  if (status === 408) return 'timeout';
  if (status === 429 || status >= 500) return 'unavailable';
  if (status >= 400) return 'invalid';
  return undefined;
}

/**
 * An ActuatorError for an error of the EKS SDK client, with EKS's own
 * message prefixed by the cluster and node group: the AWS error name
 * (`ResourceNotFoundException`, `AccessDeniedException`, ...) decides the
 * code, else the HTTP status, else a network error is `unavailable` and a
 * timeout `timeout` (both retryable).
 */
export function eksActuatorError(
  ref: NodePoolRef,
  what: string,
  error: unknown,
): ActuatorError {
  if (error instanceof ActuatorError) return error;
  const e = error as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number; attempts?: number };
  };
  const status = e?.$metadata?.httpStatusCode;
  const code: ActuatorErrorCode =
    (e?.name ? BY_NAME[e.name] : undefined) ??
    codeOfStatus(status) ??
    (e?.code === 'ETIMEDOUT' ? 'timeout' : undefined) ??
    (e?.code && NETWORK_CODES.has(e.code) ? 'unavailable' : undefined) ??
    'unavailable';
  const attempts = e?.$metadata?.attempts;
  const detail = [
    status ? `HTTP ${status}` : undefined,
    attempts && attempts > 1 ? `after ${attempts} attempts` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const message = `${label(ref)}: EKS ${what} failed: ${e?.name ?? 'Error'}: ${
    e?.message ?? String(error)
  }${detail ? ` (${detail})` : ''}`;
  return new ActuatorError(code, message, undefined, status);
}
