import { CoreV1Api } from '@kubernetes/client-node';
import { splitSchemeNamePort } from './podProxy';
import { parseRequest } from './requestInfo';
import { ResourceRegistry } from './resources';
import {
  http,
  kubeConfig,
  SA_TOKEN,
  startBareServer,
} from './__testUtils__/apiServer';

const SA = 'system:serviceaccount:modelfleet:modelfleet-backend';

describe('the pod proxy subresource', () => {
  it('parses proxy paths with the verbs the API server gives them', () => {
    const registry = new ResourceRegistry();
    const parse = (method: string, path: string, query = '') =>
      parseRequest(method, path, false, registry, new URLSearchParams(query));
    const base = '/api/v1/namespaces/ml/pods/chat-0:8000/proxy';
    expect(parse('GET', `${base}/is_sleeping`)).toMatchObject({
      kind: 'resource',
      verb: 'get',
      resource: 'pods',
      subresource: 'proxy',
      namespace: 'ml',
      name: 'chat-0:8000',
      proxyPath: '/is_sleeping',
    });
    const verbs = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].map(
      m => (parse(m, `${base}/sleep`) as { verb: string }).verb,
    );
    expect(verbs).toEqual([
      'get',
      'get',
      'create',
      'update',
      'patch',
      'delete',
    ]);
    // A named proxy is never a list, watch or deletecollection.
    expect(
      parseRequest('GET', `${base}/x`, true, registry).kind === 'resource' &&
        (parseRequest('GET', `${base}/x`, true, registry) as any).verb,
    ).toBe('get');
    expect(parse('GET', `${base}/v1/models/`)).toMatchObject({
      proxyPath: '/v1/models/',
    });
    expect(parse('GET', base, 'path=/metrics')).toMatchObject({
      proxyPath: '/metrics',
    });
    expect(parse('GET', base)).toMatchObject({ proxyPath: '' });
    // HEAD only reaches proxies.
    expect(parse('HEAD', '/api/v1/namespaces/ml/pods/chat-0').kind).toBe(
      'unknown',
    );
  });

  it('splits [scheme:]name[:port] as the API server does', () => {
    expect(splitSchemeNamePort('chat-0')).toEqual({
      scheme: 'http',
      name: 'chat-0',
      port: '',
    });
    expect(splitSchemeNamePort('chat-0:8000')).toEqual({
      scheme: 'http',
      name: 'chat-0',
      port: '8000',
    });
    expect(splitSchemeNamePort('https:chat-0:8443')).toEqual({
      scheme: 'https',
      name: 'chat-0',
      port: '8443',
    });
    expect(splitSchemeNamePort('ftp:chat-0:21')).toBeUndefined();
    expect(splitSchemeNamePort(':8000')).toBeUndefined();
    expect(splitSchemeNamePort('a:b:c:d')).toBeUndefined();
  });

  describe('on a bare API server (no pod network)', () => {
    let sim: Awaited<ReturnType<typeof startBareServer>>;
    beforeEach(async () => {
      sim = await startBareServer(['search', 'models']);
    });
    afterEach(() => sim.server.close());

    const createPod = async (namespace: string, name: string, ip?: string) => {
      const created = await http(
        sim.url,
        `/api/v1/namespaces/${namespace}/pods`,
        {
          method: 'POST',
          body: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name },
            spec: {
              containers: [
                {
                  name: 'server',
                  image: 'vllm/vllm-openai:v0.8.5',
                  ports: [{ name: 'http', containerPort: 8000 }],
                },
              ],
            },
          },
        },
      );
      expect(created.status).toBe(201);
      if (!ip) return;
      const status = await http(
        sim.url,
        `/api/v1/namespaces/${namespace}/pods/${name}/status`,
        {
          method: 'PATCH',
          contentType: 'application/merge-patch+json',
          body: { status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] } },
        },
      );
      expect(status.status).toBe(200);
    };

    it('lists pods/proxy in discovery', async () => {
      const core = await http(sim.url, '/api/v1');
      expect(core.body.resources).toContainEqual({
        name: 'pods/proxy',
        singularName: '',
        namespaced: true,
        kind: 'PodProxyOptions',
        verbs: ['create', 'delete', 'get', 'patch', 'update'],
      });
    });

    it('answers as the API server: 403, 404, 400 without an address, 503 when nothing listens', async () => {
      await createPod('search', 'pending');
      await createPod('search', 'running', '172.16.0.9');
      await createPod('kube-system', 'dns', '172.16.0.10');
      const proxy = (path: string, method = 'GET') =>
        http(sim.url, `/api/v1/namespaces/${path}`, {
          method,
          token: SA_TOKEN,
        });

      // Authorization comes first, and names the verb and pods/proxy.
      const denied = await proxy(
        'kube-system/pods/dns:8000/proxy/sleep',
        'POST',
      );
      expect(denied.status).toBe(403);
      expect(denied.body).toMatchObject({
        kind: 'Status',
        reason: 'Forbidden',
        code: 403,
        message: `pods "dns:8000" is forbidden: User "${SA}" cannot create resource "pods/proxy" in API group "" in the namespace "kube-system"`,
        details: { name: 'dns:8000', kind: 'pods' },
      });
      const deniedGet = await proxy('kube-system/pods/nope/proxy/x');
      expect(deniedGet.body.message).toBe(
        `pods "nope" is forbidden: User "${SA}" cannot get resource "pods/proxy" in API group "" in the namespace "kube-system"`,
      );

      const missing = await proxy('search/pods/nope:8000/proxy/is_sleeping');
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({
        reason: 'NotFound',
        message: 'pods "nope" not found',
        details: { name: 'nope', kind: 'pods' },
      });
      const noIp = await proxy('search/pods/pending:8000/proxy/is_sleeping');
      expect(noIp.status).toBe(400);
      expect(noIp.body).toMatchObject({
        reason: 'BadRequest',
        message: 'address not allowed',
      });
      const invalid = await proxy('search/pods/a:b:c:d/proxy/x');
      expect(invalid.status).toBe(400);
      expect(invalid.body.message).toBe('invalid pod request "a:b:c:d"');
      // No port: the first container port.
      const refused = await proxy('search/pods/running/proxy/is_sleeping');
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({
        kind: 'Status',
        status: 'Failure',
        reason: 'ServiceUnavailable',
        code: 503,
        message:
          'error trying to reach service: dial tcp 172.16.0.9:8000: connect: connection refused',
      });
      const named = await proxy('search/pods/http:running:engine/proxy/x');
      expect(named.body.message).toBe(
        'error trying to reach service: dial tcp: lookup tcp/engine: unknown port',
      );
      // Only pods have a proxy here (a cluster admin passes RBAC).
      const service = await http(
        sim.url,
        '/api/v1/namespaces/search/services/x/proxy/y',
      );
      expect(service.status).toBe(404);

      // client-node's generated call gets the same Status.
      const core = kubeConfig(sim.url, SA_TOKEN).makeApiClient(CoreV1Api);
      const error = await core
        .connectGetNamespacedPodProxyWithPath({
          name: 'running:8000',
          namespace: 'search',
          path: 'is_sleeping',
        })
        .catch(e => e);
      expect(error.code).toBe(503);
      expect(JSON.parse(error.body)).toMatchObject({
        reason: 'ServiceUnavailable',
      });
    });
  });
});
