import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ActuatorError } from '@modelfleet/plugin-modelfleet-node';
import { readDeploySettings } from './config';
import { modelDeployment } from './__testUtils__/objects';
import { ana, body, error, setup } from './__testUtils__/setup';

describe('DeploymentService', () => {
  it('stores a deploy action with one apply step, under the owner team policy', async () => {
    const { service, actions, actuator } = setup();
    const result = await service.deploy(body({ reason: 'first' }), ana);
    expect(result.type).toBe('action');
    if (result.type !== 'action') return;
    expect(result.created).toBe(true);
    expect(actions.requests).toEqual([
      {
        idempotencyKey: 'deploy:model:default/chat:task-1:deploy',
        kind: 'deploy',
        entityRef: 'model:default/chat',
        cluster: 'prod-use1',
        steps: [
          {
            description:
              'Apply 6 object(s) of chat to prod-use1/models (server-side apply)',
            do: {
              op: 'apply',
              cluster: 'prod-use1',
              objects: modelDeployment('models'),
            },
          },
        ],
        // search-team's policy is not dry-run.
        dryRun: false,
        requestedBy: 'user:default/ana',
        reason: 'first',
      },
    ]);
    // Nothing reaches the cluster before a runner takes the action.
    expect(actuator.calls).toEqual([]);
  });

  it('returns the stored action for a repeated key, and refuses the key for another deployment', async () => {
    const { service } = setup();
    const first = await service.deploy(body(), ana);
    const again = await service.deploy(body(), ana);
    expect(again).toMatchObject({ type: 'action', created: false });
    expect((again as any).action.id).toBe((first as any).action.id);
    const other = modelDeployment('models');
    (other[2] as any).spec.ports[0].port = 9000;
    const e = await error(service.deploy(body({ manifests: other }), ana));
    expect(e.name).toBe('ConflictError');
    expect(e.message).toBe(
      `idempotencyKey: 'task-1:deploy' was used for another deployment of model:default/chat (action ${
        (first as any).action.id
      })`,
    );
  });

  it('refuses the privileged kube-system Deployment with a hostPath volume, naming each reason', async () => {
    const { service, actuator, actions } = setup();
    const objects = modelDeployment('kube-system') as any[];
    const pod = objects[1].spec.template.spec;
    pod.containers[0].securityContext = { privileged: true };
    pod.volumes.push({ name: 'host', hostPath: { path: '/var/run' } });
    const e = await error(
      service.deploy(
        body({ namespace: 'kube-system', manifests: objects }),
        ana,
      ),
    );
    expect(e.name).toBe('InputError');
    expect(e.message).toBe(
      'manifests: refused, a model deployment never needs these 3 things: ' +
        "namespace: 'kube-system' is on the deny list of namespaces no model is deployed to; " +
        "manifests[1].spec.template.spec.volumes[2].hostPath (Deployment/chat): volume 'host' mounts the node's filesystem (/var/run) (hostPath); " +
        "manifests[1].spec.template.spec.containers[0].securityContext.privileged (Deployment/chat): container 'server' is privileged (root on the node)",
    );
    expect(actuator.calls).toEqual([]);
    expect(actions.requests).toEqual([]);
  });

  it('extends the deny list from modelfleet.deploy.deniedNamespaces', async () => {
    const { service } = setup({
      config: { deploy: { deniedNamespaces: ['gpu-operator', 'openshift-*'] } },
    });
    for (const ns of ['gpu-operator', 'openshift-ai', 'kube-node-lease']) {
      const e = await error(
        service.deploy(
          body({ namespace: ns, manifests: modelDeployment(ns) }),
          ana,
        ),
      );
      expect(e.message).toBe(
        `manifests: refused, a model deployment never needs this: namespace: '${ns}' is on the deny list of namespaces no model is deployed to`,
      );
    }
  });

  it('names the field of a bad body', async () => {
    const { service } = setup();
    const bad = modelDeployment('models') as any[];
    delete bad[1].metadata.name;
    const e = await error(
      service.deploy(
        body({
          manifests: bad,
          namespace: 'Models',
          idempotencyKey: undefined,
        }),
        ana,
      ),
    );
    expect(e.name).toBe('InputError');
    expect(e.message).toBe(
      'namespace: must be a Kubernetes namespace name; manifests[1].metadata.name: Required; idempotencyKey: Required',
    );
    expect(
      (await error(service.deploy(body({ model: 'group:x' }), ana))).message,
    ).toBe("model: 'group:x' must refer to a Model");
  });

  it('refuses an unknown cluster instead of simulating one', async () => {
    const { service } = setup();
    const e = await error(service.deploy(body({ cluster: 'nowhere' }), ana));
    expect(e.name).toBe('InputError');
    expect(e.message).toBe(
      "cluster: no connected cluster is named 'nowhere' (connected: prod-use1)",
    );
  });

  it('needs modelfleet.model.deploy', async () => {
    const { service, actions } = setup({ allow: false });
    const e = await error(service.deploy(body(), ana));
    expect(e.name).toBe('NotAllowedError');
    expect(e.message).toBe(
      'user:default/ana may not deploy model:default/chat (permission modelfleet.model.deploy)',
    );
    expect(actions.requests).toEqual([]);
  });

  it("takes the owner from the catalog: a caller's owner does not choose the team", async () => {
    const { service, actions } = setup();
    const sam = mockCredentials.user('user:default/sam');
    const e = await error(
      service.deploy(body({ owner: 'group:default/speech-team' }), sam),
    );
    expect(e.name).toBe('NotAllowedError');
    expect(e.message).toBe(
      'user:default/sam may not deploy model:default/chat: not a member of its owner group:default/search-team nor of a platform team (group:default/platform-team)',
    );
    // ana names speech-team, whose default policy is dry-run: search-team's applies.
    await service.deploy(body({ owner: 'group:default/speech-team' }), ana);
    expect(actions.requests[0].dryRun).toBe(false);
  });

  it('lets platform team members deploy any team’s model, and refuses people outside the teams', async () => {
    const { service } = setup();
    const pat = mockCredentials.user('user:default/pat');
    await expect(service.deploy(body(), pat)).resolves.toMatchObject({
      type: 'action',
    });
    const nobody = await error(
      service.deploy(body(), mockCredentials.user('user:default/nobody')),
    );
    expect(nobody.name).toBe('NotAllowedError');
    const stranger = await error(
      service.deploy(body(), mockCredentials.user('user:default/ghost')),
    );
    expect(stranger.message).toBe(
      'user:default/ghost may not deploy model:default/chat: no User entity in the catalog, so not a member of its owner group:default/search-team nor of a platform team (group:default/platform-team)',
    );
    const robot = await error(
      service.deploy(body(), mockCredentials.service()),
    );
    expect(robot.name).toBe('NotAllowedError');
    expect(robot.message).toMatch(/^a model is deployed on behalf of a person/);
  });

  it('on a first deploy takes the owner the request names, if the caller belongs to it, and its policy', async () => {
    const { service, actions } = setup();
    const first = body({
      model: 'model:default/transcribe',
      manifests: modelDeployment('models', 'transcribe'),
    });
    const sam = mockCredentials.user('user:default/sam');
    expect((await error(service.deploy(first, sam))).message).toBe(
      'owner: model:default/transcribe is not in the catalog yet, so the request must name its owner Group',
    );
    expect(
      (
        await error(
          service.deploy({ ...first, owner: 'group:default/search-team' }, sam),
        )
      ).message,
    ).toBe(
      'user:default/sam may not deploy model:default/transcribe: not a member of its owner group:default/search-team nor of a platform team (group:default/platform-team)',
    );
    expect(
      (await error(service.deploy({ ...first, owner: 'ghost-team' }, sam)))
        .message,
    ).toBe('owner: group:default/ghost-team is not in the catalog');
    const ok = await service.deploy({ ...first, owner: 'speech-team' }, sam);
    expect(ok).toMatchObject({ type: 'action', created: true });
    // speech-team has no override: the default policy is dry-run, so the
    // action waits for approval.
    expect(actions.requests.at(-1)!.dryRun).toBe(true);
  });

  it('refuses a Model the caller cannot see instead of taking it for a first deploy', async () => {
    const { service, actions } = setup({ hidden: ['model:default/chat'] });
    const e = await error(
      service.deploy(body({ owner: 'group:default/search-team' }), ana),
    );
    expect(e.name).toBe('NotAllowedError');
    expect(e.message).toBe(
      'model:default/chat is in the catalog but not visible to the caller, so it may not be deployed by them',
    );
    expect(actions.requests).toEqual([]);
  });

  it("refuses to overwrite another model's objects on the cluster", async () => {
    const { service, actuator, actions } = setup();
    // A model `search` runs a Service named `chat` in the shared namespace.
    const [, , service2] = modelDeployment('models', 'search');
    await actuator.apply('prod-use1', [
      { ...service2, metadata: { ...service2.metadata, name: 'chat' } },
    ]);
    actuator.calls.length = 0;
    const e = await error(service.deploy(body(), ana));
    expect(e.name).toBe('ConflictError');
    expect(e.message).toBe(
      "manifests: would overwrite another model's objects: Service/chat in prod-use1/models belongs to model 'search'",
    );
    expect(actions.requests).toEqual([]);
    // Its own objects, and unlabelled ones, are fine.
    actuator.stored.clear();
    await actuator.apply('prod-use1', modelDeployment('models'));
    await expect(service.deploy(body(), ana)).resolves.toMatchObject({
      type: 'action',
    });
  });

  it('server dry-run: returns what the API server says per object, stores nothing', async () => {
    const { service, actuator, actions } = setup();
    const result = await service.deploy(body({ dryRun: true }), ana);
    expect(result.type).toBe('dryRun');
    if (result.type !== 'dryRun') return;
    expect(
      result.objects.map(o => `${o.kind}/${o.namespace}/${o.name}`),
    ).toEqual(
      modelDeployment('models').map(
        o => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`,
      ),
    );
    expect(result.objects[0].object.metadata.uid).toBe('uid-chat');
    expect(actuator.calls[0].options).toEqual({ dryRun: true });
    expect(actuator.stored.size).toBe(0);
    expect(actions.requests).toEqual([]);
  });

  it("turns the API server's refusal into an error naming the object", async () => {
    const { service, actuator } = setup();
    actuator.failWith = new ActuatorError(
      'invalid',
      'prod-use1: Deployment models/chat: spec.template.spec.containers[0].image: Required value',
    );
    const e = await error(service.deploy(body({ dryRun: true }), ana));
    expect(e.name).toBe('InputError');
    expect(e.message).toBe(
      'manifests: the API server refused: prod-use1: Deployment models/chat: spec.template.spec.containers[0].image: Required value',
    );
    actuator.failWith = new ActuatorError(
      'unavailable',
      'prod-use1: ECONNREFUSED',
    );
    const down = await error(service.deploy(body({ dryRun: true }), ana));
    expect(down.name).toBe('ServiceUnavailableError');
    expect(down.message).toBe(
      'prod-use1: the server dry-run did not complete (unavailable, worth retrying): prod-use1: ECONNREFUSED',
    );
  });
});

describe('readDeploySettings', () => {
  it('extends the built-in deny list and reads the platform teams as Group refs', () => {
    expect(
      readDeploySettings(
        mockServices.rootConfig({
          data: {
            modelfleet: {
              deploy: { deniedNamespaces: ['monitoring', 'kube-system'] },
              permissions: {
                platformTeams: ['platform-team', 'group:ops/SRE'],
              },
            },
          },
        }),
      ),
    ).toEqual({
      deniedNamespaces: [
        'kube-system',
        'kube-public',
        'kube-node-lease',
        'monitoring',
      ],
      platformTeams: ['group:default/platform-team', 'group:ops/sre'],
    });
    expect(() =>
      readDeploySettings(
        mockServices.rootConfig({
          data: {
            modelfleet: { permissions: { platformTeams: ['user:default/x'] } },
          },
        }),
      ),
    ).toThrow(
      "modelfleet.permissions.platformTeams[0]: 'user:default/x' must refer to a Group, not a user",
    );
    expect(() =>
      readDeploySettings(
        mockServices.rootConfig({
          data: {
            modelfleet: { deploy: { deniedNamespaces: ['Kube System'] } },
          },
        }),
      ),
    ).toThrow(
      "modelfleet.deploy.deniedNamespaces[0]: 'Kube System' is not a namespace name or a prefix ending in '*'",
    );
  });
});
