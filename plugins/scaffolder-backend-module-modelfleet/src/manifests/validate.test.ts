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
      baseInput({ traffic: 'sporadic' }),
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
