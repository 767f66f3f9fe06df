import {
  ApiException,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { isPodReady } from './controllers/placement';
import {
  ADMIN_TOKEN,
  http,
  kubeConfig,
  SA_TOKEN,
} from './__testUtils__/apiServer';
import { clusterOf, model, pool, startCluster } from './__testUtils__/cluster';

const aws = clusterOf('aws');

/** The Status body of a failed client-node call. */
async function failure(call: Promise<unknown>) {
  try {
    await call;
  } catch (e) {
    if (!(e instanceof ApiException)) throw e;
    const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
    return { code: e.code, body };
  }
  throw new Error('the call succeeded');
}

describe('SimulatedApiServer: the eviction subresource and cordoned nodes', () => {
  let env: Awaited<ReturnType<typeof startCluster>>;
  let core: CoreV1Api;
  let admin: CoreV1Api;
  afterEach(() => env?.sim.close());

  const start = async (replicas = 2, max = 3) => {
    env = await startCluster({
      cluster: aws,
      pools: [pool(aws, 'gpu', { nodes: { min: 0, max } })],
      models: [model(aws, 'chat', 'gpu', replicas)],
    });
    core = kubeConfig(env.sim.url, SA_TOKEN).makeApiClient(CoreV1Api);
    admin = kubeConfig(env.sim.url, ADMIN_TOKEN).makeApiClient(CoreV1Api);
  };
  const pods = () =>
    env.sim.store
      .list(env.sim.ctx.types.pod, { namespace: 'search' })
      .filter(p => p.metadata.labels?.['modelfleet.io/model'] === 'chat');
  const nodes = () => env.sim.store.list(env.sim.ctx.types.node);
  const evict = (name: string, extra: Record<string, unknown> = {}) =>
    core.createNamespacedPodEviction({
      name,
      namespace: 'search',
      body: {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name, namespace: 'search' },
      },
      ...extra,
    });
  const budget = async (name: string, spec: Record<string, unknown>) => {
    const res = await http(
      env.sim.url,
      '/apis/policy/v1/namespaces/search/poddisruptionbudgets',
      {
        method: 'POST',
        body: {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name },
          spec: {
            selector: { matchLabels: { 'modelfleet.io/model': 'chat' } },
            ...spec,
          },
        },
      },
    );
    expect(res.status).toBe(201);
  };
  const cordon = (name: string) =>
    core.patchNode(
      { name, body: { spec: { unschedulable: true } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );

  it('lists pods/eviction in discovery as the real server does', async () => {
    await start(1);
    const v1 = await http(env.sim.url, '/api/v1');
    const names = v1.body.resources.map((r: any) => r.name);
    expect(v1.body.resources).toContainEqual({
      name: 'pods/eviction',
      singularName: '',
      namespaced: true,
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      verbs: ['create'],
    });
    expect(names.indexOf('pods')).toBeLessThan(names.indexOf('pods/eviction'));
  });

  it('drains a cordoned node: the evicted pod is recreated on another node, counted as one change', async () => {
    await start(2);
    const [victim, other] = pods();
    const node = victim.spec.nodeName as string;
    expect(other.spec.nodeName).not.toBe(node);
    const cordoned = await cordon(node);
    expect(cordoned.spec?.unschedulable).toBe(true);
    env.sim.server!.mutations.reset();

    const answer = await evict(victim.metadata.name);
    // The real server answers 201 with a Status of Success; client-node
    // reads it as an Eviction.
    expect(answer).toMatchObject({ kind: 'Status', apiVersion: 'v1' });
    const raw = await http(
      env.sim.url,
      `/api/v1/namespaces/search/pods/${other.metadata.name}/eviction?dryRun=All`,
      {
        method: 'POST',
        token: SA_TOKEN,
        body: {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name: other.metadata.name },
        },
      },
    );
    expect(raw).toEqual({
      status: 201,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        code: 201,
      },
    });
    expect(
      env.sim.store.get(env.sim.ctx.types.pod, 'search', victim.metadata.name),
    ).toBeUndefined();
    const report = env.sim.server!.mutations.report();
    expect(report.total).toBe(1);
    expect(report.unannotated).toBe(1);
    expect(report.changes[0]).toMatchObject({
      verb: 'create',
      resource: 'pods',
      subresource: 'eviction',
      namespace: 'search',
      name: victim.metadata.name,
      user: 'system:serviceaccount:modelfleet:modelfleet-backend',
      source: 'api',
    });

    // The replacement is Pending (the cordoned node is skipped, the other
    // is full) until the provisioner's new node comes up.
    env.sim.settle();
    const replacement = pods().find(
      p => p.metadata.name !== other.metadata.name,
    )!;
    expect(replacement.spec.nodeName).toBeUndefined();
    expect(
      replacement.status.conditions.find((c: any) => c.type === 'PodScheduled'),
    ).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message: expect.stringContaining('node(s) were unschedulable'),
    });
    for (let i = 0; i < 60 && !pods().every(isPodReady); i++) {
      env.clock.advance(10_000);
      env.sim.settle();
    }
    const after = pods();
    expect(after).toHaveLength(2);
    expect(after.every(p => p.spec.nodeName && p.spec.nodeName !== node)).toBe(
      true,
    );
    expect(after.every(isPodReady)).toBe(true);
  });

  it('refuses with 429 what the PodDisruptionBudget does not allow, and evicts what it does', async () => {
    await start(2);
    await budget('chat', { minAvailable: 2 });
    env.sim.settle();
    // The disruption controller keeps the budget's status for its readers.
    const stored = await http(
      env.sim.url,
      '/apis/policy/v1/namespaces/search/poddisruptionbudgets/chat',
      { token: SA_TOKEN },
    );
    expect(stored.body.status).toMatchObject({
      observedGeneration: 1,
      expectedPods: 2,
      currentHealthy: 2,
      desiredHealthy: 2,
      disruptionsAllowed: 0,
      conditions: [
        {
          type: 'DisruptionAllowed',
          status: 'False',
          reason: 'InsufficientPods',
        },
      ],
    });
    const [first, second] = pods();
    const refused = await failure(evict(first.metadata.name));
    expect(refused).toEqual({
      code: 429,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          "Cannot evict pod as it would violate the pod's disruption budget.",
        reason: 'TooManyRequests',
        details: {
          causes: [
            {
              reason: 'DisruptionBudget',
              message:
                'The disruption budget chat needs 2 healthy pods and has 2 currently',
            },
          ],
        },
        code: 429,
      },
    });
    expect(pods()).toHaveLength(2);

    // maxUnavailable 50% of the Deployment's 2 replicas: one at a time.
    const res = await http(
      env.sim.url,
      '/apis/policy/v1/namespaces/search/poddisruptionbudgets/chat',
      {
        method: 'PATCH',
        body: { spec: { minAvailable: null, maxUnavailable: '50%' } },
        contentType: 'application/merge-patch+json',
      },
    );
    expect(res.status).toBe(200);
    await evict(first.metadata.name);
    env.sim.settle();
    const again = await failure(evict(second.metadata.name));
    expect(again.code).toBe(429);
    expect(again.body.details.causes[0].message).toBe(
      'The disruption budget chat needs 1 healthy pods and has 1 currently',
    );
    // The replacement runs on the freed node but is not Ready yet (its
    // model loads): with the budget met (1 healthy of 1 desired), an
    // unhealthy pod is evicted without using up a disruption.
    const loading = pods().find(p => !isPodReady(p))!;
    expect(loading.status.phase).toBe('Running');
    await evict(loading.metadata.name);
    expect(pods().map(p => p.metadata.name)).not.toContain(
      loading.metadata.name,
    );
  });

  it('answers 500 for a pod with two budgets, 404 for no pod, 400 for a name that is not the URL one', async () => {
    await start(1);
    await budget('one', { minAvailable: 0 });
    await budget('two', { maxUnavailable: 1 });
    const [pod] = pods();
    const two = await http(
      env.sim.url,
      `/api/v1/namespaces/search/pods/${pod.metadata.name}/eviction`,
      {
        method: 'POST',
        token: SA_TOKEN,
        body: {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name: pod.metadata.name, namespace: 'search' },
        },
      },
    );
    expect(two).toEqual({
      status: 500,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
        code: 500,
      },
    });
    const missing = await failure(evict('nope'));
    expect(missing.code).toBe(404);
    expect(missing.body.message).toBe('pods "nope" not found');
    const mismatch = await failure(
      core.createNamespacedPodEviction({
        name: pod.metadata.name,
        namespace: 'search',
        body: { metadata: { name: 'other' } },
      }),
    );
    expect(mismatch.code).toBe(400);
    expect(mismatch.body.message).toBe(
      'name in URL does not match name in Eviction object',
    );
    expect(pods()).toHaveLength(1);
  });

  it('checks without deleting on a dry run', async () => {
    await start(1);
    const [pod] = pods();
    env.sim.server!.mutations.reset();
    await evict(pod.metadata.name, { dryRun: 'All' });
    const inBody = await http(
      env.sim.url,
      `/api/v1/namespaces/search/pods/${pod.metadata.name}/eviction`,
      {
        method: 'POST',
        token: SA_TOKEN,
        body: {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name: pod.metadata.name },
          deleteOptions: { dryRun: ['All'] },
        },
      },
    );
    expect(inBody.status).toBe(201);
    expect(pods().map(p => p.metadata.uid)).toEqual([pod.metadata.uid]);
    expect(env.sim.server!.mutations.report().total).toBe(0);
    await budget('chat', { minAvailable: 1 });
    const refused = await failure(evict(pod.metadata.name, { dryRun: 'All' }));
    expect(refused.code).toBe(429);
  });

  it('enforces RBAC: pods/eviction create in model namespaces, nodes patch, nothing more', async () => {
    await start(1);
    const created = await http(
      env.sim.url,
      '/api/v1/namespaces/kube-system/pods',
      {
        method: 'POST',
        body: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'dns' },
          spec: { containers: [{ name: 'c', image: 'coredns' }] },
        },
      },
    );
    expect(created.status).toBe(201);
    const denied = await failure(
      core.createNamespacedPodEviction({
        name: 'dns',
        namespace: 'kube-system',
        body: { metadata: { name: 'dns', namespace: 'kube-system' } },
      }),
    );
    expect(denied.code).toBe(403);
    expect(denied.body.message).toBe(
      'pods "dns" is forbidden: User "system:serviceaccount:modelfleet:modelfleet-backend" cannot create resource "pods/eviction" in API group "" in the namespace "kube-system"',
    );
    const [node] = nodes();
    const deleteNode = await failure(
      core.deleteNode({ name: node.metadata.name }),
    );
    expect(deleteNode.code).toBe(403);
    const deletePod = await failure(
      core.deleteNamespacedPod({
        name: pods()[0].metadata.name,
        namespace: 'search',
      }),
    );
    expect(deletePod.code).toBe(403);
    // Its budgets are readable cluster-wide.
    const budgets = await http(
      env.sim.url,
      '/apis/policy/v1/poddisruptionbudgets',
      { token: SA_TOKEN },
    );
    expect(budgets.status).toBe(200);
    // A cluster admin may evict anywhere.
    await admin.createNamespacedPodEviction({
      name: 'dns',
      namespace: 'kube-system',
      body: { metadata: { name: 'dns' } },
    });
  });
});
