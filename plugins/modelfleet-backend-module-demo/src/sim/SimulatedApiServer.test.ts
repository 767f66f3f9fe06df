import {
  ApiException,
  AppsV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  V1Deployment,
} from '@kubernetes/client-node';
import {
  ADMIN_TOKEN,
  deployment,
  http,
  kubeConfig,
  SA_TOKEN,
  startBareServer,
} from './__testUtils__/apiServer';

describe('SimulatedApiServer: objects', () => {
  let sim: Awaited<ReturnType<typeof startBareServer>>;
  let objects: KubernetesObjectApi;
  let apps: AppsV1Api;
  let admin: { objects: KubernetesObjectApi; apps: AppsV1Api };

  beforeEach(async () => {
    sim = await startBareServer();
    objects = KubernetesObjectApi.makeApiClient(kubeConfig(sim.url, SA_TOKEN));
    apps = kubeConfig(sim.url, SA_TOKEN).makeApiClient(AppsV1Api);
    admin = {
      objects: KubernetesObjectApi.makeApiClient(
        kubeConfig(sim.url, ADMIN_TOKEN),
      ),
      apps: kubeConfig(sim.url, ADMIN_TOKEN).makeApiClient(AppsV1Api),
    };
  });
  afterEach(() => sim.server.close());

  it('serves discovery the way KubernetesObjectApi reads it', async () => {
    const v = await http(sim.url, '/version');
    expect(v.body.gitVersion).toMatch(/^v1\.\d+/);
    const groups = await http(sim.url, '/apis');
    const names = groups.body.groups.map((g: any) => g.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'apps',
        'autoscaling',
        'policy',
        'networking.k8s.io',
        'keda.sh',
        'http.keda.sh',
      ]),
    );
    const appsList = await http(sim.url, '/apis/apps/v1');
    expect(appsList.body.kind).toBe('APIResourceList');
    expect(appsList.body.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'deployments',
          namespaced: true,
          kind: 'Deployment',
        }),
        expect.objectContaining({
          name: 'deployments/scale',
          kind: 'Scale',
          verbs: ['get', 'patch', 'update'],
        }),
        expect.objectContaining({ name: 'statefulsets/scale', kind: 'Scale' }),
      ]),
    );
    const core = await http(sim.url, '/api/v1');
    expect(
      core.body.resources.find((r: any) => r.name === 'nodes').namespaced,
    ).toBe(false);

    // KubernetesObjectApi finds the resource of a kind by discovery.
    const created = await objects.create(deployment('chat', 'search'));
    expect(created.metadata?.uid).toBeTruthy();
    const read = await objects.read({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'chat', namespace: 'search' },
    });
    expect(read.metadata?.generation).toBe(1);
    const so = await objects.create({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'chat', namespace: 'search' },
      spec: { scaleTargetRef: { name: 'chat' }, minReplicaCount: 0 },
    } as any);
    expect(so.metadata?.resourceVersion).toBeTruthy();
  });

  it('answers unknown resources with a Kubernetes 404 and unused ones with empty lists', async () => {
    const unknown = await http(
      sim.url,
      '/apis/apps/v1/namespaces/search/widgets',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      code: 404,
    });
    const group = await http(sim.url, '/apis/example.com/v1/things');
    expect(group.status).toBe(404);
    for (const path of [
      '/apis/apps/v1/replicasets',
      '/apis/batch/v1/jobs',
      '/apis/batch/v1/cronjobs',
      '/apis/networking.k8s.io/v1/ingresses',
      '/apis/apps/v1/daemonsets',
      '/api/v1/limitranges',
      '/api/v1/resourcequotas',
      '/api/v1/configmaps',
    ]) {
      const res = await http(sim.url, path);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    }
    const missing = await http(
      sim.url,
      '/apis/apps/v1/namespaces/search/deployments/nope',
    );
    expect(missing.body).toMatchObject({
      reason: 'NotFound',
      message: 'deployments.apps "nope" not found',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
    });
  });

  it('server-side applies: creates, updates, is idempotent, and honours field managers', async () => {
    const apply = (body: any, manager = 'modelfleet', force = true) =>
      objects.patch(
        body,
        undefined,
        undefined,
        manager,
        force,
        PatchStrategy.ServerSideApply,
      );
    const first = (await apply(
      deployment('chat', 'search', 2),
    )) as V1Deployment;
    expect(first.spec?.replicas).toBe(2);
    expect(first.metadata?.managedFields).toEqual([
      expect.objectContaining({ manager: 'modelfleet', operation: 'Apply' }),
    ]);
    const again = (await apply(
      deployment('chat', 'search', 2),
    )) as V1Deployment;
    expect(again.metadata?.resourceVersion).toBe(
      first.metadata?.resourceVersion,
    );
    expect(again.metadata?.generation).toBe(1);

    const changed = (await apply(
      deployment('chat', 'search', 3),
    )) as V1Deployment;
    expect(changed.metadata?.generation).toBe(2);
    expect(Number(changed.metadata?.resourceVersion)).toBeGreaterThan(
      Number(first.metadata?.resourceVersion),
    );

    // A field another manager set to another value conflicts, unless forced.
    await apps.patchNamespacedDeploymentScale({
      name: 'chat',
      namespace: 'search',
      body: [{ op: 'replace', path: '/spec/replicas', value: 5 }],
      fieldManager: 'keda',
    });
    const conflict = await apply(
      deployment('chat', 'search', 3),
      'modelfleet',
      false,
    ).catch(e => e);
    expect(conflict).toBeInstanceOf(ApiException);
    expect(conflict.code).toBe(409);
    expect(JSON.parse(conflict.body).message).toBe(
      'Apply failed with 1 conflict: conflict with "keda" with subresource "scale" using apps/v1: .spec.replicas',
    );
    const forced = (await apply(
      deployment('chat', 'search', 3),
    )) as V1Deployment;
    expect(forced.spec?.replicas).toBe(3);

    // A field the manager no longer applies is removed.
    const labelled = deployment('chat', 'search', 3, {
      metadata: { annotations: { a: '1', b: '2' } },
    });
    await apply(labelled);
    const fewer = deployment('chat', 'search', 3, {
      metadata: { annotations: { a: '1' } },
    });
    const result = (await apply(fewer)) as V1Deployment;
    expect(result.metadata?.annotations).toEqual({ a: '1' });
  });

  it('takes apply bodies in YAML and creates objects with 201', async () => {
    const yaml = [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: chat',
      '  namespace: search',
      'spec:',
      '  ports:',
      '    - port: 80',
    ].join('\n');
    const res = await http(
      sim.url,
      '/api/v1/namespaces/search/services/chat?fieldManager=modelfleet',
      {
        method: 'PATCH',
        token: SA_TOKEN,
        body: yaml,
        contentType: 'application/apply-patch+yaml',
      },
    );
    expect(res.status).toBe(201);
    expect(res.body.spec.ports).toEqual([{ port: 80 }]);
    const noManager = await http(
      sim.url,
      '/api/v1/namespaces/search/services/chat',
      {
        method: 'PATCH',
        token: SA_TOKEN,
        body: yaml,
        contentType: 'application/apply-patch+yaml',
      },
    );
    expect(noManager.status).toBe(422);
  });

  it('dry runs every write without storing anything', async () => {
    const rv = sim.store.resourceVersion;
    const created = await objects.create(
      deployment('chat', 'search'),
      undefined,
      'All',
    );
    expect(created.metadata?.name).toBe('chat');
    expect(sim.store.resourceVersion).toBe(rv);
    await expect(
      objects.read({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'chat', namespace: 'search' },
      }),
    ).rejects.toMatchObject({ code: 404 });
    await objects.create(deployment('chat', 'search'));
    const applied = (await objects.patch(
      deployment('chat', 'search', 4),
      undefined,
      'All',
      'modelfleet',
      true,
      PatchStrategy.ServerSideApply,
    )) as V1Deployment;
    expect(applied.spec?.replicas).toBe(4);
    const scale = await apps.readNamespacedDeploymentScale({
      name: 'chat',
      namespace: 'search',
    });
    expect(scale.spec?.replicas).toBe(1);
    expect(sim.server.mutations.report().total).toBe(1);
  });

  it('merge patches, JSON patches and strategic merge patches', async () => {
    await objects.create(deployment('chat', 'search'));
    const merged = (await objects.patch(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: 'chat',
          namespace: 'search',
          annotations: { x: 'y' },
        },
      },
      undefined,
      undefined,
      'modelfleet',
      undefined,
      PatchStrategy.MergePatch,
    )) as V1Deployment;
    expect(merged.metadata?.annotations).toEqual({ x: 'y' });
    const removed = await http(
      sim.url,
      '/apis/apps/v1/namespaces/search/deployments/chat',
      {
        method: 'PATCH',
        token: SA_TOKEN,
        body: { metadata: { annotations: { x: null } } },
        contentType: 'application/merge-patch+json',
      },
    );
    expect(removed.body.metadata.annotations).toEqual({});
    const patched = await apps.patchNamespacedDeployment({
      name: 'chat',
      namespace: 'search',
      body: [
        { op: 'add', path: '/metadata/labels/team', value: 'search' },
        { op: 'test', path: '/spec/replicas', value: 1 },
      ],
    });
    expect(patched.metadata?.labels?.team).toBe('search');
    const failed = await apps
      .patchNamespacedDeployment({
        name: 'chat',
        namespace: 'search',
        body: [{ op: 'test', path: '/spec/replicas', value: 7 }],
      })
      .catch(e => e);
    expect(failed.code).toBe(422);
    const strategic = await http(
      sim.url,
      '/apis/apps/v1/namespaces/search/deployments/chat',
      {
        method: 'PATCH',
        token: SA_TOKEN,
        body: { spec: { replicas: 2 } },
        contentType: 'application/strategic-merge-patch+json',
      },
    );
    expect(strategic.body.spec.replicas).toBe(2);
    expect(strategic.body.metadata.generation).toBe(2);
  });

  it('scales through the scale subresource', async () => {
    await objects.create(deployment('chat', 'search', 1));
    const scale = await apps.readNamespacedDeploymentScale({
      name: 'chat',
      namespace: 'search',
    });
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 1 },
    });
    const merge = await http(
      sim.url,
      '/apis/apps/v1/namespaces/search/deployments/chat/scale',
      {
        method: 'PATCH',
        token: SA_TOKEN,
        body: { spec: { replicas: 3 } },
        contentType: 'application/merge-patch+json',
      },
    );
    expect(merge.status).toBe(200);
    expect(merge.body.spec.replicas).toBe(3);
    const d = await apps.readNamespacedDeployment({
      name: 'chat',
      namespace: 'search',
    });
    expect(d.spec?.replicas).toBe(3);
    // The shipped Role allows patch, not update (PUT), of the scale.
    const put = await admin.apps.replaceNamespacedDeploymentScale({
      name: 'chat',
      namespace: 'search',
      body: {
        metadata: { name: 'chat', namespace: 'search' },
        spec: { replicas: 0 },
      },
    });
    expect(put.spec?.replicas).toBe(0);
  });

  it('refuses an update from a stale resourceVersion with 409 Conflict', async () => {
    const created = await admin.apps.createNamespacedDeployment({
      namespace: 'search',
      body: deployment('chat', 'search') as V1Deployment,
    });
    const fresh = await admin.apps.replaceNamespacedDeployment({
      name: 'chat',
      namespace: 'search',
      body: { ...created, spec: { ...created.spec!, replicas: 2 } },
    });
    expect(fresh.spec?.replicas).toBe(2);
    const stale = await admin.apps
      .replaceNamespacedDeployment({
        name: 'chat',
        namespace: 'search',
        body: { ...created, spec: { ...created.spec!, replicas: 5 } },
      })
      .catch(e => e);
    expect(stale.code).toBe(409);
    expect(JSON.parse(stale.body)).toMatchObject({
      kind: 'Status',
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on deployments.apps "chat": the object has been modified; please apply your changes to the latest version and try again',
    });
  });
});
