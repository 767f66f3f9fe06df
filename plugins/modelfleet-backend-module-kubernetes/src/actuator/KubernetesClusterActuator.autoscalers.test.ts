import { ACTION_STEP_ANNOTATION } from '@modelfleet/plugin-modelfleet-node';
import {
  actuatorFor,
  autoscaler,
  httpScaledObject,
  PAUSED,
  scaledObject,
} from '../__testUtils__/actuatorFixtures';
import { FakeKubeObjectServer } from '../__testUtils__/FakeKubeObjectServer';

describe('KubernetesClusterActuator with KEDA autoscalers', () => {
  let server: FakeKubeObjectServer;

  beforeEach(async () => {
    server = await FakeKubeObjectServer.start();
  });

  afterEach(async () => {
    await server.close();
  });

  describe.each([
    [
      'ScaledObject',
      scaledObject,
      'keda.sh',
      'scaledobjects',
      'cooldownPeriod',
    ],
    [
      'HTTPScaledObject',
      httpScaledObject,
      'http.keda.sh',
      'httpscaledobjects',
      'scaledownPeriod',
    ],
  ] as const)('a %s', (kind, make, group, plural, keepAliveField) => {
    const path = `/apis/${group}/v1alpha1/namespaces/ml/${plural}/chat`;
    const stored = () => server.get({ ...make(), ...make().metadata })!;

    it('is paused at a replica count, and resumed, each returning the paused replicas before', async () => {
      server.put(make());
      const { actuator } = actuatorFor(server.url);
      const ref = autoscaler(kind);
      await expect(
        actuator.pauseAutoscaler(ref, 0, { actionStep: 'k#1' }),
      ).resolves.toEqual({ previous: null });
      expect(stored().metadata.annotations).toEqual({
        [PAUSED]: '0',
        [ACTION_STEP_ANNOTATION]: 'k#1',
      });
      expect(server.writes()[0]).toMatchObject({
        path,
        contentType: 'application/merge-patch+json',
      });

      await expect(actuator.pauseAutoscaler(ref, 0)).resolves.toEqual({
        previous: 0,
      });
      expect(server.writes()).toHaveLength(1);

      await expect(actuator.pauseAutoscaler(ref, 2)).resolves.toEqual({
        previous: 0,
      });
      await expect(actuator.pauseAutoscaler(ref, null)).resolves.toEqual({
        previous: 2,
      });
      expect(server.writes().at(-1)!.body).toEqual({
        metadata: { annotations: { [PAUSED]: null } },
      });
      expect(stored().metadata.annotations).toEqual({
        [ACTION_STEP_ANNOTATION]: 'k#1',
      });

      await expect(actuator.pauseAutoscaler(ref, null)).resolves.toEqual({
        previous: null,
      });
      expect(server.writes()).toHaveLength(3);
    });

    it('refuses to take a paused-replicas annotation that is not a count for a previous value', async () => {
      server.put({
        ...make(),
        metadata: { ...make().metadata, annotations: { [PAUSED]: 'many' } },
      });
      const { actuator } = actuatorFor(server.url);
      await expect(
        actuator.pauseAutoscaler(autoscaler(kind), 0),
      ).rejects.toMatchObject({
        code: 'invalid',
        message: expect.stringContaining(`'many'`),
      });
      expect(server.writes()).toHaveLength(0);
    });

    it(`keeps alive through spec.${keepAliveField}`, async () => {
      server.put(make());
      const { actuator } = actuatorFor(server.url);
      const ref = autoscaler(kind);
      await expect(
        actuator.setKeepAlive(ref, 600, { actionStep: 'k#3' }),
      ).resolves.toEqual({ previous: null });
      expect(stored().spec[keepAliveField]).toBe(600);
      expect(stored().metadata.annotations).toEqual({
        [ACTION_STEP_ANNOTATION]: 'k#3',
      });

      await expect(actuator.setKeepAlive(ref, 600)).resolves.toEqual({
        previous: 600,
      });
      expect(server.writes()).toHaveLength(1);

      await expect(
        actuator.setKeepAlive(ref, 300, { dryRun: true }),
      ).resolves.toEqual({
        previous: 600,
      });
      expect(server.writes().at(-1)!.body).toEqual({
        spec: { [keepAliveField]: 300 },
      });
      expect(stored().spec[keepAliveField]).toBe(600);
    });
  });
});
