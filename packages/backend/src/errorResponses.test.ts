/*
 * Error responses in production show no stack trace, no file path and no
 * SQL (see errorResponses.ts).
 *
 * Like keepAlive.test.ts, the test starts the backend's real root services
 * (root config from the repository's app-config files, the root HTTP router
 * the backend uses) with a plugin whose routes fail the way a query does.
 * NODE_ENV is `development`, as `yarn start` sets it: the case in which
 * Backstage's error middleware writes stack traces.
 */

import { createBackend } from '@backstage/backend-defaults';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { rootHttpRouterService } from './rootHttpRouter';

const repoRoot = path.resolve(__dirname, '../../..');

const SQL =
  'select `day`, sum(cost_usd) as cost_usd from `modelfleet_cost_daily` where `scope` = ? and `day` >= ? group by `day`';

/** better-sqlite3's error class, as knex passes it on. */
class SqliteError extends Error {
  readonly code = 'SQLITE_ERROR';
  constructor(message: string) {
    super(message);
    this.name = 'SqliteError';
  }
}

/** What each route of the test plugin fails with. */
const failures: Record<string, () => Error> = {
  // knex's own error for an undefined binding: the query in the message.
  '/query-error': () =>
    new Error(
      `Undefined binding(s) detected when compiling SELECT. Undefined column(s): [scope] query: ${SQL}`,
    ),
  // A driver's error, wrapped by knex: the query, then the driver's message.
  '/driver-error': () =>
    new SqliteError(`${SQL} - SQLITE_ERROR: no such column: scope`),
  // The search backend's error for a query before its index exists.
  '/missing-index': () => {
    const e = new Error(
      'Missing index for software-catalog. This could be because the index hasn’t been created yet or there was a problem during index creation.',
    );
    e.name = 'MissingIndexError';
    return e;
  },
  '/bad-input': () =>
    new InputError(
      'kind: must be one of model, gpupool, group',
      new Error('not in the list'),
    ),
};

const failingPlugin = createBackendPlugin({
  pluginId: 'failing',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        httpRouter.use((req, _res, next) => {
          const failure = failures[req.path];
          next(failure ? failure() : undefined);
        });
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});

interface LogEntry {
  level: string;
  message: string;
  meta?: unknown;
}

/** A root logger that keeps what is logged. */
function collectingLogger(entries: LogEntry[]): LoggerService {
  const logger: LoggerService = {
    error: (message, meta) => entries.push({ level: 'error', message, meta }),
    warn: (message, meta) => entries.push({ level: 'warn', message, meta }),
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  return logger;
}

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

/** Starts the root services and the failing plugin with these app-configs. */
async function startBackend(configFiles: string[]) {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelfleet-errors-'));
  const override = path.join(dir, 'app-config.test.yaml');
  // Where to listen, and a database that needs no server.
  fs.writeFileSync(
    override,
    JSON.stringify({
      backend: {
        baseUrl: `http://localhost:${port}`,
        listen: `:${port}`,
        database: { client: 'better-sqlite3', connection: ':memory:' },
      },
    }),
  );
  const argv = [
    ...configFiles.map(f => path.join(repoRoot, f)),
    override,
  ].flatMap(file => ['--config', file]);

  const logs: LogEntry[] = [];
  const backend = createBackend();
  backend.add(rootConfigServiceFactory({ argv, watch: false }));
  backend.add(
    createServiceFactory({
      service: coreServices.rootLogger,
      deps: {},
      factory: () => collectingLogger(logs),
    }),
  );
  backend.add(rootHttpRouterService);
  backend.add(failingPlugin);
  await backend.start();
  return {
    logs,
    async get(route: string) {
      const res = await fetch(`http://localhost:${port}/api/failing${route}`);
      return {
        status: res.status,
        body: await res.json(),
        retryAfter: res.headers.get('retry-after'),
      };
    },
    async stop() {
      await backend.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Any absolute file path or source position, as stack traces carry. */
const FILE_PATH = /(^|[\s('"])\/[\w.-]+\/[\w./-]+|\.[jt]sx?:\d+/;
const SQL_WORDS = /\b(select|from|where|group by|modelfleet_cost_daily)\b/i;

/** A search before its index exists is a 503 to retry, in words. */
async function expectSearchIndexNotReady(
  backend: Awaited<ReturnType<typeof startBackend>>,
) {
  const { status, body, retryAfter } = await backend.get('/missing-index');
  expect(status).toBe(503);
  expect(retryAfter).toBe('60');
  expect(body).toEqual({
    error: {
      name: 'ServiceUnavailableError',
      message:
        'The search index is being built (the first pass runs within a minute of start); try again in 60 seconds.',
    },
    request: { method: 'GET', url: '/missing-index' },
    response: { statusCode: 503 },
  });
}

describe('error responses', () => {
  // Read by app-config.production.yaml; no PostgreSQL is opened here.
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    APP_BASE_URL: 'http://localhost:7007',
    BACKEND_SECRET: 'errors-test-secret',
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

  it('show no stack, path or SQL with app-config.production.yaml', async () => {
    const backend = await startBackend([
      'app-config.yaml',
      'app-config.production.yaml',
    ]);
    try {
      for (const route of ['/query-error', '/driver-error']) {
        const { status, body } = await backend.get(route);
        expect(status).toBe(500);
        expect(body).toEqual({
          error: {
            name: 'Error',
            message: expect.stringMatching(
              /^Internal Server Error \(logId=[0-9a-f]{20}\)$/,
            ),
          },
          request: { method: 'GET', url: route },
          response: { statusCode: 500 },
        });
        const text = JSON.stringify(body);
        expect(text).not.toMatch(/stack/i);
        expect(text).not.toMatch(FILE_PATH);
        expect(text).not.toMatch(SQL_WORDS);

        // The log keeps what the response no longer says, under its logId.
        const logId = /logId=(\w+)/.exec(body.error.message)![1];
        const entry = backend.logs.find(e => e.message.includes(logId));
        expect(entry?.level).toBe('error');
        expect(entry?.message).toContain(SQL);
      }

      const { status, body } = await backend.get('/bad-input');
      expect(status).toBe(400);
      expect(body.error).toEqual({
        name: 'InputError',
        message:
          'kind: must be one of model, gpupool, group; caused by Error: not in the list',
        cause: { name: 'Error', message: 'not in the list' },
      });
      expect(JSON.stringify(body)).not.toMatch(/stack/i);

      await expectSearchIndexNotReady(backend);
    } finally {
      await backend.stop();
    }
  }, 30_000);

  it('may show them in local development (app-config.yaml)', async () => {
    const backend = await startBackend(['app-config.yaml']);
    try {
      const { status, body } = await backend.get('/query-error');
      expect(status).toBe(500);
      expect(body.error.message).toContain(SQL);
      expect(body.error.stack).toMatch(FILE_PATH);
      await expectSearchIndexNotReady(backend);
    } finally {
      await backend.stop();
    }
  }, 30_000);
});
