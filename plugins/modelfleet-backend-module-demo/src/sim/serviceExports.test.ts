import {
  ApiException,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
} from '@kubernetes/client-node';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  ADMIN_TOKEN,
  deployment,
  eventually,
  http,
  kubeConfig,
  SA_TOKEN,
  startBareServer,
} from './__testUtils__/apiServer';
import { defaultRbacDir } from './bootstrap';

const SA = 'system:serviceaccount:modelfleet:modelfleet-backend';
const API = 'multicluster.x-k8s.io/v1alpha1';
const PATH = '/apis/multicluster.x-k8s.io/v1alpha1';

/** A ServiceExport as ModelFleet applies it: the Service's name, no spec. */
const serviceExport = (name: string, namespace = 'search', extra = {}) => ({
  apiVersion: API,
  kind: 'ServiceExport',
  metadata: {
    name,
    namespace,
    labels: { 'app.kubernetes.io/managed-by': 'modelfleet' },
  },
  ...extra,
});
const ref = (name: string, namespace = 'search') => ({
  apiVersion: API,
  kind: 'ServiceExport',
  metadata: { name, namespace },
});
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: ApiException<string>) => ({
      code: e.code,
      message: JSON.parse(e.body).message as string,
    }),
  );

describe('ServiceExport (multicluster.x-k8s.io/v1alpha1) in the simulated API server', () => {
  let sim: Awaited<ReturnType<typeof startBareServer>>;
  let objects: KubernetesObjectApi;
  let admin: KubernetesObjectApi;
  const apply = (body: KubernetesObject, api = objects) =>
    api.patch(
      body,
      undefined,
      undefined,
      'modelfleet',
      true,
      PatchStrategy.ServerSideApply,
    );

  beforeEach(async () => {
    sim = await startBareServer();
    objects = KubernetesObjectApi.makeApiClient(kubeConfig(sim.url, SA_TOKEN));
    admin = KubernetesObjectApi.makeApiClient(kubeConfig(sim.url, ADMIN_TOKEN));
  });
  afterEach(() => sim.server.close());

  it('is discovered like the other custom resources: namespaced, with its short names and status', async () => {
    const groups = await http(sim.url, '/apis', { token: SA_TOKEN });
    expect(groups.body.groups).toContainEqual({
      name: 'multicluster.x-k8s.io',
      versions: [{ groupVersion: API, version: 'v1alpha1' }],
      preferredVersion: { groupVersion: API, version: 'v1alpha1' },
    });
    const list = await http(sim.url, PATH, { token: SA_TOKEN });
    expect(list.body.resources.map((r: any) => r.name)).toEqual([
      'serviceexports',
      'serviceexports/status',
    ]);
    expect(list.body.resources[0]).toMatchObject({
      name: 'serviceexports',
      singularName: 'serviceexport',
      namespaced: true,
      kind: 'ServiceExport',
      shortNames: ['svcexport', 'svcex'],
      verbs: expect.arrayContaining(['create', 'delete', 'patch', 'watch']),
    });
  });

  it("lets ModelFleet's service account apply, read, list, watch, patch and delete one", async () => {
    const events: string[] = [];
    const watching = await new Watch(kubeConfig(sim.url, SA_TOKEN)).watch(
      `${PATH}/namespaces/search/serviceexports`,
      {},
      (type, object) => events.push(`${type} ${object.metadata.name}`),
      () => undefined,
    );
    try {
      const created = await apply(serviceExport('llama'));
      expect(created.metadata).toMatchObject({
        name: 'llama',
        namespace: 'search',
        uid: expect.any(String),
        managedFields: [
          expect.objectContaining({
            manager: 'modelfleet',
            operation: 'Apply',
          }),
        ],
      });
      // The same apply again changes nothing.
      const again = await apply(serviceExport('llama'));
      expect(again.metadata?.resourceVersion).toBe(
        created.metadata?.resourceVersion,
      );
      expect(await objects.read(ref('llama'))).toMatchObject({
        metadata: { labels: { 'app.kubernetes.io/managed-by': 'modelfleet' } },
      });
      await objects.patch(
        {
          ...ref('llama'),
          metadata: {
            ...ref('llama').metadata,
            annotations: { 'modelfleet.io/action-step': 'move#3' },
          },
        },
        undefined,
        undefined,
        'modelfleet',
        undefined,
        PatchStrategy.MergePatch,
      );
      const listed = await objects.list(API, 'ServiceExport', 'search');
      expect(listed.items.map(i => i.metadata?.name)).toEqual(['llama']);
      expect(listed.items[0].metadata?.annotations).toEqual({
        'modelfleet.io/action-step': 'move#3',
      });
      // The traffic switch away from this cluster.
      await objects.delete(ref('llama'));
      expect(await failure(objects.read(ref('llama')))).toEqual({
        code: 404,
        message: 'serviceexports.multicluster.x-k8s.io "llama" not found',
      });
      expect((await failure(objects.delete(ref('llama')))).code).toBe(404);
      await eventually(() =>
        expect(events).toEqual([
          'ADDED llama',
          'MODIFIED llama',
          'DELETED llama',
        ]),
      );
      // The write accounting counts them under their action step.
      expect(sim.server.mutations.report().byActionStep).toEqual({
        'move#3': 2,
      });
    } finally {
      watching.abort();
    }
  });

  it('ships delete for ServiceExports only, and refuses every other delete', async () => {
    const role = parseAllDocuments(
      fs.readFileSync(
        path.join(defaultRbacDir(), '20-modelfleet-model-namespace.yaml'),
        'utf8',
      ),
    )
      .map(d => d.toJS())
      .find(d => d.kind === 'Role');
    expect(role.rules.filter((r: any) => r.verbs.includes('delete'))).toEqual([
      {
        apiGroups: ['multicluster.x-k8s.io'],
        resources: ['serviceexports'],
        verbs: ['get', 'create', 'patch', 'delete'],
      },
    ]);

    await admin.create(deployment('chat', 'search'));
    expect(await failure(objects.delete(deployment('chat', 'search')))).toEqual(
      {
        code: 403,
        message: `deployments.apps "chat" is forbidden: User "${SA}" cannot delete resource "deployments" in API group "apps" in the namespace "search"`,
      },
    );
    // Not outside the model namespaces, where the Role is not bound.
    expect(await failure(apply(serviceExport('dns', 'kube-system')))).toEqual({
      code: 403,
      message: `serviceexports.multicluster.x-k8s.io "dns" is forbidden: User "${SA}" cannot patch resource "serviceexports" in API group "multicluster.x-k8s.io" in the namespace "kube-system"`,
    });
    await apply(serviceExport('dns', 'kube-system'), admin);
    expect(
      await failure(objects.delete(ref('dns', 'kube-system'))),
    ).toMatchObject({ code: 403 });
    // Nor all at once.
    await apply(serviceExport('llama'));
    const collection = await http(
      sim.url,
      `${PATH}/namespaces/search/serviceexports`,
      { method: 'DELETE', token: SA_TOKEN },
    );
    expect(collection.status).toBe(403);
    expect(collection.body.message).toContain(
      'cannot deletecollection resource "serviceexports"',
    );
    // Delete is granted where it is bound: the ServiceExport goes.
    await objects.delete(ref('llama'));
    expect(await objects.list(API, 'ServiceExport', 'search')).toMatchObject({
      items: [],
    });
  });

  it('validates as its CRD does: an optional spec with string maps, in a namespace that exists', async () => {
    expect(
      await failure(apply(serviceExport('x', 'search', { spec: 'all' }))),
    ).toEqual({
      code: 422,
      message:
        'ServiceExport.multicluster.x-k8s.io "x" is invalid: spec: Invalid value: "string": spec in body must be of type object',
    });
    expect(
      await failure(
        apply(
          serviceExport('x', 'search', { spec: { exportedLabels: { a: 1 } } }),
        ),
      ),
    ).toMatchObject({
      code: 422,
      message: expect.stringContaining('spec.exportedLabels'),
    });
    expect(
      await apply(
        serviceExport('x', 'search', { spec: { exportedLabels: { a: 'b' } } }),
      ),
    ).toMatchObject({ spec: { exportedLabels: { a: 'b' } } });
    expect(
      (await failure(apply(serviceExport('x', 'nowhere'), admin))).code,
    ).toBe(404);
  });
});
