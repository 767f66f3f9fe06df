import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A request as the loopback server received it. */
export interface Recorded {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Answers one request; `base` is the server's own origin. */
export type Handler = (
  req: Recorded,
  res: http.ServerResponse,
  base: string,
) => void | Promise<void>;

/** A server on 127.0.0.1 and the requests it received. */
export interface Loopback {
  base: string;
  requests: Recorded[];
  close(): Promise<void>;
}

/** A key and self-signed certificate for 127.0.0.1, made with openssl. */
export interface TestCertificate {
  key: string;
  cert: string;
}

/**
 * Makes a throwaway key and self-signed certificate for IP 127.0.0.1 with
 * the openssl CLI, for HTTPS loopback servers that the Azure SDK talks to
 * (it sends bearer tokens over https only). Clients trust it through their
 * own `ca` option; nothing global changes.
 */
export function makeTestCertificate(): TestCertificate {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelfleet-azure-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'pipe' },
    );
    return {
      key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts an HTTP (or, with a certificate, HTTPS) server on 127.0.0.1. */
export async function startLoopback(
  handler: Handler,
  tls?: TestCertificate,
): Promise<Loopback> {
  const requests: Recorded[] = [];
  let base = '';
  const listener: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', async () => {
      const recorded: Recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      try {
        await handler(recorded, res, base);
      } catch (e) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`test handler failed: ${(e as Error).message}`);
      }
    });
  };
  const server = tls
    ? https.createServer({ key: tls.key, cert: tls.cert }, listener)
    : http.createServer(listener);
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  base = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    base,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes a JSON answer. */
export function json(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}
