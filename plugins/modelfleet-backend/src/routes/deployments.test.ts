import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import express from 'express';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { ActionService } from '../actions/ActionService';
import { ActionStore } from '../database/ActionStore';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { readDeploySettings } from '../deploy/config';
import { DeploymentService } from '../deploy/DeploymentService';
import {
  catalogEntities,
  FakeActuator,
  fakeDirectory,
} from '../deploy/__testUtils__/fakes';
import { modelDeployment } from '../deploy/__testUtils__/objects';
import { PolicyService } from '../policy/PolicyService';
import { createDeploymentsRouter } from './deployments';

jest.setTimeout(60_000);

describe('POST /deployments', () => {
  const databases = createTestDatabases();

  async function app(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    const store = new ActionStore(
      (await DatabaseModelFleetStore.fromKnex(knex)).knex,
    );
    const actuator = new FakeActuator(['prod-use1']);
    const actuators = fakeDirectory(actuator);
    const actions = new ActionService({
      store,
      actuators,
      retry: {
        maxAttempts: 3,
        baseDelayMs: 1000,
        maxDelayMs: 8000,
        pollMs: 500,
      },
      logger: mockServices.logger.mock(),
    });
    const deployments = new DeploymentService({
      actuators,
      actions,
      permissions: mockServices.permissions(),
      catalog: catalogServiceMock({ entities: catalogEntities }),
      auth: mockServices.auth(),
      policies: new PolicyService({
        teams: { 'search-team': { dryRun: false } },
      } as any),
      settings: readDeploySettings(
        mockServices.rootConfig({
          data: {
            modelfleet: { permissions: { platformTeams: ['platform-team'] } },
          },
        }),
      ),
    });
    const server = express()
      .use(
        createDeploymentsRouter({
          httpAuth: mockServices.httpAuth({
            defaultCredentials: mockCredentials.user('user:default/ana'),
          }),
          deployments,
        }),
      )
      .use(mockErrorHandler());
    return { server, store, actuator };
  }

  const body = {
    cluster: 'prod-use1',
    namespace: 'models',
    model: 'model:default/chat',
    manifests: modelDeployment('models'),
    idempotencyKey: 'task-7:deploy',
  };

  it.each(databases.eachSupportedId())(
    'stores a deploy action once per idempotency key (201, then 200), %p',
    async id => {
      const { server, store, actuator } = await app(id);
      const first = await request(server).post('/deployments').send(body);
      expect(first.status).toBe(201);
      expect(first.body.action).toMatchObject({
        idempotencyKey: 'deploy:model:default/chat:task-7:deploy',
        kind: 'deploy',
        entityRef: 'model:default/chat',
        cluster: 'prod-use1',
        state: 'planned',
        dryRun: false,
        requestedBy: 'user:default/ana',
        reason: 'deploy chat to prod-use1/models',
      });
      expect(first.body.action.steps).toHaveLength(1);
      expect(first.body.action.steps[0].do.objects).toEqual(body.manifests);
      expect(first.body.action.steps[0].undo).toBeUndefined();
      // The action service worked out what applying would change: every
      // object is new.
      expect(
        first.body.action.diff.map((d: any) => `${d.kind}/${d.name}`),
      ).toEqual(body.manifests.map(m => `${m.kind}/${m.metadata.name}`));

      const again = await request(server).post('/deployments').send(body);
      expect(again.status).toBe(200);
      expect(again.body.action.id).toBe(first.body.action.id);
      expect(await store.list({})).toHaveLength(1);
      expect(actuator.calls).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'answers a server dry-run with what the API server says, storing nothing, %p',
    async id => {
      const { server, store } = await app(id);
      const res = await request(server)
        .post('/deployments')
        .send({ ...body, dryRun: true });
      expect(res.status).toBe(200);
      expect(
        res.body.dryRun.objects.map(
          (o: any) => `${o.kind}/${o.name}:${o.object.metadata.uid}`,
        ),
      ).toEqual([
        'ServiceAccount/chat:uid-chat',
        'Deployment/chat:uid-chat',
        'Service/chat:uid-chat',
        'ScaledObject/chat:uid-chat',
        'PodDisruptionBudget/chat:uid-chat',
        'NetworkPolicy/chat:uid-chat',
      ]);
      expect(await store.list({})).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses the privileged kube-system Deployment with a hostPath volume (400, each reason named), %p',
    async id => {
      const { server, store } = await app(id);
      const manifests = modelDeployment('kube-system') as any[];
      const pod = manifests[1].spec.template.spec;
      pod.containers[0].securityContext = { privileged: true };
      pod.volumes.push({ name: 'docker', hostPath: { path: '/var/run' } });
      const res = await request(server)
        .post('/deployments')
        .send({ ...body, namespace: 'kube-system', manifests });
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      const message: string = res.body.error.message;
      expect(message).toContain(
        "namespace: 'kube-system' is on the deny list of namespaces no model is deployed to",
      );
      expect(message).toContain(
        "manifests[1].spec.template.spec.containers[0].securityContext.privileged (Deployment/chat): container 'server' is privileged (root on the node)",
      );
      expect(message).toContain(
        "manifests[1].spec.template.spec.volumes[2].hostPath (Deployment/chat): volume 'docker' mounts the node's filesystem (/var/run) (hostPath)",
      );
      expect(await store.list({})).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses callers outside the owner and platform teams (403), and unknown clusters (400), %p',
    async id => {
      const { server } = await app(id);
      const sam = await request(server)
        .post('/deployments')
        .set('authorization', mockCredentials.user.header('user:default/sam'))
        .send(body);
      expect(sam.status).toBe(403);
      expect(sam.body.error.message).toBe(
        'user:default/sam may not deploy model:default/chat: not a member of its owner group:default/search-team nor of a platform team (group:default/platform-team)',
      );
      const pat = await request(server)
        .post('/deployments')
        .set('authorization', mockCredentials.user.header('user:default/pat'))
        .send(body);
      expect(pat.status).toBe(201);
      expect(pat.body.action.requestedBy).toBe('user:default/pat');

      const nowhere = await request(server)
        .post('/deployments')
        .send({ ...body, cluster: 'demo-aws-use1' });
      expect(nowhere.status).toBe(400);
      expect(nowhere.body.error.message).toBe(
        "cluster: no connected cluster is named 'demo-aws-use1' (connected: prod-use1)",
      );
    },
  );
});
