import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  ClusterConnector,
  ClusterSnapshot,
} from '@modelfleet/plugin-modelfleet-node';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { FleetStateStore } from '../database/FleetStateStore';
import { pool } from '../__testUtils__/fixtures';
import { createClusterSyncTask } from './clusterSync';

const at = '2026-11-24T12:00:00.000Z';

function connector(
  id: string,
  behaviour: Record<string, (name: string) => Promise<ClusterSnapshot>>,
): ClusterConnector {
  return {
    id,
    listClusters: async () =>
      Object.keys(behaviour).map(name => ({ name, provider: 'aws' as const })),
    snapshot: name => behaviour[name](name),
  };
}

const healthy = async (name: string): Promise<ClusterSnapshot> => ({
  cluster: { name, provider: 'aws' },
  observedAt: at,
  pools: [pool(name, 'p1'), pool(name, 'p2')],
  workloads: [],
});

describe('cluster sync loop', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const logger = mockServices.logger.mock();

  async function setup(connectors: ClusterConnector[]) {
    const store = await DatabaseModelFleetStore.fromKnex(
      await databases.init('SQLITE_3'),
    );
    const fleet = new FleetStateStore(store.knex);
    const task = createClusterSyncTask({
      connectors: () => connectors,
      fleet,
      schedule: { frequency: { minutes: 1 }, timeout: { minutes: 1 } },
      clock: () => new Date(at),
    });
    return { fleet, run: () => task.run({ logger }) };
  }

  it('stores every cluster that answers and marks the others stale', async () => {
    let down = false;
    const { fleet, run } = await setup([
      connector('k8s', {
        good: healthy,
        flaky: async name => {
          if (down) throw new Error('connect ECONNREFUSED 127.0.0.1:6443');
          return healthy(name);
        },
        malformed: async name => ({
          ...(await healthy(name)),
          pools: [pool(name, 'same'), pool(name, 'same')],
        }),
      }),
    ]);

    expect(await run()).toBe(
      "Synced 2 cluster(s) from 1 connector(s): 4 pool(s), 0 workload(s); 1 failed: malformed: snapshot.pools[1].name 'same' appears twice",
    );
    down = true;
    expect(await run()).toMatch(
      /^Synced 1 cluster\(s\).*flaky: connect ECONNREFUSED/,
    );

    const clusters = await fleet.listClusters();
    expect(clusters.map(c => [c.name, c.stale])).toEqual([
      ['flaky', true],
      ['good', false],
      ['malformed', true],
    ]);
    // The unreachable cluster keeps its last pools, marked stale.
    const pools = await fleet.listPools();
    expect(
      pools.filter(p => p.cluster === 'flaky').map(p => [p.name, p.stale]),
    ).toEqual([
      ['p1', true],
      ['p2', true],
    ]);
  });

  it('fails the run when every cluster fails, and goes on past a broken connector', async () => {
    const broken: ClusterConnector = {
      id: 'broken',
      listClusters: async () => {
        throw new Error('no kubeconfig');
      },
      snapshot: async () => {
        throw new Error('unreachable');
      },
    };
    const { run } = await setup([
      broken,
      connector('k8s', { a: async () => Promise.reject(new Error('timeout')) }),
    ]);
    await expect(run()).rejects.toThrow(
      /every cluster failed: connector broken: no kubeconfig; a: timeout/,
    );
  });

  it('reports nothing to do without connectors', async () => {
    const { run } = await setup([]);
    expect(await run()).toBe(
      'Synced 0 cluster(s) from 0 connector(s): 0 pool(s), 0 workload(s)',
    );
  });
});
