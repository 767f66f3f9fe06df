import { gfd, node, NODES, pod } from '../__testUtils__/objects';
import { readNodeGpu } from './nodeGpu';
import {
  inferClusterPlacement,
  nodeCapacityType,
  nodePoolName,
  nodeProvider,
} from './nodes';
import {
  buildGpuPools,
  gpuNodePools,
  reclaimNotices,
  withEmptyPools,
} from './pools';

describe('nodePoolName', () => {
  it.each([
    ['eks.amazonaws.com/nodegroup', 'gpu-a100'],
    ['cloud.google.com/gke-nodepool', 'spot-l4'],
    ['kubernetes.azure.com/agentpool', 'a100spot'],
    ['agentpool', 'legacy'],
    ['karpenter.sh/nodepool', 'inference'],
    ['karpenter.sh/provisioner-name', 'old-provisioner'],
  ])('reads the pool from %s', (label, value) => {
    expect(nodePoolName(node('n', { [label]: value }))).toBe(value);
  });

  it('prefers the Karpenter NodePool over a platform label', () => {
    expect(
      nodePoolName(
        node('n', {
          'karpenter.sh/nodepool': 'gpu',
          'kubernetes.azure.com/agentpool': 'aks-nap',
        }),
      ),
    ).toBe('gpu');
  });

  it('names a node without a pool label after its instance type', () => {
    expect(
      nodePoolName(
        node('n', { 'node.kubernetes.io/instance-type': 'g4dn.xlarge' }),
      ),
    ).toBe('g4dn.xlarge');
    expect(
      nodePoolName(
        node('n', { 'beta.kubernetes.io/instance-type': 'g4dn.2xlarge' }),
      ),
    ).toBe('g4dn.2xlarge');
    expect(nodePoolName(node('n', {}))).toBe('unknown');
  });
});

describe('nodeCapacityType', () => {
  it.each([
    [{ 'karpenter.sh/capacity-type': 'spot' }, 'spot'],
    [{ 'karpenter.sh/capacity-type': 'on-demand' }, 'on-demand'],
    [{ 'karpenter.sh/capacity-type': 'reserved' }, 'reserved'],
    [{ 'eks.amazonaws.com/capacityType': 'SPOT' }, 'spot'],
    [{ 'eks.amazonaws.com/capacityType': 'ON_DEMAND' }, 'on-demand'],
    [{ 'eks.amazonaws.com/capacityType': 'CAPACITY_BLOCK' }, 'reserved'],
    [{ 'cloud.google.com/gke-spot': 'true' }, 'spot'],
    [{ 'cloud.google.com/gke-preemptible': 'true' }, 'spot'],
    [{ 'cloud.google.com/gke-spot': 'false' }, 'on-demand'],
    [{ 'kubernetes.azure.com/scalesetpriority': 'spot' }, 'spot'],
    [{ 'kubernetes.azure.com/scalesetpriority': 'regular' }, 'on-demand'],
    [{}, 'on-demand'],
  ])('reads %p as %s', (labels, expected) => {
    expect(nodeCapacityType(node('n', labels))).toBe(expected);
  });
});

describe('nodeProvider', () => {
  it('tells the cloud from platform labels or the provider id', () => {
    expect(nodeProvider(NODES.eksA100())).toBe('aws');
    expect(nodeProvider(NODES.karpenterA10g())).toBe('aws');
    expect(nodeProvider(NODES.gkeSpotL4())).toBe('gcp');
    expect(nodeProvider(NODES.aksSpotA100())).toBe('azure');
    expect(nodeProvider(node('n', {}, {}, 'aws:///eu-west-1a/i-1'))).toBe(
      'aws',
    );
    expect(nodeProvider(node('n', { agentpool: 'x' }))).toBeUndefined();
  });
});

describe('readNodeGpu', () => {
  it('is undefined for a node without GPUs', () => {
    expect(readNodeGpu(NODES.eksSystem())).toBeUndefined();
    expect(
      readNodeGpu(node('n', {}, { 'nvidia.com/gpu': '0' })),
    ).toBeUndefined();
  });

  it('reads whole GPUs from GPU feature discovery', () => {
    expect(readNodeGpu(NODES.eksA100())).toEqual({
      product: 'NVIDIA-A100-SXM4-40GB',
      memoryMiB: 40960,
      perNode: 8,
      sharing: 'whole',
      allocatable: 8,
    });
  });

  it('reads MIG slices of the mixed strategy', () => {
    expect(readNodeGpu(NODES.eksMigH100())).toEqual({
      product: 'NVIDIA-H100-80GB-HBM3',
      memoryMiB: 81559,
      perNode: 8,
      sharing: 'mig',
      replicasPerGpu: 7,
      allocatable: 56,
    });
  });

  it('estimates the GPUs of MIG slices without a GPU count label', () => {
    const n = node(
      'n',
      { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' },
      { 'nvidia.com/mig-3g.40gb': '4', 'nvidia.com/mig-1g.10gb': '2' },
    );
    // 4 x 3g + 2 x 1g = 14 compute slices = 2 GPUs of 7
    expect(readNodeGpu(n)).toMatchObject({
      perNode: 2,
      sharing: 'mig',
      replicasPerGpu: 3,
      allocatable: 6,
    });
  });

  it('reads MIG of the single strategy from the product label', () => {
    const n = node(
      'n',
      gfd('NVIDIA-A100-SXM4-40GB-MIG-1g.5gb', 56, 4864, {
        'nvidia.com/mig.strategy': 'single',
      }),
      { 'nvidia.com/gpu': '56' },
    );
    expect(readNodeGpu(n)).toEqual({
      product: 'NVIDIA-A100-SXM4-40GB',
      perNode: 8,
      sharing: 'mig',
      replicasPerGpu: 7,
      allocatable: 56,
    });
  });

  it('reads time-slicing from the replicas label', () => {
    expect(readNodeGpu(NODES.karpenterA10g())).toEqual({
      product: 'NVIDIA-A10G',
      memoryMiB: 23028,
      perNode: 4,
      sharing: 'time-slicing',
      replicasPerGpu: 4,
      allocatable: 16,
    });
  });

  it('counts a GPU node whose device plugin is not up yet, with nothing allocatable', () => {
    expect(readNodeGpu(node('n', gfd('NVIDIA-L4', 1, 23034)))).toMatchObject({
      product: 'NVIDIA-L4',
      perNode: 1,
      allocatable: 0,
    });
    expect(
      readNodeGpu(
        node('n', { 'cloud.google.com/gke-accelerator': 'nvidia-tesla-t4' }),
      ),
    ).toMatchObject({ product: 'nvidia-tesla-t4', allocatable: 0 });
  });

  it('falls back on Karpenter AWS labels without GPU feature discovery', () => {
    const n = node(
      'n',
      {
        'karpenter.k8s.aws/instance-gpu-name': 'l4',
        'karpenter.k8s.aws/instance-gpu-count': '1',
        'karpenter.k8s.aws/instance-gpu-memory': '24576',
      },
      { 'nvidia.com/gpu': '1' },
    );
    expect(readNodeGpu(n)).toEqual({
      product: 'l4',
      memoryMiB: 24576,
      perNode: 1,
      sharing: 'whole',
      allocatable: 1,
    });
  });
});

describe('buildGpuPools', () => {
  it('groups GPU nodes by pool, with what their pods request', () => {
    const pools = buildGpuPools({
      cluster: 'gpu-aws-use1',
      provider: 'aws',
      nodes: [
        NODES.eksA100('a100-1'),
        NODES.eksA100('a100-2'),
        NODES.eksMigH100('mig-1'),
        NODES.karpenterA10g('a10g-1'),
        NODES.eksSystem('system-1'),
        node(
          'loose-1',
          { 'node.kubernetes.io/instance-type': 'g4dn.xlarge' },
          { 'nvidia.com/gpu': '1' },
        ),
      ],
      pods: [
        pod('llama-0', { node: 'a100-1', limits: { 'nvidia.com/gpu': '4' } }),
        pod('llama-1', { node: 'a100-2', limits: { 'nvidia.com/gpu': '4' } }),
        pod('batch-done', {
          node: 'a100-2',
          limits: { 'nvidia.com/gpu': '4' },
          phase: 'Succeeded',
        }),
        pod('batch-failed', {
          node: 'a100-1',
          limits: { 'nvidia.com/gpu': '4' },
          phase: 'Failed',
        }),
        pod('whisper-0', {
          node: 'mig-1',
          limits: { 'nvidia.com/mig-1g.10gb': '3' },
        }),
        pod('embed-0', { node: 'a10g-1', limits: { 'nvidia.com/gpu': '1' } }),
        pod('pending', { limits: { 'nvidia.com/gpu': '8' }, phase: 'Pending' }),
        pod('coredns', { node: 'system-1', requests: { cpu: '100m' } }),
      ],
    });
    expect(pools).toEqual([
      {
        cluster: 'gpu-aws-use1',
        name: 'g4dn.xlarge',
        provider: 'aws',
        zones: [],
        instanceType: 'g4dn.xlarge',
        capacityType: 'on-demand',
        gpu: { product: 'unknown', perNode: 1, sharing: 'whole' },
        nodes: { current: 1 },
        gpus: { allocatable: 1, allocated: 0 },
      },
      {
        cluster: 'gpu-aws-use1',
        name: 'gpu-a100',
        provider: 'aws',
        region: 'us-east-1',
        zones: ['us-east-1a'],
        instanceType: 'p4d.24xlarge',
        capacityType: 'on-demand',
        gpu: {
          product: 'A100',
          memoryMiB: 40960,
          perNode: 8,
          sharing: 'whole',
        },
        nodes: { current: 2 },
        gpus: { allocatable: 16, allocated: 8 },
      },
      {
        cluster: 'gpu-aws-use1',
        name: 'inference',
        provider: 'aws',
        region: 'us-east-1',
        zones: ['us-east-1c'],
        instanceType: 'g5.12xlarge',
        capacityType: 'spot',
        gpu: {
          product: 'A10G',
          memoryMiB: 23028,
          perNode: 4,
          sharing: 'time-slicing',
          replicasPerGpu: 4,
        },
        nodes: { current: 1 },
        gpus: { allocatable: 16, allocated: 1 },
      },
      {
        cluster: 'gpu-aws-use1',
        name: 'mig-h100',
        provider: 'aws',
        region: 'us-east-1',
        zones: ['us-east-1b'],
        instanceType: 'p5.48xlarge',
        capacityType: 'on-demand',
        gpu: {
          product: 'H100',
          memoryMiB: 81559,
          perNode: 8,
          sharing: 'mig',
          replicasPerGpu: 7,
        },
        nodes: { current: 1 },
        gpus: { allocatable: 56, allocated: 3 },
      },
    ]);
  });

  it('describes a mixed Karpenter pool by most of its nodes, across its zones', () => {
    const spot = (name: string, zone: string, type = 'g5.2xlarge') =>
      node(
        name,
        {
          'karpenter.sh/nodepool': 'gpu',
          'karpenter.sh/capacity-type': 'spot',
          'node.kubernetes.io/instance-type': type,
          'topology.kubernetes.io/region': 'us-west-2',
          'topology.kubernetes.io/zone': zone,
          ...gfd('NVIDIA-A10G', 1, 23028),
        },
        { 'nvidia.com/gpu': '1' },
      );
    const onDemand = node(
      'od',
      {
        'karpenter.sh/nodepool': 'gpu',
        'karpenter.sh/capacity-type': 'on-demand',
        'node.kubernetes.io/instance-type': 'g5.4xlarge',
        'topology.kubernetes.io/zone': 'us-west-2c',
        ...gfd('NVIDIA-A10G', 1, 23028),
      },
      { 'nvidia.com/gpu': '1' },
    );
    const [pool] = buildGpuPools({
      cluster: 'c',
      provider: 'aws',
      region: 'us-west-2',
      nodes: [spot('s1', 'us-west-2b'), spot('s2', 'us-west-2a'), onDemand],
      pods: [],
    });
    expect(pool).toMatchObject({
      name: 'gpu',
      region: 'us-west-2',
      zones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
      instanceType: 'g5.2xlarge',
      capacityType: 'spot',
      nodes: { current: 3 },
      gpus: { allocatable: 3, allocated: 0 },
    });
  });

  it('names each node of a pool under a reclaim notice, with its time', () => {
    const tainted = (name: string, timeAdded: string) => {
      const n = NODES.gkeSpotL4(name);
      return {
        ...n,
        spec: {
          ...n.spec,
          taints: [
            {
              key: 'cloud.google.com/impending-node-termination',
              effect: 'NoSchedule',
              timeAdded: new Date(timeAdded),
            },
          ],
        },
      };
    };
    const [pool] = buildGpuPools({
      cluster: 'g',
      provider: 'gcp',
      nodes: [
        tainted('spot-2', '2026-12-06T10:00:30Z'),
        tainted('spot-1', '2026-12-06T10:00:00Z'),
        NODES.gkeSpotL4('spot-3'),
      ],
      pods: [],
    });
    expect(pool.reclaim).toEqual({
      nodes: 2,
      noticedAt: '2026-12-06T10:00:30.000Z',
      notices: [
        { node: 'spot-1', noticedAt: '2026-12-06T10:00:00.000Z' },
        { node: 'spot-2', noticedAt: '2026-12-06T10:00:30.000Z' },
      ],
    });
  });

  it('reads GKE and AKS spot pools', () => {
    expect(
      buildGpuPools({
        cluster: 'g',
        provider: 'gcp',
        nodes: [NODES.gkeSpotL4()],
        pods: [],
      }),
    ).toEqual([
      expect.objectContaining({
        name: 'spot-l4',
        region: 'us-central1',
        zones: ['us-central1-a'],
        instanceType: 'g2-standard-24',
        capacityType: 'spot',
        gpu: {
          product: 'L4',
          memoryMiB: 23034,
          perNode: 2,
          sharing: 'whole',
        },
        gpus: { allocatable: 2, allocated: 0 },
      }),
    ]);
    expect(
      buildGpuPools({
        cluster: 'z',
        provider: 'azure',
        nodes: [NODES.aksSpotA100()],
        pods: [],
      }),
    ).toEqual([
      expect.objectContaining({
        name: 'a100spot',
        region: 'eastus',
        instanceType: 'Standard_NC24ads_A100_v4',
        capacityType: 'spot',
        gpu: {
          product: 'A100-80GB',
          memoryMiB: 81920,
          perNode: 1,
          sharing: 'whole',
        },
      }),
    ]);
  });
});

describe('gpuNodePools', () => {
  it('maps GPU nodes to their pool and leaves CPU nodes out', () => {
    expect(
      gpuNodePools([
        NODES.eksA100('a'),
        NODES.eksSystem('s'),
        NODES.karpenterA10g('k'),
      ]),
    ).toEqual(
      new Map([
        ['a', 'gpu-a100'],
        ['k', 'inference'],
      ]),
    );
  });
});

describe('inferClusterPlacement', () => {
  it('takes the cloud and region of most nodes', () => {
    expect(
      inferClusterPlacement([
        NODES.eksA100(),
        NODES.eksSystem(),
        NODES.gkeSpotL4(),
      ]),
    ).toEqual({
      provider: 'aws',
      region: 'us-east-1',
    });
    expect(inferClusterPlacement([node('n', {})])).toEqual({});
  });
});

describe('reclaimNotices', () => {
  it('reads the termination handlers’ taints of the three clouds, with their time', () => {
    const at = new Date('2026-12-01T10:00:00Z');
    const tainted = (name: string, key: string, timeAdded?: Date) => ({
      ...node(name, {}),
      spec: { taints: [{ key, effect: 'NoSchedule', timeAdded }] },
    });
    const notices = reclaimNotices(
      [
        tainted(
          'aws-1',
          'aws-node-termination-handler/spot-itn',
          new Date('2026-12-01T09:59:00Z'),
        ),
        tainted('gke-1', 'cloud.google.com/impending-node-termination'),
        tainted('aks-1', 'remediator.kubernetes.azure.com/unschedulable'),
        tainted('other', 'node.kubernetes.io/unschedulable'),
        node('plain', {}),
      ],
      at,
    );
    expect(Object.fromEntries(notices)).toEqual({
      'aws-1': '2026-12-01T09:59:00.000Z',
      'gke-1': '2026-12-01T10:00:00.000Z',
      'aks-1': '2026-12-01T10:00:00.000Z',
    });
  });
});

describe('withEmptyPools', () => {
  const observed = (name: string, nodes: number, noticedAt?: string) => ({
    cluster: 'c1',
    name,
    provider: 'aws' as const,
    zones: ['us-east-1a'],
    capacityType: 'spot' as const,
    gpu: { product: 'L4', perNode: 1, sharing: 'whole' as const },
    nodes: { current: nodes },
    gpus: { allocatable: nodes, allocated: nodes },
    ...(noticedAt ? { reclaim: { nodes, noticedAt } } : {}),
  });

  it('reports a pool seen before at zero nodes, keeping the notice it was emptied under', () => {
    const seen = new Map();
    expect(
      withEmptyPools(
        [observed('spot', 2, '2026-12-05T10:00:00Z'), observed('od', 1)],
        seen,
      ).map(p => p.name),
    ).toEqual(['od', 'spot']);
    const [od, spot] = withEmptyPools([observed('od', 1)], seen);
    expect(od).toEqual(observed('od', 1));
    expect(spot).toEqual({
      ...observed('spot', 0),
      reclaim: { nodes: 0, noticedAt: '2026-12-05T10:00:00Z' },
    });
    // Its nodes back: the pool as the nodes say, without the old notice.
    expect(
      withEmptyPools([observed('spot', 1), observed('od', 1)], seen),
    ).toEqual([observed('od', 1), observed('spot', 1)]);
  });
});
