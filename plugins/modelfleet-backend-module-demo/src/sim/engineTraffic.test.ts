import { TraceReplay } from '../replay';
import { isPodReady } from './controllers/placement';
import { listEngines } from './engineInfo';
import { eventually, http, SA_TOKEN } from './__testUtils__/apiServer';
import { clusterOf, model, pool, startCluster } from './__testUtils__/cluster';
import {
  deployReady,
  peek,
  podsOf,
  sleepyDeployment,
} from './__testUtils__/engines';
import { RequestResult } from './traffic';

const aws = clusterOf('aws');
const LOAD = 20_000;
const WAKE = 7_000;

describe('requests at sleeping engines, and the sleep state of deleted pods', () => {
  let env: Awaited<ReturnType<typeof startCluster>>;
  afterEach(() => env?.sim.close());

  const start = (traffic?: Map<string, TraceReplay>) =>
    startCluster({
      cluster: aws,
      pools: [pool(aws, 'gpu', { nodes: { min: 0, max: 4 }, idleNodes: 3 })],
      models: [model(aws, 'chat', 'gpu', 1)],
      loadTimeMs: () => LOAD,
      engineWakeMs: WAKE,
      ...(traffic ? { traffic } : {}),
    });
  const engine = (pod: string) =>
    listEngines(env.sim.ctx, env.sim.engines).find(e => e.pod === pod)!;
  const proxy = (ns: string, path: string, method = 'GET') =>
    http(env.sim.url, `/api/v1/namespaces/${ns}/pods/${path}`, {
      method,
      token: SA_TOKEN,
    });
  const sleep = async (ns: string, pod: string) =>
    expect(
      (await proxy(ns, `${pod}:8000/proxy/sleep?level=1`, 'POST')).status,
    ).toBe(200);

  it('wakes a sleeping engine once for the requests that arrive meanwhile, which wait the wake time', async () => {
    env = await start();
    const [pod] = await deployReady(
      env.sim,
      ms => env.clock.advance(ms),
      sleepyDeployment('sleepy'),
      LOAD,
    );
    const name = pod.metadata.name;
    expect(await env.sim.request('models', 'sleepy')).toEqual({
      coldStart: false,
      waitedMs: 0,
    });
    await sleep('models', name);

    const first = env.sim.request('models', 'sleepy');
    env.clock.advance(2_000);
    const later = [
      env.sim.request('models', 'sleepy'),
      env.sim.request('models', 'sleepy'),
    ];
    expect(engine(name)).toMatchObject({
      waking: true,
      wakes: { api: 0, requests: 1 },
    });
    expect(env.sim.stats().models['models/sleepy']).toMatchObject({
      waitingForWake: 3,
      requestsServed: 1,
    });
    env.clock.advance(WAKE - 2_000 - 1);
    expect(await peek(first)).toBe('pending');
    env.clock.advance(1);
    expect(await first).toEqual({
      coldStart: false,
      waitedMs: WAKE,
      wokeEngine: true,
    });
    for (const r of await Promise.all(later))
      expect(r).toEqual({
        coldStart: false,
        waitedMs: WAKE - 2_000,
        wokeEngine: true,
      });
    expect(engine(name)).toMatchObject({
      sleeping: false,
      wakes: { api: 0, requests: 1 },
    });
    expect(
      await proxy('models', `${name}:8000/proxy/is_sleeping`),
    ).toMatchObject({ body: { is_sleeping: false } });
    expect(await env.sim.request('models', 'sleepy')).toEqual({
      coldStart: false,
      waitedMs: 0,
    });
    expect(env.sim.stats().models['models/sleepy']).toMatchObject({
      requestsServed: 5,
      coldStarts: 0,
      requestsWaitedForWake: 3,
      waitingForWake: 0,
      engineWakes: { api: 0, requests: 1 },
    });
    const listed = await http(env.sim.url, '/_sim/engines');
    expect(listed.body.engines).toContainEqual({
      namespace: 'models',
      pod: name,
      model: 'sleepy',
      container: 'server',
      modelName: 'sleepy',
      port: 8000,
      sleepMode: true,
      listening: true,
      sleeping: false,
      waking: false,
      wakes: { api: 0, requests: 1 },
      sleeps: 1,
      asleepSeconds: WAKE / 1000,
      gpuMemoryMiB: 20_736,
    });
  });

  it('joins a wake under way by /wake_up, and spreads requests over the ready pods (one request wakes one engine)', async () => {
    env = await start();
    const object = sleepyDeployment('pair');
    object.spec.replicas = 2;
    const pods = await deployReady(
      env.sim,
      ms => env.clock.advance(ms),
      object,
      LOAD,
    );
    expect(pods.filter(isPodReady)).toHaveLength(2);
    const [a, b] = pods.map(p => p.metadata.name).sort();
    await sleep('models', a);
    await sleep('models', b);
    const woken = proxy('models', `${a}:8000/proxy/wake_up`, 'POST');
    await eventually(() => expect(engine(a).waking).toBe(true));
    // The first pod in turn is the one waking already.
    const r = env.sim.request('models', 'pair');
    env.clock.advance(WAKE);
    expect((await woken).status).toBe(200);
    expect(await r).toEqual({
      coldStart: false,
      waitedMs: WAKE,
      wokeEngine: true,
    });
    expect(engine(a)).toMatchObject({
      sleeping: false,
      wakes: { api: 1, requests: 0 },
    });
    expect(engine(b)).toMatchObject({ sleeping: true });
    // The next goes to the other pod, which sleeps: one wake, by a request.
    const next = env.sim.request('models', 'pair');
    env.clock.advance(WAKE);
    expect(await next).toMatchObject({ waitedMs: WAKE, wokeEngine: true });
    expect(engine(b)).toMatchObject({
      sleeping: false,
      wakes: { api: 0, requests: 1 },
    });
    expect(env.sim.stats().models['models/pair'].engineWakes).toEqual({
      api: 1,
      requests: 1,
    });
  });

  it('wakes the engine for requests of the trace replay', async () => {
    // Three requests 601-603 s into a one-hour trace starting at the cluster's start.
    const trace = {
      periodSeconds: 3600,
      offsets: Float64Array.from([601, 602, 603]),
      weights: Float64Array.from([100, 100, 100]),
    };
    const replay = new TraceReplay(trace, {
      share: 1,
      offsetSeconds: 0,
      seed: 1,
    });
    env = await start(new Map([['chat', replay]]));
    // Redeploy the demo's chat model with sleep mode, as the sleep tier renders it.
    const path = '/apis/apps/v1/namespaces/search/deployments/chat';
    const d = (await http(env.sim.url, path)).body;
    const c = d.spec.template.spec.containers[0];
    c.command = ['vllm', 'serve'];
    c.args = ['meta-llama/Llama-3.1-8B-Instruct', '--enable-sleep-mode'];
    c.env = [...c.env, { name: 'VLLM_SERVER_DEV_MODE', value: '1' }];
    expect(
      (await http(env.sim.url, path, { method: 'PUT', body: d })).status,
    ).toBe(200);
    env.sim.settle();
    env.clock.advance(LOAD);
    const [pod] = podsOf(env.sim, 'chat', 'search');
    expect(isPodReady(pod)).toBe(true);
    await sleep('search', pod.metadata.name);
    expect(engine(pod.metadata.name)).toMatchObject({
      sleeping: true,
      modelName: 'meta-llama/Llama-3.1-8B-Instruct',
    });

    env.clock.advanceTo(env.clock.now() - LOAD + 609_000);
    expect(env.sim.stats().models['search/chat']).toMatchObject({
      requestsServed: 0,
      waitingForWake: 0,
    });
    env.clock.advance(1_000); // the replay's tick at 610 s
    expect(env.sim.stats().models['search/chat']).toMatchObject({
      waitingForWake: 3,
      engineWakes: { api: 0, requests: 1 },
    });
    env.clock.advance(WAKE - 1);
    await Promise.resolve();
    expect(env.sim.stats().models['search/chat'].requestsServed).toBe(0);
    env.clock.advance(1);
    await eventually(() =>
      expect(env.sim.stats().models['search/chat']).toMatchObject({
        requestsServed: 3,
        requestsWaitedForWake: 3,
        waitingForWake: 0,
        coldStarts: 0,
        engineWakes: { api: 0, requests: 1 },
      }),
    );
  });

  it('loses the sleep state with the pod: a wake under way fails, its requests go to the new pod, which starts awake', async () => {
    env = await start();
    const [pod] = await deployReady(
      env.sim,
      ms => env.clock.advance(ms),
      sleepyDeployment('sleepy'),
      LOAD,
    );
    const name = pod.metadata.name;
    await sleep('models', name);
    const woken = proxy('models', `${name}:8000/proxy/wake_up`, 'POST');
    await eventually(() => expect(engine(name).waking).toBe(true));
    const waiting: Promise<RequestResult> = env.sim.request('models', 'sleepy');
    expect(env.sim.stats().models['models/sleepy'].waitingForWake).toBe(1);

    const deleted = await http(
      env.sim.url,
      `/api/v1/namespaces/models/pods/${name}`,
      { method: 'DELETE' },
    );
    expect(deleted.status).toBe(200);
    expect(await woken).toEqual({
      status: 503,
      body: expect.objectContaining({
        reason: 'ServiceUnavailable',
        message: 'error trying to reach service: EOF',
      }),
    });
    expect(
      await proxy('models', `${name}:8000/proxy/is_sleeping`),
    ).toMatchObject({
      status: 404,
      body: { message: `pods "${name}" not found` },
    });
    env.sim.settle();
    const [fresh] = podsOf(env.sim, 'sleepy', 'models');
    expect(fresh.metadata.name).not.toBe(name);
    env.clock.advance(LOAD);
    expect(await waiting).toEqual({ coldStart: true, waitedMs: LOAD });
    expect(
      await proxy('models', `${fresh.metadata.name}:8000/proxy/is_sleeping`),
    ).toEqual({ status: 200, body: { is_sleeping: false } });
    expect(engine(fresh.metadata.name)).toMatchObject({
      sleeping: false,
      sleeps: 0,
      wakes: { api: 0, requests: 0 },
    });
    // The model's totals keep what the deleted pod's engine did.
    expect(env.sim.stats().models['models/sleepy']).toMatchObject({
      sleepingReplicas: 0,
      waitingForWake: 0,
      engineSleeps: 1,
      engineWakes: { api: 1, requests: 0 },
      requestsServed: 1,
      coldStarts: 1,
    });
  });
});
