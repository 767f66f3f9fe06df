import { GpuPoolStatus } from '@modelfleet/plugin-modelfleet-common';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseModelFleetStore } from './DatabaseModelFleetStore';
import {
  advancePoolHistory,
  PoolHistoryStore,
  poolIsDown,
} from './PoolHistoryStore';

jest.setTimeout(60_000);

const T0 = Date.parse('2026-12-06T10:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

function spotPool(
  seconds: number,
  nodes: number,
  notices: Array<{ node: string; noticedAt: string }> = [],
  extra: Partial<GpuPoolStatus> = {},
): GpuPoolStatus {
  return {
    cluster: 'demo-aws-use1',
    name: 'g6-l4-spot',
    provider: 'aws',
    region: 'us-east-1',
    zones: ['us-east-1a'],
    capacityType: 'spot',
    gpu: { product: 'L4', perNode: 1, sharing: 'whole' },
    nodes: { current: nodes },
    gpus: { allocatable: nodes, allocated: nodes },
    ...(notices.length
      ? {
          reclaim: {
            nodes: notices.length,
            noticedAt: notices[notices.length - 1].noticedAt,
            notices,
          },
        }
      : {}),
    observedAt: at(seconds),
    stale: false,
    demo: true,
    ...extra,
  };
}

describe('advancePoolHistory', () => {
  it('counts the time since the last snapshot with the last snapshot’s nodes and state', () => {
    const first = advancePoolHistory(
      undefined,
      { at: T0, nodes: 2, down: false },
      600,
    );
    expect(first).toMatchObject({ observedSeconds: 0, nodeSeconds: 0 });
    const second = advancePoolHistory(
      first,
      { at: T0 + 60_000, nodes: 1, down: true },
      600,
    );
    expect(second).toMatchObject({
      observedSeconds: 60,
      nodeSeconds: 120,
      downSeconds: 0,
    });
    const third = advancePoolHistory(
      second,
      { at: T0 + 90_000, nodes: 2, down: false },
      600,
    );
    expect(third).toMatchObject({
      observedSeconds: 90,
      nodeSeconds: 150,
      downSeconds: 30,
    });
  });

  it('does not count a gap nobody watched, nor a snapshot read twice', () => {
    const first = advancePoolHistory(
      undefined,
      { at: T0, nodes: 2, down: false },
      600,
    );
    const late = advancePoolHistory(
      first,
      { at: T0 + 3600_000, nodes: 2, down: false },
      600,
    );
    expect(late).toMatchObject({ observedSeconds: 0, nodeSeconds: 0 });
    expect(late.lastObservedAt).toBe(T0 + 3600_000);
    expect(
      advancePoolHistory(
        late,
        { at: T0 + 3600_000, nodes: 9, down: true },
        600,
      ),
    ).toBe(late);
  });
});

describe('poolIsDown', () => {
  it('is down only while every node it has is under a notice', () => {
    const n = (node: string) => ({ node, noticedAt: at(0) });
    expect(poolIsDown(spotPool(0, 2, [n('a')]))).toBe(false);
    expect(poolIsDown(spotPool(0, 2, [n('a'), n('b')]))).toBe(true);
    expect(poolIsDown(spotPool(0, 2))).toBe(false);
  });
});

describe('PoolHistoryStore', () => {
  const databases = createTestDatabases();

  async function create(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    return new PoolHistoryStore(
      (await DatabaseModelFleetStore.fromKnex(knex)).knex,
    );
  }

  it.each(databases.eachSupportedId())(
    'keeps a spot pool’s node-hours, its notices once each and its time without capacity, %p',
    async id => {
      const store = await create(id);
      // A handler without timeAdded: each read gives the notice its own time.
      const snapshots = [
        spotPool(0, 2),
        spotPool(30, 2),
        spotPool(60, 2, [{ node: 'n1', noticedAt: at(60) }]),
        spotPool(90, 2, [{ node: 'n1', noticedAt: at(90) }]),
        spotPool(120, 1, [{ node: 'n1', noticedAt: at(120) }]),
        spotPool(150, 2),
      ];
      for (const s of snapshots) await store.record([s]);
      // The same snapshot again changes nothing.
      expect(await store.record([snapshots[5]])).toEqual({
        pools: 1,
        notices: 0,
      });
      const [h] = await store.list();
      expect(h).toEqual({
        cluster: 'demo-aws-use1',
        pool: 'g6-l4-spot',
        capacityType: 'spot',
        firstObservedAt: at(0),
        lastObservedAt: at(150),
        observedSeconds: 150,
        nodeSeconds: 2 * 120 + 1 * 30,
        // 120 s to 150 s: its one node was under the notice.
        downSeconds: 30,
        preemptions: 1,
        lastPreemptionAt: at(60),
      });

      // The same node name, reclaimed again an hour later: a second one.
      await store.record([
        spotPool(3800, 2, [{ node: 'n1', noticedAt: at(3795) }]),
      ]);
      const [again] = await store.list();
      expect(again).toMatchObject({
        preemptions: 2,
        lastPreemptionAt: at(3795),
        // The hour unwatched is not counted.
        observedSeconds: 150,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'skips on-demand pools and pools of a cluster that could not be read, %p',
    async id => {
      const store = await create(id);
      expect(
        await store.record([
          spotPool(0, 2, [], { capacityType: 'on-demand', name: 'g6-l4' }),
          spotPool(0, 2, [{ node: 'n1', noticedAt: at(0) }], { stale: true }),
        ]),
      ).toEqual({ pools: 0, notices: 0 });
      expect(await store.list()).toEqual([]);
    },
  );
});
