import {
  createConfiguration,
  HttpMethod,
  KubeConfig,
  ServerConfiguration,
} from '@kubernetes/client-node';
import { isPodReady } from '../controllers/placement';
import { SimulatedCluster } from '../SimulatedCluster';
import { http } from './apiServer';

/**
 * A Deployment whose vLLM engine can sleep, as ModelFleet's sleep idle
 * tier renders it: `vllm serve … --enable-sleep-mode` with
 * `VLLM_SERVER_DEV_MODE=1`.
 */
export function sleepyDeployment(
  name: string,
  namespace = 'models',
  options: { args?: string[]; env?: any[]; ports?: any[] } = {},
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      labels: { 'modelfleet.io/model': name },
      annotations: { 'modelfleet.io/idle-tier': 'sleep' },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, 'modelfleet.io/model': name } },
        spec: {
          containers: [
            {
              name: 'server',
              image: 'vllm/vllm-openai:v0.10.1',
              command: ['vllm', 'serve'],
              args: options.args ?? [
                'meta-llama/Llama-3.1-8B-Instruct',
                '--served-model-name',
                name,
                '--host',
                '0.0.0.0',
                '--port',
                '8000',
                '--enable-sleep-mode',
              ],
              env: options.env ?? [
                { name: 'VLLM_SERVER_DEV_MODE', value: '1' },
              ],
              ports: options.ports ?? [
                { name: 'http', containerPort: 8000, protocol: 'TCP' },
              ],
              resources: { limits: { 'nvidia.com/gpu': '1' } },
            },
          ],
        },
      },
    },
  };
}

/** Creates a Deployment as a cluster admin and waits (simulated) until its pods are Ready. */
export async function deployReady(
  sim: SimulatedCluster,
  advance: (ms: number) => void,
  object: ReturnType<typeof sleepyDeployment>,
  loadMs: number,
) {
  const ns = object.metadata.namespace;
  const res = await http(
    sim.url,
    `/apis/apps/v1/namespaces/${ns}/deployments`,
    {
      method: 'POST',
      body: object,
    },
  );
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  sim.settle();
  advance(loadMs);
  return podsOf(sim, object.metadata.name, ns);
}

/** The pods of a model, Ready first. */
export function podsOf(
  sim: SimulatedCluster,
  model: string,
  namespace: string,
) {
  const pods = sim.store
    .list(sim.ctx.types.pod, { namespace })
    .filter(p => p.metadata.labels?.['modelfleet.io/model'] === model);
  return pods.sort((a, b) => Number(isPodReady(b)) - Number(isPodReady(a)));
}

/**
 * A request through client-node's HTTP stack (its configuration, bearer
 * token and fetch), as ModelFleet's actuator sends its engine calls.
 */
export async function clientRequest(
  kc: KubeConfig,
  method: HttpMethod,
  path: string,
  query: Record<string, string | string[]> = {},
) {
  const config = createConfiguration({
    baseServer: new ServerConfiguration(kc.getCurrentCluster()!.server, {}),
    authMethods: { default: kc },
  });
  const context = config.baseServer.makeRequestContext(path, method);
  for (const [k, v] of Object.entries(query))
    for (const value of [v].flat()) context.appendQueryParam(k, value);
  await config.authMethods.default?.applySecurityAuthentication(context);
  const res = await config.httpApi.send(context).toPromise();
  return {
    status: res.httpStatusCode,
    headers: res.headers,
    body: await res.body.text(),
  };
}

/** Settles a promise that is already settled, or says it is not. */
export const peek = async <T>(p: Promise<T>): Promise<T | 'pending'> =>
  Promise.race([
    p,
    new Promise<'pending'>(r => setImmediate(() => r('pending'))),
  ]);

/** The value of one series of a Prometheus text exposition. */
export function sample(text: string, name: string, labels: string): number {
  const line = text.split('\n').find(l => l.startsWith(`${name}{${labels}}`));
  if (!line) throw new Error(`no ${name}{${labels}} in\n${text}`);
  return Number(line.split(' ').pop());
}
