import {
  actuatorFor,
  CLUSTER,
  service,
} from '../__testUtils__/actuatorFixtures';
import { FakeKubeObjectServer } from '../__testUtils__/FakeKubeObjectServer';

const exportOf = {
  apiVersion: 'multicluster.x-k8s.io/v1alpha1',
  kind: 'ServiceExport',
  namespace: 'ml',
  name: 'chat',
};
const exportObject = {
  apiVersion: exportOf.apiVersion,
  kind: exportOf.kind,
  metadata: { name: 'chat', namespace: 'ml' },
};

describe('KubernetesClusterActuator.remove', () => {
  let server: FakeKubeObjectServer;
  beforeEach(async () => {
    server = await FakeKubeObjectServer.start();
  });
  afterEach(async () => {
    await server.close();
  });

  it('deletes a ServiceExport, once: absent already is done', async () => {
    const { actuator } = actuatorFor(server.url);
    await actuator.apply(CLUSTER, [exportObject]);
    await expect(actuator.get(CLUSTER, exportOf)).resolves.toBeDefined();
    await expect(
      actuator.remove(CLUSTER, exportOf, { actionStep: 'k#4' }),
    ).resolves.toEqual({ existed: true });
    await expect(actuator.get(CLUSTER, exportOf)).resolves.toBeUndefined();
    await expect(actuator.remove(CLUSTER, exportOf)).resolves.toEqual({
      existed: false,
    });
    const deletes = server.requests.filter(r => r.method === 'DELETE');
    expect(deletes.map(r => r.path)).toEqual([
      '/apis/multicluster.x-k8s.io/v1alpha1/namespaces/ml/serviceexports/chat',
      '/apis/multicluster.x-k8s.io/v1alpha1/namespaces/ml/serviceexports/chat',
    ]);
  });

  it('on a server dry run, deletes nothing', async () => {
    const { actuator } = actuatorFor(server.url);
    await actuator.apply(CLUSTER, [exportObject]);
    await actuator.remove(CLUSTER, exportOf, { dryRun: true });
    await expect(actuator.get(CLUSTER, exportOf)).resolves.toBeDefined();
    expect(
      server.requests.find(r => r.method === 'DELETE')?.query.get('dryRun'),
    ).toBe('All');
  });

  it('deletes nothing else: a Service is refused before any request', async () => {
    const { actuator } = actuatorFor(server.url);
    await actuator.apply(CLUSTER, [service]);
    await expect(
      actuator.remove(CLUSTER, {
        apiVersion: 'v1',
        kind: 'Service',
        namespace: 'ml',
        name: 'chat',
      }),
    ).rejects.toMatchObject({
      name: 'ActuatorError',
      code: 'invalid',
      message: expect.stringMatching(/deletes ServiceExports only/),
    });
    expect(server.requests.some(r => r.method === 'DELETE')).toBe(false);
  });
});
