import { modelDeployment } from './__testUtils__/objects';
import { ana, body, error, setup } from './__testUtils__/setup';

/** A copy of the model's objects: the fixture's objects share their labels. */
const objects = (): any[] =>
  JSON.parse(JSON.stringify(modelDeployment('models', 'transcribe')));

const firstDeploy = (extra: Record<string, unknown> = {}) =>
  body({
    model: 'model:default/transcribe',
    manifests: objects(),
    owner: 'group:default/speech-team',
    ...extra,
  });

describe('DeploymentService refuses, naming the field, before any lookup', () => {
  it.each(['\ud800', 'speech team', 'group:default/speech\u200bteam'])(
    'an owner %j that no entity ref can be',
    async owner => {
      const { service, lookups, actuator } = setup();
      const e = await error(service.deploy(firstDeploy({ owner }), ana));
      expect(e.name).toBe('InputError');
      expect(e.message).toMatch(/^owner: must be an entity reference/);
      expect(e.message).not.toContain(owner);
      expect(lookups).toEqual([]);
      expect(actuator.calls).toEqual([]);
    },
  );

  it('a model that no entity ref can be', async () => {
    const { service, lookups } = setup();
    const e = await error(
      service.deploy(firstDeploy({ model: 'model:default/\ud800' }), ana),
    );
    expect(e.message).toMatch(/^model: must be an entity reference/);
    expect(lookups).toEqual([]);
  });

  it('a label or annotation value that is no string, with its key', async () => {
    const { service, lookups, actuator } = setup();
    const manifests = objects();
    const i = manifests.findIndex(o => o.kind === 'Deployment');
    manifests[i].metadata.labels['app.kubernetes.io/name'] = -1;
    manifests[i].metadata.annotations = { 'example.com/note': [] };
    const e = await error(service.deploy(firstDeploy({ manifests }), ana));
    expect(e.name).toBe('InputError');
    expect(e.message).toBe(
      'manifests: refused, a model deployment never needs these 2 things: ' +
        `manifests[${i}].metadata.labels.app.kubernetes.io/name (Deployment/transcribe): must be a string; ` +
        `manifests[${i}].metadata.annotations.example.com/note (Deployment/transcribe): must be a string`,
    );
    expect(lookups).toEqual([]);
    expect(actuator.calls).toEqual([]);
  });

  it('a manifest nested thousands of levels deep, naming where it gets too deep', async () => {
    const { service, actuator } = setup();
    const manifests = objects();
    let deep: unknown = 'x';
    for (let n = 0; n < 5000; n++) deep = [deep];
    manifests[0].metadata.labels = deep;
    const e = await error(service.deploy(firstDeploy({ manifests }), ana));
    expect(e.name).toBe('InputError');
    expect(e.message).toContain(
      `manifests[0].metadata.labels (ServiceAccount/transcribe): must be a map of strings to strings; manifests[0].metadata.labels${'[0]'.repeat(
        63,
      )} (ServiceAccount/transcribe): nested more than 64 levels deep`,
    );
    expect(actuator.calls).toEqual([]);
  });

  it('a bad apiVersion on manifests[i].apiVersion', async () => {
    const { service } = setup();
    const manifests = objects();
    const i = manifests.findIndex(o => o.kind === 'Deployment');
    manifests[i].apiVersion = '../../../etc/passwd';
    const e = await error(service.deploy(firstDeploy({ manifests }), ana));
    expect(e.message).toBe(
      'manifests: refused, a model deployment never needs this: ' +
        `manifests[${i}].apiVersion (Deployment/transcribe): a Deployment of a model deployment is apps/v1`,
    );
  });

  it('a kind that is an Object property, as a kind, not a crash', async () => {
    const { service } = setup();
    const manifests = objects();
    manifests[1].kind = 'constructor';
    const e = await error(service.deploy(firstDeploy({ manifests }), ana));
    expect(e.name).toBe('InputError');
    expect(e.message).toMatch(
      /manifests\[1\]\.kind \(constructor\/transcribe\): apps\/v1 constructor is not one of the kinds/,
    );
  });
});
