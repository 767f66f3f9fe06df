import { drawLoadTime } from './controllers/kubelet';
import { isPodReady } from './controllers/placement';
import { http } from './__testUtils__/apiServer';
import {
  clusterOf,
  LATENCIES,
  model,
  pool,
  startCluster,
} from './__testUtils__/cluster';
import { StoredObject } from './objects';

const aws = clusterOf('aws');

describe('simulated cluster: workloads, scheduler, kubelet, provisioning', () => {
  let env: Awaited<ReturnType<typeof startCluster>>;
  afterEach(() => env?.sim.close());

  const pods = (name: string) =>
    env.sim.store
      .list(env.sim.ctx.types.pod, { namespace: 'search' })
      .filter(p => p.metadata.labels?.['modelfleet.io/model'] === name);
  const nodes = () => env.sim.store.list(env.sim.ctx.types.node);
  const scale = async (name: string, replicas: number) => {
    const res = await http(
      env.sim.url,
      `/apis/apps/v1/namespaces/search/deployments/${name}/scale`,
      {
        method: 'PATCH',
        body: { spec: { replicas } },
        contentType: 'application/merge-patch+json',
      },
    );
    expect(res.status).toBe(200);
    env.sim.settle();
  };

  it('starts with the fleet running: nodes per pool, pods bound and Ready', async () => {
    env = await startCluster({
      cluster: aws,
      pools: [pool(aws, 'gpu', { nodes: { min: 0, max: 3 }, idleNodes: 1 })],
      models: [model(aws, 'chat', 'gpu', 2)],
    });
    expect(nodes()).toHaveLength(3);
    const running = pods('chat');
    expect(running).toHaveLength(2);
    expect(
      running.every(
        p => p.spec.nodeName && p.status.phase === 'Running' && isPodReady(p),
      ),
    ).toBe(true);
    const d = env.sim.store.get(
      env.sim.ctx.types.deployment,
      'search',
      'chat',
    )!;
    expect(d.status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      updatedReplicas: 2,
      observedGeneration: 1,
    });
  });

  it('schedules new pods, which turn Ready after a measured load time', async () => {
    env = await startCluster({
      cluster: aws,
      pools: [pool(aws, 'gpu', { nodes: { min: 0, max: 3 }, idleNodes: 1 })],
      models: [model(aws, 'chat', 'gpu', 1)],
    });
    await scale('chat', 2);
    const fresh = pods('chat').find(p => !isPodReady(p))!;
    expect(fresh.status.phase).toBe('Running');
    const load = drawLoadTime(LATENCIES, fresh.metadata.name);
    expect(LATENCIES).toContain(load);
    const due = Date.parse(fresh.status.startTime) + load;
    env.clock.advanceTo(due - 1);
    expect(
      isPodReady(
        pods('chat').find(p => p.metadata.name === fresh.metadata.name)!,
      ),
    ).toBe(false);
    env.clock.advanceTo(due);
    expect(pods('chat').every(isPodReady)).toBe(true);
    const d = env.sim.store.get(
      env.sim.ctx.types.deployment,
      'search',
      'chat',
    )!;
    expect(d.status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      observedGeneration: 2,
    });
  });

  it('leaves pods Pending, Unschedulable, when no node has a free GPU', async () => {
    env = await startCluster({
      cluster: aws,
      pools: [pool(aws, 'gpu', { nodes: { min: 1, max: 1 } })],
      models: [model(aws, 'chat', 'gpu', 1)],
    });
    await scale('chat', 2);
    const pending = pods('chat').find(p => !p.spec.nodeName)!;
    expect(pending.status.phase).toBe('Pending');
    expect(pending.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message:
          '0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
      }),
    );
    env.clock.advance(30 * 60_000);
    expect(nodes()).toHaveLength(1); // the pool is at its max
    expect(pods('chat').filter(p => !p.spec.nodeName)).toHaveLength(1);
  });

  it('provisions nodes from zero after a delay, and removes idle ones after ten minutes', async () => {
    env = await startCluster({
      cluster: aws,
      pools: [pool(aws, 'gpu', { nodes: { min: 0, max: 2 } })],
      models: [model(aws, 'chat', 'gpu', 0)],
    });
    expect(nodes()).toHaveLength(0);
    await scale('chat', 2);
    expect(pods('chat').every(p => !p.spec.nodeName)).toBe(true);
    expect(env.sim.stats().pools.gpu.provisioning).toBe(2);
    env.clock.advance(59_999);
    expect(nodes()).toHaveLength(0);
    env.clock.advance(60_001);
    const created = nodes();
    expect(created).toHaveLength(2);
    expect(
      created
        .map(n => n.metadata.labels!['topology.kubernetes.io/zone'])
        .sort(),
    ).toEqual(['us-east-1a', 'us-east-1b']);
    expect(
      pods('chat').every(p => p.spec.nodeName && p.status.phase === 'Running'),
    ).toBe(true);

    await scale('chat', 0);
    expect(pods('chat')).toHaveLength(0);
    env.clock.advance(10 * 60_000 - 1);
    expect(nodes()).toHaveLength(2);
    env.clock.advance(1);
    expect(nodes()).toHaveLength(0);
    const stats = env.sim.stats();
    expect(stats.pools.gpu.nodeSeconds).toBeGreaterThan(2 * 600);
    expect(stats.models['search/chat'].replicaSeconds).toBeGreaterThan(0);
  });

  it('keeps StatefulSet pods by ordinal', async () => {
    env = await startCluster({
      cluster: aws,
      pools: [pool(aws, 'gpu', { nodes: { min: 2, max: 2 } })],
      models: [],
    });
    const sts = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'embed', namespace: 'search' },
      spec: {
        replicas: 2,
        serviceName: 'embed',
        selector: { matchLabels: { app: 'embed' } },
        template: {
          metadata: {
            labels: { app: 'embed', 'modelfleet.io/model': 'embed' },
          },
          spec: {
            containers: [
              {
                name: 'server',
                image: 'x',
                resources: { limits: { 'nvidia.com/gpu': '1' } },
              },
            ],
          },
        },
      },
    };
    await http(env.sim.url, '/api/v1/namespaces', {
      method: 'POST',
      body: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'search' },
      },
    });
    const res = await http(
      env.sim.url,
      '/apis/apps/v1/namespaces/search/statefulsets',
      { method: 'POST', body: sts },
    );
    expect(res.status).toBe(201);
    env.sim.settle();
    expect(pods('embed').map((p: StoredObject) => p.metadata.name)).toEqual([
      'embed-0',
      'embed-1',
    ]);
    env.clock.advance(120_000);
    const s = env.sim.store.get(
      env.sim.ctx.types.statefulSet,
      'search',
      'embed',
    )!;
    expect(s.status).toMatchObject({ replicas: 2, readyReplicas: 2 });
  });

  describe('a new pod template of a Deployment', () => {
    const deployment = () =>
      env.sim.store.get(env.sim.ctx.types.deployment, 'search', 'chat')!;
    /** Moves the pods of chat to `to`, surging all at once, none unavailable. */
    const moveTo = async (to: string) => {
      const selector = deployment().spec.template.spec.nodeSelector ?? {};
      const key = Object.keys(selector).find(k => /^gpu2?$/.test(selector[k]))!;
      const res = await http(
        env.sim.url,
        '/apis/apps/v1/namespaces/search/deployments/chat',
        {
          method: 'PATCH',
          body: {
            spec: {
              strategy: {
                type: 'RollingUpdate',
                rollingUpdate: { maxSurge: '100%', maxUnavailable: 0 },
              },
              template: { spec: { nodeSelector: { [key]: to } } },
            },
          },
          contentType: 'application/merge-patch+json',
        },
      );
      expect(res.status).toBe(200);
      env.sim.settle();
      return key;
    };
    const readyOn = (key: string) =>
      pods('chat')
        .filter(p => isPodReady(p))
        .map(p => {
          const node = nodes().find(n => n.metadata.name === p.spec.nodeName);
          return node?.metadata.labels?.[key];
        })
        .sort();

    it('rolls out make-before-break: the old pods serve until the new ones are Ready', async () => {
      env = await startCluster({
        cluster: aws,
        pools: [
          pool(aws, 'gpu', { nodes: { min: 0, max: 2 } }),
          pool(aws, 'gpu2', { nodes: { min: 0, max: 2 } }),
        ],
        models: [model(aws, 'chat', 'gpu', 2)],
      });
      const key = await moveTo('gpu2');
      expect(deployment().status).toMatchObject({
        replicas: 4,
        updatedReplicas: 2,
        readyReplicas: 2,
      });
      expect(readyOn(key)).toEqual(['gpu', 'gpu']);
      // Nodes come, the new pods load; never fewer than 2 ready.
      for (let t = 0; t < 20; t++) {
        env.clock.advance(30_000);
        expect(
          pods('chat').filter(p => isPodReady(p)).length,
        ).toBeGreaterThanOrEqual(2);
      }
      expect(readyOn(key)).toEqual(['gpu2', 'gpu2']);
      expect(pods('chat')).toHaveLength(2);
      expect(deployment().status).toMatchObject({
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: 2,
      });
      expect(
        env.sim.store.list(env.sim.ctx.types.replicaSet, {
          namespace: 'search',
        }),
      ).toHaveLength(1);
    });

    it('keeps the old pods when the new ones cannot run, and the old template back rolls the update back', async () => {
      env = await startCluster({
        cluster: aws,
        pools: [
          pool(aws, 'gpu', { nodes: { min: 0, max: 2 } }),
          pool(aws, 'gpu2', { nodes: { min: 0, max: 0 } }),
        ],
        models: [model(aws, 'chat', 'gpu', 2)],
      });
      const key = await moveTo('gpu2');
      env.clock.advance(10 * 60_000);
      expect(readyOn(key)).toEqual(['gpu', 'gpu']);
      expect(deployment().status).toMatchObject({
        replicas: 4,
        updatedReplicas: 2,
        readyReplicas: 2,
      });
      await moveTo('gpu');
      env.clock.advance(1_000);
      expect(pods('chat')).toHaveLength(2);
      expect(readyOn(key)).toEqual(['gpu', 'gpu']);
      expect(deployment().status).toMatchObject({
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: 2,
      });
    });
  });
});
