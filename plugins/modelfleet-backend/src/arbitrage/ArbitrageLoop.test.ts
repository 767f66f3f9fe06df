import { mockCredentials } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { progressOf } from '../database/ActionStore';
import { ARBITRAGE_ACTOR } from './ArbitrageLoop';
import {
  NOW,
  startArbitrageLoop,
  T4_WEST,
} from './__testUtils__/arbitrageLoopFixture';

jest.setTimeout(60_000);

describe('ArbitrageLoop', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'recommends a dry-run move under recommend, stores a runnable one under enforce, leaves a model under off, %p',
    async id => {
      const { loop, store, reports, movesOf } = await startArbitrageLoop(
        databases,
        id,
        [
          { name: 'm0', team: 'search-team' },
          { name: 'm1', team: 'vision-team' },
          { name: 'm2', team: 'speech-team' },
          { name: 'm3', team: 'enforce-dry-team' },
        ],
        {
          'search-team': { arbitrage: { mode: 'recommend' }, dryRun: false },
          'vision-team': { arbitrage: { mode: 'enforce' }, dryRun: false },
          'speech-team': { arbitrage: { mode: 'off' }, dryRun: false },
          'enforce-dry-team': { arbitrage: { mode: 'enforce' }, dryRun: true },
        },
      );
      // Off spot, the best move is to another cluster.
      const report = await reports.report(
        'default',
        'm1',
        mockCredentials.service(),
        async () => undefined,
      );
      expect(report.opportunity?.to).toBe(T4_WEST);

      expect(await loop.run()).toBe(
        '4 model(s): 1 move(s) stored to run, 2 recommended for approval, 1 left as they are (1 off)',
      );
      const [recommended] = await movesOf('m0');
      expect(recommended).toMatchObject({
        kind: 'migrate',
        state: 'planned',
        dryRun: true,
        cluster: 'c2',
        requestedBy: ARBITRAGE_ACTOR,
        idempotencyKey: `arbitrage:model:default/m0:${T4_WEST}:2026-12-04`,
        details: {
          from: { pool: 'gpupool:default/c1.l4-ondemand', cluster: 'c1' },
          to: { pool: T4_WEST, cluster: 'c2', capacityType: 'on-demand' },
        },
      });
      // Saving a month, payback and risk, in words.
      expect(recommended.reason).toMatch(
        /^move from cluster c1 to t4-west \(c2\).*, saving \$\d+\/month: arbitrage policy \(recommend\): to t4-west \(c2\) \(aws us-east-1, on-demand\): \$\d+ a month less \(34\.7 %\); the move costs .* paid back in .*; no preemptions expected, capacity available 100 % of the time$/,
      );

      const [enforced] = await movesOf('m1');
      expect(enforced).toMatchObject({
        state: 'planned',
        dryRun: false,
        requestedBy: ARBITRAGE_ACTOR,
        idempotencyKey: `arbitrage:model:default/m1:${T4_WEST}:2026-12-04`,
      });
      expect(enforced.reason).toMatch(/: arbitrage policy \(enforce\): to /);
      expect(enforced.steps[0].do).toMatchObject({
        op: 'apply',
        cluster: 'c2',
      });
      // Runnable: the action loop takes it up; the dry-run ones wait.
      expect((await store.runnable(new Date(NOW))).map(a => a.id)).toEqual([
        enforced.id,
      ]);

      expect(await movesOf('m2')).toEqual([]);
      const [dry] = await movesOf('m3');
      expect(dry).toMatchObject({ dryRun: true, state: 'planned' });
      expect(dry.reason).toMatch(/arbitrage policy \(enforce, dry-run team\)/);
    },
  );

  it.each(databases.eachSupportedId())(
    'leaves a model with any action under way, and moves it once that ends, %p',
    async id => {
      const { loop, store, actions, movesOf, logger } =
        await startArbitrageLoop(
          databases,
          id,
          [
            { name: 'm0', team: 'vision-team' },
            { name: 'm1', team: 'vision-team' },
          ],
          {
            'vision-team': {
              arbitrage: { mode: 'enforce', maxMigrationsPerDay: 5 },
              dryRun: false,
            },
          },
        );
      const { action: scale } = await actions.request({
        idempotencyKey: 'scale-1',
        kind: 'scale',
        entityRef: 'model:default/m0',
        cluster: 'c1',
        steps: [],
        dryRun: false,
        requestedBy: 'user:default/jane',
        reason: 'by hand',
      });
      expect(await loop.run()).toBe(
        '2 model(s): 1 move(s) stored to run, 0 recommended for approval, 1 left as they are (1 with an action under way)',
      );
      expect(await movesOf('m0')).toEqual([]);
      expect(await movesOf('m1')).toHaveLength(1);
      expect(logger.debug).toHaveBeenCalledWith(
        `Arbitrage: model:default/m0: waits: scale action ${scale.id} is planned`,
      );

      await store.advance(scale, {
        progress: {
          ...progressOf(scale),
          state: 'done',
          finishedAt: new Date(NOW).toISOString(),
        },
        now: new Date(NOW),
      });
      expect(await loop.run()).toBe(
        '2 model(s): 1 move(s) stored to run, 0 recommended for approval, 1 left as they are (1 with an action under way)',
      );
      expect(await movesOf('m0')).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'logs and counts a model whose move fails, and moves the others, %p',
    async id => {
      const { loop, cluster, movesOf, logger } = await startArbitrageLoop(
        databases,
        id,
        [
          // Nothing the template renders.
          { name: 'm0', team: 'vision-team', spec: { runtime: 'generic' } },
          // Already deployed on the target cluster.
          { name: 'm1', team: 'vision-team' },
          { name: 'm2', team: 'vision-team' },
        ],
        {
          'vision-team': {
            arbitrage: { mode: 'enforce', maxMigrationsPerDay: 5 },
            dryRun: false,
          },
        },
      );
      cluster.addModel(
        { cluster: 'c2', namespace: 'vision', kind: 'Deployment', name: 'm1' },
        2,
      );
      expect(await loop.run()).toBe(
        '3 model(s): 1 move(s) stored to run, 0 recommended for approval, 0 left as they are; 2 failed',
      );
      expect(await movesOf('m2')).toHaveLength(1);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Arbitrage: model:default\/m0: .*spec.runtime is "generic"/,
        ),
      );
      expect(logger.warn).toHaveBeenCalledWith(
        'Arbitrage: model:default/m1: migrate: not now, it already runs 2 replicas on cluster c2',
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'moves a model to a pool of its own cluster, rolled over in place, when that is the best move, %p',
    async id => {
      const { loop, movesOf, cluster, directory } = await startArbitrageLoop(
        databases,
        id,
        [{ name: 'm0', team: 'vision-team', spec: { policy: {} } }],
        {
          'vision-team': {
            arbitrage: { mode: 'enforce', minSavingsPercent: 50 },
            dryRun: false,
          },
        },
      );
      expect(await loop.run()).toBe(
        '1 model(s): 1 move(s) stored to run, 0 recommended for approval, 0 left as they are',
      );
      // With workloads to map, it waits for a catalog still starting up.
      expect(directory.lookup).toHaveBeenCalledWith({ expectModels: true });
      const [move] = await movesOf('m0');
      expect(move).toMatchObject({
        kind: 'migrate',
        cluster: 'c1',
        dryRun: false,
        details: {
          from: { pool: 'gpupool:default/c1.l4-ondemand', cluster: 'c1' },
          to: {
            pool: 'gpupool:default/c1.l4-spot',
            cluster: 'c1',
            capacityType: 'spot',
          },
        },
      });
      expect(move.reason).toMatch(
        /^move within cluster c1 to l4-spot \(c1\), make-before-break \(2 replicas\), saving \$\d+\/month/,
      );
      // Its Deployment rolls over; the rollback applies it as it is now.
      const roll = move.steps.find(s => s.do.op === 'apply')!;
      expect(roll.do).toMatchObject({
        cluster: 'c1',
        objects: [
          {
            kind: 'Deployment',
            metadata: { name: 'm0', namespace: 'vision' },
            spec: {
              replicas: 2,
              strategy: {
                rollingUpdate: { maxSurge: '100%', maxUnavailable: 0 },
              },
            },
          },
        ],
      });
      const live = await cluster.get('c1', {
        kind: 'Deployment',
        namespace: 'vision',
        name: 'm0',
      });
      expect(roll.undo).toMatchObject({
        op: 'apply',
        cluster: 'c1',
        objects: [{ spec: (live as unknown as { spec: unknown }).spec }],
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'moves nothing when no pool clears the policy, and says which came closest, %p',
    async id => {
      const { loop, movesOf, logger } = await startArbitrageLoop(
        databases,
        id,
        [{ name: 'm0', team: 'vision-team' }],
        {
          'vision-team': {
            arbitrage: { mode: 'enforce', minSavingsPercent: 50 },
            dryRun: false,
          },
        },
      );
      expect(await loop.run()).toBe(
        '1 model(s): 0 move(s) stored to run, 0 recommended for approval, 1 left as they are (1 without a move that clears the policy)',
      );
      expect(await movesOf('m0')).toEqual([]);
      expect(logger.debug).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Arbitrage: model:default\/m0: no move clears the policy: the closest, t4-west \(c2\), saves [\d.]+ % .* under 50 %$/,
        ),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'leaves a model whose on-demand stand-in serves (a spot fallback) until spot returns, and Migrations refuses to move it, %p',
    async id => {
      const { loop, migrations, movesOf, logger } = await startArbitrageLoop(
        databases,
        id,
        [
          { name: 'm0', team: 'vision-team', standIn: 2 },
          { name: 'm1', team: 'vision-team', standIn: 0 },
        ],
        {
          'vision-team': {
            arbitrage: { mode: 'enforce', maxMigrationsPerDay: 5 },
            dryRun: false,
          },
        },
      );
      expect(await loop.run()).toBe(
        '2 model(s): 1 move(s) stored to run, 0 recommended for approval, 1 left as they are (1 with an action under way)',
      );
      expect(await movesOf('m0')).toEqual([]);
      expect(await movesOf('m1')).toHaveLength(1);
      expect(logger.debug).toHaveBeenCalledWith(
        'Arbitrage: model:default/m0: waits: its on-demand stand-in serves until spot returns',
      );
      await expect(
        migrations.request(
          'default',
          'm0',
          {
            pool: T4_WEST,
            dryRun: true,
            requestedBy: 'user:default/jane',
            idempotencyKey: 'by-hand',
          },
          mockCredentials.user(),
          async () => undefined,
        ),
      ).rejects.toThrow(
        'migrate: not now, the on-demand stand-in m0-on-demand serves 2 replica(s) while spot is short; the model moves once the spot fallback has returned to spot',
      );
    },
  );
});
