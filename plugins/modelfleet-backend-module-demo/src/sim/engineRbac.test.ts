import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { defaultRbacDir } from './bootstrap';
import { http, SA_TOKEN } from './__testUtils__/apiServer';
import { clusterOf, model, pool, startCluster } from './__testUtils__/cluster';
import { deployReady, sleepyDeployment } from './__testUtils__/engines';

const aws = clusterOf('aws');
const LOAD = 20_000;
const SA = 'system:serviceaccount:modelfleet:modelfleet-backend';
const ROLE_FILE = '20-modelfleet-model-namespace.yaml';
const SHIPPED_RULE = `    resources: [pods/proxy]
    verbs: [get, create]
`;

describe('RBAC of the pod proxy: pods/proxy, get for GET and create for POST', () => {
  let env: Awaited<ReturnType<typeof startCluster>> | undefined;
  let tmp: string | undefined;
  afterEach(async () => {
    await env?.sim.close();
    env = undefined;
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    tmp = undefined;
  });

  /** A cluster with the shipped RBAC, or with its pods/proxy rule replaced. */
  const start = async (rule?: string) => {
    let rbacDir: string | undefined;
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    if (rule !== undefined) {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rbac-'));
      for (const f of fs.readdirSync(defaultRbacDir())) {
        let text = fs.readFileSync(path.join(defaultRbacDir(), f), 'utf8');
        if (f === ROLE_FILE) {
          expect(text).toContain(SHIPPED_RULE);
          text = text.replace(SHIPPED_RULE, rule);
        }
        fs.writeFileSync(path.join(tmp, f), text);
      }
      rbacDir = tmp;
    }
    env = await startCluster({
      cluster: aws,
      pools: [pool(aws, 'gpu', { nodes: { min: 0, max: 2 }, idleNodes: 1 })],
      models: [model(aws, 'chat', 'gpu', 1)],
      loadTimeMs: () => LOAD,
      ...(rbacDir ? { rbacDir } : {}),
    });
    const [pod] = await deployReady(
      env.sim,
      ms => env!.clock.advance(ms),
      sleepyDeployment('sleepy'),
      LOAD,
    );
    return `${pod.metadata.name}:8000`;
  };
  const proxy = (id: string, p: string, method = 'GET') =>
    http(env!.sim.url, `/api/v1/namespaces/models/pods/${id}/proxy/${p}`, {
      method,
      token: SA_TOKEN,
    });
  const forbidden = (id: string, verb: string) =>
    `pods "${id}" is forbidden: User "${SA}" cannot ${verb} resource "pods/proxy" in API group "" in the namespace "models"`;

  it('ships get and create on pods/proxy in the model namespace Role, and nothing more for pods but eviction', () => {
    const docs = parseAllDocuments(
      fs.readFileSync(path.join(defaultRbacDir(), ROLE_FILE), 'utf8'),
    ).map(d => d.toJS());
    const role = docs.find(d => d.kind === 'Role');
    const rules = role.rules.filter((r: any) =>
      r.resources.some((x: string) => x.startsWith('pods')),
    );
    expect(rules).toEqual([
      { apiGroups: [''], resources: ['pods/proxy'], verbs: ['get', 'create'] },
      { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
    ]);
  });

  it('lets the shipped service account GET and POST, and refuses PUT, PATCH and DELETE through the proxy', async () => {
    const id = await start();
    expect((await proxy(id, 'is_sleeping')).status).toBe(200);
    // Awake: wake_up answers at once.
    expect((await proxy(id, 'wake_up', 'POST')).status).toBe(200);
    expect((await proxy(id, 'sleep?level=1', 'POST')).status).toBe(200);
    for (const [method, verb] of [
      ['PUT', 'update'],
      ['PATCH', 'patch'],
      ['DELETE', 'delete'],
    ]) {
      const denied = await proxy(id, 'sleep', method);
      expect(denied).toMatchObject({
        status: 403,
        body: {
          kind: 'Status',
          reason: 'Forbidden',
          code: 403,
          message: forbidden(id, verb),
        },
      });
    }
  });

  it('refuses POST with get alone, and everything without pods/proxy, with 403 Status', async () => {
    let id = await start(`    resources: [pods/proxy]\n    verbs: [get]\n`);
    expect(await proxy(id, 'is_sleeping')).toEqual({
      status: 200,
      body: { is_sleeping: false },
    });
    expect(await proxy(id, 'sleep?level=1', 'POST')).toMatchObject({
      status: 403,
      body: { reason: 'Forbidden', message: forbidden(id, 'create') },
    });
    await env!.sim.close();

    // The rule without pods/proxy: the Role grants no proxy at all.
    id = await start(`    resources: [configmaps]\n    verbs: [get]\n`);
    expect(await proxy(id, 'is_sleeping')).toMatchObject({
      status: 403,
      body: { message: forbidden(id, 'get') },
    });
    expect(await proxy(id, 'wake_up', 'POST')).toMatchObject({
      status: 403,
      body: { message: forbidden(id, 'create') },
    });
    // A cluster admin is not bound by it.
    const admin = await http(
      env!.sim.url,
      `/api/v1/namespaces/models/pods/${id}/proxy/is_sleeping`,
    );
    expect(admin).toEqual({ status: 200, body: { is_sleeping: false } });
  });
});
