import { InputError } from '@backstage/errors';
import express, {
  ErrorRequestHandler,
  Request,
  RequestHandler,
  Router,
} from 'express';
import { describeJson } from './common';

/** The largest JSON body the API reads. */
export const JSON_BODY_LIMIT = '1mb';

/** Requests whose JSON body was empty (`Content-Length: 0`). */
const emptyBodies = new WeakSet<Request>();

/**
 * The JSON body parser of the ModelFleet API: `express.json()`, except that
 * a request without a JSON body leaves `req.body` undefined rather than `{}`,
 * so that a route that needs an object can tell "none" from "empty". The body
 * counts as read afterwards: a parser further down does not parse it again.
 * Bodies are limited to 1 MB (`POST /deployments` carries a model's
 * manifests; the other routes take a few hundred bytes).
 */
export function jsonBody(options: { limit?: string } = {}): RequestHandler {
  const parse = express.json({
    limit: options.limit ?? JSON_BODY_LIMIT,
    verify(req, _res, buf) {
      if (buf.length === 0) emptyBodies.add(req as Request);
    },
  });
  return (req, res, next) => {
    parse(req, res, error => {
      if (error) {
        next(error);
        return;
      }
      const parsed = req as Request & { _body?: boolean };
      if (!parsed._body || emptyBodies.has(req)) {
        parsed.body = undefined;
        parsed._body = true;
      }
      next();
    });
  };
}

/** The parts of an Express 4 layer that say which path parameters it reads. */
interface LayerLike {
  regexp?: RegExp;
  /** `{ name }` per parameter at run time (typed as strings in @types/express). */
  keys?: unknown[];
  route?: unknown;
  handle?: { stack?: unknown[] };
}

function decodes(value: string): boolean {
  try {
    decodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * The name of the path parameter Express failed to decode: the first one, in
 * the order Express tries them (nested routers included), whose raw value is
 * not valid percent-encoding.
 */
function undecodableParam(
  stack: readonly unknown[],
  path: string,
): string | undefined {
  for (const layer of stack as LayerLike[]) {
    const match = layer.regexp?.exec(path);
    if (!match) continue;
    for (let i = 1; i < match.length; i++) {
      if (match[i] !== undefined && !decodes(match[i])) {
        const key = layer.keys?.[i - 1];
        const name =
          typeof key === 'object' && key !== null && 'name' in key
            ? key.name
            : key;
        return name === undefined ? undefined : String(name);
      }
    }
    if (!layer.route && layer.handle?.stack) {
      const rest = path.slice(match[0].length);
      const found = undecodableParam(
        layer.handle.stack,
        rest.startsWith('/') ? rest : `/${rest}`,
      );
      if (found) return found;
    }
  }
  return undefined;
}

/** A body-parser error: an http-error with a `type` such as `entity.parse.failed`. */
interface BodyParserError extends Error {
  type: string;
  status: number;
  body?: unknown;
  limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  const e = error as Partial<BodyParserError> | null;
  return (
    typeof e?.type === 'string' &&
    typeof e.status === 'number' &&
    /^(entity|request|charset|encoding|stream)\./.test(e.type)
  );
}

function bodyError(error: BodyParserError): Error {
  if (error.type === 'entity.parse.failed') {
    // A strict parser refuses `null`, `42` or `"x"` too: valid JSON, but
    // not an object.
    try {
      const value: unknown = JSON.parse(String(error.body));
      return new InputError(
        `body: must be a JSON object, got ${describeJson(value)}`,
      );
    } catch {
      return new InputError(`body: is not valid JSON (${error.message})`);
    }
  }
  if (error.type === 'entity.too.large') {
    return Object.assign(
      new Error(`body: must be at most ${error.limit} bytes`),
      { name: error.name, status: error.status },
    );
  }
  if (error.status >= 500) return error;
  // Unsupported charset or encoding, aborted or truncated requests.
  return Object.assign(new Error(`body: ${error.message}`), {
    name: error.name,
    status: error.status,
  });
}

/**
 * Turns the errors Express and its body parser raise before a route runs
 * into 400s that name the field at fault, in the Backstage error shape:
 * a path parameter that is not valid percent-encoding, a body that is not
 * valid JSON or not an object. Other errors pass unchanged.
 *
 * @param router - the router whose routes (and nested routers) name the
 *   path parameters
 */
export function requestErrors(router: Router): ErrorRequestHandler {
  return (error, req, _res, next) => {
    if (error instanceof URIError && (error as { status?: number }).status) {
      const field = undecodableParam(router.stack, req.path) ?? 'path';
      const raw = /'(.*)'$/.exec(error.message)?.[1] ?? '';
      next(
        new InputError(
          `${field}: is not valid percent-encoding, got '${raw.slice(0, 80)}'`,
        ),
      );
      return;
    }
    next(isBodyParserError(error) ? bodyError(error) : error);
  };
}
