import { ACTION_STEP_ANNOTATION } from '@modelfleet/plugin-modelfleet-node';
import {
  actuatorFor,
  CLUSTER,
  deployment,
  scaledObject,
  service,
  workload,
} from '../__testUtils__/actuatorFixtures';
import {
  FakeKubeObjectServer,
  Obj,
} from '../__testUtils__/FakeKubeObjectServer';

describe('KubernetesClusterActuator', () => {
  let server: FakeKubeObjectServer;

  beforeEach(async () => {
    server = await FakeKubeObjectServer.start();
  });

  afterEach(async () => {
    await server.close();
  });

  it('lists the configured clusters by name', async () => {
    const { actuator } = actuatorFor(server.url);
    expect(actuator.id).toBe('kubernetes');
    await expect(actuator.listClusters()).resolves.toEqual([CLUSTER, 'other']);
  });

  describe('apply', () => {
    it('creates the objects in order by server-side apply, and returns them as the server does', async () => {
      const { actuator } = actuatorFor(server.url);
      const applied = await actuator.apply(CLUSTER, [service, deployment(2)]);

      expect(applied.map(a => [a.kind, a.namespace, a.name])).toEqual([
        ['Service', 'ml', 'chat'],
        ['Deployment', 'ml', 'chat'],
      ]);
      expect(applied[1].object).toEqual(
        server.get({ ...deployment(), ...deployment().metadata }),
      );
      expect(applied[1].object.metadata).toMatchObject({
        uid: expect.any(String),
        generation: 1,
        resourceVersion: expect.any(String),
      });
      const writes = server.writes();
      expect(writes.map(w => w.path)).toEqual([
        '/api/v1/namespaces/ml/services/chat',
        '/apis/apps/v1/namespaces/ml/deployments/chat',
      ]);
      for (const write of writes) {
        expect(write.method).toBe('PATCH');
        expect(write.contentType).toBe('application/apply-patch+yaml');
        expect(write.query.get('fieldManager')).toBe('modelfleet');
        expect(write.query.get('force')).toBe('true');
        expect(write.query.has('dryRun')).toBe(false);
        expect(write.authorization).toBe('Bearer actuator-token');
      }
      expect(writes[1].body).toEqual(deployment(2));
    });

    it('is idempotent: a second apply changes nothing', async () => {
      const { actuator } = actuatorFor(server.url);
      const [first] = await actuator.apply(CLUSTER, [deployment(2)]);
      const [second] = await actuator.apply(CLUSTER, [deployment(2)]);
      expect(second.object).toEqual(first.object);
      expect(second.object.metadata.generation).toBe(1);

      const [third] = await actuator.apply(CLUSTER, [deployment(3)]);
      expect(third.object.metadata.generation).toBe(2);
      expect(third.object.metadata.resourceVersion).not.toBe(
        first.object.metadata.resourceVersion,
      );
    });

    it('leaves out the metadata the server sets, so an object read earlier applies without conflict', async () => {
      const { actuator } = actuatorFor(server.url);
      const [created] = await actuator.apply(CLUSTER, [deployment(1)]);
      await actuator.scale(workload(), 2); // the object changes meanwhile
      const stale = {
        ...created.object,
        metadata: { ...created.object.metadata, managedFields: [{}] },
      };
      const [applied] = await actuator.apply(CLUSTER, [stale]);
      expect(applied.object.metadata.resourceVersion).not.toBe(
        created.object.metadata.resourceVersion,
      );
      const body = server.writes().at(-1)!.body;
      for (const key of ['resourceVersion', 'uid', 'managedFields']) {
        expect(body.metadata).not.toHaveProperty(key);
      }
    });

    it('sends every field as given, also those client-node has no model of', async () => {
      const { actuator } = actuatorFor(server.url);
      const policy: Obj = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'chat', namespace: 'ml' },
        spec: {
          podSelector: { matchLabels: { app: 'chat' } },
          ingress: [
            { from: [{ podSelector: { matchLabels: { app: 'gw' } } }] },
          ],
        },
      };
      const so = scaledObject({
        advanced: { restoreToOriginalReplicaCount: true },
      });
      const applied = await actuator.apply(CLUSTER, [policy, so]);
      expect(server.writes().map(w => w.body)).toEqual([policy, so]);
      expect(applied[0].object.spec).toEqual(policy.spec);
      expect(applied[1].object.spec).toEqual(so.spec);
    });

    it('stores nothing on a dry run', async () => {
      const { actuator } = actuatorFor(server.url);
      const [applied] = await actuator.apply(CLUSTER, [deployment(2)], {
        dryRun: true,
      });
      expect(applied.object.spec).toMatchObject({ replicas: 2 });
      expect(server.writes()[0].query.get('dryRun')).toBe('All');
      expect(server.get({ ...deployment(), ...deployment().metadata })).toBe(
        undefined,
      );
    });

    it('stamps the action step on each object, without changing the objects it was given', async () => {
      const { actuator } = actuatorFor(server.url);
      const objects = [service, deployment(2)];
      const applied = await actuator.apply(CLUSTER, objects, {
        actionStep: 'key-1#0',
      });
      for (const a of applied) {
        expect(a.object.metadata.annotations).toEqual({
          [ACTION_STEP_ANNOTATION]: 'key-1#0',
        });
      }
      expect(objects[1]).toEqual(deployment(2));
    });

    it('fails with notFound when the cluster does not serve the kind', async () => {
      await server.close();
      server = await FakeKubeObjectServer.start({ keda: false });
      const { actuator } = actuatorFor(server.url);
      await expect(
        actuator.apply(CLUSTER, [scaledObject()]),
      ).rejects.toMatchObject({
        name: 'ActuatorError',
        code: 'notFound',
        retryable: false,
        message: expect.stringMatching(
          /^demo-aws-use1: ScaledObject ml\/chat: .*keda\.sh\/v1alpha1/,
        ),
      });
    });

    it('refuses an object without a name, and sends none of the objects', async () => {
      const { actuator } = actuatorFor(server.url);
      const nameless = { ...service, metadata: { namespace: 'ml' } } as Obj;
      await expect(
        actuator.apply(CLUSTER, [deployment(), nameless]),
      ).rejects.toMatchObject({ code: 'invalid' });
      expect(server.writes()).toHaveLength(0);
    });
  });

  describe('get', () => {
    it('returns the object as JSON, or undefined when it does not exist', async () => {
      const { actuator } = actuatorFor(server.url);
      const stored = server.put(deployment(2));
      const ref = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'ml',
      };
      await expect(
        actuator.get(CLUSTER, { ...ref, name: 'chat' }),
      ).resolves.toEqual(stored);
      await expect(
        actuator.get(CLUSTER, { ...ref, name: 'missing' }),
      ).resolves.toBeUndefined();
      await expect(
        actuator.get(CLUSTER, {
          apiVersion: 'v1',
          kind: 'Namespace',
          name: 'ml',
        }),
      ).resolves.toBeUndefined();
    });

    it('returns undefined for an object of a kind the cluster does not serve', async () => {
      await server.close();
      server = await FakeKubeObjectServer.start({ keda: false });
      const { actuator } = actuatorFor(server.url);
      await expect(
        actuator.get(CLUSTER, {
          apiVersion: 'keda.sh/v1alpha1',
          kind: 'ScaledObject',
          namespace: 'ml',
          name: 'chat',
        }),
      ).resolves.toBeUndefined();
    });
  });

  describe.each(['Deployment', 'StatefulSet'] as const)(
    'scale of a %s',
    kind => {
      const plural = kind === 'Deployment' ? 'deployments' : 'statefulsets';
      const path = `/apis/apps/v1/namespaces/ml/${plural}/chat`;

      it('sets the replicas through the scale subresource, and returns those before', async () => {
        server.put(deployment(1, kind));
        const { actuator } = actuatorFor(server.url);
        await expect(actuator.scale(workload(kind), 3)).resolves.toEqual({
          previous: 1,
        });
        expect(
          server.get({ ...deployment(1, kind), ...deployment().metadata })?.spec
            .replicas,
        ).toBe(3);
        expect(server.requests.map(r => `${r.method} ${r.path}`)).toEqual([
          `GET ${path}/scale`,
          `PATCH ${path}/scale`,
        ]);
        const write = server.writes()[0];
        expect(write.contentType).toBe('application/merge-patch+json');
        expect(write.body).toEqual({ spec: { replicas: 3 } });
        expect(write.query.get('fieldManager')).toBe('modelfleet');
      });

      it('writes nothing when the replicas are already so, even with an action step', async () => {
        server.put(deployment(2, kind));
        const { actuator } = actuatorFor(server.url);
        await expect(
          actuator.scale(workload(kind), 2, { actionStep: 'key-1#0' }),
        ).resolves.toEqual({ previous: 2 });
        expect(server.writes()).toHaveLength(0);
      });

      it('stamps the action step on the workload when it changes the replicas', async () => {
        server.put(deployment(0, kind));
        const { actuator } = actuatorFor(server.url);
        await actuator.scale(workload(kind), 1, { actionStep: 'key-1#2' });
        const stored = server.get({
          ...deployment(0, kind),
          ...deployment().metadata,
        });
        expect(stored?.metadata.annotations).toEqual({
          [ACTION_STEP_ANNOTATION]: 'key-1#2',
        });
        expect(stored?.spec.replicas).toBe(1);
        expect(server.writes().map(w => [w.path, w.body])).toEqual([
          [
            path,
            {
              metadata: {
                annotations: { [ACTION_STEP_ANNOTATION]: 'key-1#2' },
              },
            },
          ],
          [`${path}/scale`, { spec: { replicas: 1 } }],
        ]);
      });

      it('changes nothing on a dry run', async () => {
        server.put(deployment(1, kind));
        const { actuator } = actuatorFor(server.url);
        await expect(
          actuator.scale(workload(kind), 0, {
            dryRun: true,
            actionStep: 'k#0',
          }),
        ).resolves.toEqual({ previous: 1 });
        expect(server.writes().map(w => w.query.get('dryRun'))).toEqual([
          'All',
          'All',
        ]);
        expect(
          server.get({ ...deployment(1, kind), ...deployment().metadata }),
        ).toEqual(
          expect.objectContaining({
            spec: expect.objectContaining({ replicas: 1 }),
          }),
        );
      });
    },
  );

  describe('readiness', () => {
    it('reads the replicas desired, ready, updated and all from the workload', async () => {
      const d = deployment(3);
      // A rollout under way: 3 new pods, 2 old ones still there.
      server.put({
        ...d,
        status: {
          observedGeneration: 1,
          replicas: 5,
          readyReplicas: 2,
          updatedReplicas: 3,
        },
      });
      const { actuator } = actuatorFor(server.url);
      await expect(actuator.readiness(workload())).resolves.toEqual({
        desired: 3,
        ready: 2,
        updated: 3,
        total: 5,
        observed: true,
      });
    });

    it('is not observed while the controller has not seen the latest spec', async () => {
      const d = deployment(1, 'StatefulSet');
      const status = { observedGeneration: 1, readyReplicas: 1 };
      server.put({ ...d, status });
      const changed = server.put({
        ...d,
        spec: { ...d.spec, replicas: 2 },
        status,
      });
      expect(changed.metadata.generation).toBe(2);
      const { actuator } = actuatorFor(server.url);
      await expect(
        actuator.readiness(workload('StatefulSet')),
      ).resolves.toEqual({
        desired: 2,
        ready: 1,
        updated: 0,
        total: 0,
        observed: false,
      });
    });
  });
});
