import { KubeConfig } from '@kubernetes/client-node';
import { bootstrapStore, DEFAULT_TOKENS } from '../bootstrap';
import { SimClock } from '../clock';
import { ResourceRegistry } from '../resources';
import { SimulatedApiServer } from '../SimulatedApiServer';
import { ObjectStore } from '../store';

export const SA_TOKEN = 'modelfleet-sim-token';
export const ADMIN_TOKEN = 'sim-admin-token';
export const START = Date.UTC(2025, 0, 6, 12, 0, 0); // a Monday, noon UTC

/** A client configuration for the server with a bearer token (or none). */
export function kubeConfig(url: string, token?: string): KubeConfig {
  const kc = new KubeConfig();
  const user = token ? { name: 'u', token } : { name: 'anonymous' };
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server: url, skipTLSVerify: true }],
    users: [user],
    contexts: [{ name: 'sim', cluster: 'sim', user: user.name }],
    currentContext: 'sim',
  });
  return kc;
}

/** A bare API server (no controllers) with the shipped RBAC. */
export async function startBareServer(modelNamespaces = ['search', 'vision']) {
  const clock = new SimClock({ mode: 'manual', start: START });
  const store = new ObjectStore(new ResourceRegistry(), () => clock.now());
  bootstrapStore(store, { modelNamespaces });
  const server = await SimulatedApiServer.start({
    store,
    tokens: DEFAULT_TOKENS,
  });
  return { clock, store, server, url: server.url };
}

/** Plain HTTP to the server, for what the client does not expose. */
export async function http(
  url: string,
  path: string,
  init: {
    method?: string;
    token?: string | null;
    body?: unknown;
    contentType?: string;
  } = {},
) {
  const headers: Record<string, string> = {};
  const token = init.token === undefined ? ADMIN_TOKEN : init.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    body =
      typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] = init.contentType ?? 'application/json';
  }
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body,
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

/** A Deployment of a model, as ModelFleet would apply it. */
export function deployment(
  name: string,
  namespace: string,
  replicas = 1,
  extra: any = {},
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      labels: { 'modelfleet.io/model': name },
      ...extra.metadata,
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, 'modelfleet.io/model': name } },
        spec: {
          containers: [
            {
              name: 'server',
              image: 'vllm/vllm-openai:v0.6.3',
              resources: { limits: { 'nvidia.com/gpu': '1' } },
            },
          ],
          ...extra.podSpec,
        },
      },
    },
  };
}

/** Polls until the check passes or two seconds pass. */
/**
 * Advances the simulated clock a step at a time until `promise` settles
 * (within `eventually`'s wall time); its value.
 */
export async function advanceUntilSettled<T>(
  promise: Promise<T>,
  advance: (ms: number) => void,
  stepMs = 1_000,
): Promise<T> {
  await eventually(async () => {
    advance(stepMs);
    const settled = await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      new Promise(r => setTimeout(() => r(false), 20)),
    ]);
    expect(settled).toBe(true);
  });
  return promise;
}

export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 3000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(r => setTimeout(r, 10));
    }
  }
}
