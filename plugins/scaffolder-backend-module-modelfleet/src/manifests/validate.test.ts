import { renderModelManifests } from './render';
import { baseInput } from './testInput';
import { assertValidManifests, validateManifests } from './validate';

// Loading the Kubernetes schemas and starting backends is slow on a loaded CI machine.
jest.setTimeout(60_000);

const rendered = () => renderModelManifests(baseInput()).manifests;
const deploymentOf = (manifests: Array<Record<string, any>>) =>
  manifests.find(m => m.kind === 'Deployment')!;

describe('validateManifests', () => {
  it('accepts the rendered manifests', async () => {
    await expect(validateManifests(rendered())).resolves.toEqual([]);
    await expect(assertValidManifests(rendered())).resolves.toBeUndefined();
  });

  it('names the object and field of a schema violation', async () => {
    const manifests = rendered();
    deploymentOf(
      manifests,
    ).spec.template.spec.containers[0].ports[0].containerPort = '8000';
    const issues = await validateManifests(manifests);
    expect(issues).toContainEqual({
      object: 'Deployment/llama-3-1-8b-chat',
      path: '/spec/template/spec/containers/0/ports/0/containerPort',
      message: 'must be integer',
    });
    await expect(assertValidManifests(manifests)).rejects.toThrow(
      'Deployment/llama-3-1-8b-chat /spec/template/spec/containers/0/ports/0/containerPort: must be integer',
    );
  });

  it('names a missing required field', async () => {
    const manifests = rendered();
    delete deploymentOf(manifests).spec.selector;
    const issues = await validateManifests(manifests);
    expect(issues).toContainEqual(
      expect.objectContaining({
        object: 'Deployment/llama-3-1-8b-chat',
        path: '/spec/selector',
      }),
    );
  });

  it('rejects a bad resource quantity', async () => {
    const manifests = rendered();
    deploymentOf(
      manifests,
    ).spec.template.spec.containers[0].resources.requests.memory = '16 gigs';
    const issues = await validateManifests(manifests);
    expect(issues.map(i => i.path)).toContain(
      '/spec/template/spec/containers/0/resources/requests/memory',
    );
  });

  it('checks KEDA ScaledObjects against their schema', async () => {
    const { manifests } = renderModelManifests(
      baseInput({ traffic: 'sporadic', wakeOn: 'keda-poll' }),
    );
    const so = manifests.find(m => m.kind === 'ScaledObject')!;
    so.spec.triggers[0].metadata.threshold = 16;
    delete so.spec.scaleTargetRef.name;
    const issues = await validateManifests(manifests);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          object: 'ScaledObject/llama-3-1-8b-chat',
          path: '/spec/triggers/0/metadata/threshold',
        }),
        expect.objectContaining({
          object: 'ScaledObject/llama-3-1-8b-chat',
          path: '/spec/scaleTargetRef/name',
        }),
      ]),
    );
  });

  it('checks what the API server checks beyond the schema', async () => {
    const manifests = rendered();
    const d = deploymentOf(manifests);
    d.spec.template.spec.nodeSelector['gpu type'] = 'L4';
    d.spec.template.spec.containers[0].ports[0].name = 'http-serving-port';
    d.spec.template.spec.containers[0].volumeMounts[0].name = 'nope';
    d.spec.selector.matchLabels['app.kubernetes.io/name'] = 'other';
    manifests.find(m => m.kind === 'Service')!.metadata.name = '1-svc';
    const paths = (await validateManifests(manifests)).map(
      i => `${i.object} ${i.path}`,
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        'Deployment/llama-3-1-8b-chat /spec/template/spec/nodeSelector/gpu type',
        'Deployment/llama-3-1-8b-chat /spec/template/spec/containers/0/ports/0/name',
        'Deployment/llama-3-1-8b-chat /spec/template/spec/containers/0/volumeMounts/0/name',
        'Deployment/llama-3-1-8b-chat /spec/selector/matchLabels/app.kubernetes.io~1name',
        'Service/1-svc /metadata/name',
      ]),
    );
  });

  it('names both sides of a selector that no longer matches the pod template', async () => {
    const manifests = rendered();
    const d = deploymentOf(manifests);
    d.spec.template.metadata.labels['app.kubernetes.io/name'] = 'changed';
    const issues = await validateManifests(manifests);
    expect(issues).toEqual([
      {
        object: 'Deployment/llama-3-1-8b-chat',
        path: '/spec/selector/matchLabels/app.kubernetes.io~1name',
        message:
          'selector does not match the pod template labels: "llama-3-1-8b-chat" here, "changed" at /spec/template/metadata/labels/app.kubernetes.io~1name',
      },
    ]);
  });

  it('names the volumes and ports a mount or probe looks for, as either may have changed', async () => {
    const manifests = rendered();
    const pod = deploymentOf(manifests).spec.template.spec;
    const [mount] = pod.containers[0].volumeMounts;
    const v = pod.volumes.findIndex((x: any) => x.name === mount.name);
    pod.volumes[v].name = '--trust-remote-code';
    pod.containers[0].ports[0].name = 'renamed';
    const messages = (await validateManifests(manifests)).map(
      i => `${i.path}: ${i.message}`,
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          `/spec/template/spec/volumes/${v}/name "--trust-remote-code"`,
        ),
        expect.stringMatching(
          /Probe\/httpGet\/port: no container port named "http" \(its ports: \/spec\/template\/spec\/containers\/0\/ports\/0\/name "renamed"\)/,
        ),
      ]),
    );
  });

  it('names the volume list a mount finds no volume in, when it is no list', async () => {
    const manifests = rendered();
    const pod = deploymentOf(manifests).spec.template.spec;
    pod.volumes = null; // NaN or 1e309 once through JSON
    const messages = (await validateManifests(manifests)).map(i => i.message);
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) {
      expect(m).toContain('(its volumes: /spec/template/spec/volumes is null)');
    }
  });

  it('refuses a __proto__ key by its path, not by its children', async () => {
    const manifests = rendered();
    const limits =
      deploymentOf(manifests).spec.template.spec.containers[0].resources.limits;
    // As JSON.parse makes it: an own key, not the prototype.
    Object.defineProperty(limits, '__proto__', {
      value: { isAdmin: true, toString: 'x' },
      enumerable: true,
    });
    expect(await validateManifests(manifests)).toEqual([
      {
        object: 'Deployment/llama-3-1-8b-chat',
        path: '/spec/template/spec/containers/0/resources/limits/__proto__',
        message: 'is no Kubernetes field or key',
      },
    ]);
  });

  it('survives values that cannot become strings, and lists that are no lists', async () => {
    const hostile = { isAdmin: true, toString: 'x' };
    const manifests = rendered();
    const d = deploymentOf(manifests);
    d.metadata.namespace = hostile;
    d.spec.selector.matchLabels['app.kubernetes.io/name'] = hostile;
    d.spec.template.spec.containers[0].volumeMounts[0].name = hostile;
    d.spec.template.spec.containers[0].ports = { name: hostile };
    d.spec.template.spec.volumes = 'none';
    const issues = await validateManifests(manifests);
    expect(issues.map(i => i.path)).toEqual(
      expect.arrayContaining([
        '/metadata/namespace',
        '/spec/selector/matchLabels/app.kubernetes.io~1name',
        '/spec/template/spec/containers/0/volumeMounts/0/name',
      ]),
    );
  });

  it('refuses a manifest nested deeper than 64 levels where it gets too deep, without overflowing the stack', async () => {
    const manifests = rendered();
    let deep: unknown = 1;
    for (let n = 0; n < 100_000; n++) deep = [deep];
    deploymentOf(manifests).spec.template.spec.containers[0].env[0].name = deep;
    const issues = await validateManifests(manifests);
    // env[0].name is 8 levels below the object: the first list more than
    // 64 levels below it is 57 lists further.
    expect(issues).toEqual([
      {
        object: 'Deployment/llama-3-1-8b-chat',
        path: `/spec/template/spec/containers/0/env/0/name${'/0'.repeat(57)}`,
        message: 'is nested more than 64 levels deep',
      },
    ]);
  });

  it('refuses a known kind at another apiVersion on its apiVersion', async () => {
    const manifests = rendered();
    deploymentOf(manifests).apiVersion = 'apps/v2';
    expect(await validateManifests(manifests)).toEqual([
      {
        object: 'Deployment/llama-3-1-8b-chat',
        path: '/apiVersion',
        message: 'apps/v2 is not an apiVersion of Deployment (apps/v1)',
      },
    ]);
  });

  it('rejects kinds it cannot check', async () => {
    const issues = await validateManifests([
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
    ]);
    expect(issues).toEqual([
      {
        object: 'Widget/w',
        path: '/kind',
        message: 'unsupported apiVersion/kind example.com/v1/Widget',
      },
    ]);
  });
});
