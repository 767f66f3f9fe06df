/* The child process of the network tests (see harness.ts): runs the sources
 * in plain Node, outside Jest's module sandbox, where the client libraries'
 * dynamic import() of node-fetch works as in production. */
// The guard must load before anything that could open a connection.
import { blockedConnections } from './networkGuard';
import { GcpBillingCatalogPriceSource } from '../catalog/GcpBillingCatalogPriceSource';
import { GcpBillingExportBillSource } from '../export/GcpBillingExportBillSource';
import { GkeNodePoolApi } from '../nodePools/GkeNodePoolApi';
import type {
  HarnessReply,
  HarnessRequest,
  NodePoolCall,
  NodePoolRun,
} from './harness';

/** Runs the calls on one node-pool API, recording outcomes and log lines. */
async function runGke(
  msg: Extract<HarnessRequest, { kind: 'gke' }>,
): Promise<NodePoolRun> {
  const logs: NodePoolRun['logs'] = [];
  const log =
    (level: string) =>
    (message: string): void => {
      logs.push({ level, message });
    };
  const logger: any = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: () => logger,
  };
  const api = new GkeNodePoolApi(msg.options, logger);
  const call = (c: NodePoolCall): Promise<unknown> => {
    if (c.op === 'listClusters') return api.listClusters();
    if (c.op === 'size') return api.size(c.ref);
    return api.setMinimum(c.ref, c.min, c.options);
  };
  const outcomes: NodePoolRun['outcomes'] = [];
  for (const c of msg.calls) {
    try {
      outcomes.push({ ok: true, value: await call(c) });
    } catch (e) {
      const err = e as any;
      outcomes.push({
        ok: false,
        name: String(err?.name),
        code: err?.code,
        retryable: err?.retryable,
        status: err?.status,
        message: String(err?.message ?? e),
      });
    }
  }
  return { outcomes, logs };
}

async function run(msg: HarnessRequest): Promise<unknown> {
  if (msg.kind === 'gke') return runGke(msg);
  if (msg.kind === 'catalog') {
    const source = new GcpBillingCatalogPriceSource(msg.options);
    return source.listPrices(msg.filter);
  }
  const { bearerToken, ...options } = msg.options;
  const source = new GcpBillingExportBillSource({
    ...options,
    // A ready-made token, as an auth client of google-auth-library gives it.
    ...(bearerToken
      ? {
          authClient: {
            getRequestHeaders: async () =>
              new Headers({ authorization: `Bearer ${bearerToken}` }),
          } as any,
        }
      : {}),
  });
  const lines = [];
  for await (const line of source.fetchLines({
    start: new Date(msg.window.start),
    end: new Date(msg.window.end),
  })) {
    lines.push(line);
  }
  return lines;
}

process.on('message', async (msg: HarnessRequest) => {
  const before = blockedConnections.length;
  const saved = { ...process.env };
  Object.assign(process.env, msg.env ?? {});
  let reply: HarnessReply;
  try {
    reply = { id: msg.id, ok: true, result: await run(msg), blocked: [] };
  } catch (e) {
    reply = {
      id: msg.id,
      ok: false,
      error: String((e as Error)?.message ?? e),
      blocked: [],
    };
  } finally {
    for (const k of Object.keys(msg.env ?? {})) {
      if (k in saved) process.env[k] = saved[k];
      else delete process.env[k];
    }
  }
  reply.blocked = blockedConnections.slice(before);
  process.send!(reply);
});

process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
