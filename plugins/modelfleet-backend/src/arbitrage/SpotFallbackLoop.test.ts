import { mockCredentials } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { progressOf } from '../database/ActionStore';
import { SPOT_FALLBACK_ACTOR } from './SpotFallbackLoop';
import {
  NOW,
  STAND_IN,
  startSpotFallback,
} from './__testUtils__/spotFallbackFixture';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const notice = (at: number) => ({
  reclaim: { replicas: 2, noticedAt: new Date(at).toISOString() },
});

describe('SpotFallbackLoop', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'answers a reclaim notice with an on-demand stand-in under enforce, and takes it down once spot has served for the hold, %p',
    async id => {
      const fx = await startSpotFallback(databases, id, {
        arbitrage: { mode: 'enforce' },
        dryRun: false,
      });
      // Spot serves: nothing to do.
      expect(await fx.loop.run()).toBe(
        '1 model(s) on spot: 0 changed, 0 waiting for approval, 1 as they are, 0 left alone',
      );
      expect(await fx.fallbacks()).toEqual([]);

      fx.signal(notice(NOW - 10_000));
      // The fleet's view stays as it is (no stand-in) until the next sync.
      fx.holdSync();
      await fx.loop.run();
      const [up] = await fx.fallbacks();
      expect(up).toMatchObject({
        kind: 'spot-fallback',
        dryRun: false,
        requestedBy: SPOT_FALLBACK_ACTOR,
        fallback: {
          direction: 'fallback',
          replicas: { from: 0, to: 2 },
          spot: { pool: 'gpupool:default/c1.l4-spot' },
          onDemand: { pool: 'gpupool:default/c1.l4-ondemand' },
          noticedAt: new Date(NOW - 10_000).toISOString(),
        },
      });
      expect(up.reason).toMatch(/a spot reclaim notice/);
      await fx.runActions();
      expect((await fx.store.get(up.id))?.state).toBe('done');
      const standIn = fx.cluster.workload(STAND_IN);
      expect(standIn.spec).toMatchObject({ replicas: 2 });
      expect(standIn.status).toMatchObject({ readyReplicas: 2 });
      expect(standIn.metadata.labels).toMatchObject({
        'modelfleet.io/role': 'spot-fallback',
      });
      // A second pass in the same state changes nothing, even before the
      // cluster sync shows the stand-in: the loop reads it live.
      fx.clock.now += MINUTE;
      await fx.loop.run();
      expect(await fx.fallbacks()).toHaveLength(1);
      fx.sync();
      // The Model page's mix: spot under notice, the stand-in serving.
      const report = await fx.reports.report(
        'default',
        'sdxl',
        mockCredentials.service(),
        async () => undefined,
      );
      expect(report.serving).toEqual({
        primary: {
          name: 'sdxl',
          pool: 'gpupool:default/c1.l4-spot',
          title: expect.stringContaining('l4-spot'),
          capacityType: 'spot',
          desired: 2,
          ready: 2,
          underNotice: 2,
          noticedAt: new Date(NOW - 10_000).toISOString(),
          waitingForNode: 0,
        },
        standIn: {
          name: 'sdxl-on-demand',
          pool: 'gpupool:default/c1.l4-ondemand',
          title: expect.stringContaining('l4-ondemand'),
          capacityType: 'on-demand',
          desired: 2,
          ready: 2,
        },
      });
      fx.clock.now += MINUTE;
      await fx.loop.run();
      expect(await fx.fallbacks()).toHaveLength(1);

      // Spot is back (the replacements Ready, no notice): the stand-in
      // stays for the hold, then comes down.
      fx.signal({});
      fx.clock.now += 5 * MINUTE;
      await fx.loop.run();
      expect(await fx.fallbacks()).toHaveLength(1);
      fx.clock.now += 40 * MINUTE;
      await fx.loop.run();
      const [down] = await fx.fallbacks();
      expect(down.fallback).toMatchObject({
        direction: 'return',
        replicas: { from: 2, to: 0 },
      });
      expect(down.reason).toMatch(/spot serves again/);
      await fx.runActions();
      expect(fx.cluster.workload(STAND_IN).spec).toMatchObject({
        replicas: 0,
      });
      // The model's own Deployment was never touched.
      expect(
        fx.cluster.workload({ ...STAND_IN, name: 'sdxl' }).spec,
      ).toMatchObject({ replicas: 2 });
    },
  );

  it.each(databases.eachSupportedId())(
    'stops at planned under recommend; waits while that action is open; leaves the model alone when arbitrage is off or spot forbidden, %p',
    async id => {
      const fx = await startSpotFallback(databases, id, {
        arbitrage: { mode: 'recommend' },
        dryRun: false,
      });
      fx.signal(notice(NOW - 5_000));
      expect(await fx.loop.run()).toMatch(
        /: 0 changed, 1 waiting for approval/,
      );
      const [planned] = await fx.fallbacks();
      expect(planned).toMatchObject({ state: 'planned', dryRun: true });
      expect(
        fx.cluster.objects.has('c1/Deployment/vision/sdxl-on-demand'),
      ).toBe(false);
      // The planned action waits for a person: the next passes add none.
      fx.clock.now += 2 * MINUTE;
      await fx.loop.run();
      expect(await fx.fallbacks()).toHaveLength(1);
      // Spot serves on before anyone approved it: the loop withdraws it
      // (it would hold the model's other loops until someone cancelled).
      fx.signal({});
      fx.clock.now += MINUTE;
      expect(await fx.loop.run()).toMatch(
        /; 1 fallback\(s\) awaiting approval withdrawn$/,
      );
      const [withdrawn] = await fx.fallbacks();
      expect(withdrawn).toMatchObject({ id: planned.id, state: 'cancelled' });
      expect(await fx.fallbacks()).toHaveLength(1);

      for (const team of [
        { arbitrage: { mode: 'off' as const }, dryRun: false },
        { arbitrage: { mode: 'enforce' as const }, spot: 'forbid' as const },
      ]) {
        const other = await startSpotFallback(databases, id, team);
        other.signal(notice(NOW - 5_000));
        expect(await other.loop.run()).toMatch(/1 left alone/);
        expect(await other.fallbacks()).toEqual([]);
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'falls back when spot replicas find no node past the launch timeout (no spot capacity), not before, %p',
    async id => {
      const fx = await startSpotFallback(databases, id, {
        arbitrage: { mode: 'enforce' },
        dryRun: false,
      });
      fx.spotReady(0);
      const waiting = (since: number) => ({
        unscheduled: { pods: 2, since: new Date(since).toISOString() },
      });
      fx.signal(waiting(NOW - 60_000));
      await fx.loop.run();
      expect(await fx.fallbacks()).toEqual([]);
      fx.signal(waiting(NOW - 6 * MINUTE));
      await fx.loop.run();
      const [up] = await fx.fallbacks();
      expect(up.fallback).toMatchObject({
        direction: 'fallback',
        replicas: { from: 0, to: 2 },
        unscheduledSince: new Date(NOW - 6 * MINUTE).toISOString(),
      });
      expect(up.reason).toMatch(/found no node for 360 s/);
    },
  );

  it.each(databases.eachSupportedId())(
    "answers a notice though another loop's recommendation waits for a person; waits for an action stored to run, %p",
    async id => {
      const fx = await startSpotFallback(databases, id, {
        arbitrage: { mode: 'enforce' },
        dryRun: false,
      });
      const ask = (key: string, dryRun: boolean) =>
        fx.actions.request({
          idempotencyKey: key,
          kind: 'hibernate',
          entityRef: 'model:default/sdxl',
          cluster: 'c1',
          steps: [],
          dryRun,
          requestedBy: 'policy:hibernation',
          reason: 'idle',
        });
      const { action: stored } = await ask('run', false);
      fx.signal(notice(NOW - 5_000));
      expect(await fx.loop.run()).toMatch(/0 changed, .* 1 left alone/);
      expect(await fx.fallbacks()).toEqual([]);

      await fx.store.advance(stored, {
        progress: {
          ...progressOf(stored),
          state: 'cancelled',
          finishedAt: new Date(NOW).toISOString(),
        },
        now: new Date(NOW),
      });
      await ask('recommended', true);
      expect(await fx.loop.run()).toMatch(/: 1 changed/);
      expect(await fx.fallbacks()).toHaveLength(1);
    },
  );
});
