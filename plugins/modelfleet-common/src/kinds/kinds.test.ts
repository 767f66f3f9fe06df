import { Entity } from '@backstage/catalog-model';
import {
  gpuPoolEntityV1alpha1Schema,
  gpuPoolEntityV1alpha1Validator,
  isGpuPoolEntity,
} from './GpuPoolEntityV1alpha1';
import {
  isModelEntity,
  modelEntityV1alpha1Schema,
  modelEntityV1alpha1Validator,
} from './ModelEntityV1alpha1';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const model = (): any => clone(modelEntityV1alpha1Schema.examples[0]);
const pool = (): any => clone(gpuPoolEntityV1alpha1Schema.examples[0]);

describe('Model kind', () => {
  it('accepts its documented example', async () => {
    await expect(modelEntityV1alpha1Validator.check(model())).resolves.toBe(
      true,
    );
    expect(isModelEntity(model())).toBe(true);
  });

  it('ignores other kinds', async () => {
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x' },
      spec: {},
    };
    await expect(modelEntityV1alpha1Validator.check(component)).resolves.toBe(
      false,
    );
    expect(isModelEntity(component)).toBe(false);
    await expect(modelEntityV1alpha1Validator.check(pool())).resolves.toBe(
      false,
    );
  });

  it.each([
    [
      'owner',
      (m: any) => delete m.spec.owner,
      /\/spec must have required property 'owner'/,
    ],
    ['source', (m: any) => delete m.spec.source, /required property 'source'/],
    [
      'runtime',
      (m: any) => (m.spec.runtime = 'ollama'),
      /\/spec\/runtime must be equal to one of the allowed values/,
    ],
    [
      'gpu.count',
      (m: any) => (m.spec.gpu.count = 0),
      /\/spec\/gpu\/count must be > 0/,
    ],
    [
      'gpu.types',
      (m: any) => (m.spec.gpu.types = []),
      /\/spec\/gpu\/types must NOT have fewer than 1 items/,
    ],
    ['precision', (m: any) => (m.spec.precision = 'fp12'), /\/spec\/precision/],
    [
      'replicas',
      (m: any) => (m.spec.replicas = { min: 5, max: 2 }),
      /\/spec\/replicas\/min \(5\) must not exceed \/spec\/replicas\/max \(2\)/,
    ],
    [
      'workload',
      (m: any) => (m.spec.workload = { cluster: 'c', namespace: 'n' }),
      /\/spec\/workload must have a name or a selector/,
    ],
    [
      'policy.spot',
      (m: any) => (m.spec.policy.spot = 'always'),
      /\/spec\/policy\/spot/,
    ],
  ])('rejects a bad %s naming the field', async (_field, mutate, message) => {
    const m = model();
    mutate(m);
    await expect(modelEntityV1alpha1Validator.check(m)).rejects.toThrow(
      message,
    );
  });

  it('refuses a credential in spec.source without repeating it', async () => {
    for (const source of [
      'https://user:s3cr3t-token@huggingface.co/org/model',
      'oci://robot:s3cr3t-token@registry.example.com/models/chat:1',
      'https://models.example.com/chat?token=s3cr3t-token',
    ]) {
      const m = model();
      m.spec.source = source;
      const error = await modelEntityV1alpha1Validator.check(m).then(
        () => undefined,
        e => e,
      );
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(/^\/spec\/source must not/);
      expect(error.message).not.toContain('s3cr3t-token');
    }
  });

  it.each([
    ['--trust-remote-code'],
    ['org/../model'],
    ['ftp://example.com/model'],
  ])('refuses the source %s by the shared rules', async source => {
    const m = model();
    m.spec.source = source;
    await expect(modelEntityV1alpha1Validator.check(m)).rejects.toThrow(
      /^\/spec\/source must /,
    );
  });

  it('accepts every source kind the shared rules accept', async () => {
    for (const source of [
      'hf://BAAI/bge-large-en-v1.5',
      'oci://registry.example.com/models/chat:1',
      's3://models-bucket/chat/',
      'gs://models-bucket/chat',
      'https://models.example.com/chat/v1',
    ]) {
      const m = model();
      m.spec.source = source;
      await expect(modelEntityV1alpha1Validator.check(m)).resolves.toBe(true);
    }
  });
});

describe('GpuPool kind', () => {
  it('accepts its documented example', async () => {
    await expect(gpuPoolEntityV1alpha1Validator.check(pool())).resolves.toBe(
      true,
    );
    expect(isGpuPoolEntity(pool())).toBe(true);
    await expect(gpuPoolEntityV1alpha1Validator.check(model())).resolves.toBe(
      false,
    );
  });

  it.each([
    [
      'cluster',
      (p: any) => delete p.spec.cluster,
      /required property 'cluster'/,
    ],
    ['provider', (p: any) => (p.spec.provider = 'oracle'), /\/spec\/provider/],
    [
      'capacityType',
      (p: any) => (p.spec.capacityType = 'preemptible'),
      /\/spec\/capacityType/,
    ],
    [
      'gpu.product',
      (p: any) => delete p.spec.gpu.product,
      /\/spec\/gpu must have required property 'product'/,
    ],
    [
      'gpu.memoryGiB',
      (p: any) => (p.spec.gpu.memoryGiB = 0),
      /\/spec\/gpu\/memoryGiB must be > 0/,
    ],
    [
      'taints',
      (p: any) => (p.spec.taints = [{ key: 'k', effect: 'Sometimes' }]),
      /\/spec\/taints\/0\/effect/,
    ],
    [
      'nodes',
      (p: any) => (p.spec.nodes = { min: 3, max: 1 }),
      /\/spec\/nodes\/min \(3\) must not exceed/,
    ],
    [
      'replicasPerGpu',
      (p: any) => (p.spec.gpu.replicasPerGpu = 4),
      /replicasPerGpu must be 1 when \/spec\/gpu\/sharing is whole/,
    ],
  ])('rejects a bad %s naming the field', async (_field, mutate, message) => {
    const p = pool();
    mutate(p);
    await expect(gpuPoolEntityV1alpha1Validator.check(p)).rejects.toThrow(
      message,
    );
  });

  it('accepts MIG slices', async () => {
    const p = pool();
    p.spec.gpu = {
      product: 'A100-80GB',
      memoryGiB: 80,
      perNode: 8,
      sharing: 'mig',
      replicasPerGpu: 7,
    };
    await expect(gpuPoolEntityV1alpha1Validator.check(p)).resolves.toBe(true);
  });
});
