import { ActuatorError } from '@modelfleet/plugin-modelfleet-node';
import {
  actuatorFor,
  autoscaler,
  CLUSTER,
  deployment,
  scaledObject,
  workload,
} from '../__testUtils__/actuatorFixtures';
import { FakeKubeObjectServer } from '../__testUtils__/FakeKubeObjectServer';

const SCALE = '/apis/apps/v1/namespaces/ml/deployments/chat/scale';
const FORBIDDEN =
  'deployments.apps "chat" is forbidden: User "system:serviceaccount:backstage:backstage" cannot patch resource "deployments/scale" in API group "apps" in the namespace "ml"';

async function failure(promise: Promise<unknown>): Promise<ActuatorError> {
  const error = await promise.then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(ActuatorError);
  return error;
}

describe('KubernetesClusterActuator errors', () => {
  let server: FakeKubeObjectServer;

  beforeEach(async () => {
    server = await FakeKubeObjectServer.start();
    server.put(deployment(1));
  });

  afterEach(async () => {
    await server.close();
  });

  it.each([
    [409, 'conflict', true],
    [403, 'forbidden', false],
    [401, 'unauthorized', false],
    [400, 'invalid', false],
    [422, 'invalid', false],
    [429, 'unavailable', true],
    [500, 'unavailable', true],
    [503, 'unavailable', true],
  ] as const)('maps %i to %s', async (status, code, retryable) => {
    server.fail('PATCH', SCALE, { status });
    const { actuator } = actuatorFor(server.url);
    const error = await failure(actuator.scale(workload(), 2));
    expect(error).toMatchObject({ code, retryable, status });
    expect(error.message).toBe(
      `${CLUSTER}: Deployment ml/chat: injected ${status}`,
    );
  });

  it("puts the server's message after the cluster and the object", async () => {
    server.fail('PATCH', SCALE, { status: 403, message: FORBIDDEN });
    const { actuator } = actuatorFor(server.url);
    const error = await failure(actuator.scale(workload(), 2));
    expect(error.message).toBe(
      `demo-aws-use1: Deployment ml/chat: ${FORBIDDEN}`,
    );
  });

  it('maps a 409 of an apply to a retryable conflict', async () => {
    const path = '/apis/apps/v1/namespaces/ml/deployments/chat';
    server.fail('PATCH', path, {
      status: 409,
      message: 'Apply failed with 1 conflict: conflict with "kubectl"',
    });
    const { actuator } = actuatorFor(server.url);
    const error = await failure(actuator.apply(CLUSTER, [deployment(2)]));
    expect(error).toMatchObject({ code: 'conflict', retryable: true });
    expect(error.message).toBe(
      `${CLUSTER}: Deployment ml/chat: Apply failed with 1 conflict: conflict with "kubectl"`,
    );
  });

  it('maps a missing workload or autoscaler to notFound', async () => {
    const { actuator } = actuatorFor(server.url);
    const error = await failure(
      actuator.scale(workload('Deployment', 'gone'), 1),
    );
    expect(error).toMatchObject({
      code: 'notFound',
      retryable: false,
      status: 404,
    });
    expect(error.message).toBe(
      `${CLUSTER}: Deployment ml/gone: deployments.apps "gone" not found`,
    );
    await expect(
      actuator.pauseAutoscaler(autoscaler('ScaledObject'), 0),
    ).rejects.toMatchObject({
      code: 'notFound',
      message: `${CLUSTER}: ScaledObject ml/chat: scaledobjects.keda.sh "chat" not found`,
    });
    await expect(
      actuator.readiness(workload('StatefulSet')),
    ).rejects.toMatchObject({
      code: 'notFound',
    });
  });

  it('does not retry: one failed request, one error', async () => {
    server.fail('GET', SCALE, { status: 503 }, 5);
    const { actuator } = actuatorFor(server.url);
    await failure(actuator.scale(workload(), 2));
    expect(server.requests).toHaveLength(1);
  });

  it('gives up on a request that takes longer than the time limit', async () => {
    server.fail('GET', SCALE, { delayMs: 2_000 });
    const { actuator } = actuatorFor(server.url, 100);
    const started = Date.now();
    const error = await failure(actuator.scale(workload(), 2));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    expect(error.message).toBe(
      `${CLUSTER}: Deployment ml/chat: the API server did not answer within 100 ms`,
    );
  });

  it('applies the time limit to discovery too', async () => {
    server.fail('GET', '/apis/keda.sh/v1alpha1', { delayMs: 2_000 });
    const { actuator } = actuatorFor(server.url, 100);
    const error = await failure(actuator.apply(CLUSTER, [scaledObject()]));
    expect(error).toMatchObject({ code: 'timeout' });
  });

  it('maps a dropped connection to unavailable', async () => {
    server.fail('GET', SCALE, { drop: true });
    const { actuator } = actuatorFor(server.url);
    const error = await failure(actuator.scale(workload(), 2));
    expect(error).toMatchObject({ code: 'unavailable', retryable: true });
    expect(error.message).toMatch(
      /^demo-aws-use1: Deployment ml\/chat: .*(socket hang up|ECONNRESET)/,
    );
  });

  it('maps a refused connection to unavailable', async () => {
    const { url } = server;
    await server.close();
    const { actuator } = actuatorFor(url);
    const error = await failure(actuator.readiness(workload()));
    expect(error).toMatchObject({ code: 'unavailable', retryable: true });
    expect(error.message).toMatch(
      /^demo-aws-use1: Deployment ml\/chat: .*ECONNREFUSED/,
    );
    server = await FakeKubeObjectServer.start(); // for afterEach
  });

  it('names the known clusters when asked for another', async () => {
    const { actuator } = actuatorFor(server.url);
    const error = await failure(
      actuator.scale({ ...workload(), cluster: 'nope' }, 1),
    );
    expect(error).toMatchObject({ code: 'unknownCluster', retryable: false });
    expect(error.message).toBe(
      "the kubernetes actuator has no cluster 'nope'; its clusters are: demo-aws-use1, other",
    );
    await expect(
      actuator.get('nope', {
        apiVersion: 'v1',
        kind: 'Service',
        namespace: 'ml',
        name: 'chat',
      }),
    ).rejects.toMatchObject({ code: 'unknownCluster' });
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a replica count that is not a whole number', async () => {
    const { actuator } = actuatorFor(server.url);
    await expect(actuator.scale(workload(), -1)).rejects.toMatchObject({
      code: 'invalid',
    });
    await expect(
      actuator.setKeepAlive(autoscaler('ScaledObject'), 1.5),
    ).rejects.toMatchObject({ code: 'invalid' });
    expect(server.requests).toHaveLength(0);
  });
});
