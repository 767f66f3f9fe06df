import { gpuPoolEntityV1alpha1Validator } from '@modelfleet/plugin-modelfleet-common';
import { resourceEntityV1alpha1Validator } from '@backstage/catalog-model';
import { clusterEntity, gpuPoolEntity, poolEntityName } from './poolEntities';

const pool = {
  cluster: 'demo-aws-use1',
  name: 'g6-l4-spot',
  provider: 'aws' as const,
  region: 'us-east-1',
  zones: ['us-east-1a'],
  instanceType: 'g6.xlarge',
  capacityType: 'spot' as const,
  gpu: {
    product: 'L4',
    memoryMiB: 22886,
    perNode: 1,
    sharing: 'whole' as const,
  },
  nodes: { current: 2, min: 0, max: 10 },
  gpus: { allocatable: 2, allocated: 2 },
};

describe('pool entities', () => {
  it('maps a pool to a valid GpuPool entity linked to its cluster', async () => {
    const e = gpuPoolEntity(pool, {
      owner: 'group:default/platform-team',
      location: 'url:http://x/pools',
      demo: true,
    });
    await expect(gpuPoolEntityV1alpha1Validator.check(e)).resolves.toBe(true);
    expect(e.metadata).toMatchObject({
      name: 'demo-aws-use1.g6-l4-spot',
      title: 'g6-l4-spot (demo-aws-use1)',
      description: '1× L4 22.35 GiB per node, g6.xlarge, spot, us-east-1',
      tags: ['aws', 'l4', 'spot'],
      annotations: {
        'modelfleet.io/demo': 'true',
        'modelfleet.io/cluster': 'demo-aws-use1',
      },
    });
    expect(e.spec).toMatchObject({
      cluster: 'resource:default/demo-aws-use1',
      gpu: { product: 'L4', memoryGiB: 22.35, perNode: 1, sharing: 'whole' },
      nodes: { min: 0, max: 10 },
    });
  });

  it('leaves out what is unknown and still validates', async () => {
    const e = gpuPoolEntity(
      {
        ...pool,
        region: undefined,
        zones: [],
        instanceType: undefined,
        gpu: {
          product: 'NVIDIA-H100-80GB-HBM3',
          perNode: 8,
          sharing: 'mig',
          replicasPerGpu: 7,
        },
        nodes: { current: 0 },
      },
      { owner: 'platform-team', location: 'url:x' },
    );
    await expect(gpuPoolEntityV1alpha1Validator.check(e)).resolves.toBe(true);
    expect(e.metadata.annotations!['modelfleet.io/demo']).toBeUndefined();
    expect(e.spec.gpu).toEqual({
      product: 'NVIDIA-H100-80GB-HBM3',
      perNode: 8,
      sharing: 'mig',
      replicasPerGpu: 7,
    });
  });

  it('makes entity names the catalog accepts', () => {
    expect(poolEntityName('gke_proj_us-central1_prod', 'gpu pool/a100')).toBe(
      'gke-proj-us-central1-prod.gpu-pool-a100',
    );
    const long = poolEntityName('c'.repeat(50), 'p'.repeat(50));
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*$/);
    expect(poolEntityName('c'.repeat(50), 'q'.repeat(50))).not.toBe(long);
  });

  it('maps a cluster to a kubernetes-cluster Resource', async () => {
    const e = clusterEntity(
      {
        name: 'demo-gcp-usc1',
        provider: 'gcp',
        region: 'us-central1',
        demo: true,
      },
      { owner: 'platform-team', location: 'url:x' },
    );
    await expect(resourceEntityV1alpha1Validator.check(e)).resolves.toBe(true);
    expect(e.spec).toEqual({
      type: 'kubernetes-cluster',
      owner: 'platform-team',
    });
    expect(e.metadata.description).toBe(
      'Kubernetes cluster on gcp in us-central1 (simulated demo fleet)',
    );
  });
});
