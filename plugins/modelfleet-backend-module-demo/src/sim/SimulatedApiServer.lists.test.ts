import {
  AppsV1Api,
  CoreV1Api,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import {
  ADMIN_TOKEN,
  deployment,
  http,
  kubeConfig,
  SA_TOKEN,
  startBareServer,
} from './__testUtils__/apiServer';

describe('SimulatedApiServer: validation, selectors, deletion', () => {
  let sim: Awaited<ReturnType<typeof startBareServer>>;
  let objects: KubernetesObjectApi;
  let admin: { objects: KubernetesObjectApi; apps: AppsV1Api };

  beforeEach(async () => {
    sim = await startBareServer();
    objects = KubernetesObjectApi.makeApiClient(kubeConfig(sim.url, SA_TOKEN));
    admin = {
      objects: KubernetesObjectApi.makeApiClient(
        kubeConfig(sim.url, ADMIN_TOKEN),
      ),
      apps: kubeConfig(sim.url, ADMIN_TOKEN).makeApiClient(AppsV1Api),
    };
  });
  afterEach(() => sim.server.close());

  it('validates like the API server', async () => {
    const bad = await http(
      sim.url,
      '/apis/apps/v1/namespaces/search/deployments',
      {
        method: 'POST',
        token: ADMIN_TOKEN,
        body: {
          ...deployment('chat', 'search'),
          spec: { ...deployment('chat', 'search').spec, replicas: -1 },
        },
      },
    );
    expect(bad.status).toBe(422);
    expect(bad.body.message).toContain('spec.replicas: Invalid value: -1');
    const noNamespace = await http(
      sim.url,
      '/apis/apps/v1/namespaces/nowhere/deployments',
      {
        method: 'POST',
        token: ADMIN_TOKEN,
        body: deployment('chat', 'nowhere'),
      },
    );
    expect(noNamespace.body).toMatchObject({
      code: 404,
      message: 'namespaces "nowhere" not found',
    });
    await objects.create(deployment('chat', 'search'));
    const again = await objects
      .create(deployment('chat', 'search'))
      .catch(e => e);
    expect(again.code).toBe(409);
    expect(JSON.parse(again.body).reason).toBe('AlreadyExists');
  });

  it('lists with label and field selectors', async () => {
    const core = kubeConfig(sim.url, ADMIN_TOKEN).makeApiClient(CoreV1Api);
    const pod = (
      name: string,
      labels: Record<string, string>,
      phase: string,
      nodeName?: string,
    ) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'search', labels },
      spec: {
        containers: [{ name: 'c', image: 'i' }],
        ...(nodeName ? { nodeName } : {}),
      },
      status: { phase },
    });
    const store = sim.store;
    const podType = store.type('v1', 'Pod');
    store.create(
      podType,
      pod('a', { app: 'chat', tier: 'gpu' }, 'Running', 'n1'),
    );
    store.create(podType, pod('b', { app: 'chat' }, 'Failed', 'n2'));
    store.create(podType, pod('c', { app: 'embed', tier: 'cpu' }, 'Pending'));
    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (
        await core.listPodForAllNamespaces({ labelSelector, fieldSelector })
      ).items.map(p => p.metadata?.name);
    expect(await names('app=chat')).toEqual(['a', 'b']);
    expect(await names('app!=chat')).toEqual(['c']);
    expect(await names('app in (chat,embed),tier')).toEqual(['a', 'c']);
    expect(await names('!tier')).toEqual(['b']);
    expect(await names('tier notin (gpu)')).toEqual(['b', 'c']);
    expect(
      await names(undefined, 'status.phase!=Succeeded,status.phase!=Failed'),
    ).toEqual(['a', 'c']);
    expect(await names(undefined, 'spec.nodeName=n2')).toEqual(['b']);
    expect(await names(undefined, 'metadata.name=c')).toEqual(['c']);
    const bad = await http(sim.url, '/api/v1/pods?fieldSelector=spec.foo%3Dx');
    expect(bad.status).toBe(400);
  });

  it('deletes objects, and namespaces with what is in them', async () => {
    await objects.create(deployment('chat', 'search'));
    await admin.objects.delete({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'chat', namespace: 'search' },
    });
    expect(sim.store.list(sim.store.type('apps/v1', 'Deployment'))).toEqual([]);
    await objects.create(deployment('chat', 'search'));
    const res = await http(sim.url, '/api/v1/namespaces/search', {
      method: 'DELETE',
    });
    expect(res.status).toBe(200);
    expect(sim.store.list(sim.store.type('apps/v1', 'Deployment'))).toEqual([]);
  });
});
