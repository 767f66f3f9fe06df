import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  KubernetesClusterActuator,
  readKubernetesClusterConfigs,
} from '@modelfleet/plugin-modelfleet-backend-module-kubernetes';
import { ActuatorError } from '@modelfleet/plugin-modelfleet-node';
import { isPodReady } from './controllers/placement';
import { http, SA_TOKEN } from './__testUtils__/apiServer';
import { clusterOf, model, pool, startCluster } from './__testUtils__/cluster';

const aws = clusterOf('aws');

/**
 * The real Kubernetes actuator's cordon and drain against a simulated
 * cluster with the shipped RBAC: what a consolidate action's steps do.
 */
describe('KubernetesClusterActuator: cordon and drain', () => {
  let env: Awaited<ReturnType<typeof startCluster>>;
  let actuator: KubernetesClusterActuator;
  afterEach(() => env?.sim.close());

  const start = async (replicas: number) => {
    env = await startCluster({
      cluster: aws,
      pools: [pool(aws, 'gpu', { nodes: { min: 0, max: 4 } })],
      models: [model(aws, 'chat', 'gpu', replicas)],
    });
    actuator = new KubernetesClusterActuator({
      clusters: readKubernetesClusterConfigs(
        new ConfigReader({
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: aws.name,
                    url: env.sim.url,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: SA_TOKEN,
                    skipMetricsLookup: true,
                  },
                ],
              },
            ],
          },
        }),
      ),
      logger: mockServices.logger.mock(),
    });
  };
  const pods = () =>
    env.sim.store
      .list(env.sim.ctx.types.pod, { namespace: 'search' })
      .filter(p => p.metadata.labels?.['modelfleet.io/model'] === 'chat');
  const node = (name: string) =>
    env.sim.store.get(env.sim.ctx.types.node, undefined, name);
  const settle = () => {
    for (let i = 0; i < 60 && !pods().every(isPodReady); i++) {
      env.clock.advance(10_000);
      env.sim.settle();
    }
  };
  const ref = (name: string) => ({ cluster: aws.name, name });

  it('cordons once, with the action step; drains the model pods onto other nodes; uncordons', async () => {
    await start(2);
    const target = pods()[0].spec.nodeName as string;
    const step = 'consolidate-1#0';
    expect(
      await actuator.cordon(ref(target), true, { actionStep: step }),
    ).toEqual({ previous: false });
    expect(node(target)?.spec.unschedulable).toBe(true);
    expect(
      node(target)?.metadata.annotations?.['modelfleet.io/action-step'],
    ).toBe(step);
    expect(await actuator.cordon(ref(target), true)).toEqual({
      previous: true,
    });
    expect(env.sim.server!.mutations.countFor(step)).toBe(1);

    const on = pods().filter(p => p.spec.nodeName === target);
    const first = await actuator.drain(ref(target));
    expect(first).toEqual({
      evicted: on.map(p => `search/${p.metadata.name}`),
      blocked: [],
      remaining: on.length,
    });
    // Evicted pods are gone at once here: the next pass finds none.
    expect(await actuator.drain(ref(target))).toEqual({
      evicted: [],
      blocked: [],
      remaining: 0,
    });
    settle();
    expect(pods()).toHaveLength(2);
    expect(pods().every(p => p.spec.nodeName !== target && isPodReady(p))).toBe(
      true,
    );

    expect(await actuator.cordon(ref(target), false)).toEqual({
      previous: true,
    });
    expect(node(target)?.spec.unschedulable).toBeUndefined();
  });

  it('reports what a PodDisruptionBudget holds, with the API server’s reason, and evicts it once the budget allows', async () => {
    await start(2);
    settle();
    const res = await http(
      env.sim.url,
      '/apis/policy/v1/namespaces/search/poddisruptionbudgets',
      {
        method: 'POST',
        body: {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: 'chat' },
          spec: {
            minAvailable: 2,
            selector: { matchLabels: { 'modelfleet.io/model': 'chat' } },
          },
        },
      },
    );
    expect(res.status).toBe(201);
    const victim = pods()[0];
    const target = victim.spec.nodeName as string;
    await actuator.cordon(ref(target), true);
    const held = await actuator.drain(ref(target));
    expect(held).toEqual({
      evicted: [],
      blocked: [
        {
          pod: `search/${victim.metadata.name}`,
          reason:
            "Cannot evict pod as it would violate the pod's disruption budget.: The disruption budget chat needs 2 healthy pods and has 2 currently",
        },
      ],
      remaining: 1,
    });
    expect(pods()).toHaveLength(2);
  });

  it('stops before evicting anything on a node that runs a pod ModelFleet does not run', async () => {
    await start(1);
    const target = pods()[0].spec.nodeName as string;
    env.sim.store.create(env.sim.ctx.types.pod, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'batch-job', namespace: 'search' },
      spec: {
        nodeName: target,
        containers: [{ name: 'job', image: 'busybox' }],
      },
      status: { phase: 'Running' },
    });
    const error = await actuator.drain(ref(target)).catch(e => e);
    expect(error).toBeInstanceOf(ActuatorError);
    expect(error).toMatchObject({ code: 'conflict', retryable: false });
    expect(error.message).toBe(
      `${aws.name}: node ${target} runs pods ModelFleet does not run (search/batch-job); ModelFleet evicts only model pods: drain it by hand (kubectl drain) or move them first`,
    );
    expect(pods()).toHaveLength(1);
  });

  it('says a node that is gone is not found', async () => {
    await start(1);
    await expect(
      actuator.cordon(ref('no-such-node'), true),
    ).rejects.toMatchObject({ code: 'notFound' });
  });
});
