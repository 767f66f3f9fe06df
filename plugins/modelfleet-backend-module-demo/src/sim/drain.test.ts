import { http, SA_TOKEN } from './__testUtils__/apiServer';
import { clusterOf, model, pool, startCluster } from './__testUtils__/cluster';

const aws = clusterOf('aws');
const MINUTE = 60_000;

describe('simulated cluster: the autoscaler removes cordoned empty nodes', () => {
  let env: Awaited<ReturnType<typeof startCluster>>;
  afterEach(() => env?.sim.close());

  const nodes = () =>
    env.sim.store.list(env.sim.ctx.types.node).map(n => n.metadata.name);
  const pods = () =>
    env.sim.store.list(env.sim.ctx.types.pod, { namespace: 'search' });
  const cordon = async (node: string) => {
    const res = await http(env.sim.url, `/api/v1/nodes/${node}`, {
      method: 'PATCH',
      token: SA_TOKEN,
      body: { spec: { unschedulable: true } },
      contentType: 'application/strategic-merge-patch+json',
    });
    expect(res.status).toBe(200);
  };
  const evict = async (pod: string) => {
    const res = await http(
      env.sim.url,
      `/api/v1/namespaces/search/pods/${pod}/eviction`,
      {
        method: 'POST',
        token: SA_TOKEN,
        body: {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name: pod, namespace: 'search' },
        },
      },
    );
    expect(res.status).toBe(201);
  };
  const scale = async (replicas: number) => {
    const res = await http(
      env.sim.url,
      '/apis/apps/v1/namespaces/search/deployments/chat/scale',
      {
        method: 'PATCH',
        body: { spec: { replicas } },
        contentType: 'application/merge-patch+json',
      },
    );
    expect(res.status).toBe(200);
    env.sim.settle();
  };

  it('does not schedule on a cordoned node, and takes pods again once uncordoned', async () => {
    env = await startCluster({
      cluster: aws,
      pools: [pool(aws, 'gpu', { nodes: { min: 0, max: 1 } })],
      models: [model(aws, 'chat', 'gpu', 1)],
    });
    const [pod] = pods();
    const node = pod.spec.nodeName as string;
    await cordon(node);
    await evict(pod.metadata.name);
    env.sim.settle();
    env.clock.advance(5 * MINUTE);
    const [pending] = pods();
    expect(pending.spec.nodeName).toBeUndefined();
    expect(nodes()).toEqual([node]);
    const res = await http(env.sim.url, `/api/v1/nodes/${node}`, {
      method: 'PATCH',
      token: SA_TOKEN,
      body: { spec: { unschedulable: null } },
      contentType: 'application/merge-patch+json',
    });
    expect(res.body.spec.unschedulable).toBeUndefined();
    env.sim.settle();
    expect(pods()[0].spec.nodeName).toBe(node);
  });

  it('removes a drained node ten minutes after it emptied, though the idle headroom would keep an uncordoned one', async () => {
    env = await startCluster({
      cluster: aws,
      pools: [pool(aws, 'gpu', { nodes: { min: 0, max: 3 }, idleNodes: 1 })],
      models: [model(aws, 'chat', 'gpu', 2)],
    });
    expect(nodes()).toHaveLength(3);
    const [victim] = pods();
    const drained = victim.spec.nodeName as string;
    await cordon(drained);
    await evict(victim.metadata.name);
    env.sim.settle();
    // The replacement went to the idle node, not the cordoned one.
    expect(pods().map(p => p.spec.nodeName)).not.toContain(drained);
    expect(pods().every(p => p.spec.nodeName)).toBe(true);
    env.clock.advance(10 * MINUTE - 1_000);
    expect(nodes()).toContain(drained);
    env.clock.advance(1_000);
    expect(nodes()).not.toContain(drained);
    expect(nodes()).toHaveLength(2);
  });

  it('removes a cordoned idle node ahead of uncordoned ones, down to the pool min', async () => {
    env = await startCluster({
      cluster: aws,
      pools: [pool(aws, 'gpu', { nodes: { min: 2, max: 3 } })],
      models: [model(aws, 'chat', 'gpu', 3)],
    });
    expect(nodes()).toHaveLength(3);
    await scale(1);
    const busy = pods()[0].spec.nodeName as string;
    const idle = nodes().filter(n => n !== busy);
    // The last by name, which the autoscaler would otherwise take last.
    const cordoned = idle[idle.length - 1];
    await cordon(cordoned);
    env.clock.advance(10 * MINUTE);
    expect(nodes()).toEqual([busy, idle[0]].sort());
    // At the pool's min, a cordoned empty node stays.
    await cordon(idle[0]);
    env.clock.advance(30 * MINUTE);
    expect(nodes()).toEqual([busy, idle[0]].sort());
  });

  it('leaves a node under a spot reclaim to the reclaim, which deletes it at the notice end', async () => {
    env = await startCluster({
      cluster: aws,
      pools: [
        pool(aws, 'spot', {
          capacityType: 'spot',
          nodes: { min: 0, max: 2 },
        }),
      ],
      models: [model(aws, 'chat', 'spot', 2)],
    });
    await scale(1);
    const busy = pods()[0].spec.nodeName as string;
    const [idle] = nodes().filter(n => n !== busy);
    env.clock.advance(9 * MINUTE);
    const reclaim = env.sim.spot.reclaim(idle)!;
    expect(reclaim.deleteAt).toBe(env.clock.now() + 2 * MINUTE);
    // Cordoned, empty and idle for ten minutes, but the reclaim's.
    env.clock.advance(1.5 * MINUTE);
    expect(nodes()).toContain(idle);
    env.clock.advance(0.5 * MINUTE);
    expect(nodes()).not.toContain(idle);
    expect(env.sim.spot.pending).toEqual([]);
  });
});
