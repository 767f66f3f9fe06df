/*
 * Raw HTTP: the path and body are sent byte for byte as given (fetch would
 * resolve `../` and re-encode the URL), with a time limit.
 */
import http from 'node:http';

/** A request as it goes on the wire. */
export interface RawRequest {
  method: string;
  /** Path and query, already encoded. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** An answer: its status, text, parsed JSON and Backstage error message. */
export interface RawAnswer {
  status: number;
  text: string;
  json?: any;
  /** `error.message` of a Backstage error body, else the text. */
  message: string;
}

export const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/** A request that got no answer (refused, cut, timed out). */
export class NoAnswerError extends Error {
  readonly name = 'NoAnswerError';
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** Header values HTTP can carry (what Node accepts). */
export const isSendableHeader = (value: string) =>
  !/[^\t\x20-\x7e\x80-\xff]/.test(value);

/** Sends one request to `base` (http://host:port); any status is an answer. */
export function send(
  base: string,
  req: RawRequest,
  timeoutMs = 30_000,
): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) {
      headers['content-length'] = Buffer.byteLength(req.body);
    }
    let r: http.ClientRequest;
    try {
      r = http.request({
        agent,
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers,
      });
    } catch (e) {
      reject(new NoAnswerError(`not sendable: ${(e as Error).message}`));
      return;
    }
    r.setTimeout(timeoutMs, () =>
      r.destroy(new Error(`no answer within ${timeoutMs} ms`)),
    );
    r.on('error', e =>
      reject(
        new NoAnswerError(
          `${req.method} ${req.path.slice(0, 120)}: ${e.message}`,
        ),
      ),
    );
    r.on('response', res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('error', e => reject(new NoAnswerError(e.message)));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        const message =
          typeof json?.error?.message === 'string' ? json.error.message : text;
        resolve({ status: res.statusCode ?? 0, text, json, message });
      });
    });
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** A JSON request with a bearer token, for set-up and checks. */
export async function call(
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<RawAnswer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return send(base, {
    method,
    path,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/**
 * A set-up read that must succeed: tried again on no answer or 5xx (a busy
 * portal on a loaded machine), three times.
 */
export async function setupCall(
  base: string,
  path: string,
  token: string,
): Promise<RawAnswer> {
  let last: unknown;
  for (let i = 0; i < 3; i++) {
    try {
      const r = await call(base, 'GET', path, token);
      if (r.status < 500) return r;
      last = new Error(`GET ${path}: ${r.status} ${r.message.slice(0, 200)}`);
    } catch (e) {
      last = e;
    }
    await sleep(2_000);
  }
  throw last;
}
