import { CoreV1Api, HttpMethod } from '@kubernetes/client-node';
import { isPodReady } from './controllers/placement';
import { listEngines } from './engineInfo';
import {
  advanceUntilSettled,
  eventually,
  http,
  kubeConfig,
  SA_TOKEN,
} from './__testUtils__/apiServer';
import { clusterOf, model, pool, startCluster } from './__testUtils__/cluster';
import {
  clientRequest,
  deployReady,
  peek,
  sample,
  sleepyDeployment,
} from './__testUtils__/engines';

const aws = clusterOf('aws');
const LOAD = 20_000;
const WAKE = 5_000;
/** vLLM's 90 % of an L4's 23,040 MiB. */
const AWAKE_MIB = 20_736;

describe('vLLM sleep mode behind the pod proxy', () => {
  let env: Awaited<ReturnType<typeof startCluster>>;
  afterEach(() => env?.sim.close());

  const start = () =>
    startCluster({
      cluster: aws,
      pools: [pool(aws, 'gpu', { nodes: { min: 0, max: 4 }, idleNodes: 3 })],
      // search/chat: the demo's vLLM Deployment, without sleep mode.
      models: [model(aws, 'chat', 'gpu', 1)],
      loadTimeMs: () => LOAD,
    });
  const deploy = (object: ReturnType<typeof sleepyDeployment>) =>
    deployReady(env.sim, ms => env.clock.advance(ms), object, LOAD);
  const engine = (pod: string) =>
    listEngines(env.sim.ctx, env.sim.engines).find(e => e.pod === pod)!;
  const proxy = (ns: string, path: string, method = 'GET') =>
    http(env.sim.url, `/api/v1/namespaces/${ns}/pods/${path}`, {
      method,
      token: SA_TOKEN,
    });
  const states = (metrics: string, modelName: string) =>
    ['awake', 'weights_offloaded', 'discard_all'].map(s =>
      sample(
        metrics,
        'vllm:engine_sleep_state',
        `model_name="${modelName}",engine="0",sleep_state="${s}"`,
      ),
    );

  it('sleeps, reports and wakes an engine through client-node, taking the wake time in simulated time', async () => {
    env = await start();
    const [pod] = await deploy(sleepyDeployment('sleepy'));
    expect(isPodReady(pod)).toBe(true);
    const name = pod.metadata.name;
    const kc = kubeConfig(env.sim.url, SA_TOKEN);
    const core = kc.makeApiClient(CoreV1Api);
    const base = `/api/v1/namespaces/models/pods/${name}:8000/proxy`;
    const isSleeping = () =>
      core.connectGetNamespacedPodProxyWithPath({
        name: `${name}:8000`,
        namespace: 'models',
        path: 'is_sleeping',
      });
    const metrics = async () => {
      const res = await clientRequest(kc, HttpMethod.GET, `${base}/metrics`);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      return states(res.body, 'sleepy');
    };

    expect(await isSleeping()).toEqual({ is_sleeping: false });
    expect(await metrics()).toEqual([1, 0, 0]);
    expect(engine(name)).toMatchObject({
      sleepMode: true,
      listening: true,
      sleeping: false,
      gpuMemoryMiB: AWAKE_MIB,
    });

    const slept = await clientRequest(kc, HttpMethod.POST, `${base}/sleep`, {
      level: '1',
    });
    // vLLM's Response(status_code=200): no body, no content type.
    expect(slept).toMatchObject({ status: 200, body: '' });
    expect(slept.headers['content-type']).toBeUndefined();
    expect(await isSleeping()).toEqual({ is_sleeping: true });
    expect(await metrics()).toEqual([0, 1, 0]);
    expect(engine(name)).toMatchObject({
      sleeping: true,
      level: 1,
      sleeps: 1,
      gpuMemoryMiB: 1024,
    });
    expect(env.sim.stats().models['models/sleepy']).toMatchObject({
      readyReplicas: 1,
      sleepingReplicas: 1,
      engineSleeps: 1,
    });
    // Sleeping again, at another level too, changes nothing.
    const again = await clientRequest(kc, HttpMethod.POST, `${base}/sleep`, {
      level: '2',
    });
    expect(again.status).toBe(200);
    expect(engine(name)).toMatchObject({ level: 1, sleeps: 1 });
    expect(await metrics()).toEqual([0, 1, 0]);

    env.clock.advance(60_000);
    const before = env.clock.now();
    const waking = clientRequest(kc, HttpMethod.POST, `${base}/wake_up`);
    await eventually(() => expect(engine(name).waking).toBe(true));
    env.clock.advance(WAKE - 1);
    expect(await peek(waking)).toBe('pending');
    // Still asleep until the wake is done.
    expect(await metrics()).toEqual([0, 1, 0]);
    env.clock.advance(1);
    expect(await waking).toMatchObject({ status: 200, body: '' });
    expect(env.clock.now() - before).toBe(WAKE);
    expect(await isSleeping()).toEqual({ is_sleeping: false });
    expect(await metrics()).toEqual([1, 0, 0]);
    expect(engine(name)).toMatchObject({
      sleeping: false,
      waking: false,
      wakes: { api: 1, requests: 0 },
      asleepSeconds: 65,
      gpuMemoryMiB: AWAKE_MIB,
    });
    // Waking an awake engine answers at once.
    const awake = await clientRequest(kc, HttpMethod.POST, `${base}/wake_up`);
    expect(awake.status).toBe(200);
    expect(engine(name).wakes.api).toBe(1);
    expect(env.sim.stats().models['models/sleepy']).toMatchObject({
      sleepingReplicas: 0,
      sleepingReplicaSeconds: 65,
      engineSleeps: 1,
      engineWakes: { api: 1, requests: 0 },
    });

    // client-node's generated connectPost… cannot read that empty answer
    // (it wants a content type), though the engine did sleep: a client
    // must read the answer itself, as ModelFleet's actuator does.
    await expect(
      core.connectPostNamespacedPodProxyWithPath({
        name: `${name}:8000`,
        namespace: 'models',
        path: 'sleep',
      }),
    ).rejects.toThrow('No Content-Type');
    expect(engine(name).sleeping).toBe(true);
  });

  it('takes the proxy forms of the API server, level 2, wake tags, and answers unknown routes as vLLM', async () => {
    env = await start();
    const [pod] = await deploy(sleepyDeployment('sleepy'));
    const name = pod.metadata.name;
    // No port: the first container port (8000).
    expect(
      (await proxy('models', `${name}/proxy/sleep?level=2`, 'POST')).status,
    ).toBe(200);
    const metrics = await proxy('models', `http:${name}:8000/proxy/metrics`);
    expect(states(metrics.body, 'sleepy')).toEqual([0, 0, 1]);
    const sleeping = await proxy('models', `${name}:8000/proxy/is_sleeping`);
    expect(sleeping).toEqual({ status: 200, body: { is_sleeping: true } });

    // Reallocating the KV cache alone is quick; the weights take the wake time.
    const kv = await proxy(
      'models',
      `${name}/proxy/wake_up?tags=kv_cache`,
      'POST',
    );
    expect(kv.status).toBe(200);
    expect(engine(name)).toMatchObject({ sleeping: true, waking: false });
    const weights = proxy(
      'models',
      `${name}/proxy/wake_up?tags=weights`,
      'POST',
    );
    await eventually(() => expect(engine(name).waking).toBe(true));
    env.clock.advance(WAKE);
    expect((await weights).status).toBe(200);
    expect(engine(name)).toMatchObject({
      sleeping: false,
      wakes: { api: 2, requests: 0 },
    });

    expect(await proxy('models', `${name}:8000/proxy/health`)).toEqual({
      status: 200,
      body: '',
    });
    expect(await proxy('models', `${name}:8000/proxy/sleep`)).toMatchObject({
      status: 405,
      body: { detail: 'Method Not Allowed' },
    });
    expect(
      await proxy('models', `${name}:8000/proxy/v1/unknown`, 'POST'),
    ).toEqual({ status: 404, body: { detail: 'Not Found' } });
    // vLLM reads the level with int(): anything else is a server error.
    expect(
      await proxy('models', `${name}:8000/proxy/sleep?level=one`, 'POST'),
    ).toEqual({ status: 500, body: 'Internal Server Error' });
    expect(
      await proxy('models', `https:${name}:8000/proxy/is_sleeping`),
    ).toMatchObject({
      status: 503,
      body: {
        message:
          'error trying to reach service: tls: first record does not look like a TLS handshake',
      },
    });
  });

  it('serves the engine on its --port and the wake gate beside it on its own, which wakes the engine for inference and logs the wake; unserved ports refuse', async () => {
    env = await start();
    // As ModelFleet's sleep tier renders it, but vLLM on --port=8001
    // (named engine) and the gate on 8080 (named http).
    const object = sleepyDeployment('gated', 'models', {
      args: [
        'm',
        '--served-model-name',
        'gated',
        '--port=8001',
        '--enable-sleep-mode',
      ],
      ports: [{ name: 'engine', containerPort: 8001, protocol: 'TCP' }],
    });
    object.spec.template.spec.containers.push({
      name: 'wake-gate',
      image: 'openresty/openresty:1.27.1.2-0-alpine',
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    } as any);
    const [pod] = await deploy(object);
    const name = pod.metadata.name;
    const ip = pod.status.podIP;
    expect(await proxy('models', `${name}:8001/proxy/is_sleeping`)).toEqual({
      status: 200,
      body: { is_sleeping: false },
    });
    // The gate keeps vLLM's development endpoints off its port.
    expect(await proxy('models', `${name}:8080/proxy/is_sleeping`)).toEqual({
      status: 403,
      body: {
        error: {
          message: 'not served through the wake gate',
          type: 'PermissionDeniedError',
          code: 403,
        },
      },
    });
    expect(
      await proxy('models', `${name}:8080/proxy/wake-gate/healthz`),
    ).toEqual({ status: 200, body: 'ok\n' });
    expect(await proxy('models', `${name}:8080/proxy/wake-gate/wakes`)).toEqual(
      {
        status: 200,
        body: { wakes: [] },
      },
    );
    // Health goes straight through to the engine, asleep or not; an
    // inference request waits for the gate to wake it, and the gate logs
    // the wake.
    expect(
      await proxy('models', `${name}:8001/proxy/sleep?level=1`, 'POST'),
    ).toMatchObject({ status: 200 });
    expect(await proxy('models', `${name}:8080/proxy/health`)).toMatchObject({
      status: 200,
    });
    expect(engine(name)).toMatchObject({ sleeping: true });
    const sentAt = env.clock.now();
    const answer = proxy('models', `${name}:8080/proxy/v1/completions`, 'POST');
    // The gate holds the request while the engine wakes.
    await eventually(async () =>
      expect(env.sim.engines.snapshot(pod).waking).toBe(true),
    );
    await advanceUntilSettled(answer, ms => env.clock.advance(ms));
    // The simulated engine has no completions route: vLLM's 404.
    expect(await answer).toEqual({
      status: 404,
      body: { detail: 'Not Found' },
    });
    expect(engine(name)).toMatchObject({ sleeping: false });
    expect(await proxy('models', `${name}:8080/proxy/wake-gate/wakes`)).toEqual(
      {
        status: 200,
        body: {
          wakes: [
            { startedAt: new Date(sentAt).toISOString(), seconds: WAKE / 1000 },
          ],
        },
      },
    );
    for (const port of [8000, 9000]) {
      expect(
        await proxy('models', `${name}:${port}/proxy/is_sleeping`),
      ).toMatchObject({
        status: 503,
        body: {
          reason: 'ServiceUnavailable',
          message: `error trying to reach service: dial tcp ${ip}:${port}: connect: connection refused`,
        },
      });
    }
    // Without a port: the first declared one, vLLM's.
    expect((await proxy('models', `${name}/proxy/is_sleeping`)).status).toBe(
      200,
    );

    // A pod still loading its model: nothing listens yet.
    const created = await http(
      env.sim.url,
      '/apis/apps/v1/namespaces/models/deployments',
      {
        method: 'POST',
        body: sleepyDeployment('loading'),
      },
    );
    expect(created.status).toBe(201);
    env.sim.settle();
    const loading = env.sim.store
      .list(env.sim.ctx.types.pod, { namespace: 'models' })
      .find(p => p.metadata.labels?.['modelfleet.io/model'] === 'loading')!;
    expect(loading.status.phase).toBe('Running');
    expect(isPodReady(loading)).toBe(false);
    const refused = await proxy(
      'models',
      `${loading.metadata.name}:8000/proxy/is_sleeping`,
    );
    expect(refused.status).toBe(503);
    expect(refused.body.message).toBe(
      `error trying to reach service: dial tcp ${loading.status.podIP}:8000: connect: connection refused`,
    );
    expect(engine(loading.metadata.name)).toMatchObject({ listening: false });
  });

  it('has no sleep routes without --enable-sleep-mode and VLLM_SERVER_DEV_MODE=1 (404, as vLLM)', async () => {
    env = await start();
    const [flagOnly] = await deploy(
      sleepyDeployment('flag-only', 'models', { env: [] }),
    );
    const [envOnly] = await deploy(
      sleepyDeployment('env-only', 'models', {
        args: ['m', '--served-model-name', 'env-only'],
      }),
    );
    const chat = env.sim.store
      .list(env.sim.ctx.types.pod, { namespace: 'search' })
      .find(p => p.metadata.labels?.['modelfleet.io/model'] === 'chat')!;
    for (const [ns, pod] of [
      ['models', flagOnly.metadata.name],
      ['models', envOnly.metadata.name],
      ['search', chat.metadata.name],
    ]) {
      expect(
        await proxy(ns, `${pod}:8000/proxy/sleep?level=1`, 'POST'),
      ).toEqual({
        status: 404,
        body: { detail: 'Not Found' },
      });
      expect((await proxy(ns, `${pod}:8000/proxy/is_sleeping`)).status).toBe(
        404,
      );
      expect(
        (await proxy(ns, `${pod}:8000/proxy/wake_up`, 'POST')).status,
      ).toBe(404);
      expect((await proxy(ns, `${pod}:8000/proxy/health`)).status).toBe(200);
      expect(engine(pod)).toMatchObject({ sleepMode: false, sleeping: false });
    }
    // The demo's pods are vLLM too: their gauge says awake.
    const metrics = await proxy(
      'search',
      `${chat.metadata.name}:8000/proxy/metrics`,
    );
    expect(states(metrics.body, 'chat')).toEqual([1, 0, 0]);
  });
});
