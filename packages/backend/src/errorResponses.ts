/*
 * What error responses may reveal.
 *
 * Every plugin's router ends with Backstage's error middleware
 * (`MiddlewareFactory.error()`), and so does the root router. It writes the
 * error as `{ error: { name, message, stack?, cause? }, request, response }`
 * and decides on the stack trace by NODE_ENV alone: shown when it is
 * `development`, which is what `backstage-cli package start` (`yarn start`)
 * sets when NODE_ENV is unset, whatever the app-config. Its message is the
 * error's own: for a query that failed, knex's, with the SQL in it. Only
 * PostgreSQL's `DatabaseError` is filtered out; SQLite's errors and knex's
 * own (`Undefined binding(s) detected when compiling SELECT … query: select
 * …`) go out as they are.
 *
 * The root router sees every response before it leaves, so it is where the
 * portal's rule applies to all plugins at once: unless
 * `backend.showErrorDetails` allows them, error responses lose their stack
 * traces, and a 5xx says only its status and a `logId` under which the log
 * keeps what it said.
 */

import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { RootHttpRouterConfigureContext } from '@backstage/backend-defaults/rootHttpRouter';

type Config = RootHttpRouterConfigureContext['config'];
type Logger = Pick<RootHttpRouterConfigureContext['logger'], 'error'>;

/**
 * Whether error responses may show stack traces and the messages of server
 * errors: `backend.showErrorDetails`, by default only when NODE_ENV is
 * `development` (Backstage's own rule for stack traces).
 */
export function showErrorDetails(config: Config): boolean {
  return (
    config.getOptionalBoolean('backend.showErrorDetails') ??
    process.env.NODE_ENV === 'development'
  );
}

/** The body Backstage's error middleware writes. */
interface ErrorResponseBody {
  error: { name?: unknown; message?: unknown; cause?: unknown } & Record<
    string,
    unknown
  >;
  request?: unknown;
  response: { statusCode: number };
}

function isErrorResponseBody(body: unknown): body is ErrorResponseBody {
  const b = body as Partial<ErrorResponseBody> | null;
  return (
    typeof b?.error === 'object' &&
    b.error !== null &&
    typeof b.response === 'object' &&
    b.response !== null &&
    typeof b.response.statusCode === 'number'
  );
}

/** A serialized error and its causes, without their stack traces. */
function withoutStacks(
  error: Record<string, unknown>,
): Record<string, unknown> {
  const { stack: _stack, cause, ...rest } = error;
  if (typeof cause === 'object' && cause !== null) {
    return { ...rest, cause: withoutStacks(cause as Record<string, unknown>) };
  }
  return cause === undefined ? rest : { ...rest, cause };
}

/** Error names of `@backstage/errors` for 5xx, which say nothing internal. */
const GENERIC_NAMES = new Set([
  'NotImplementedError',
  'ServiceUnavailableError',
]);

interface RequestLike {
  method?: string;
  originalUrl?: string;
  url?: string;
}

interface ResponseLike {
  statusCode: number;
  json(body: unknown, ...rest: unknown[]): unknown;
}

/** Error bodies written by this file for people to read: never redacted. */
const PUBLIC_BODIES = new WeakSet<object>();

function redact(
  body: ErrorResponseBody,
  status: number,
  req: RequestLike,
  logger: Logger,
): ErrorResponseBody {
  if (PUBLIC_BODIES.has(body)) return body;
  if (status < 500) {
    return { ...body, error: withoutStacks(body.error) };
  }
  const logId = randomBytes(10).toString('hex');
  logger.error(
    `Hid the detail of a ${status} response to ${req.method} ${
      req.originalUrl ?? req.url
    }, logId=${logId}: ${String(body.error.name)}: ${String(
      body.error.message,
    )}`,
    { logId, status },
  );
  const name =
    typeof body.error.name === 'string' && GENERIC_NAMES.has(body.error.name)
      ? body.error.name
      : 'Error';
  return {
    ...body,
    error: {
      name,
      message: `${STATUS_CODES[status] ?? 'Server Error'} (logId=${logId})`,
    },
  };
}

/**
 * Middleware that, placed before every router, hides the detail of the error
 * responses written after it: no stack traces, and for a 5xx no message but
 * `Internal Server Error (logId=…)`; the log keeps the message under that
 * logId (the error middleware has logged the error itself, with its stack).
 */
export function hideErrorDetails(logger: Logger) {
  return (req: RequestLike, res: ResponseLike, next: () => void) => {
    const json = res.json.bind(res);
    res.json = (body: unknown, ...rest: unknown[]) =>
      json(
        rest.length === 0 && res.statusCode >= 400 && isErrorResponseBody(body)
          ? redact(body, res.statusCode, req, logger)
          : body,
        ...rest,
      );
    next();
  };
}

/**
 * Seconds a client is asked to wait while the search index is built: the
 * catalog collator's first pass (search.collators.catalog.schedule).
 */
export const SEARCH_INDEX_RETRY_SECONDS = 60;

/**
 * Middleware that answers a search before its index exists as what it is,
 * a passing unavailability: 503 with `Retry-After` and a message a person
 * reads, instead of the 500 the search backend gives for its
 * `MissingIndexError` (the in-memory engine used on SQLite has no index
 * until the collators' first pass has found documents).
 */
export function searchIndexNotReady() {
  return (
    _req: RequestLike,
    res: ResponseLike & {
      status(code: number): unknown;
      setHeader(name: string, value: string): unknown;
    },
    next: () => void,
  ) => {
    const json = res.json.bind(res);
    res.json = (body: unknown, ...rest: unknown[]) => {
      if (
        rest.length === 0 &&
        res.statusCode >= 500 &&
        isErrorResponseBody(body) &&
        body.error.name === 'MissingIndexError'
      ) {
        res.status(503);
        res.setHeader('Retry-After', String(SEARCH_INDEX_RETRY_SECONDS));
        const unavailable = {
          error: {
            name: 'ServiceUnavailableError',
            message: `The search index is being built (the first pass runs within a minute of start); try again in ${SEARCH_INDEX_RETRY_SECONDS} seconds.`,
          },
          request: body.request,
          response: { statusCode: 503 },
        };
        PUBLIC_BODIES.add(unavailable);
        return json(unavailable);
      }
      return json(body, ...rest);
    };
    next();
  };
}
