import path from 'node:path';
import { DemoCluster } from '../definition';
import { http } from './__testUtils__/apiServer';
import {
  clusterOf,
  dataDir,
  model,
  pool,
  startCluster,
} from './__testUtils__/cluster';
import { isPodReady } from './controllers/placement';
import { loadSpotTraces, parseSpotTrace, SpotMarket, SpotTrace } from './spot';

const LOAD = 20_000;

describe('spot traces', () => {
  it('reads a value either way, as stated', () => {
    const json = JSON.stringify({
      metadata: { gap_seconds: 60 },
      data: [0, 1, 1, 0],
    });
    expect([...parseSpotTrace(json, 'preemption').available]).toEqual([
      1, 0, 0, 1,
    ]);
    expect([...parseSpotTrace(json, 'availability').available]).toEqual([
      0, 1, 1, 0,
    ]);
    // An outage (the paper's reading) is an interruption of one tick.
    expect([...parseSpotTrace(json, 'interruptions').available]).toEqual([
      1, 0, 1, 1,
    ]);
    // The trace loops: an outage running over its end starts no new one.
    const looped = JSON.stringify({
      metadata: { gap_seconds: 60 },
      data: [1, 0, 0, 1],
    });
    expect([...parseSpotTrace(looped, 'interruptions').available]).toEqual([
      1, 1, 1, 0,
    ]);
  });

  it('keeps the outages of the bundled traces as interruptions, a few a day', () => {
    const dir = path.join(dataDir, 'spot-traces');
    for (const [zone, trace] of loadSpotTraces(dir, 'interruptions')) {
      const days = (trace.available.length * trace.gapSeconds) / 86_400;
      const cuts = trace.available.reduce((s, v) => s + (v === 0 ? 1 : 0), 0);
      expect({
        zone,
        atLeast3: cuts / days >= 3,
        atMost8: cuts / days <= 8,
      }).toEqual({ zone, atLeast3: true, atMost8: true });
    }
  });

  it('gives the bundled traces very different availability under the two readings', () => {
    const share = (t: SpotTrace) =>
      t.available.reduce((s, v) => s + v, 0) / t.available.length;
    const dir = path.join(dataDir, 'spot-traces');
    const paper = loadSpotTraces(dir, 'preemption').get('us-east-1a')!;
    const readme = loadSpotTraces(dir, 'availability').get('us-east-1a')!;
    expect(paper.gapSeconds).toBe(195);
    expect(share(paper)).toBeCloseTo(0.833, 2);
    expect(share(readme)).toBeCloseTo(0.167, 2);
  });

  it('replays a trace in a loop and finds the next change', () => {
    const market = new SpotMarket(
      new Map([
        ['z', { gapSeconds: 60, available: Uint8Array.from([1, 1, 0, 1]) }],
      ]),
    );
    const p = pool(clusterOf('aws'), 'spot', { capacityType: 'spot' });
    const states = Array.from({ length: 8 }, (_, i) =>
      market.available('c', p, 'z', i * 60_000),
    );
    expect(states.filter(s => !s)).toHaveLength(2);
    const change = market.nextChange('c', p, 'z', 0)!;
    expect(market.available('c', p, 'z', change)).not.toBe(
      market.available('c', p, 'z', change - 1),
    );
    expect(market.available('c', p, 'elsewhere', 0)).toBe(true);
  });
});

describe('spot reclaims', () => {
  let env: Awaited<ReturnType<typeof startCluster>>;
  afterEach(() => env?.sim.close());

  const start = (cluster: DemoCluster, traces = new Map<string, SpotTrace>()) =>
    startCluster({
      cluster,
      pools: [
        pool(cluster, 'spot', {
          capacityType: 'spot',
          nodes: { min: 0, max: 3 },
        }),
      ],
      models: [model(cluster, 'chat', 'spot', 1)],
      loadTimeMs: () => LOAD,
      spotMarket: new SpotMarket(traces),
    });
  const nodes = () => env.sim.store.list(env.sim.ctx.types.node);
  const pods = () =>
    env.sim.store.list(env.sim.ctx.types.pod, { namespace: 'search' });
  const events = () =>
    env.sim.store.list(env.sim.ctx.types.event, { namespace: 'default' });

  it('AWS: the termination handler taints, cordons and drains two minutes ahead', async () => {
    env = await start(clusterOf('aws'));
    const [node] = nodes();
    expect(node.metadata.labels).toMatchObject({
      'eks.amazonaws.com/capacityType': 'SPOT',
      'eks.amazonaws.com/nodegroup': 'spot',
    });
    expect(node.spec.taints).toBeUndefined(); // EKS does not taint spot nodes
    const res = await http(env.sim.url, '/_sim/spot', {
      method: 'POST',
      body: { node: node.metadata.name },
    });
    expect(res.body.node).toBe(node.metadata.name);
    expect(Date.parse(res.body.deleteAt) - env.clock.now()).toBe(120_000);
    const announced = nodes()[0];
    expect(announced.spec.unschedulable).toBe(true);
    expect(announced.spec.taints).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: 'aws-node-termination-handler/spot-itn',
          effect: 'NoSchedule',
        }),
        expect.objectContaining({
          key: 'node.kubernetes.io/unschedulable',
          effect: 'NoSchedule',
        }),
      ]),
    );
    expect(events()).toContainEqual(
      expect.objectContaining({
        reason: 'SpotInterruption',
        involvedObject: expect.objectContaining({
          kind: 'Node',
          name: node.metadata.name,
        }),
      }),
    );
    env.sim.settle();
    const replacement = pods();
    expect(replacement).toHaveLength(1);
    expect(replacement[0].spec.nodeName).toBeUndefined();
    env.clock.advance(119_999);
    expect(nodes().map(n => n.metadata.name)).toContain(node.metadata.name);
    env.clock.advance(1);
    expect(nodes().map(n => n.metadata.name)).not.toContain(node.metadata.name);
    // The new node came within 60–120 s; the pod runs there.
    env.clock.advance(LOAD);
    expect(pods().filter(isPodReady)).toHaveLength(1);
  });

  it('GCP: thirty seconds ahead, the node is tainted and its pods end in graceful shutdown', async () => {
    env = await start(clusterOf('gcp'));
    const [node] = nodes();
    expect(node.spec.taints).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: 'cloud.google.com/gke-spot',
          value: 'true',
          effect: 'NoSchedule',
        }),
        expect.objectContaining({
          key: 'nvidia.com/gpu',
          value: 'present',
          effect: 'NoSchedule',
        }),
      ]),
    );
    const before = pods()[0];
    env.sim.spot!.reclaim(node.metadata.name);
    env.sim.settle();
    const announced = nodes()[0];
    expect(announced.spec.taints).toContainEqual(
      expect.objectContaining({
        key: 'cloud.google.com/impending-node-termination',
        effect: 'NoSchedule',
      }),
    );
    expect(announced.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'Ready',
        status: 'False',
        message: 'node is shutting down',
      }),
    );
    const ended = pods().find(p => p.metadata.name === before.metadata.name)!;
    expect(ended.status).toMatchObject({
      phase: 'Failed',
      reason: 'Terminated',
    });
    expect(pods().filter(p => p.status.phase === 'Pending')).toHaveLength(1);
    env.clock.advance(30_000);
    expect(nodes().map(n => n.metadata.name)).not.toContain(node.metadata.name);
    expect(
      pods().find(p => p.metadata.name === before.metadata.name),
    ).toBeUndefined();
  });

  it('Azure: a Preempt scheduled event, node auto-drain thirty seconds ahead', async () => {
    env = await start(clusterOf('azure'));
    const [node] = nodes();
    expect(node.spec.taints).toEqual([
      expect.objectContaining({
        key: 'kubernetes.azure.com/scalesetpriority',
        value: 'spot',
        effect: 'NoSchedule',
      }),
    ]);
    env.sim.spot!.reclaim(node.metadata.name);
    const announced = nodes()[0];
    expect(announced.spec.unschedulable).toBe(true);
    expect(announced.spec.taints).toContainEqual(
      expect.objectContaining({
        key: 'remediator.kubernetes.azure.com/unschedulable',
        effect: 'NoSchedule',
      }),
    );
    expect(events()).toContainEqual(
      expect.objectContaining({ reason: 'Preempt', type: 'Warning' }),
    );
    env.clock.advance(30_000);
    expect(nodes().map(n => n.metadata.name)).not.toContain(node.metadata.name);
  });

  it('reclaims nodes when the market loses capacity, and provisions only where there is some', async () => {
    const aws = clusterOf('aws');
    const flaky: SpotTrace = {
      gapSeconds: 600,
      available: Uint8Array.from([1, 1, 0, 0, 1, 1, 1, 1]),
    };
    env = await start(aws, new Map([['us-east-1a', flaky]]));
    const [node] = nodes();
    expect(node.metadata.labels!['topology.kubernetes.io/zone']).toBe(
      'us-east-1a',
    );
    const market = new SpotMarket(new Map([['us-east-1a', flaky]]));
    const p = pool(aws, 'spot', { capacityType: 'spot' });
    let t = env.clock.now();
    // The next loss of capacity in us-east-1a.
    while (market.available(aws.name, p, 'us-east-1a', t))
      t = market.nextChange(aws.name, p, 'us-east-1a', t)!;
    env.clock.advanceTo(t - 1);
    expect(nodes()[0].spec.unschedulable).toBeUndefined();
    env.clock.advanceTo(t);
    expect(nodes()[0].spec.unschedulable).toBe(true);
    env.clock.advance(120_000 + 120_000);
    const now = nodes();
    expect(now).toHaveLength(1);
    expect(now[0].metadata.labels!['topology.kubernetes.io/zone']).toBe(
      'us-east-1b',
    );
  });
});
