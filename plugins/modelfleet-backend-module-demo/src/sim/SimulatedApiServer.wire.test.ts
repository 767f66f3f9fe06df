import {
  ADD,
  AppsV1Api,
  DELETE,
  KubernetesObjectApi,
  makeInformer,
  PatchStrategy,
  UPDATE,
  V1Deployment,
} from '@kubernetes/client-node';
import {
  ADMIN_TOKEN,
  deployment,
  eventually,
  http,
  kubeConfig,
  SA_TOKEN,
  startBareServer,
} from './__testUtils__/apiServer';

const SA = 'system:serviceaccount:modelfleet:modelfleet-backend';

describe('SimulatedApiServer: auth, watch, faults, accounting', () => {
  let sim: Awaited<ReturnType<typeof startBareServer>>;

  beforeEach(async () => {
    sim = await startBareServer();
  });
  afterEach(() => sim.server.close());

  it('answers 401 without a known bearer token', async () => {
    const none = await http(sim.url, '/api/v1/nodes', { token: null });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({
      kind: 'Status',
      reason: 'Unauthorized',
      code: 401,
    });
    const wrong = await http(sim.url, '/api/v1/nodes', { token: 'guess' });
    expect(wrong.status).toBe(401);
    const apps = kubeConfig(sim.url).makeApiClient(AppsV1Api);
    await expect(apps.listDeploymentForAllNamespaces()).rejects.toMatchObject({
      code: 401,
    });
  });

  it('enforces the shipped RBAC with Kubernetes messages', async () => {
    const objects = KubernetesObjectApi.makeApiClient(
      kubeConfig(sim.url, SA_TOKEN),
    );
    // Reads are cluster-wide; writes only in the model namespaces.
    expect(
      (await http(sim.url, '/api/v1/nodes', { token: SA_TOKEN })).status,
    ).toBe(200);
    expect(
      (
        await http(sim.url, '/apis/keda.sh/v1alpha1/scaledobjects', {
          token: SA_TOKEN,
        })
      ).status,
    ).toBe(200);
    await objects.patch(
      deployment('chat', 'search'),
      undefined,
      undefined,
      'modelfleet',
      true,
      PatchStrategy.ServerSideApply,
    );
    await http(sim.url, '/apis/apps/v1/namespaces/kube-system/deployments', {
      method: 'POST',
      body: deployment('x', 'kube-system'),
    });
    const denied = await objects
      .patch(
        deployment('x', 'kube-system'),
        undefined,
        undefined,
        'modelfleet',
        true,
        PatchStrategy.ServerSideApply,
      )
      .catch(e => e);
    expect(denied.code).toBe(403);
    expect(JSON.parse(denied.body)).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      message: `deployments.apps "x" is forbidden: User "${SA}" cannot patch resource "deployments" in API group "apps" in the namespace "kube-system"`,
    });
    const secrets = await http(sim.url, '/api/v1/namespaces/search/secrets', {
      token: SA_TOKEN,
    });
    expect(secrets.body.message).toBe(
      `secrets is forbidden: User "${SA}" cannot list resource "secrets" in API group "" in the namespace "search"`,
    );
    const del = await http(
      sim.url,
      '/apis/apps/v1/namespaces/search/deployments/chat',
      {
        method: 'DELETE',
        token: SA_TOKEN,
      },
    );
    expect(del.status).toBe(403);
    // Nodes: patch (cordon) only, nothing else cluster-wide.
    const node = await http(sim.url, '/api/v1/nodes/n1', {
      method: 'DELETE',
      token: SA_TOKEN,
    });
    expect(node.body.message).toBe(
      `nodes "n1" is forbidden: User "${SA}" cannot delete resource "nodes" in API group "" at the cluster scope`,
    );
    const cordon = await http(sim.url, '/api/v1/nodes/n1', {
      method: 'PATCH',
      token: SA_TOKEN,
      body: {},
      contentType: 'application/merge-patch+json',
    });
    expect(cordon.body.message).toBe('nodes "n1" not found');
    // An apply that would create needs create too; the Role grants it for KEDA objects.
    const so = await http(
      sim.url,
      '/apis/keda.sh/v1alpha1/namespaces/vision/scaledobjects/sdxl?fieldManager=modelfleet',
      {
        method: 'PATCH',
        token: SA_TOKEN,
        contentType: 'application/apply-patch+yaml',
        body: {
          apiVersion: 'keda.sh/v1alpha1',
          kind: 'ScaledObject',
          metadata: { name: 'sdxl' },
          spec: { scaleTargetRef: { name: 'sdxl' } },
        },
      },
    );
    expect(so.status).toBe(201);
  });

  it('lists and watches with an informer', async () => {
    const kc = kubeConfig(sim.url, SA_TOKEN);
    const apps = kc.makeApiClient(AppsV1Api);
    const admin = KubernetesObjectApi.makeApiClient(
      kubeConfig(sim.url, ADMIN_TOKEN),
    );
    await admin.create(deployment('first', 'search'));
    const informer = makeInformer<V1Deployment>(
      kc,
      '/apis/apps/v1/deployments',
      () => apps.listDeploymentForAllNamespaces(),
    );
    const seen: string[] = [];
    informer.on(ADD, d => seen.push(`add ${d.metadata?.name}`));
    informer.on(UPDATE, d =>
      seen.push(`update ${d.metadata?.name} ${d.spec?.replicas}`),
    );
    informer.on(DELETE, d => seen.push(`delete ${d.metadata?.name}`));
    await informer.start();
    try {
      await admin.create(deployment('second', 'vision'));
      await admin.patch(
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'first', namespace: 'search' },
          spec: { replicas: 4 },
        } as any,
        undefined,
        undefined,
        'test',
        undefined,
        PatchStrategy.MergePatch,
      );
      await admin.delete({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'second', namespace: 'vision' },
      });
      await eventually(() =>
        expect(seen).toEqual([
          'add first',
          'add second',
          'update first 4',
          'delete second',
        ]),
      );
      expect(informer.list().map(d => d.metadata?.name)).toEqual(['first']);
      // A watch the server ends is watched again from where it was.
      const ended = await http(sim.url, '/_sim/watches', {
        method: 'POST',
        body: { action: 'end', resource: 'deployments' },
      });
      expect(ended.body).toEqual({ ended: 1 });
      await admin.create(deployment('third', 'vision'));
      await eventually(() =>
        expect(
          informer
            .list()
            .map(d => d.metadata?.name)
            .sort(),
        ).toEqual(['first', 'third']),
      );
    } finally {
      await informer.stop();
    }
  });

  it('replays a watch from a resourceVersion and answers 410 Gone when it is too old', async () => {
    const admin = KubernetesObjectApi.makeApiClient(
      kubeConfig(sim.url, ADMIN_TOKEN),
    );
    const a = await admin.create(deployment('a', 'search'));
    await admin.create(deployment('b', 'search'));
    const read = async (query: string) => {
      const controller = new AbortController();
      const res = await fetch(
        `${sim.url}/apis/apps/v1/deployments?watch=true&${query}`,
        {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          signal: controller.signal,
        },
      );
      const reader = res.body!.getReader();
      const { value } = await reader.read();
      controller.abort();
      return new TextDecoder()
        .decode(value)
        .trim()
        .split('\n')
        .map(l => JSON.parse(l));
    };
    const replay = await read(`resourceVersion=${a.metadata?.resourceVersion}`);
    expect(replay.map(e => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'b'],
    ]);
    const all = await read('resourceVersion=0');
    expect(all.map(e => e.object.metadata.name)).toEqual(['a', 'b']);
    sim.store.compact();
    const gone = await read(`resourceVersion=${a.metadata?.resourceVersion}`);
    expect(gone[0]).toMatchObject({
      type: 'ERROR',
      object: { code: 410, reason: 'Expired' },
    });
  });

  it('injects faults over the admin path and programmatically', async () => {
    const apps = kubeConfig(sim.url, ADMIN_TOKEN).makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'search',
      body: deployment('chat', 'search') as V1Deployment,
    });
    const added = await http(sim.url, '/_sim/faults', {
      method: 'POST',
      body: {
        verb: 'get',
        resource: 'deployments',
        namespace: 'search',
        status: 503,
        times: 2,
      },
    });
    expect(added.status).toBe(201);
    for (let i = 0; i < 2; i++) {
      const e = await apps
        .readNamespacedDeployment({ name: 'chat', namespace: 'search' })
        .catch(x => x);
      expect(e.code).toBe(503);
      expect(JSON.parse(e.body)).toMatchObject({
        kind: 'Status',
        reason: 'ServiceUnavailable',
      });
    }
    expect(
      (
        await apps.readNamespacedDeployment({
          name: 'chat',
          namespace: 'search',
        })
      ).metadata?.name,
    ).toBe('chat');

    sim.server.faults.add({
      verb: 'patch',
      resource: 'deployments/scale',
      status: 409,
    });
    const conflict = await http(
      sim.url,
      '/apis/apps/v1/namespaces/search/deployments/chat/scale',
      {
        method: 'PATCH',
        body: { spec: { replicas: 2 } },
        contentType: 'application/merge-patch+json',
      },
    );
    expect(conflict.body).toMatchObject({ code: 409, reason: 'Conflict' });

    sim.server.faults.add({ verb: 'get', resource: 'deployments', drop: true });
    await expect(
      apps.readNamespacedDeployment({ name: 'chat', namespace: 'search' }),
    ).rejects.toThrow();

    sim.server.faults.add({
      verb: 'get',
      resource: 'deployments',
      delayMs: 300,
    });
    const slow = await fetch(
      `${sim.url}/apis/apps/v1/namespaces/search/deployments/chat`,
      {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        signal: AbortSignal.timeout(50),
      },
    ).catch(e => e);
    expect(slow.name).toBe('TimeoutError');
    expect((await http(sim.url, '/_sim/faults')).body).toEqual([]);
  });

  it('counts effective changes per action step and requests per verb', async () => {
    const objects = KubernetesObjectApi.makeApiClient(
      kubeConfig(sim.url, SA_TOKEN),
    );
    const step = (s: string, replicas: number) =>
      deployment('chat', 'search', replicas, {
        metadata: { annotations: { 'modelfleet.io/action-step': s } },
      });
    const apply = (body: any, dryRun?: string) =>
      objects.patch(
        body,
        undefined,
        dryRun,
        'modelfleet',
        true,
        PatchStrategy.ServerSideApply,
      );
    await apply(step('k1#0', 1));
    await apply(step('k1#0', 1)); // no change
    await apply(step('k1#0', 3), 'All'); // dry run
    await apply(step('k1#1', 2));
    // The scale subresource changes the Deployment, which carries the annotation.
    await http(
      sim.url,
      '/apis/apps/v1/namespaces/search/deployments/chat/scale?fieldManager=modelfleet',
      {
        method: 'PATCH',
        token: SA_TOKEN,
        body: { spec: { replicas: 2 } }, // no change
        contentType: 'application/merge-patch+json',
      },
    );
    await http(
      sim.url,
      '/apis/apps/v1/namespaces/search/deployments/chat/scale?fieldManager=modelfleet',
      {
        method: 'PATCH',
        token: SA_TOKEN,
        body: { spec: { replicas: 5 } },
        contentType: 'application/merge-patch+json',
      },
    );
    expect(sim.server.mutations.countFor('k1#0')).toBe(1);
    expect(sim.server.mutations.countFor('k1#1')).toBe(2);
    const report = (await http(sim.url, '/_sim/mutations')).body;
    expect(report.byActionStep).toEqual({ 'k1#0': 1, 'k1#1': 2 });
    expect(report.total).toBe(3);
    expect(report.requestsByVerb.patch).toBe(6);
    expect(
      report.changes.map((c: any) => [
        c.verb,
        c.subresource ?? '',
        c.actionStep,
      ]),
    ).toEqual([
      ['create', '', 'k1#0'],
      ['patch', '', 'k1#1'],
      ['patch', 'scale', 'k1#1'],
    ]);
    await http(sim.url, '/_sim/mutations', { method: 'DELETE' });
    expect(sim.server.mutations.report().total).toBe(0);
  });
});
