import { TraceReplay } from '../replay';
import { http } from './__testUtils__/apiServer';
import { clusterOf, model, pool, startCluster } from './__testUtils__/cluster';
import { RequestResult } from './traffic';

const gcp = clusterOf('gcp');
const LOAD = 20_000;

describe('simulated cluster: KEDA and requests', () => {
  let env: Awaited<ReturnType<typeof startCluster>>;
  afterEach(() => env?.sim.close());

  const replicas = (name: string) =>
    env.sim.store.get(env.sim.ctx.types.deployment, 'vision', name)!.spec
      .replicas;
  const ready = (name: string) =>
    env.sim.store.get(env.sim.ctx.types.deployment, 'vision', name)!.status
      ?.readyReplicas ?? 0;
  const start = (
    kind: 'ScaledObject' | 'HTTPScaledObject',
    traffic?: Map<string, TraceReplay>,
  ) =>
    startCluster({
      cluster: gcp,
      pools: [pool(gcp, 'l4', { nodes: { min: 1, max: 2 } })],
      models: [model(gcp, 'sdxl', 'l4', 1, { namespace: 'vision' })],
      scaleToZero: () => ({ kind, keepAliveSeconds: 300 }),
      loadTimeMs: () => LOAD,
      ...(traffic ? { traffic } : {}),
    });
  /** Settles a promise that is already settled, or says it is not. */
  const peek = async <T>(p: Promise<T>): Promise<T | 'pending'> =>
    Promise.race([
      p,
      new Promise<'pending'>(r => setImmediate(() => r('pending'))),
    ]);

  it('scales a ScaledObject target to zero after the cooldown and wakes it on a request (a cold start)', async () => {
    env = await start('ScaledObject');
    const firstAt = env.clock.now();
    const warm = await env.sim.request('vision', 'sdxl');
    expect(warm).toEqual({ coldStart: false, waitedMs: 0 });
    env.clock.advance(299_999);
    expect(replicas('sdxl')).toBe(1);
    env.clock.advance(1);
    expect(replicas('sdxl')).toBe(0);
    expect(
      env.sim.store.list(env.sim.ctx.types.pod, { namespace: 'vision' }),
    ).toHaveLength(0);
    const so = env.sim.store.get(
      env.sim.ctx.types.scaledObject,
      'vision',
      'sdxl',
    )!;
    expect(so.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Active', status: 'False' }),
    );

    // 5 s past a 30 s poll boundary: the scaler sees the request 25 s later.
    env.clock.advanceTo(Math.ceil(env.clock.now() / 30_000) * 30_000 + 5_000);
    const cold = env.sim.request('vision', 'sdxl');
    env.clock.advance(24_999);
    expect(replicas('sdxl')).toBe(0);
    env.clock.advance(1);
    expect(replicas('sdxl')).toBe(1);
    expect(await peek(cold)).toBe('pending');
    env.clock.advance(LOAD);
    expect(await peek(cold)).toEqual({
      coldStart: true,
      waitedMs: 25_000 + LOAD,
    });
    // Each request kept the model busy from its arrival, for a second at
    // least, waited for or not: the last hour's, in the statistics.
    const arrivedAt = env.clock.now() - 25_000 - LOAD;
    expect(env.sim.stats().models['vision/sdxl'].busySpans).toEqual([
      [firstAt, firstAt + 1000],
      [arrivedAt, arrivedAt + 1000],
    ]);
    const stats = env.sim.stats().models['vision/sdxl'];
    expect(stats).toMatchObject({
      requestsServed: 2,
      coldStarts: 1,
      replicas: 1,
      readyReplicas: 1,
    });
    // An hour later, only the spans that ended within it are given.
    env.clock.advance(3_600_000 - 25_000 - LOAD);
    expect(env.sim.stats().models['vision/sdxl'].busySpans).toEqual([
      [arrivedAt, arrivedAt + 1000],
    ]);
  });

  it('wakes an HTTPScaledObject target at once', async () => {
    env = await start('HTTPScaledObject');
    env.clock.advance(300_000);
    expect(replicas('sdxl')).toBe(0);
    const res = await http(
      env.sim.url,
      '/apis/http.keda.sh/v1alpha1/namespaces/vision/httpscaledobjects/sdxl',
    );
    expect(res.body.spec.scaledownPeriod).toBe(300);
    const cold = env.sim.request('vision', 'sdxl');
    env.clock.advance(0);
    expect(replicas('sdxl')).toBe(1);
    env.clock.advance(LOAD);
    expect(await cold).toEqual({ coldStart: true, waitedMs: LOAD });
  });

  it('leaves a model scaled to zero by hand at zero within its cooldown, until a request comes', async () => {
    env = await start('ScaledObject');
    await env.sim.request('vision', 'sdxl');
    // Past the scaler's poll: the request no longer shows in its trigger.
    env.clock.advance(60_000);
    expect(replicas('sdxl')).toBe(1);
    await http(
      env.sim.url,
      '/apis/apps/v1/namespaces/vision/deployments/sdxl/scale',
      {
        method: 'PATCH',
        body: { spec: { replicas: 0 } },
        contentType: 'application/merge-patch+json',
      },
    );
    env.sim.settle();
    env.clock.advance(60_000);
    // 2 minutes after the request, well within the 300 s cooldown.
    expect(replicas('sdxl')).toBe(0);
    const cold = env.sim.request('vision', 'sdxl');
    env.clock.advance(30_000);
    expect(replicas('sdxl')).toBe(1);
    env.clock.advance(LOAD);
    expect(await peek(cold)).toMatchObject({ coldStart: true });
  });

  it('honours paused-replicas, and resumes when the annotation goes', async () => {
    env = await start('ScaledObject');
    const pause = (value: string | null) =>
      http(
        env.sim.url,
        '/apis/keda.sh/v1alpha1/namespaces/vision/scaledobjects/sdxl',
        {
          method: 'PATCH',
          body: {
            metadata: {
              annotations: { 'autoscaling.keda.sh/paused-replicas': value },
            },
          },
          contentType: 'application/merge-patch+json',
        },
      );
    await pause('0');
    env.sim.settle();
    expect(replicas('sdxl')).toBe(0);
    const waiting = env.sim.request('vision', 'sdxl');
    env.clock.advance(10 * 60_000);
    expect(replicas('sdxl')).toBe(0);
    expect(await peek(waiting)).toBe('pending');
    const so = env.sim.store.get(
      env.sim.ctx.types.scaledObject,
      'vision',
      'sdxl',
    )!;
    expect(so.status).toMatchObject({ pausedReplicaCount: 0 });
    expect(so.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Paused', status: 'True' }),
    );

    await pause('2');
    env.sim.settle();
    expect(replicas('sdxl')).toBe(2);
    await pause(null);
    env.sim.settle();
    // Resumed with a request waiting: active, within maxReplicaCount (1).
    expect(replicas('sdxl')).toBe(1);
    env.clock.advance(LOAD + 120_000);
    const result = (await peek(waiting)) as RequestResult;
    expect(result.coldStart).toBe(true);
    // The cooldown counts from the requests served when the replica came up.
    expect(replicas('sdxl')).toBe(1);
    env.clock.advance(300_000 + 30_000);
    expect(replicas('sdxl')).toBe(0);
  });

  it('honours the keep-alive set by a merge patch of cooldownPeriod', async () => {
    env = await start('ScaledObject');
    await http(
      env.sim.url,
      '/apis/keda.sh/v1alpha1/namespaces/vision/scaledobjects/sdxl',
      {
        method: 'PATCH',
        body: { spec: { cooldownPeriod: 900 } },
        contentType: 'application/merge-patch+json',
      },
    );
    env.sim.settle();
    env.clock.advance(600_000);
    expect(replicas('sdxl')).toBe(1);
    env.clock.advance(300_000);
    expect(replicas('sdxl')).toBe(0);
  });

  it('replays trace traffic, so a model at zero wakes on its next request', async () => {
    // Requests 40 and 1,000 seconds into a one-hour trace.
    const trace = {
      periodSeconds: 3600,
      offsets: Float64Array.from([40, 1000]),
      weights: Float64Array.from([1, 1]),
    };
    const startSec = Date.UTC(2025, 0, 6, 12) / 1000;
    const replay = new TraceReplay(trace, {
      share: 1,
      offsetSeconds: -(startSec % 3600),
      seed: 1,
    });
    env = await start('ScaledObject', new Map([['sdxl', replay]]));
    env.clock.advance(400_000);
    expect(replicas('sdxl')).toBe(0);
    expect(env.sim.stats().models['vision/sdxl'].requestsServed).toBe(1);
    env.clock.advance(600_000 + 30_000);
    expect(replicas('sdxl')).toBe(1);
    env.clock.advance(LOAD);
    expect(ready('sdxl')).toBe(1);
    expect(env.sim.stats().models['vision/sdxl']).toMatchObject({
      requestsServed: 2,
      coldStarts: 1,
      waiting: 0,
    });
  });
});
