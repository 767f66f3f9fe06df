import { mockServices } from '@backstage/backend-test-utils';
import { ClusterSnapshot } from '@modelfleet/plugin-modelfleet-node';
import {
  CollectionPath,
  eventually,
  FakeKubeApiServer,
  PATHS,
} from './__testUtils__/FakeKubeApiServer';
import {
  deployment,
  inferenceService,
  NODES,
  pod,
  statefulSet,
} from './__testUtils__/objects';
import { KubernetesClusterConfig } from './config';
import { KubernetesClusterConnector } from './KubernetesClusterConnector';
import { KubernetesConnectorTiming } from './watch/ClusterWatcher';

/** Small backoffs and thresholds, so that every test takes well under 5 s. */
const FAST: KubernetesConnectorTiming = {
  initialBackoffMs: 10,
  maxBackoffMs: 50,
  listTimeoutMs: 1_000,
  absentRecheckMs: 60_000,
  minWatchMs: 0,
  initialSyncTimeoutMs: 2_000,
  unhealthyAfterMs: 60_000,
};

const CORE_PATHS: CollectionPath[] = [
  PATHS.nodes,
  PATHS.pods,
  PATHS.deployments,
  PATHS.statefulSets,
  PATHS.podDisruptionBudgets,
];

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

let servers: FakeKubeApiServer[] = [];
let connectors: KubernetesClusterConnector[] = [];

afterEach(async () => {
  await Promise.all(connectors.map(c => c.stop()));
  await Promise.all(servers.map(s => s.close()));
  connectors = [];
  servers = [];
});

async function fakeCluster(options: { kserve?: boolean } = {}) {
  const server = await FakeKubeApiServer.start(options);
  servers.push(server);
  return server;
}

function connect(
  clusters: Array<
    Partial<KubernetesClusterConfig> & { name: string; url: string }
  >,
  timing: Partial<KubernetesConnectorTiming> = {},
) {
  const logger = mockServices.logger.mock();
  const connector = new KubernetesClusterConnector({
    clusters: clusters.map(c => ({
      auth: { type: 'serviceAccount', token: 'test-token' },
      skipTLSVerify: false,
      ...c,
    })),
    logger,
    timing: { ...FAST, ...timing },
    clock: () => new Date(),
  });
  connectors.push(connector);
  return { connector, logger };
}

/**
 * Waits until the watches of the server's collections are open (a snapshot
 * is served as soon as the lists are in, before the watches connect).
 */
async function watching(server: FakeKubeApiServer, count = 5) {
  await eventually(() => expect(server.openWatches()).toBe(count));
}

const poolOf = (snapshot: ClusterSnapshot, name: string) =>
  snapshot.pools.find(p => p.name === name);

/** An EKS cluster: a node group of A100s, one of H100s cut by MIG, a Karpenter pool time-sliced, a CPU node. */
function seedAws(server: FakeKubeApiServer) {
  server.seed(PATHS.nodes, [
    NODES.eksA100('a100-1'),
    NODES.eksA100('a100-2'),
    NODES.eksMigH100('mig-1'),
    NODES.karpenterA10g('a10g-1'),
    NODES.eksSystem('system-1'),
  ]);
  server.seed(PATHS.pods, [
    pod('llama-70b-0', {
      labels: { app: 'llama-70b' },
      node: 'a100-1',
      limits: { 'nvidia.com/gpu': '4' },
    }),
    pod('llama-70b-1', {
      labels: { app: 'llama-70b' },
      node: 'a100-2',
      limits: { 'nvidia.com/gpu': '4' },
    }),
    pod('whisper-0', {
      namespace: 'speech',
      labels: { app: 'whisper' },
      node: 'mig-1',
      limits: { 'nvidia.com/mig-1g.10gb': '1' },
    }),
    pod('embed-0', {
      labels: { app: 'embed' },
      node: 'a10g-1',
      limits: { 'nvidia.com/gpu': '1' },
    }),
    pod('finished-job', {
      node: 'a100-1',
      limits: { 'nvidia.com/gpu': '8' },
      phase: 'Succeeded',
    }),
    pod('coredns-0', {
      namespace: 'kube-system',
      node: 'system-1',
      requests: { cpu: '100m' },
    }),
  ]);
  server.seed(PATHS.deployments, [
    deployment('llama-70b', {
      labels: { 'modelfleet.io/model': 'llama-3-70b' },
      replicas: 2,
      readyReplicas: 2,
      limits: { 'nvidia.com/gpu': '4' },
    }),
    deployment('embed', {
      annotations: { 'backstage.io/kubernetes-id': 'bge-large' },
      readyReplicas: 1,
      limits: { 'nvidia.com/gpu': '1' },
    }),
    deployment('frontend', { replicas: 3, readyReplicas: 3 }),
  ]);
  server.seed(PATHS.statefulSets, [
    statefulSet('whisper', {
      namespace: 'speech',
      labels: { 'modelfleet.io/model': 'whisper-large-v3' },
      readyReplicas: 1,
      limits: { 'nvidia.com/mig-1g.10gb': '1' },
    }),
  ]);
}

/** A GKE cluster with KServe: a spot node pool of L4s serving an InferenceService. */
function seedGcp(server: FakeKubeApiServer) {
  server.seed(PATHS.nodes, [NODES.gkeSpotL4('l4-1'), NODES.gkeSpotL4('l4-2')]);
  server.seed(PATHS.pods, [
    pod('mistral-7b-predictor-00001-abc', {
      labels: {
        'serving.kserve.io/inferenceservice': 'mistral-7b',
        component: 'predictor',
      },
      node: 'l4-2',
      limits: { 'nvidia.com/gpu': '1' },
    }),
  ]);
  server.seed(PATHS.inferenceServices, [
    inferenceService('mistral-7b', {
      labels: { 'modelfleet.io/model': 'mistral-7b-instruct' },
      predictor: {
        minReplicas: 1,
        model: {
          modelFormat: { name: 'huggingface' },
          resources: { limits: { 'nvidia.com/gpu': '1' } },
        },
      },
    }),
  ]);
}

/** An AKS cluster: a spot agent pool of A100s. */
function seedAzure(server: FakeKubeApiServer) {
  server.seed(PATHS.nodes, [NODES.aksSpotA100('aks-1')]);
  server.seed(PATHS.pods, [
    pod('phi-3-0', {
      labels: { app: 'phi-3' },
      node: 'aks-1',
      limits: { 'nvidia.com/gpu': '1' },
    }),
  ]);
  server.seed(PATHS.deployments, [
    deployment('phi-3', {
      labels: { 'modelfleet.io/model': 'phi-3-medium' },
      readyReplicas: 1,
      limits: { 'nvidia.com/gpu': '1' },
    }),
  ]);
}

describe('KubernetesClusterConnector', () => {
  it('reads GPU pools and model workloads of EKS, Karpenter, GKE and AKS clusters by list+watch', async () => {
    const aws = await fakeCluster();
    const gcp = await fakeCluster({ kserve: true });
    const azure = await fakeCluster();
    seedAws(aws);
    seedGcp(gcp);
    seedAzure(azure);
    const { connector } = connect([
      { name: 'gpu-aws-use1', url: aws.url },
      { name: 'gpu-gke-usc1', url: gcp.url },
      {
        name: 'gpu-aks-eus',
        url: azure.url,
        provider: 'azure',
        region: 'eastus2',
      },
    ]);

    const [a, g, z] = await Promise.all([
      connector.snapshot('gpu-aws-use1'),
      connector.snapshot('gpu-gke-usc1'),
      connector.snapshot('gpu-aks-eus'),
    ]);

    expect(a.cluster).toEqual({
      name: 'gpu-aws-use1',
      provider: 'aws',
      region: 'us-east-1',
    });
    expect(Date.parse(a.observedAt)).not.toBeNaN();
    expect(
      a.pools.map(p => ({
        name: p.name,
        capacityType: p.capacityType,
        gpu: p.gpu,
        nodes: p.nodes.current,
        gpus: p.gpus,
      })),
    ).toEqual([
      {
        name: 'gpu-a100',
        capacityType: 'on-demand',
        gpu: {
          product: 'A100',
          memoryMiB: 40960,
          perNode: 8,
          sharing: 'whole',
        },
        nodes: 2,
        gpus: { allocatable: 16, allocated: 8 },
      },
      {
        name: 'inference',
        capacityType: 'spot',
        gpu: {
          product: 'A10G',
          memoryMiB: 23028,
          perNode: 4,
          sharing: 'time-slicing',
          replicasPerGpu: 4,
        },
        nodes: 1,
        gpus: { allocatable: 16, allocated: 1 },
      },
      {
        name: 'mig-h100',
        capacityType: 'on-demand',
        gpu: {
          product: 'H100',
          memoryMiB: 81559,
          perNode: 8,
          sharing: 'mig',
          replicasPerGpu: 7,
        },
        nodes: 1,
        gpus: { allocatable: 56, allocated: 1 },
      },
    ]);
    expect(a.workloads).toEqual([
      {
        cluster: 'gpu-aws-use1',
        namespace: 'serving',
        kind: 'Deployment',
        name: 'embed',
        modelId: 'bge-large',
        replicas: { desired: 1, ready: 1 },
        gpusPerReplica: 1,
        pool: 'inference',
      },
      {
        cluster: 'gpu-aws-use1',
        namespace: 'serving',
        kind: 'Deployment',
        name: 'llama-70b',
        modelId: 'llama-3-70b',
        replicas: { desired: 2, ready: 2 },
        gpusPerReplica: 4,
        pool: 'gpu-a100',
      },
      {
        cluster: 'gpu-aws-use1',
        namespace: 'speech',
        kind: 'StatefulSet',
        name: 'whisper',
        modelId: 'whisper-large-v3',
        replicas: { desired: 1, ready: 1 },
        gpusPerReplica: 1,
        pool: 'mig-h100',
      },
    ]);

    expect(g.cluster).toEqual({
      name: 'gpu-gke-usc1',
      provider: 'gcp',
      region: 'us-central1',
    });
    expect(g.pools).toEqual([
      {
        cluster: 'gpu-gke-usc1',
        name: 'spot-l4',
        provider: 'gcp',
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
        nodes: { current: 2 },
        gpus: { allocatable: 4, allocated: 1 },
      },
    ]);
    expect(g.workloads).toEqual([
      {
        cluster: 'gpu-gke-usc1',
        namespace: 'serving',
        kind: 'InferenceService',
        name: 'mistral-7b',
        modelId: 'mistral-7b-instruct',
        replicas: { desired: 1, ready: 1 },
        gpusPerReplica: 1,
        pool: 'spot-l4',
      },
    ]);

    // the configured region wins over the node labels
    expect(z.cluster).toEqual({
      name: 'gpu-aks-eus',
      provider: 'azure',
      region: 'eastus2',
    });
    expect(z.pools).toEqual([
      expect.objectContaining({
        name: 'a100spot',
        provider: 'azure',
        region: 'eastus2',
        instanceType: 'Standard_NC24ads_A100_v4',
        capacityType: 'spot',
        gpus: { allocatable: 1, allocated: 1 },
      }),
    ]);
    expect(z.workloads).toEqual([
      expect.objectContaining({
        name: 'phi-3',
        modelId: 'phi-3-medium',
        pool: 'a100spot',
      }),
    ]);

    // One list and one watch per collection; KServe's 404 means not installed.
    await Promise.all([watching(aws), watching(gcp, 6), watching(azure)]);
    for (const server of [aws, gcp, azure]) {
      for (const path of CORE_PATHS) {
        expect([path, server.lists(path), server.watches(path)]).toEqual([
          path,
          1,
          1,
        ]);
      }
    }
    expect([
      aws.lists(PATHS.inferenceServices),
      aws.watches(PATHS.inferenceServices),
    ]).toEqual([1, 0]);
    expect([
      gcp.lists(PATHS.inferenceServices),
      gcp.watches(PATHS.inferenceServices),
    ]).toEqual([1, 1]);

    // Watches go on from the list's resourceVersion; finished pods are left out.
    const podWatch = aws.requests.find(r => r.path === PATHS.pods && r.watch)!;
    expect(Number(podWatch.query.get('resourceVersion'))).toBeGreaterThan(0);
    expect(podWatch.query.get('fieldSelector')).toBe(
      'status.phase!=Succeeded,status.phase!=Failed',
    );

    // Later snapshots are served from the cache: no API call per cycle.
    const seen = [aws, gcp, azure].map(s => s.requests.length);
    await connector.snapshot('gpu-aws-use1');
    await connector.snapshot('gpu-gke-usc1');
    await connector.snapshot('gpu-aks-eus');
    expect([aws, gcp, azure].map(s => s.requests.length)).toEqual(seen);
  });

  it('starts watching on the first call only, and lists clusters with what their nodes tell', async () => {
    const server = await fakeCluster();
    seedAws(server);
    const { connector } = connect([
      { name: 'gpu-aws-use1', url: server.url },
      { name: 'onprem', url: server.url, provider: 'other', region: 'fra-dc2' },
    ]);
    await sleep(50);
    expect(server.requests).toHaveLength(0);

    const before = await connector.listClusters();
    expect(before).toEqual([
      { name: 'gpu-aws-use1', provider: 'other' },
      { name: 'onprem', provider: 'other', region: 'fra-dc2' },
    ]);
    await eventually(() => expect(server.openWatches()).toBe(10));
    expect(await connector.listClusters()).toEqual([
      { name: 'gpu-aws-use1', provider: 'aws', region: 'us-east-1' },
      { name: 'onprem', provider: 'other', region: 'fra-dc2' },
    ]);
  });

  it('follows ADDED, MODIFIED and DELETED events without listing again', async () => {
    const server = await fakeCluster();
    seedAws(server);
    const { connector } = connect([{ name: 'c1', url: server.url }]);
    await connector.snapshot('c1');
    await watching(server);

    server.add(PATHS.nodes, NODES.eksA100('a100-3'));
    server.modify(
      PATHS.pods,
      pod('embed-0', {
        labels: { app: 'embed' },
        node: 'a10g-1',
        limits: { 'nvidia.com/gpu': '3' },
      }),
    );
    server.remove(PATHS.nodes, NODES.eksMigH100('mig-1'));
    server.add(
      PATHS.deployments,
      deployment('qwen-coder', {
        labels: { 'modelfleet.io/model': 'qwen2.5-coder-32b' },
        limits: { 'nvidia.com/gpu': '2' },
        nodeSelector: { 'eks.amazonaws.com/nodegroup': 'gpu-a100' },
      }),
    );
    server.remove(PATHS.deployments, deployment('embed'));

    const snapshot = await eventually(async () => {
      const s = await connector.snapshot('c1');
      expect(poolOf(s, 'gpu-a100')).toMatchObject({
        nodes: { current: 3 },
        gpus: { allocatable: 24, allocated: 8 },
      });
      expect(poolOf(s, 'inference')?.gpus.allocated).toBe(3);
      // Its last node deleted, the pool is still there, at zero nodes.
      expect(poolOf(s, 'mig-h100')).toMatchObject({
        nodes: { current: 0 },
        gpus: { allocatable: 0, allocated: 0 },
      });
      expect(s.workloads.map(w => w.name)).toEqual([
        'llama-70b',
        'qwen-coder',
        'whisper',
      ]);
      return s;
    });
    expect(snapshot.workloads[1]).toMatchObject({
      gpusPerReplica: 2,
      pool: 'gpu-a100',
    });

    for (const path of CORE_PATHS) {
      expect([path, server.lists(path), server.watches(path)]).toEqual([
        path,
        1,
        1,
      ]);
    }
  });

  it.each([
    ['closes the stream', false],
    ['keeps the stream open', true],
  ])(
    'lists again after a 410 Gone ERROR event, when the server then %s',
    async (_, keepOpen) => {
      const server = await fakeCluster();
      seedAws(server);
      const { connector } = connect([{ name: 'c1', url: server.url }]);
      await connector.snapshot('c1');
      await watching(server);

      // A change the watch never sees: only a new list finds it.
      const moved = NODES.karpenterA10g('a10g-1');
      moved.metadata!.labels!['karpenter.sh/capacity-type'] = 'on-demand';
      server.replaceQuietly(PATHS.nodes, moved);
      server.expire(PATHS.nodes, { keepOpen });

      await eventually(async () => {
        const s = await connector.snapshot('c1');
        expect(poolOf(s, 'inference')?.capacityType).toBe('on-demand');
      });
      expect(server.lists(PATHS.nodes)).toBe(2);
      await eventually(() => expect(server.openWatches(PATHS.nodes)).toBe(1));
      for (const path of CORE_PATHS.filter(p => p !== PATHS.nodes)) {
        expect([path, server.lists(path)]).toEqual([path, 1]);
      }
    },
  );

  it('watches again from the last resourceVersion after a dropped connection', async () => {
    const server = await fakeCluster();
    seedAws(server);
    const { connector } = connect([{ name: 'c1', url: server.url }]);
    await connector.snapshot('c1');
    await watching(server);

    server.dropWatches(PATHS.pods);
    // made while no watch is open: replayed to the new watch
    server.add(
      PATHS.pods,
      pod('llama-70b-2', {
        labels: { app: 'llama-70b' },
        node: 'a100-2',
        limits: { 'nvidia.com/gpu': '4' },
      }),
    );

    await eventually(async () => {
      const s = await connector.snapshot('c1');
      expect(poolOf(s, 'gpu-a100')?.gpus.allocated).toBe(12);
    });
    expect(server.watches(PATHS.pods)).toBe(2);
    expect(server.lists(PATHS.pods)).toBe(1);
    const [first, second] = server.requests.filter(
      r => r.path === PATHS.pods && r.watch,
    );
    expect(Number(second.query.get('resourceVersion'))).toBeGreaterThanOrEqual(
      Number(first.query.get('resourceVersion')),
    );

    // and the new watch carries on
    server.remove(PATHS.pods, pod('llama-70b-2'));
    await eventually(async () => {
      const s = await connector.snapshot('c1');
      expect(poolOf(s, 'gpu-a100')?.gpus.allocated).toBe(8);
    });
  });

  it('retries lists and watches that fail with 5xx', async () => {
    const server = await fakeCluster();
    seedAws(server);
    server.fail(PATHS.nodes, { on: 'list', status: 503 }, 2);
    server.fail(PATHS.deployments, { on: 'watch', status: 500 });
    const { connector, logger } = connect([{ name: 'c1', url: server.url }]);

    const snapshot = await connector.snapshot('c1');
    expect(snapshot.pools).toHaveLength(3);
    expect(server.lists(PATHS.nodes)).toBe(3);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('c1: list nodes failed: 503 Service Unavailable'),
    );
    await eventually(() =>
      expect(server.openWatches(PATHS.deployments)).toBe(1),
    );
    expect(server.watches(PATHS.deployments)).toBe(2);
    expect(server.lists(PATHS.deployments)).toBe(1);
  });

  it('throws naming the cluster and the failure when a list keeps failing', async () => {
    const server = await fakeCluster();
    seedAws(server);
    server.fail(PATHS.nodes, { on: 'list', status: 503 }, 1_000);
    const { connector } = connect([{ name: 'gpu-aws-use1', url: server.url }], {
      initialSyncTimeoutMs: 300,
    });

    await expect(connector.snapshot('gpu-aws-use1')).rejects.toThrow(
      /^gpu-aws-use1: list nodes failed: 503 Service Unavailable/,
    );
  });

  it('waits for a slow list', async () => {
    const server = await fakeCluster();
    seedAws(server);
    server.fail(PATHS.pods, { on: 'list', delayMs: 300 });
    const { connector } = connect([{ name: 'c1', url: server.url }]);

    const started = Date.now();
    const snapshot = await connector.snapshot('c1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(poolOf(snapshot, 'gpu-a100')?.gpus.allocated).toBe(8);
    expect(server.lists(PATHS.pods)).toBe(1);
  });

  it('aborts and retries a list that does not answer in time', async () => {
    const server = await fakeCluster();
    seedAws(server);
    server.fail(PATHS.pods, { on: 'list', delayMs: 2_000 });
    const { connector, logger } = connect([{ name: 'c1', url: server.url }], {
      listTimeoutMs: 150,
    });

    const snapshot = await connector.snapshot('c1');
    expect(poolOf(snapshot, 'gpu-a100')?.gpus.allocated).toBe(8);
    expect(server.lists(PATHS.pods)).toBe(2);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('c1: list pods failed: no answer within 150 ms'),
    );
  });

  it('throws for an unreachable cluster while another one snapshots fine', async () => {
    const dead = await FakeKubeApiServer.start();
    const deadUrl = dead.url;
    await dead.close();
    const good = await fakeCluster();
    seedAws(good);
    const { connector } = connect(
      [
        { name: 'gpu-dead', url: deadUrl },
        { name: 'gpu-good', url: good.url },
      ],
      { initialSyncTimeoutMs: 500 },
    );

    const started = Date.now();
    const goodSnapshot = await connector.snapshot('gpu-good');
    expect(Date.now() - started).toBeLessThan(400);
    expect(goodSnapshot.pools).toHaveLength(3);

    const [deadResult, goodResult] = await Promise.allSettled([
      connector.snapshot('gpu-dead'),
      connector.snapshot('gpu-good'),
    ]);
    expect(deadResult.status).toBe('rejected');
    expect((deadResult as PromiseRejectedResult).reason.message).toMatch(
      /^gpu-dead: list nodes failed: .*ECONNREFUSED/,
    );
    expect(goodResult).toMatchObject({ status: 'fulfilled' });
    expect((await connector.listClusters()).map(c => c.name)).toEqual([
      'gpu-dead',
      'gpu-good',
    ]);
  });

  it('serves the last state while a failure is young, and throws once it lasts too long', async () => {
    const server = await fakeCluster();
    seedAws(server);
    const { connector } = connect([{ name: 'c1', url: server.url }], {
      unhealthyAfterMs: 300,
    });
    await connector.snapshot('c1');

    await server.close();
    const young = await connector.snapshot('c1');
    expect(young.pools).toHaveLength(3);

    await eventually(async () => {
      await expect(connector.snapshot('c1')).rejects.toThrow(
        /^c1: watch nodes failed: .*ECONNREFUSED/,
      );
    });
  });

  it('sends the service account token on lists and watches', async () => {
    const server = await fakeCluster();
    seedAws(server);
    const { connector } = connect([
      {
        name: 'c1',
        url: server.url,
        auth: {
          type: 'serviceAccount',
          token: 'eyJhbGciOiJSUzI1NiJ9.sa-token',
        },
      },
    ]);
    await connector.snapshot('c1');
    await watching(server);

    expect(server.requests.filter(r => r.watch)).toHaveLength(5);
    expect(new Set(server.requests.map(r => r.authorization))).toEqual(
      new Set(['Bearer eyJhbGciOiJSUzI1NiJ9.sa-token']),
    );
  });

  it('sends no credentials to kubectl proxy', async () => {
    const server = await fakeCluster();
    seedAws(server);
    const { connector } = connect([
      { name: 'local', url: server.url, auth: { type: 'none' } },
    ]);
    await connector.snapshot('local');
    await watching(server);
    expect(server.requests.every(r => r.authorization === undefined)).toBe(
      true,
    );
  });

  it('finds InferenceServices once KServe is installed', async () => {
    const server = await fakeCluster();
    seedAws(server);
    const { connector } = connect([{ name: 'c1', url: server.url }], {
      absentRecheckMs: 50,
    });
    const before = await connector.snapshot('c1');
    expect(before.workloads.map(w => w.kind)).not.toContain('InferenceService');

    server.install(PATHS.inferenceServices).seed(PATHS.inferenceServices, [
      inferenceService('llama-8b', {
        labels: { 'modelfleet.io/model': 'llama-3.1-8b' },
        predictor: {
          model: {
            modelFormat: { name: 'huggingface' },
            resources: { limits: { 'nvidia.com/gpu': '1' } },
          },
          nodeSelector: { 'karpenter.sh/nodepool': 'inference' },
        },
      }),
    ]);
    await eventually(async () => {
      const s = await connector.snapshot('c1');
      expect(s.workloads).toContainEqual(
        expect.objectContaining({
          kind: 'InferenceService',
          modelId: 'llama-3.1-8b',
          gpusPerReplica: 1,
          pool: 'inference',
        }),
      );
    });
    await watching(server, 6);
  });

  it('throws for a cluster it does not know', async () => {
    const { connector } = connect([{ name: 'c1', url: 'http://127.0.0.1:9' }]);
    await expect(connector.snapshot('nope')).rejects.toThrow(
      "the kubernetes connector has no cluster 'nope'",
    );
  });

  it('stops every watch in the shutdown hook', async () => {
    const server = await fakeCluster();
    seedAws(server);
    const lifecycle = mockServices.lifecycle.mock();
    const connector = new KubernetesClusterConnector({
      clusters: [
        {
          name: 'c1',
          url: server.url,
          auth: { type: 'none' },
          skipTLSVerify: false,
        },
      ],
      logger: mockServices.logger.mock(),
      lifecycle,
      timing: FAST,
    });
    connectors.push(connector);
    await connector.snapshot('c1');
    await watching(server);

    expect(lifecycle.addShutdownHook).toHaveBeenCalledTimes(1);
    await lifecycle.addShutdownHook.mock.calls[0][0]();

    await eventually(() => expect(server.openWatches()).toBe(0));
    const requests = server.requests.length;
    await sleep(100);
    expect(server.requests).toHaveLength(requests);
    await expect(connector.snapshot('c1')).rejects.toThrow(
      'c1: the kubernetes connector is stopped',
    );
  });
});
