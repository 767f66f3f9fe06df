import { ClusterSnapshot } from '@modelfleet/plugin-modelfleet-node';
import { pool } from '../__testUtils__/fixtures';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseModelFleetStore } from './DatabaseModelFleetStore';
import { FleetStateStore } from './FleetStateStore';

jest.setTimeout(60_000);

function snapshot(
  cluster: string,
  pools: string[],
  at: string,
): ClusterSnapshot {
  return {
    cluster: { name: cluster, provider: 'aws', region: 'us-east-1' },
    observedAt: at,
    pools: pools.map(p => pool(cluster, p)),
    workloads: [
      {
        cluster,
        namespace: 'search',
        kind: 'Deployment',
        name: 'llama',
        modelId: 'llama-3-1-8b-chat',
        replicas: { desired: 1, ready: 1 },
        gpusPerReplica: 1,
        pool: pools[0],
      },
    ],
  };
}

describe('FleetStateStore', () => {
  const databases = createTestDatabases();

  async function create(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    return new FleetStateStore(
      (await DatabaseModelFleetStore.fromKnex(knex)).knex,
    );
  }

  it.each(databases.eachSupportedId())(
    'replaces a cluster’s pools on each snapshot, so gone pools disappear, %p',
    async id => {
      const fleet = await create(id);
      await fleet.recordSnapshot(
        'k8s',
        snapshot('a', ['p1', 'p2'], '2026-11-24T10:00:00Z'),
      );
      await fleet.recordSnapshot(
        'k8s',
        snapshot('b', ['p1'], '2026-11-24T10:00:00Z'),
      );
      expect(
        (await fleet.listPools()).map(p => `${p.cluster}/${p.name}`),
      ).toEqual(['a/p1', 'a/p2', 'b/p1']);
      await fleet.recordSnapshot(
        'k8s',
        snapshot('a', ['p2', 'p3'], '2026-11-24T10:01:00Z'),
      );
      const pools = await fleet.listPools();
      expect(pools.map(p => `${p.cluster}/${p.name}`)).toEqual([
        'a/p2',
        'a/p3',
        'b/p1',
      ]);
      expect(pools[0]).toMatchObject({
        gpu: { product: 'L4', perNode: 1 },
        observedAt: '2026-11-24T10:01:00.000Z',
        stale: false,
        demo: false,
      });
      expect(await fleet.listWorkloads()).toHaveLength(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the last state of a failing cluster and marks it stale, %p',
    async id => {
      const fleet = await create(id);
      await fleet.recordSnapshot(
        'k8s',
        snapshot('a', ['p1'], '2026-11-24T10:00:00Z'),
      );
      await fleet.recordSnapshotError(
        'k8s',
        { name: 'a', provider: 'aws', region: 'us-east-1' },
        'connect ECONNREFUSED 127.0.0.1:6443',
        new Date('2026-11-24T10:05:00Z'),
      );
      const [cluster] = await fleet.listClusters();
      expect(cluster).toMatchObject({
        name: 'a',
        connectorId: 'k8s',
        observedAt: '2026-11-24T10:00:00.000Z',
        error: 'connect ECONNREFUSED 127.0.0.1:6443',
        errorAt: '2026-11-24T10:05:00.000Z',
        stale: true,
      });
      const [p] = await fleet.listPools();
      expect(p).toMatchObject({ name: 'p1', stale: true });

      // A cluster never seen before that fails is listed without pools.
      await fleet.recordSnapshotError(
        'k8s',
        { name: 'new', provider: 'gcp' },
        'timeout',
        new Date(),
      );
      expect(
        (await fleet.listClusters()).map(c => [c.name, c.stale, c.observedAt]),
      ).toEqual([
        ['a', true, '2026-11-24T10:00:00.000Z'],
        ['new', true, undefined],
      ]);

      // Recovery clears the error.
      await fleet.recordSnapshot(
        'k8s',
        snapshot('a', ['p1'], '2026-11-24T10:06:00Z'),
      );
      expect((await fleet.listClusters())[0]).toMatchObject({
        stale: false,
        error: undefined,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'forgets clusters a connector no longer lists, and only that connector’s, %p',
    async id => {
      const fleet = await create(id);
      await fleet.recordSnapshot(
        'k8s',
        snapshot('a', ['p1'], '2026-11-24T10:00:00Z'),
      );
      await fleet.recordSnapshot(
        'k8s',
        snapshot('b', ['p1'], '2026-11-24T10:00:00Z'),
      );
      await fleet.recordSnapshot(
        'demo',
        snapshot('d', ['p1'], '2026-11-24T10:00:00Z'),
      );
      expect(await fleet.retainClusters('k8s', ['b'])).toBe(1);
      expect((await fleet.listClusters()).map(c => c.name)).toEqual(['b', 'd']);
      expect((await fleet.listPools()).map(p => p.cluster)).toEqual(['b', 'd']);
      expect((await fleet.listWorkloads()).map(w => w.cluster)).toEqual([
        'b',
        'd',
      ]);
    },
  );

  /** Two GPU nodes of p1, one running the llama pod (reported twice). */
  const placed = (cluster: string, at: string): ClusterSnapshot => ({
    ...snapshot(cluster, ['p1'], at),
    nodes: [
      { name: 'n1', pool: 'p1', gpuUnits: 1, unitMemoryMiB: 23034 },
      { name: 'n2', pool: 'p1', gpuUnits: 1, cordoned: true },
    ],
    pods: [0, 1].map(() => ({
      name: 'llama-0',
      node: 'n1',
      workload: {
        cluster: 'whatever the connector said',
        namespace: 'search',
        kind: 'Deployment' as const,
        name: 'llama',
      },
      gpuUnits: 1,
      priority: 1000,
      pinnedPool: 'p1',
    })),
  });

  it.each(databases.eachSupportedId())(
    'keeps the nodes and model pods of the last snapshot, none for a connector that reports none, %p',
    async id => {
      const fleet = await create(id);
      await fleet.recordSnapshot('k8s', placed('a', '2026-11-24T10:00:00Z'));
      await fleet.recordSnapshot('k8s', placed('b', '2026-11-24T10:00:00Z'));
      expect(await fleet.listNodes()).toEqual([
        {
          cluster: 'a',
          name: 'n1',
          pool: 'p1',
          gpuUnits: 1,
          unitMemoryMiB: 23034,
          observedAt: '2026-11-24T10:00:00.000Z',
          stale: false,
        },
        expect.objectContaining({ cluster: 'a', name: 'n2', cordoned: true }),
        expect.objectContaining({ cluster: 'b', name: 'n1' }),
        expect.objectContaining({ cluster: 'b', name: 'n2' }),
      ]);
      const pods = await fleet.listModelPods();
      expect(pods).toHaveLength(2);
      expect(pods[0]).toEqual({
        name: 'llama-0',
        node: 'n1',
        workload: {
          cluster: 'a',
          namespace: 'search',
          kind: 'Deployment',
          name: 'llama',
        },
        gpuUnits: 1,
        priority: 1000,
        pinnedPool: 'p1',
        observedAt: '2026-11-24T10:00:00.000Z',
        stale: false,
      });

      // A failed snapshot keeps them, stale; one without nodes drops them.
      await fleet.recordSnapshotError(
        'k8s',
        { name: 'a', provider: 'aws' },
        'timeout',
        new Date('2026-11-24T10:05:00Z'),
      );
      expect((await fleet.listNodes()).map(n => [n.cluster, n.stale])).toEqual([
        ['a', true],
        ['a', true],
        ['b', false],
        ['b', false],
      ]);
      await fleet.recordSnapshot(
        'k8s',
        snapshot('a', ['p1'], '2026-11-24T10:06:00Z'),
      );
      expect((await fleet.listNodes()).map(n => n.cluster)).toEqual(['b', 'b']);
      expect(
        (await fleet.listModelPods()).map(p => p.workload.cluster),
      ).toEqual(['b']);
      expect(await fleet.retainClusters('k8s', ['a'])).toBe(1);
      expect(await fleet.listNodes()).toEqual([]);
      expect(await fleet.listModelPods()).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'migration 20261218_fleet_nodes goes down and up again, keeping the pools, %p',
    async id => {
      const knex = await databases.init(id);
      const store = await DatabaseModelFleetStore.fromKnex(knex);
      const fleet = new FleetStateStore(store.knex);
      await fleet.recordSnapshot('k8s', placed('a', '2026-11-24T10:00:00Z'));
      const directory = DatabaseModelFleetStore.migrationsDirectory;
      await knex.migrate.down({ directory, name: '20261218_fleet_nodes.js' });
      expect(await knex.schema.hasTable('modelfleet_nodes')).toBe(false);
      expect(await knex.schema.hasTable('modelfleet_model_pods')).toBe(false);
      expect(await fleet.listPools()).toHaveLength(1);
      await knex.migrate.up({ directory, name: '20261218_fleet_nodes.js' });
      expect(await fleet.listNodes()).toEqual([]);
      await fleet.recordSnapshot('k8s', placed('a', '2026-11-24T10:01:00Z'));
      expect(await fleet.listNodes()).toHaveLength(2);
    },
  );
});
