import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import modelfleetModuleKubernetes from '@modelfleet/plugin-modelfleet-backend-module-kubernetes';
import {
  BillLine,
  ClusterConnector,
  MetricsSource,
  modelfleetConnectorsExtensionPoint,
  NodePoolApi,
} from '@modelfleet/plugin-modelfleet-node';
import net from 'node:net';
import { DemoClusterConnector } from './DemoClusterConnector';
import { DEMO_CLUSTERS, DEMO_MODELS, DEMO_POOLS } from './definition';
import { modelfleetModuleDemo } from './module';
import { startSimulatedFleet } from './sim/fleet';

/** Ports nothing listens on (free a moment ago). */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Server>(resolve => {
          const s = net.createServer();
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map(s => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map(s => new Promise(resolve => s.close(resolve))));
  return ports;
}

/** Whether something accepts connections on a loopback port. */
function listening(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The app-config of the demo: its clusters as a user configures clusters. */
function appConfig(
  ports: number[],
  simulator: JsonObject = {},
  enabled = true,
): JsonObject {
  return {
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: DEMO_CLUSTERS.map((c, i) => ({
            name: c.name,
            url: `http://127.0.0.1:${ports[i]}`,
            authProvider: 'serviceAccount',
            serviceAccountToken: 'modelfleet-sim-token',
            skipMetricsLookup: true,
          })),
        },
      ],
    },
    modelfleet: {
      demo: { enabled, simulator },
      kubernetes: {
        clusters: Object.fromEntries(
          DEMO_CLUSTERS.map(c => [
            c.name,
            { provider: c.provider, region: c.region, demo: true },
          ]),
        ),
      },
    },
  };
}

async function start(data: JsonObject) {
  const registered = {
    clusterConnectors: [] as ClusterConnector[],
    metricsSources: [] as MetricsSource[],
    historySources: [] as Array<{ id: string }>,
    nodePoolApis: [] as NodePoolApi[],
    billSources: [] as Array<{
      id: string;
      fetchLines(w: { start: Date; end: Date }): AsyncIterable<BillLine>;
    }>,
  };
  const ext = {
    addClusterConnector: (...c: ClusterConnector[]) =>
      registered.clusterConnectors.push(...c),
    addMetricsSource: (...s: MetricsSource[]) =>
      registered.metricsSources.push(...s),
    addPriceSource: jest.fn(),
    addBillSource: (...s: any[]) => registered.billSources.push(...s),
    addClusterActuator: jest.fn(),
    addClusterHistorySource: (...s: any[]) =>
      registered.historySources.push(...s),
    addNodePoolApi: (...a: NodePoolApi[]) => registered.nodePoolApis.push(...a),
  };
  const backend = await startTestBackend({
    extensionPoints: [[modelfleetConnectorsExtensionPoint, ext]],
    features: [
      modelfleetModuleDemo,
      modelfleetModuleKubernetes,
      mockServices.rootConfig.factory({ data }),
    ],
  });
  return { backend, registered };
}

describe('modelfleetModuleDemo', () => {
  it('serves the demo clusters on the configured ports, and the Kubernetes connector reads the demo pools and workloads from them', async () => {
    const ports = await freePorts(3);
    const { backend, registered } = await start(appConfig(ports));
    try {
      for (const port of ports) expect(await listening(port)).toBe(true);
      // The demo registers no cluster connector of its own: the Kubernetes one reads the clusters.
      expect(registered.clusterConnectors.map(c => c.id)).toEqual([
        'kubernetes',
      ]);
      // The demo's past, for the showback's backfill only.
      expect(registered.historySources.map(h => h.id)).toEqual(['demo']);
      expect(registered.metricsSources.map(s => s.id)).toEqual(['demo']);
      expect(registered.billSources.map(s => s.id)).toEqual(['demo-bills']);
      // The simulated clouds' node pools, read on the embedded clusters.
      expect(registered.nodePoolApis.map(a => a.id)).toEqual(['demo']);
      const pools = registered.nodePoolApis[0];
      expect(await pools.listClusters()).toEqual(
        DEMO_CLUSTERS.map(c => c.name),
      );
      expect(
        await pools.size({ cluster: 'demo-azure-eastus', pool: 'nca100' }),
      ).toEqual({ min: 1, max: 4, desired: 1 });

      const connector = registered.clusterConnectors[0];
      const now = new Date();
      const demo = new DemoClusterConnector(
        {
          clusters: DEMO_CLUSTERS,
          pools: DEMO_POOLS,
          models: DEMO_MODELS,
          traffic: new Map(),
        },
        () => now,
      );
      expect(await connector.listClusters()).toEqual(
        DEMO_CLUSTERS.map(c => ({
          name: c.name,
          provider: c.provider,
          region: c.region,
          demo: true,
        })),
      );
      for (const cluster of DEMO_CLUSTERS) {
        const expected = await demo.snapshotAt(cluster.name, now);
        const actual = await connector.snapshot(cluster.name);
        expect(actual.cluster.demo).toBe(true);
        // Kubernetes knows a pool by its nodes: a pool at zero nodes is not seen.
        const running = expected.pools.filter(p => p.nodes.current > 0);
        expect(actual.pools.map(p => p.name)).toEqual(
          running.map(p => p.name).sort(),
        );
        for (const pool of actual.pools) {
          const want = running.find(p => p.name === pool.name)!;
          expect(pool).toMatchObject({
            instanceType: want.instanceType,
            capacityType: want.capacityType,
            gpu: want.gpu, // `L4`, not the GFD label's `NVIDIA-L4`
            nodes: { current: want.nodes.current },
            gpus: want.gpus,
          });
        }
        const brief = (w: (typeof expected.workloads)[number]) => ({
          name: w.name,
          modelId: w.modelId,
          replicas: w.replicas,
          gpusPerReplica: w.gpusPerReplica,
          pool: w.pool,
        });
        const byName = (a: { name: string }, b: { name: string }) =>
          a.name.localeCompare(b.name);
        expect(actual.workloads.map(brief).sort(byName)).toEqual(
          expected.workloads.map(brief).sort(byName),
        );
      }
    } finally {
      await backend.stop();
    }
    // Closed on backend shutdown.
    for (const port of ports) expect(await listening(port)).toBe(false);
  }, 120_000);

  it('starts nothing in external mode, and reads what a simulator of its own process runs', async () => {
    const ports = await freePorts(3);
    const { backend, registered } = await start(
      appConfig(ports, { mode: 'external' }),
    );
    for (const port of ports) expect(await listening(port)).toBe(false);
    // `yarn sim` in a process of its own, here in this one.
    const sim = await startSimulatedFleet({
      ports: Object.fromEntries(
        DEMO_CLUSTERS.map((c, i) => [c.name, ports[i]]),
      ),
      speed: 1,
    });
    try {
      for (const port of ports) expect(await listening(port)).toBe(true);
      // The node-pool API reads the pools where yarn sim serves them.
      expect(
        await registered.nodePoolApis[0].size({
          cluster: 'demo-gcp-usc1',
          pool: 'a3-h100',
        }),
      ).toEqual({ min: 0, max: 2, desired: 0 });
      await sim.close();
      for (const port of ports) expect(await listening(port)).toBe(false);
    } finally {
      await backend.stop();
    }
    expect(registered.metricsSources.map(s => s.id)).toEqual(['demo']);
  }, 120_000);

  it('counts what the external simulator serves', async () => {
    const ports = await freePorts(3);
    const sim = await startSimulatedFleet({
      ports: Object.fromEntries(
        DEMO_CLUSTERS.map((c, i) => [c.name, ports[i]]),
      ),
      traffic: false,
      spot: false,
    });
    const { backend, registered } = await start(
      appConfig(ports, { mode: 'external' }),
    );
    try {
      const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
      // The statistics are read again when older than 5 s.
      await sleep(5_100);
      for (let i = 0; i < 3; i++) await sim.request('llama-3-1-8b-chat');
      await sleep(1_000);
      // One step from the simulator's start to now, in whole seconds.
      const from = Math.ceil(Date.parse(sim.stats()[0].since) / 1000);
      const end = Math.floor(Date.now() / 1000);
      const series = await registered.metricsSources[0].query(
        'requestsPerSecond',
        { modelId: 'llama-3-1-8b-chat' },
        {
          start: new Date(from * 1000),
          end: new Date(end * 1000),
          stepSeconds: end - from,
        },
      );
      // The window since the start holds the three requests it served (the
      // simulator replays no traffic here); the one before it is the replay's.
      const [t, rps] = series[0].points[series[0].points.length - 1];
      expect(t).toBe(end);
      expect(Math.round(rps * (end - from))).toBe(3);
    } finally {
      await backend.stop();
      await sim.close();
    }
  }, 120_000);

  it('reclaims the spot pool of spot.firstReclaim soon after the start, and /_sim/stats tells', async () => {
    const ports = await freePorts(3);
    const { backend } = await start(
      appConfig(ports, {
        traffic: false,
        spot: {
          firstReclaim: {
            cluster: 'demo-aws-use1',
            pool: 'g6-l4-spot',
            afterSeconds: 0,
            seconds: 60,
          },
        },
      }),
    );
    try {
      const stats = async () => {
        const res = await fetch(`http://127.0.0.1:${ports[0]}/_sim/stats`, {
          headers: { authorization: 'Bearer modelfleet-sim-token' },
        });
        return (await res.json()).firstReclaim;
      };
      let first = await stats();
      for (let i = 0; i < 50 && !first?.done; i++) {
        await new Promise(r => setTimeout(r, 100));
        first = await stats();
      }
      expect(first).toMatchObject({
        pool: 'g6-l4-spot',
        zones: ['us-east-1a', 'us-east-1b'],
        done: true,
      });
      expect(first.reclaimed.length).toBeGreaterThan(0);
    } finally {
      await backend.stop();
    }
  }, 120_000);

  it.each([[false], [undefined]])(
    'starts and registers nothing when enabled is %p',
    async enabled => {
      const ports = await freePorts(3);
      const data = appConfig(ports);
      (data.modelfleet as any).demo =
        enabled === undefined ? undefined : { enabled };
      const { backend, registered } = await start(data);
      try {
        for (const port of ports) expect(await listening(port)).toBe(false);
        expect(registered.metricsSources).toEqual([]);
        expect(registered.billSources).toEqual([]);
        expect(registered.nodePoolApis).toEqual([]);
      } finally {
        await backend.stop();
      }
    },
  );

  it.each<[string, (ports: number[]) => JsonObject, RegExp]>([
    [
      'an unknown mode',
      ports => appConfig(ports, { mode: 'sideways' }),
      /modelfleet\.demo\.simulator\.mode is 'sideways', and must be one of embedded, external/,
    ],
    [
      'an unknown spot reading',
      ports => appConfig(ports, { spot: { reading: 'sometimes' } }),
      /modelfleet\.demo\.simulator\.spot\.reading is 'sometimes', and must be one of interruptions, preemption, availability/,
    ],
    [
      'a first reclaim of an on-demand pool',
      ports =>
        appConfig(ports, {
          spot: { firstReclaim: { cluster: 'demo-aws-use1', pool: 'g5-a10g' } },
        }),
      /modelfleet\.demo\.simulator\.spot\.firstReclaim\.pool is 'g5-a10g', an on-demand pool of demo-aws-use1, and must be one of its spot pools: g6-l4-spot, g6e-l40s-spot/,
    ],
    [
      'a cluster the module cannot serve',
      ports => {
        const c = appConfig(ports) as any;
        c.kubernetes.clusterLocatorMethods[0].clusters[1].url =
          'https://gke.example.com';
        return c;
      },
      /kubernetes\.clusterLocatorMethods\[0\]\.clusters\[1\]\.url 'https:\/\/gke\.example\.com' must be http:\/\/127\.0\.0\.1:<port>/,
    ],
    [
      'a cluster without its token',
      ports => {
        const c = appConfig(ports) as any;
        delete c.kubernetes.clusterLocatorMethods[0].clusters[2]
          .serviceAccountToken;
        return c;
      },
      /kubernetes\.clusterLocatorMethods\[0\]\.clusters\[2\]\.serviceAccountToken is missing/,
    ],
    [
      'no demo cluster',
      ports => {
        const c = appConfig(ports) as any;
        c.kubernetes.clusterLocatorMethods[0].clusters = [];
        return c;
      },
      /modelfleet\.demo\.enabled is true, but kubernetes\.clusterLocatorMethods has none of the simulated clusters/,
    ],
  ])('fails to start on %s, naming the key', async (_, data, error) => {
    const ports = await freePorts(3);
    await expect(start(data(ports))).rejects.toThrow(error);
    for (const port of ports) expect(await listening(port)).toBe(false);
  });
});
