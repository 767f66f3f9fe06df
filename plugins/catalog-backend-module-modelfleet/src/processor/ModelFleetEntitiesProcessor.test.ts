import {
  modelEntityV1alpha1Schema,
  gpuPoolEntityV1alpha1Schema,
} from '@modelfleet/plugin-modelfleet-common';
import { ModelFleetEntitiesProcessor } from './ModelFleetEntitiesProcessor';

const location = {
  type: 'url',
  target: 'https://example.com/catalog-info.yaml',
};
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

async function relationsOf(
  entity: any,
  processor = new ModelFleetEntitiesProcessor(),
) {
  const emit = jest.fn();
  await processor.postProcessEntity(entity, location, emit);
  return emit.mock.calls.map(([r]) => {
    const s = r.relation.source;
    const t = r.relation.target;
    // Entity refs compare case-insensitively in the catalog.
    return `${s.kind.toLowerCase()}:${s.namespace}/${s.name} ${
      r.relation.type
    } ${t.kind.toLowerCase()}:${t.namespace}/${t.name}`;
  });
}

describe('ModelFleetEntitiesProcessor', () => {
  const processor = new ModelFleetEntitiesProcessor();

  it('validates Model and GpuPool and leaves other kinds alone', async () => {
    await expect(
      processor.validateEntityKind(
        clone(modelEntityV1alpha1Schema.examples[0]) as any,
      ),
    ).resolves.toBe(true);
    await expect(
      processor.validateEntityKind(
        clone(gpuPoolEntityV1alpha1Schema.examples[0]) as any,
      ),
    ).resolves.toBe(true);
    await expect(
      processor.validateEntityKind({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'c' },
        spec: {},
      }),
    ).resolves.toBe(false);
  });

  it('throws naming the field for a Model without owner', async () => {
    const m: any = clone(modelEntityV1alpha1Schema.examples[0]);
    delete m.spec.owner;
    await expect(processor.validateEntityKind(m)).rejects.toThrow(
      /required property 'owner'/,
    );
  });

  it('refuses a Model whose spec.source carries a credential, without repeating it', async () => {
    const m: any = clone(modelEntityV1alpha1Schema.examples[0]);
    m.spec.source = 'https://user:s3cr3t@huggingface.co/org/model';
    const error = await processor.validateEntityKind(m).catch(e => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^\/spec\/source must not carry credentials/);
    expect(error.message).not.toContain('s3cr3t');
  });

  it('emits owner, pool and caller relations for a Model, both ways', async () => {
    const m: any = clone(modelEntityV1alpha1Schema.examples[0]);
    m.metadata.namespace = 'ml';
    m.spec.owner = 'search-team';
    m.spec.system = 'search';
    m.spec.runsOn = ['aws-use1-g6-l4-spot', 'gpupool:shared/gcp-a100'];
    m.spec.dependencyOf = ['search-api'];
    expect(await relationsOf(m)).toEqual([
      'model:ml/llama-3-1-8b-chat ownedBy group:ml/search-team',
      'group:ml/search-team ownerOf model:ml/llama-3-1-8b-chat',
      'model:ml/llama-3-1-8b-chat partOf system:ml/search',
      'system:ml/search hasPart model:ml/llama-3-1-8b-chat',
      'model:ml/llama-3-1-8b-chat runsOn gpupool:ml/aws-use1-g6-l4-spot',
      'gpupool:ml/aws-use1-g6-l4-spot hosts model:ml/llama-3-1-8b-chat',
      'model:ml/llama-3-1-8b-chat runsOn gpupool:shared/gcp-a100',
      'gpupool:shared/gcp-a100 hosts model:ml/llama-3-1-8b-chat',
      'model:ml/llama-3-1-8b-chat dependencyOf component:ml/search-api',
      'component:ml/search-api dependsOn model:ml/llama-3-1-8b-chat',
    ]);
  });

  it('links a Model to the pools it runs on now, and to its spec.runsOn while it runs nowhere or where is not known', async () => {
    const m: any = clone(modelEntityV1alpha1Schema.examples[0]);
    m.spec = {
      ...m.spec,
      owner: 'search-team',
      runsOn: ['demo-aws-use1.g6-l4'],
      dependencyOf: [],
      system: undefined,
    };
    const placements = jest.fn(async (ref: string) =>
      ref === 'model:default/llama-3-1-8b-chat'
        ? ['gpupool:default/demo-gcp-usc1.g2-l4']
        : undefined,
    );
    const runsOn = (relations: string[]) =>
      relations.filter(r => r.includes(' runsOn '));
    expect(
      runsOn(
        await relationsOf(m, new ModelFleetEntitiesProcessor({ placements })),
      ),
    ).toEqual([
      'model:default/llama-3-1-8b-chat runsOn gpupool:default/demo-gcp-usc1.g2-l4',
    ]);
    expect(placements).toHaveBeenCalledWith('model:default/llama-3-1-8b-chat');
    const nowhere = new ModelFleetEntitiesProcessor({
      placements: async () => [],
    });
    const failing = new ModelFleetEntitiesProcessor({
      placements: async () => {
        throw new Error('down');
      },
    });
    for (const p of [nowhere, failing]) {
      expect(runsOn(await relationsOf(m, p))).toEqual([
        'model:default/llama-3-1-8b-chat runsOn gpupool:default/demo-aws-use1.g6-l4',
      ]);
    }
  });

  it('links a Model to the Red Hat Developer Hub API and Resource describing it', async () => {
    const m: any = clone(modelEntityV1alpha1Schema.examples[0]);
    m.spec = { ...m.spec, runsOn: [], dependencyOf: [], system: undefined };
    m.spec.providesApis = ['llama-3-1-8b-server'];
    m.spec.dependsOn = ['llama-3-1-8b'];
    expect((await relationsOf(m)).slice(2)).toEqual([
      'model:default/llama-3-1-8b-chat providesApi api:default/llama-3-1-8b-server',
      'api:default/llama-3-1-8b-server apiProvidedBy model:default/llama-3-1-8b-chat',
      'model:default/llama-3-1-8b-chat dependsOn resource:default/llama-3-1-8b',
      'resource:default/llama-3-1-8b dependencyOf model:default/llama-3-1-8b-chat',
    ]);
  });

  it('links a GpuPool to its owner and its cluster Resource', async () => {
    expect(
      await relationsOf(clone(gpuPoolEntityV1alpha1Schema.examples[0])),
    ).toEqual([
      'gpupool:default/aws-use1-g6-l4-spot ownedBy group:default/platform-team',
      'group:default/platform-team ownerOf gpupool:default/aws-use1-g6-l4-spot',
      'gpupool:default/aws-use1-g6-l4-spot partOf resource:default/gpu-aws-use1',
      'resource:default/gpu-aws-use1 hasPart gpupool:default/aws-use1-g6-l4-spot',
    ]);
  });
});
