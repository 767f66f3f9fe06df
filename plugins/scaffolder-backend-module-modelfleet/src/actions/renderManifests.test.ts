import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { modelEntityV1alpha1Validator } from '@modelfleet/plugin-modelfleet-common';
import fs from 'node:fs';
import yaml from 'yaml';
import { baseInput } from '../manifests/testInput';
import { teamCatalog } from '../__testUtils__/teams';
import { createRenderManifestsAction } from './renderManifests';

// Loading the Kubernetes schemas and starting backends is slow on a loaded CI machine.
jest.setTimeout(60_000);

describe('modelfleet:manifests:render', () => {
  const action = createRenderManifestsAction({ catalog: teamCatalog() });
  const mockDir = createMockDirectory();

  beforeEach(() => mockDir.clear());

  const run = async (input: Record<string, unknown>, isDryRun = false) => {
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: mockDir.path,
    });
    (ctx as any).isDryRun = isDryRun;
    await action.handler(ctx as any);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  };

  it('declares its input as JSON schema', () => {
    expect(action.id).toBe('modelfleet:manifests:render');
    const schema = action.schema?.input as any;
    expect(schema.required).toEqual(
      expect.arrayContaining([
        'name',
        'owner',
        'model',
        'gpu',
        'replicas',
        'traffic',
        'pool',
      ]),
    );
    expect(schema.properties.namespace.default).toBe('models');
  });

  it('writes the manifests, a kustomization and the catalog entity', async () => {
    const out = await run({ ...baseInput(), targetPath: 'deploy/llama' });
    expect(out.entityRef).toBe('model:default/llama-3-1-8b-chat');
    expect(out.files).toEqual([
      'deploy/llama/manifests/serviceaccount.yaml',
      'deploy/llama/manifests/persistentvolumeclaim.yaml',
      'deploy/llama/manifests/deployment.yaml',
      'deploy/llama/manifests/service.yaml',
      'deploy/llama/manifests/horizontalpodautoscaler.yaml',
      'deploy/llama/manifests/poddisruptionbudget.yaml',
      'deploy/llama/manifests/networkpolicy.yaml',
      'deploy/llama/manifests/kustomization.yaml',
      'deploy/llama/catalog-info.yaml',
    ]);
    for (const file of out.files) {
      expect(fs.existsSync(mockDir.resolve(file))).toBe(true);
    }
    const deployment = yaml.parse(
      fs.readFileSync(
        mockDir.resolve('deploy/llama/manifests/deployment.yaml'),
        'utf8',
      ),
    );
    expect(deployment).toEqual(
      out.manifests.find((m: any) => m.kind === 'Deployment'),
    );
    const entity = yaml.parse(
      fs.readFileSync(
        mockDir.resolve('deploy/llama/catalog-info.yaml'),
        'utf8',
      ),
    );
    await expect(modelEntityV1alpha1Validator.check(entity)).resolves.toBe(
      true,
    );
    const kustomization = yaml.parse(
      fs.readFileSync(
        mockDir.resolve('deploy/llama/manifests/kustomization.yaml'),
        'utf8',
      ),
    );
    expect(kustomization.resources).toHaveLength(7);
  });

  it('defaults to the workspace root and the models namespace', async () => {
    const { namespace: _ns, ...input } = baseInput();
    const out = await run(input);
    expect(out.files).toContain('catalog-info.yaml');
    expect(out.files).toContain('manifests/deployment.yaml');
    expect(
      out.manifests.every((m: any) => m.metadata.namespace === 'models'),
    ).toBe(true);
  });

  it('writes the files on a dry run too, so the dry-run shows them', async () => {
    const out = await run(baseInput(), true);
    expect(out.files).toContain('catalog-info.yaml');
    expect(fs.existsSync(mockDir.resolve('catalog-info.yaml'))).toBe(true);
  });

  it('rejects a targetPath outside the workspace', async () => {
    await expect(
      run({ ...baseInput(), targetPath: '../elsewhere' }),
    ).rejects.toThrow(
      /targetPath: \.\.\/elsewhere resolves outside the workspace/,
    );
  });

  it('rejects bad input with an InputError naming the field', async () => {
    await expect(
      run({ ...baseInput(), gpu: { product: 'L4', count: 1, memoryGiB: -1 } }),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(/gpu\.memoryGiB/),
      }),
    );
    const { pool: _pool, ...noPool } = baseInput();
    await expect(run(noPool)).rejects.toThrow(/pool: Required/);
  });

  it('rejects a node selector value Kubernetes would refuse', async () => {
    const base = baseInput();
    await expect(
      run({
        ...base,
        pool: {
          ...base.pool,
          scheduling: {
            ...base.pool.scheduling,
            nodeSelector: { gpu: 'L4 / 24 GB' },
          },
        },
      }),
    ).rejects.toThrow(/pool\.scheduling\.nodeSelector\.gpu/);
  });
});
