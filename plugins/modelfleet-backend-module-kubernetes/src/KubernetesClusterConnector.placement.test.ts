import { mockServices } from '@backstage/backend-test-utils';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import {
  eventually,
  FakeKubeApiServer,
  PATHS,
} from './__testUtils__/FakeKubeApiServer';
import { deployment, NODES, pod, statefulSet } from './__testUtils__/objects';
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

let server: FakeKubeApiServer;
let connector: KubernetesClusterConnector;

afterEach(async () => {
  await connector?.stop();
  await server?.close();
});

/** A pod with a priority and, optionally, a node selector on its pool. */
function podWith(
  base: V1Pod,
  extra: { priority?: number; nodeSelector?: Record<string, string> },
): V1Pod {
  return { ...base, spec: { ...base.spec!, ...extra } };
}

const cordon = (n: V1Node): V1Node => ({
  ...n,
  spec: { ...n.spec, unschedulable: true },
});

/**
 * An EKS cluster: two A100 nodes (one running a model's two pods, pinned
 * to its node group, and a training job of no model), one cordoned, a MIG
 * node with a model's slice, and a CPU node.
 */
function seed(s: FakeKubeApiServer) {
  s.seed(PATHS.nodes, [
    NODES.eksA100('a100-1'),
    NODES.eksA100('a100-2'),
    cordon(NODES.eksA100('a100-3')),
    NODES.eksMigH100('mig-1'),
    NODES.eksSystem('system-1'),
  ]);
  s.seed(PATHS.pods, [
    podWith(
      pod('llama-70b-0', {
        labels: { app: 'llama-70b' },
        node: 'a100-1',
        limits: { 'nvidia.com/gpu': '4' },
      }),
      {
        priority: 1000,
        nodeSelector: { 'eks.amazonaws.com/nodegroup': 'gpu-a100' },
      },
    ),
    pod('llama-70b-1', {
      labels: { app: 'llama-70b' },
      node: 'a100-1',
      limits: { 'nvidia.com/gpu': '2' },
    }),
    // Not scheduled yet: runs nowhere.
    pod('llama-70b-2', {
      labels: { app: 'llama-70b' },
      limits: { 'nvidia.com/gpu': '4' },
      phase: 'Pending',
    }),
    pod('train-0', {
      namespace: 'research',
      labels: { job: 'train' },
      node: 'a100-2',
      limits: { 'nvidia.com/gpu': '2' },
    }),
    pod('whisper-0', {
      namespace: 'speech',
      labels: { app: 'whisper' },
      node: 'mig-1',
      limits: { 'nvidia.com/mig-1g.10gb': '1' },
    }),
    pod('coredns-0', {
      namespace: 'kube-system',
      node: 'system-1',
      requests: { cpu: '100m' },
    }),
  ]);
  s.seed(PATHS.deployments, [
    deployment('llama-70b', {
      labels: { 'modelfleet.io/model': 'llama-3-70b' },
      replicas: 3,
      readyReplicas: 2,
      limits: { 'nvidia.com/gpu': '4' },
    }),
  ]);
  s.seed(PATHS.statefulSets, [
    statefulSet('whisper', {
      namespace: 'speech',
      labels: { 'modelfleet.io/model': 'whisper-large-v3' },
      readyReplicas: 1,
      limits: { 'nvidia.com/mig-1g.10gb': '1' },
    }),
  ]);
}

describe('KubernetesClusterConnector: nodes and model pods', () => {
  it('reports the GPU nodes and where the model pods run, from the watched nodes and pods', async () => {
    server = await FakeKubeApiServer.start();
    seed(server);
    connector = new KubernetesClusterConnector({
      clusters: [
        {
          name: 'gpu-aws-use1',
          url: server.url,
          auth: { type: 'serviceAccount', token: 'test-token' },
          skipTLSVerify: false,
        },
      ],
      logger: mockServices.logger.mock(),
      timing: FAST,
      clock: () => new Date(),
    });

    const snapshot = await connector.snapshot('gpu-aws-use1');
    expect(snapshot.nodes).toEqual([
      { name: 'a100-1', pool: 'gpu-a100', gpuUnits: 8, unitMemoryMiB: 40960 },
      {
        name: 'a100-2',
        pool: 'gpu-a100',
        gpuUnits: 8,
        unitMemoryMiB: 40960,
        otherGpuUnits: 2,
      },
      {
        name: 'a100-3',
        pool: 'gpu-a100',
        gpuUnits: 8,
        unitMemoryMiB: 40960,
        cordoned: true,
      },
      // 56 slices of 8 H100s: 7 per GPU.
      { name: 'mig-1', pool: 'mig-h100', gpuUnits: 56, unitMemoryMiB: 11651 },
    ]);
    expect(snapshot.pods).toEqual([
      {
        name: 'llama-70b-0',
        node: 'a100-1',
        workload: {
          cluster: 'gpu-aws-use1',
          namespace: 'serving',
          kind: 'Deployment',
          name: 'llama-70b',
        },
        gpuUnits: 4,
        priority: 1000,
        pinnedPool: 'gpu-a100',
      },
      {
        name: 'llama-70b-1',
        node: 'a100-1',
        workload: {
          cluster: 'gpu-aws-use1',
          namespace: 'serving',
          kind: 'Deployment',
          name: 'llama-70b',
        },
        gpuUnits: 2,
        priority: 0,
      },
      {
        name: 'whisper-0',
        node: 'mig-1',
        workload: {
          cluster: 'gpu-aws-use1',
          namespace: 'speech',
          kind: 'StatefulSet',
          name: 'whisper',
        },
        gpuUnits: 1,
        priority: 0,
      },
    ]);

    // The watch keeps them current: the pending pod is scheduled, the
    // training job ends.
    await eventually(() => expect(server.openWatches()).toBe(5));
    server.modify(
      PATHS.pods,
      pod('llama-70b-2', {
        labels: { app: 'llama-70b' },
        node: 'a100-2',
        limits: { 'nvidia.com/gpu': '4' },
      }),
    );
    server.remove(PATHS.pods, {
      metadata: { name: 'train-0', namespace: 'research' },
    });
    await eventually(async () => {
      const next = await connector.snapshot('gpu-aws-use1');
      expect(next.nodes?.find(n => n.name === 'a100-2')).toEqual({
        name: 'a100-2',
        pool: 'gpu-a100',
        gpuUnits: 8,
        unitMemoryMiB: 40960,
      });
      expect(next.pods?.map(p => `${p.name}@${p.node}`)).toEqual([
        'llama-70b-0@a100-1',
        'llama-70b-1@a100-1',
        'llama-70b-2@a100-2',
        'whisper-0@mig-1',
      ]);
    });
  });
});
