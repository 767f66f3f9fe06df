import { mockServices } from '@backstage/backend-test-utils';
import { ActuatorError } from '@modelfleet/plugin-modelfleet-node';
import { MemoryActuator } from '../__testUtils__/MemoryActuator';
import { MemoryNodePools } from '../__testUtils__/MemoryNodePools';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { ActionStore } from '../database/ActionStore';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { planConsolidation } from '../engines/actions/consolidationPlan';
import { ActionRunner } from './ActionRunner';
import { ActionService } from './ActionService';
import { createActuatorDirectory } from './actuatorDirectory';

jest.setTimeout(60_000);

const retry = {
  maxAttempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 8_000,
  pollMs: 500,
};
const reranker = {
  cluster: 'c1',
  namespace: 'search',
  kind: 'Deployment' as const,
  name: 'reranker',
};

describe('a consolidate action on the runner', () => {
  const databases = createTestDatabases();

  async function setup(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    const store = new ActionStore(
      (await DatabaseModelFleetStore.fromKnex(knex)).knex,
    );
    const cluster = new MemoryActuator(['c1']);
    const pools = new MemoryNodePools(['c1']);
    const actuators = createActuatorDirectory(() => [cluster], {
      nodePools: () => [pools],
    });
    let now = new Date('2026-12-07T10:00:00Z');
    const clock = () => now;
    const logger = mockServices.logger.mock();
    const service = new ActionService({
      store,
      actuators,
      retry,
      logger,
      now: clock,
    });
    const runner = new ActionRunner({
      store,
      actuators,
      retry,
      leaseMs: 30_000,
      pollMs: 10,
      owner: 'replica:a',
      logger,
      now: clock,
    });
    /** Runs passes, a second apart, until the action is final. */
    const runToEnd = async (actionId: string, stepMs = 1_000) => {
      for (let i = 0; i < 40; i++) {
        await runner.runOnce();
        const a = (await service.get(actionId))!;
        if (['done', 'failed', 'rolledBack'].includes(a.state)) return a;
        now = new Date(now.getTime() + stepMs);
      }
      throw new Error('the action did not finish');
    };
    const request = async (nodes: string[]) => {
      const plan = planConsolidation({
        cluster: 'c1',
        nodes,
        pods: [
          { node: 'n1', workload: reranker },
          { node: 'n1', workload: reranker },
        ],
        desired: () => 2,
      });
      if (!plan.ok) throw new Error(plan.reason);
      return (
        await service.request({
          idempotencyKey: 'consolidate-1',
          kind: 'consolidate',
          entityRef: 'gpupool:default/c1.a100',
          cluster: 'c1',
          steps: plan.steps,
          dryRun: false,
          requestedBy: 'user:default/pat',
          reason: plan.summary,
        })
      ).action;
    };
    const lowerMinimum = async (min: number) =>
      (
        await service.request({
          idempotencyKey: 'pool-minimum-1',
          kind: 'poolMinimum',
          entityRef: 'gpupool:default/c1.empty',
          cluster: 'c1',
          steps: [
            {
              description: 'Set the minimum size of empty (c1) to 0',
              do: { op: 'setPoolMinimum', cluster: 'c1', pool: 'empty', min },
              undo: {
                op: 'setPoolMinimum',
                cluster: 'c1',
                pool: 'empty',
                min: 9,
              },
            },
          ],
          dryRun: false,
          requestedBy: 'user:default/pat',
          reason: 'empty capacity',
        })
      ).action;
    return { cluster, pools, runToEnd, request, lowerMinimum };
  }

  it.each(databases.eachSupportedId())(
    'cordons every node first, drains each through what a PodDisruptionBudget holds, waits for the moved model, and leaves the nodes cordoned, %p',
    async id => {
      const { cluster, runToEnd, request } = await setup(id);
      cluster.addModel(reranker, 2);
      cluster.addNode('c1', 'n1', 2);
      cluster.addNode('c1', 'n2', 0);
      cluster.pdbHeld.set('c1/n1', 2);
      const action = await request(['n2', 'n1']);
      expect(action.steps.map(s => s.do.op)).toEqual([
        'cordon',
        'cordon',
        'drain',
        'drain',
        'waitReady',
      ]);
      expect(action.diff?.map(d => [d.name, d.changes])).toEqual([
        ['n1', [{ path: 'spec.unschedulable', before: null, after: true }]],
        ['n2', [{ path: 'spec.unschedulable', before: null, after: true }]],
      ]);

      const done = await runToEnd(action.id);
      expect(done.state).toBe('done');
      expect(cluster.node('c1', 'n1')?.spec).toEqual({ unschedulable: true });
      expect(cluster.node('c1', 'n2')?.spec).toEqual({ unschedulable: true });
      expect(cluster.podsOn.get('c1/n1')).toBe(0);
      // The budget held the pods for two passes; the third evicted them.
      expect(cluster.pdbHeld.get('c1/n1')).toBe(0);
      const messages = done.events!.map(e => e.message);
      expect(messages).toContain(
        'node n1 runs no model pod (evicted ml/n1-0, ml/n1-1)',
      );
      expect(messages).toContain('node n2 runs no model pod');
      // The undo read from each node: uncordon.
      expect(done.steps[0].undo).toMatchObject({ unschedulable: false });
    },
  );

  it.each(databases.eachSupportedId())(
    'rolls back a drain that fails for good: the nodes it cordoned are uncordoned, one cordoned before stays so, %p',
    async id => {
      const { cluster, runToEnd, request } = await setup(id);
      cluster.addModel(reranker, 2);
      cluster.addNode('c1', 'n1', 2);
      cluster.addNode('c1', 'n2', 0, true);
      cluster.failures.set('drain', ['forbidden']);
      const action = await request(['n1', 'n2']);
      const end = await runToEnd(action.id);
      expect(end.state).toBe('rolledBack');
      expect(end.lastError).toBe('drain failed: forbidden');
      expect(cluster.node('c1', 'n1')?.spec).toEqual({});
      expect(cluster.node('c1', 'n2')?.spec).toEqual({ unschedulable: true });
      expect(cluster.podsOn.get('c1/n1')).toBe(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'takes a node the cluster autoscaler removed after its drain as done, %p',
    async id => {
      const { cluster, runToEnd, request } = await setup(id);
      cluster.addModel(reranker, 2);
      cluster.addNode('c1', 'n1', 0);
      const action = await request(['n1']);
      cluster.beforeCall = method => {
        // Gone between the drain and the verification.
        if (method === 'readiness') cluster.objects.delete('c1/Node//n1');
      };
      const done = await runToEnd(action.id);
      expect(done.state).toBe('done');
    },
  );

  it.each(databases.eachSupportedId())(
    'gives up a drain a PodDisruptionBudget holds past its time, saying why, and uncordons, %p',
    async id => {
      const { cluster, runToEnd, request } = await setup(id);
      cluster.addModel(reranker, 2);
      cluster.addNode('c1', 'n1', 2);
      cluster.pdbHeld.set('c1/n1', 1_000);
      const action = await request(['n1']);
      const end = await runToEnd(action.id, 120_000);
      expect(end.state).toBe('rolledBack');
      expect(end.lastError).toBe(
        "timed out after 1200 s: draining node n1: 2 model pod(s) left; ml/n1-pod held: Cannot evict pod as it would violate the pod's disruption budget.",
      );
      expect(cluster.node('c1', 'n1')?.spec).toEqual({});
    },
  );

  it.each(databases.eachSupportedId())(
    "lowers a pool's minimum through the node-pool API that manages its cluster, and verifies it with the cloud, %p",
    async id => {
      const { pools, runToEnd, lowerMinimum } = await setup(id);
      pools.add('c1', 'empty', { min: 1, max: 4, desired: 1 });
      const action = await lowerMinimum(0);
      const done = await runToEnd(action.id);
      expect(done.state).toBe('done');
      expect(pools.pools.get('c1/empty')).toEqual({
        min: 0,
        max: 4,
        desired: 1,
      });
      expect([...pools.changes.entries()]).toEqual([['pool-minimum-1#0', 1]]);
      // The undo is the minimum the cloud had just before, not the plan's.
      expect(done.steps[0].undo).toMatchObject({ min: 1 });
      expect(done.events!.map(e => e.message)).toContain(
        'set the minimum size of pool empty from 1 to 0 (maximum 4)',
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'fails for good a minimum the cloud refuses, and puts back what it read, %p',
    async id => {
      const { pools, runToEnd, lowerMinimum } = await setup(id);
      pools.add('c1', 'empty', { min: 2, max: 4 });
      pools.failures.push(
        new ActuatorError(
          'forbidden',
          'eks:UpdateNodegroupConfig denied',
          false,
        ),
      );
      const end = await runToEnd((await lowerMinimum(0)).id);
      expect(end.state).toBe('rolledBack');
      expect(end.lastError).toBe('eks:UpdateNodegroupConfig denied');
      expect(pools.pools.get('c1/empty')?.min).toBe(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'says no node-pool API manages a cluster when none does, %p',
    async id => {
      const { pools, runToEnd, lowerMinimum } = await setup(id);
      pools.clusters.splice(0);
      const end = await runToEnd((await lowerMinimum(0)).id);
      // Its undo cannot reach the cloud either: failed, saying why.
      expect(end.state).toBe('failed');
      expect(end.lastError).toContain(
        'no node-pool API manages cluster c1: ModelFleet cannot change the size of its pool empty',
      );
    },
  );
});
