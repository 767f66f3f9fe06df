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
});
