import { RetryVerdict, retryAfterMs } from './retry';

const GRPC_STATUS = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

/** HTTP statuses worth another try: throttling and passing server trouble. */
const RETRY_HTTP = new Set([429, 500, 502, 503, 504]);
/** The same as gRPC codes (RESOURCE_EXHAUSTED, UNAVAILABLE). */
const RETRY_GRPC = new Set([8, 14]);
const RETRY_NETWORK = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EPIPE',
]);

interface ErrorLike {
  message?: string;
  name?: string;
  code?: unknown;
  status?: unknown;
  response?: { status?: number; headers?: unknown };
}

function httpStatus(e: ErrorLike): number | undefined {
  const s = e.response?.status ?? e.status ?? e.code;
  return typeof s === 'number' && s >= 100 && s < 600 ? s : undefined;
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const v = (headers as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Whether a failed call of a Google client library (REST transport) is
 * worth retrying: HTTP 429 and 5xx as the REST transport reports them,
 * RESOURCE_EXHAUSTED and UNAVAILABLE as gRPC codes, and dropped connections.
 */
export function googleRetryVerdict(error: unknown): RetryVerdict {
  const e = (error ?? {}) as ErrorLike;
  const status = httpStatus(e);
  if (status !== undefined) {
    return {
      retry: RETRY_HTTP.has(status),
      retryAfterMs: retryAfterMs(header(e.response?.headers, 'retry-after')),
    };
  }
  if (typeof e.code === 'number') return { retry: RETRY_GRPC.has(e.code) };
  if (typeof e.code === 'string') return { retry: RETRY_NETWORK.has(e.code) };
  return { retry: false };
}

/** The `error` of a Google API error body (`{"error": {...}}`), if it is one. */
function errorBody(
  text: string,
): { code?: number; status?: string; message?: string } | undefined {
  try {
    const body = JSON.parse(text);
    return body && typeof body.error === 'object' ? body.error : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One line saying what went wrong in a call of a Google client library:
 * the HTTP status and the API's own status and message, a response that is
 * not JSON or does not fit the API's schema, or an endpoint that did not
 * answer.
 */
export function describeGoogleError(error: unknown): string {
  const e = (error ?? {}) as ErrorLike;
  const message = String(e.message ?? error);
  const status = httpStatus(e);
  if (status !== undefined) {
    const body = errorBody(message);
    if (body) {
      return `HTTP ${status} ${body.status ?? ''}: ${
        body.message ?? ''
      }`.replace(/\s+:/, ':');
    }
    return `HTTP ${status}: ${message.slice(0, 300)}`;
  }
  if (e.name === 'SyntaxError') {
    return `the response is not JSON (${message.slice(0, 200)})`;
  }
  if (message.startsWith('fromProto3JSON')) {
    return `the response does not fit the API's schema: ${message.replace(
      /^fromProto3JSON\w*: /,
      '',
    )}`;
  }
  if (typeof e.code === 'number' && GRPC_STATUS[e.code]) {
    return `${GRPC_STATUS[e.code]}: ${message}`;
  }
  if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) {
    return `the endpoint did not answer (${e.code})`;
  }
  return message;
}
