import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  KubernetesClusterActuator,
  KubernetesClusterConnector,
  readKubernetesClusterConfigs,
} from '@modelfleet/plugin-modelfleet-backend-module-kubernetes';
import { DemoClusterConnector } from '../DemoClusterConnector';
import { DEMO_CLUSTERS, DEMO_MODELS, DEMO_POOLS } from '../definition';
import {
  advanceUntilSettled,
  eventually,
  START,
} from './__testUtils__/apiServer';
import { SimClock } from './clock';
import { SimulatedFleet, startSimulatedFleet } from './fleet';

describe('startSimulatedFleet', () => {
  let fleet: SimulatedFleet;
  let connector: KubernetesClusterConnector;

  beforeAll(async () => {
    const clock = new SimClock({ mode: 'manual', start: START });
    fleet = await startSimulatedFleet({ clock, traffic: false, spot: false });
    const config = new ConfigReader(fleet.kubernetesConfig());
    connector = new KubernetesClusterConnector({
      clusters: readKubernetesClusterConfigs(config),
      logger: mockServices.logger.mock(),
      clock: () => clock.date(),
      timing: { initialBackoffMs: 10, maxBackoffMs: 50, minWatchMs: 10 },
    });
  });
  afterAll(async () => {
    await connector.stop();
    await fleet.close();
  });

  it('lets the real Kubernetes connector build the pools and workloads the demo has', async () => {
    const demo = new DemoClusterConnector(
      {
        clusters: DEMO_CLUSTERS,
        pools: DEMO_POOLS,
        models: DEMO_MODELS,
        traffic: new Map(),
      },
      () => new Date(START),
    );
    expect((await connector.listClusters()).map(c => c.name)).toEqual(
      DEMO_CLUSTERS.map(c => c.name),
    );
    for (const cluster of DEMO_CLUSTERS) {
      const expected = await demo.snapshotAt(cluster.name, new Date(START));
      const actual = await connector.snapshot(cluster.name);
      expect(actual.cluster).toMatchObject({
        name: cluster.name,
        provider: cluster.provider,
        region: cluster.region,
      });
      // Kubernetes knows a pool only by its nodes: pools at zero nodes are not seen.
      const running = expected.pools.filter(p => p.nodes.current > 0);
      expect(actual.pools.map(p => p.name)).toEqual(
        running.map(p => p.name).sort(),
      );
      for (const pool of actual.pools) {
        const want = running.find(p => p.name === pool.name)!;
        expect(pool).toMatchObject({
          provider: want.provider,
          region: want.region,
          instanceType: want.instanceType,
          capacityType: want.capacityType,
          gpu: want.gpu,
          nodes: { current: want.nodes.current },
          gpus: want.gpus,
        });
        expect(want.zones).toEqual(expect.arrayContaining(pool.zones));
      }
      const byName = (a: { name: string }, b: { name: string }) =>
        a.name.localeCompare(b.name);
      const workloads = actual.workloads
        .map(w => ({
          name: w.name,
          modelId: w.modelId,
          replicas: w.replicas,
          gpusPerReplica: w.gpusPerReplica,
          pool: w.pool,
        }))
        .sort(byName);
      expect(workloads).toEqual(
        expected.workloads
          .map(w => ({
            name: w.name,
            modelId: w.modelId,
            replicas: w.replicas,
            gpusPerReplica: w.gpusPerReplica,
            pool: w.pool,
          }))
          .sort(byName),
      );
    }
  });

  it('is driven by the real actuator with the shipped RBAC', async () => {
    const aws = fleet.cluster('demo-aws-use1');
    const actuator = new KubernetesClusterActuator({
      clusters: readKubernetesClusterConfigs(
        new ConfigReader(fleet.kubernetesConfig()),
      ),
      logger: mockServices.logger.mock(),
    });
    const workload = {
      cluster: aws.name,
      kind: 'Deployment' as const,
      namespace: 'vision',
      name: 'sdxl-base',
    };
    const autoscaler = {
      cluster: aws.name,
      kind: 'ScaledObject' as const,
      namespace: 'vision',
      name: 'sdxl-base',
    };
    await expect(
      actuator.pauseAutoscaler(autoscaler, 0, { actionStep: 'hibernate#0' }),
    ).resolves.toEqual({ previous: null });
    await expect(
      actuator.pauseAutoscaler(autoscaler, 0, { actionStep: 'hibernate#0' }),
    ).resolves.toEqual({ previous: 0 });
    await expect(
      actuator.setKeepAlive(autoscaler, 900, { actionStep: 'hibernate#1' }),
    ).resolves.toEqual({ previous: 300 });
    aws.settle();
    expect((await actuator.readiness(workload)).desired).toBe(0);
    await expect(
      actuator.scale(
        { ...workload, name: 'llama-3-1-8b-chat', namespace: 'search' },
        3,
        { actionStep: 'scale#0' },
      ),
    ).resolves.toEqual({ previous: 2 });
    const mutations = aws.server.mutations.report().byActionStep;
    expect(mutations).toEqual({
      'hibernate#0': 1,
      'hibernate#1': 1,
      'scale#0': 2,
    });
    const denied = await actuator
      .apply(aws.name, [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'x', namespace: 'kube-system' },
          data: {},
        },
      ])
      .catch(e => e);
    expect(denied).toMatchObject({ code: 'forbidden' });
    expect(denied.message).toContain(
      'cannot patch resource "configmaps" in API group "" in the namespace "kube-system"',
    );
  });

  it('puts the engine of its sleep-tier model to sleep and wakes it through the pod proxy, with the real actuator and the shipped RBAC', async () => {
    const gcp = fleet.cluster('demo-gcp-usc1');
    const actuator = new KubernetesClusterActuator({
      clusters: readKubernetesClusterConfigs(
        new ConfigReader(fleet.kubernetesConfig()),
      ),
      logger: mockServices.logger.mock(),
    });
    const workload = {
      cluster: gcp.name,
      kind: 'Deployment' as const,
      namespace: 'vision',
      name: 'qwen2-vl-2b-instruct',
    };
    const awake = await actuator.engineSleep(workload);
    expect(awake.pods).toHaveLength(1);
    expect(awake.pods[0].sleeping).toBe(false);
    await expect(
      actuator.setEngineSleep(workload, 1, { actionStep: 'sleep#0' }),
    ).resolves.toEqual({ previous: awake });
    expect((await actuator.engineSleep(workload)).pods[0].sleeping).toBe(true);
    // Asleep already: nothing is asked of the engine again.
    await actuator.setEngineSleep(workload, 1, { actionStep: 'sleep#0' });
    // The wake answers once the engine is awake (its wake time, simulated).
    const woken = actuator.setEngineSleep(workload, null, {
      actionStep: 'wake#0',
    });
    await advanceUntilSettled(woken, ms => fleet.clock.advance(ms));
    expect((await actuator.engineSleep(workload)).pods[0].sleeping).toBe(false);
    // ModelFleet's own wakes are not the gate's: it logs those requests cause.
    await expect(actuator.engineWakes(workload)).resolves.toEqual([]);
    await actuator.setEngineSleep(workload, 1, { actionStep: 'sleep#1' });
    const sentAt = fleet.clock.now();
    const served = gcp.request('vision', 'qwen2-vl-2b-instruct');
    await advanceUntilSettled(served, ms => fleet.clock.advance(ms));
    await expect(served).resolves.toMatchObject({ wokeEngine: true });
    const [pod] = (await actuator.engineSleep(workload)).pods;
    expect(pod.sleeping).toBe(false);
    await expect(actuator.engineWakes(workload)).resolves.toEqual([
      { pod: pod.name, startedAt: new Date(sentAt).toISOString(), seconds: 5 },
    ]);
    // A model deployed without the tier has no wake gate: refused.
    await expect(
      actuator.setEngineSleep({ ...workload, name: 'flux-schnell' }, 1, {}),
    ).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining(
        'was not deployed with the sleep idle tier',
      ),
    });
  });

  it('rolls a Deployment over to another pool make-before-break with the real actuator, and applies it back', async () => {
    const gcp = fleet.cluster('demo-gcp-usc1');
    const actuator = new KubernetesClusterActuator({
      clusters: readKubernetesClusterConfigs(
        new ConfigReader(fleet.kubernetesConfig()),
      ),
      logger: mockServices.logger.mock(),
    });
    const ref = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'search',
      name: 'bge-large-embeddings',
    };
    const workload = { ...ref, cluster: gcp.name, kind: 'Deployment' as const };
    const live = (await actuator.get(gcp.name, ref))! as any;
    const before = await actuator.readiness(workload);
    const n = before.desired;
    expect(n).toBeGreaterThan(0);
    expect(before).toMatchObject({ ready: n, updated: n, total: n });
    const selector = live.spec.template.spec.nodeSelector;
    const key = Object.keys(selector)[0];
    // The pool it rolls over to has no node and gets none: never Ready.
    const rolled = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: ref.name, namespace: ref.namespace },
      spec: {
        ...live.spec,
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '100%', maxUnavailable: 0 },
        },
        template: {
          ...live.spec.template,
          spec: {
            ...live.spec.template.spec,
            nodeSelector: { ...selector, [key]: 'no-such-pool' },
          },
        },
      },
    };
    await actuator.apply(gcp.name, [rolled], { actionStep: 'migrate#0' });
    gcp.settle();
    fleet.clock.advance(10 * 60_000);
    // The old pods serve on; the rollout is not done (waitReady waits).
    expect(await actuator.readiness(workload)).toMatchObject({
      desired: n,
      ready: n,
      updated: n,
      total: 2 * n,
    });
    // Applied back as it was (no status, no server fields): rolled back.
    await actuator.apply(
      gcp.name,
      [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: {
            name: ref.name,
            namespace: ref.namespace,
            labels: live.metadata.labels,
          },
          spec: live.spec,
        },
      ],
      { actionStep: 'migrate#0:undo' },
    );
    gcp.settle();
    fleet.clock.advance(1_000);
    expect(await actuator.readiness(workload)).toMatchObject({
      desired: n,
      ready: n,
      updated: n,
      total: n,
    });
  });

  it('keeps the real connector in step when its watches are dropped', async () => {
    const aws = fleet.cluster('demo-aws-use1');
    await connector.snapshot(aws.name);
    expect(aws.server.watches.count()).toBeGreaterThan(0);
    aws.server.watches.drop();
    aws.store.modify(
      aws.ctx.types.deployment,
      'search',
      'search-reranker',
      d => {
        d.spec.replicas = 0;
      },
    );
    aws.settle();
    await eventually(async () => {
      const snapshot = await connector.snapshot(aws.name);
      const reranker = snapshot.workloads.find(
        w => w.name === 'search-reranker',
      );
      expect(reranker?.replicas).toEqual({ desired: 0, ready: 0 });
    });
    expect(aws.server.watches.count()).toBeGreaterThan(0);
  });
});
