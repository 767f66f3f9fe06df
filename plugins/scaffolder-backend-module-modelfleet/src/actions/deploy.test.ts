import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import yaml from 'yaml';
import { renderModelManifests } from '../manifests';
import {
  createDeployAction,
  createDeployPolicyClient,
  DeployPolicyClient,
} from './deploy';
import { examples } from './deploy.examples';

jest.setTimeout(30_000);

/** Resources the loopback API server serves, per group version. */
const RESOURCES: Record<
  string,
  Array<{ name: string; kind: string; namespaced: boolean }>
> = {
  v1: [
    { name: 'services', kind: 'Service', namespaced: true },
    {
      name: 'persistentvolumeclaims',
      kind: 'PersistentVolumeClaim',
      namespaced: true,
    },
    { name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
  ],
  'apps/v1': [{ name: 'deployments', kind: 'Deployment', namespaced: true }],
  'autoscaling/v2': [
    {
      name: 'horizontalpodautoscalers',
      kind: 'HorizontalPodAutoscaler',
      namespaced: true,
    },
  ],
  'policy/v1': [
    {
      name: 'poddisruptionbudgets',
      kind: 'PodDisruptionBudget',
      namespaced: true,
    },
  ],
  'networking.k8s.io/v1': [
    { name: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true },
  ],
  'keda.sh/v1alpha1': [
    { name: 'scaledobjects', kind: 'ScaledObject', namespaced: true },
  ],
};

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType?: string;
  authorization?: string;
  body?: any;
}

/** A loopback server speaking the Kubernetes discovery and server-side apply wire format. */
async function kubeApiServer() {
  const seen: Seen[] = [];
  const stored = new Map<string, any>();
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', c => (data += c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      const send = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const entry: Seen = {
        method: req.method!,
        path: url.pathname,
        query: url.searchParams,
        contentType: req.headers['content-type'],
        authorization: req.headers.authorization,
      };
      seen.push(entry);
      const list = url.pathname.match(/^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))$/);
      if (req.method === 'GET' && list) {
        const gv = list[1] ?? list[2];
        const resources = RESOURCES[gv];
        if (!resources) return send(404, { kind: 'Status', code: 404 });
        return send(200, {
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion: gv,
          resources: resources.map(r => ({ ...r, verbs: ['get', 'patch'] })),
        });
      }
      if (req.method === 'PATCH') {
        // Server-side apply sends the object as YAML (JSON is YAML).
        entry.body = yaml.parse(data);
        if (url.searchParams.get('dryRun') !== 'All') {
          stored.set(url.pathname, entry.body);
        }
        return send(200, entry.body);
      }
      return send(404, { kind: 'Status', code: 404, message: url.pathname });
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    stored,
    close: () => server.close(),
  };
}

const rendered = renderModelManifests({
  name: 'bge-large-embeddings',
  namespace: 'models',
  owner: 'group:default/search-team',
  model: {
    source: 'BAAI/bge-large-en-v1.5',
    parametersBillions: 0.335,
    precision: 'fp16',
    runtime: 'tgi',
  },
  gpu: { product: 'L4', count: 1, memoryGiB: 2 },
  replicas: { min: 1, max: 3 },
  traffic: 'sporadic',
  pool: {
    ref: 'gpupool:default/prod-use1.l4-spot',
    cluster: 'prod-use1',
    region: 'us-east-1',
    capacityType: 'spot',
    scheduling: {
      nodeSelector: { 'eks.amazonaws.com/nodegroup': 'l4-spot' },
      tolerations: [
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ],
      gpuResource: 'nvidia.com/gpu',
    },
  },
});

const policyClient = (dryRun: boolean) => {
  const calls: Array<string | undefined> = [];
  const client: DeployPolicyClient = {
    async dryRunOnly(team) {
      calls.push(team);
      return {
        dryRun,
        source: 'app-config modelfleet.policies.defaults.dryRun',
      };
    },
  };
  return { client, calls };
};

function setup(options: {
  apiUrl?: string;
  allow?: boolean;
  policyDryRun?: boolean;
}) {
  const events: Array<{ options: any; outcome?: any }> = [];
  const auditor = {
    async createEvent(o: any) {
      const event: { options: any; outcome?: any } = { options: o };
      events.push(event);
      return {
        async success(x?: any) {
          event.outcome = { success: x ?? {} };
        },
        async fail(x: any) {
          event.outcome = { fail: x.error.message };
        },
      };
    },
  };
  const permissions = mockServices.permissions.mock({
    authorize: jest.fn(async () => [
      {
        result:
          options.allow === false
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      },
    ]) as any,
  });
  const config = mockServices.rootConfig({
    data: options.apiUrl
      ? {
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: 'prod-use1',
                    url: options.apiUrl,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: 'deploy-token',
                  },
                ],
              },
            ],
          },
        }
      : {},
  });
  const policies = policyClient(options.policyDryRun ?? false);
  const action = createDeployAction({
    config,
    permissions,
    auditor,
    policies: policies.client,
  });
  return { action, events, permissions, policies };
}

/** The example's step input with its template expressions filled in. */
function exampleInput(index: number) {
  const [step] = yaml.parse(examples[index].example).steps;
  return {
    ...step.input,
    cluster: 'prod-use1',
    manifests: rendered.manifests,
  };
}

const outputs = (ctx: any) =>
  Object.fromEntries((ctx.output as jest.Mock).mock.calls);

describe('modelfleet:deploy', () => {
  it('example 1: server-side dry-run against the connected cluster, nothing stored, no audit', async () => {
    const api = await kubeApiServer();
    try {
      const { action, events, permissions } = setup({ apiUrl: api.url });
      const ctx = createMockActionContext({ input: exampleInput(0) });
      await action.handler(ctx as any);
      const patches = api.seen.filter(s => s.method === 'PATCH');
      expect(patches.map(p => p.path)).toEqual(
        rendered.manifests.map((m: any) => {
          const gv = m.apiVersion.includes('/')
            ? `/apis/${m.apiVersion}`
            : `/api/${m.apiVersion}`;
          const plural = Object.values(RESOURCES)
            .flat()
            .find(r => r.kind === m.kind)!.name;
          return `${gv}/namespaces/models/${plural}/${m.metadata.name}`;
        }),
      );
      for (const p of patches) {
        expect(p.contentType).toBe('application/apply-patch+yaml');
        expect(p.query.get('dryRun')).toBe('All');
        expect(p.query.get('fieldManager')).toBe('modelfleet');
        expect(p.query.get('force')).toBe('true');
        expect(p.authorization).toBe('Bearer deploy-token');
      }
      expect(api.stored.size).toBe(0);
      expect(outputs(ctx)).toMatchObject({
        applied: false,
        summary: `Dry-run: the API server of prod-use1 accepted ${rendered.manifests.length} object(s)`,
      });
      expect(events).toEqual([]);
      expect(permissions.authorize).not.toHaveBeenCalled();
    } finally {
      api.close();
    }
  });

  it('example 2: applies with the permission and policy, checkpointed and audited', async () => {
    const api = await kubeApiServer();
    try {
      const { action, events, policies } = setup({ apiUrl: api.url });
      const ctx = createMockActionContext({ input: exampleInput(1) });
      const checkpoint = jest.fn(async (o: any) => o.fn());
      (ctx as any).checkpoint = checkpoint;
      await action.handler(ctx as any);
      expect(api.stored.size).toBe(rendered.manifests.length);
      const deployment = [...api.stored.values()].find(
        o => o.kind === 'Deployment',
      );
      expect(deployment.spec.template.spec.nodeSelector).toEqual({
        'eks.amazonaws.com/nodegroup': 'l4-spot',
      });
      expect(checkpoint).toHaveBeenCalledTimes(rendered.manifests.length);
      expect(checkpoint.mock.calls[0][0].key).toMatch(
        /^apply\.prod-use1\.[A-Za-z]+\/bge-large-embeddings\.[0-9a-f]{16}$/,
      );
      expect(policies.calls).toEqual(['group:default/search-team']);
      expect(outputs(ctx).applied).toBe(true);
      expect(
        outputs(ctx).results.every((r: any) => r.outcome === 'applied'),
      ).toBe(true);
      expect(events).toHaveLength(1);
      expect(events[0].options).toMatchObject({
        eventId: 'model-deploy',
        severityLevel: 'medium',
        meta: {
          actor: 'user:default/mock',
          taskId: 'mock-task-id',
          entityRef: 'model:default/bge-large-embeddings',
          cluster: 'prod-use1',
          namespace: 'models',
        },
      });
      expect(events[0].options.meta.objects).toContain(
        'Deployment/bge-large-embeddings',
      );
      expect(events[0].outcome).toEqual({
        success: { meta: { outcome: 'applied' } },
      });
    } finally {
      api.close();
    }
  });

  it('refuses without modelfleet.model.deploy, audits the failure, sends nothing', async () => {
    const api = await kubeApiServer();
    try {
      const { action, events } = setup({ apiUrl: api.url, allow: false });
      const ctx = createMockActionContext({ input: exampleInput(1) });
      let error: Error | undefined;
      await action.handler(ctx as any).catch(e => (error = e));
      expect(error?.name).toBe('NotAllowedError');
      expect(error?.message).toBe(
        'user:default/mock may not apply models to clusters (permission modelfleet.model.deploy)',
      );
      expect(api.seen.filter(s => s.method === 'PATCH')).toEqual([]);
      expect(events[0].outcome).toEqual({ fail: error!.message });
    } finally {
      api.close();
    }
  });

  it('refuses when the team policy is dry-run only', async () => {
    const api = await kubeApiServer();
    try {
      const { action } = setup({ apiUrl: api.url, policyDryRun: true });
      const ctx = createMockActionContext({ input: exampleInput(1) });
      let error: Error | undefined;
      await action.handler(ctx as any).catch(e => (error = e));
      expect(error?.message).toBe(
        'The policy of group:default/search-team is dry-run only (app-config modelfleet.policies.defaults.dryRun): nothing was applied',
      );
      expect(api.stored.size).toBe(0);
    } finally {
      api.close();
    }
  });

  it('checks offline when the cluster has no connection, and refuses to apply there', async () => {
    const { action } = setup({});
    const dry = createMockActionContext({ input: exampleInput(0) });
    await action.handler(dry as any);
    expect(outputs(dry)).toMatchObject({
      applied: false,
      summary: `prod-use1 has no Kubernetes connection (a simulated cluster): ${rendered.manifests.length} object(s) checked offline against the Kubernetes schemas, nothing sent`,
    });
    expect(
      outputs(dry).results.every((r: any) => r.outcome === 'validated-offline'),
    ).toBe(true);

    const apply = createMockActionContext({ input: exampleInput(1) });
    let error: Error | undefined;
    await action.handler(apply as any).catch(e => (error = e));
    expect(error?.name).toBe('InputError');
    expect(error?.message).toBe(
      "cluster: 'prod-use1' has no connection in kubernetes.clusterLocatorMethods, so nothing can be applied to it",
    );
  });

  it('rejects manifests the Kubernetes schemas reject, naming the field', async () => {
    const { action } = setup({});
    const broken = structuredClone(rendered.manifests) as any[];
    const deployment = broken.find(m => m.kind === 'Deployment');
    deployment.spec.replicas = 'three';
    const ctx = createMockActionContext({
      input: { ...exampleInput(0), manifests: broken },
    });
    let error: Error | undefined;
    await action.handler(ctx as any).catch(e => (error = e));
    expect(error?.name).toBe('InputError');
    expect(error?.message).toMatch(
      /^manifests: the Kubernetes schemas reject 1 field\(s\): Deployment\/bge-large-embeddings \/spec\/replicas: /,
    );

    const noKind = createMockActionContext({
      input: { ...exampleInput(0), manifests: [{ apiVersion: 'v1' }] },
    });
    await action.handler(noKind as any).catch(e => (error = e));
    expect(error?.message).toBe('manifests[0].kind: missing');
  });
});

describe('createDeployPolicyClient', () => {
  it("reads the team's effective policy from the ModelFleet backend, naming where dryRun was set", async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization?.split(' ')[0]}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          team: 'group:default/speech-team',
          policy: { dryRun: false },
          sources: { dryRun: 'modelfleet.policies.teams.speech-team.dryRun' },
        }),
      );
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const client = createDeployPolicyClient({
        discovery: {
          getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
          getExternalBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
        },
        auth: mockServices.auth(),
      });
      await expect(
        client.dryRunOnly('group:default/speech-team', {
          $$type: '@backstage/BackstageCredentials',
          principal: { type: 'user', userEntityRef: 'user:default/ana' },
        } as any),
      ).resolves.toEqual({
        dryRun: false,
        source: 'app-config modelfleet.policies.teams.speech-team.dryRun',
      });
      expect(seen).toEqual([
        '/api/modelfleet/policies/effective?team=group%3Adefault%2Fspeech-team Bearer',
      ]);
    } finally {
      server.close();
    }
  });
});
