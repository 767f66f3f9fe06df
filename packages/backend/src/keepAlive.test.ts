/*
 * Reproduces the ECONNRESET the permission backend hit when it fetched user
 * info from the auth backend in the same process (see rootHttpRouter.ts).
 *
 * The test starts the backend's real root services (root config from the
 * repository's app-config files, the root HTTP router the backend uses) and
 * calls it over loopback with the client Backstage uses for that call: Node's
 * global fetch. It sends a request, then a second one on the same kept-alive
 * connection, and blocks the event loop right after that second request has
 * been written, for longer than the server advertises in `Keep-Alive:
 * timeout=N` plus Node's default 1 s buffer: what a busy backend does to its
 * own loopback call. The order of events is fixed by the event loop, not by
 * timing: after the stall the timers run before the socket is read, so a
 * server that closes idle connections at N + 1 s destroys the connection with
 * the request unread and the fetch fails with ECONNRESET.
 */

import { createBackend } from '@backstage/backend-defaults';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import diagnosticsChannel from 'node:diagnostics_channel';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  rootHttpRouterService,
  supportsKeepAliveTimeoutBuffer,
} from './rootHttpRouter';

const repoRoot = path.resolve(__dirname, '../../..');
const marker = 'modelfleet-keepalive-test';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the backend's root services with the given app-config files. */
async function startBackend(configFiles: string[]) {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelfleet-keepalive-'));
  const override = path.join(dir, 'app-config.test.yaml');
  // Only where to listen changes; backend.server comes from the repository.
  fs.writeFileSync(
    override,
    JSON.stringify({
      backend: {
        baseUrl: `http://localhost:${port}`,
        // The string form, as in app-config.production.yaml: an object
        // cannot be merged over a string.
        listen: `:${port}`,
      },
    }),
  );
  const argv = [...configFiles, override].flatMap(file => ['--config', file]);

  const backend = createBackend();
  backend.add(rootConfigServiceFactory({ argv, watch: false }));
  backend.add(rootHttpRouterService);
  await backend.start();
  return {
    url: `http://localhost:${port}/.backstage/health/v1/liveness?${marker}`,
    async stop() {
      await backend.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function blockEventLoop(ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy, like a synchronous SQLite query or a module being loaded
  }
}

/**
 * Watches the test's requests as undici writes them: which connection each
 * goes out on, and, when asked, blocks the event loop right after the
 * request has been written.
 */
function watchRequests() {
  const sockets: unknown[] = [];
  let stallMs = 0;
  let stalledFor = 0;
  const onSendHeaders = (message: unknown) => {
    const { request, socket } = message as {
      request: { path: string };
      socket: unknown;
    };
    if (!request.path.includes(marker)) {
      return;
    }
    sockets.push(socket);
    if (stallMs > 0) {
      const ms = stallMs;
      stallMs = 0;
      // The request is written synchronously after this message is
      // published; block once it is in the server's receive buffer.
      queueMicrotask(() => {
        const start = Date.now();
        blockEventLoop(ms);
        stalledFor = Date.now() - start;
      });
    }
  };
  diagnosticsChannel.subscribe('undici:client:sendHeaders', onSendHeaders);
  return {
    sockets,
    stallNextRequest(ms: number) {
      stallMs = ms;
    },
    stalledFor: () => stalledFor,
    stop() {
      diagnosticsChannel.unsubscribe(
        'undici:client:sendHeaders',
        onSendHeaders,
      );
    },
  };
}

const configSets: Array<[string, string[]]> = [
  ['app-config.yaml', ['app-config.yaml']],
  [
    'app-config.yaml + app-config.production.yaml',
    ['app-config.yaml', 'app-config.production.yaml'],
  ],
];

describe('loopback calls over kept-alive connections', () => {
  // Read by app-config.production.yaml; no database is opened here.
  const env: Record<string, string> = {
    APP_BASE_URL: 'http://localhost:7007',
    BACKEND_SECRET: 'keepalive-test-secret',
    POSTGRES_HOST: 'localhost',
    POSTGRES_PORT: '5432',
    POSTGRES_USER: 'backstage',
    POSTGRES_PASSWORD: 'backstage',
  };
  const saved = Object.fromEntries(
    Object.keys(env).map(key => [key, process.env[key]]),
  );

  beforeAll(() => {
    Object.assign(process.env, env);
  });

  afterAll(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = value;
      }
    }
  });

  it('runs on a Node.js that honours server.keepAliveTimeoutBuffer', () => {
    expect(supportsKeepAliveTimeoutBuffer(process.versions.node)).toBe(true);
  });

  it.each(configSets)(
    'survive an event-loop stall past the advertised keep-alive timeout (%s)',
    async (_name, files) => {
      const backend = await startBackend(
        files.map(file => path.join(repoRoot, file)),
      );
      const requests = watchRequests();
      try {
        const first = await fetch(backend.url);
        expect(first.status).toBe(200);
        await first.json();
        const keepAlive = first.headers.get('keep-alive') ?? '';
        const advertised = Number(/timeout=(\d+)/.exec(keepAlive)?.[1]);
        expect(advertised).toBeGreaterThan(0);

        // Let undici put the connection back in its pool (a request sent
        // straight away would open a second one).
        await new Promise(resolve => setTimeout(resolve, 100));

        // Node's default: the server closes an idle connection 1 s after
        // the timeout it advertises. Stall half a second beyond that.
        const stall = advertised * 1000 + 1000 + 500;
        requests.stallNextRequest(stall);
        const second = await fetch(backend.url);
        expect(second.status).toBe(200);
        expect(await second.json()).toEqual({ status: 'ok' });

        // The second request went out on the first one's connection, and
        // the loop really was blocked that long after it was written.
        expect(requests.sockets).toHaveLength(2);
        expect(requests.sockets[1] === requests.sockets[0]).toBe(true);
        expect(requests.stalledFor()).toBeGreaterThanOrEqual(stall);
      } finally {
        requests.stop();
        await backend.stop();
      }
    },
    30_000,
  );
});
