import { mockCredentials } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  SPOT_COMPANION,
  STAND_IN,
  startSpotFallback,
} from './__testUtils__/spotFallbackFixture';

jest.setTimeout(60_000);

const MINUTE = 60_000;

describe('SpotFallbackLoop over two spot pools', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'spreads the spot replicas over a second spot pool of the cluster, answers a notice from it, and falls back to on-demand when both are reclaimed, %p',
    async id => {
      const fx = await startSpotFallback(
        databases,
        id,
        { arbitrage: { mode: 'enforce' }, dryRun: false },
        { secondSpot: true },
      );
      expect(await fx.loop.run()).toMatch(/: 1 changed/);
      const [spread] = await fx.fallbacks();
      expect(spread.fallback).toMatchObject({
        direction: 'spread',
        replicas: { from: 0, to: 0 },
        spread: [
          {
            pool: 'gpupool:default/c1.l4-spot-b',
            replicas: { from: 0, to: 1 },
          },
        ],
      });
      expect(spread.reason).toMatch(
        /spot companion on .*l4-spot-b.* 0 → 1: spread the spot replicas over another spot market/,
      );
      await fx.runActions();
      expect((await fx.store.get(spread.id))?.state).toBe('done');
      const companion = fx.cluster.workload(SPOT_COMPANION);
      expect(companion.spec).toMatchObject({ replicas: 1 });
      expect(companion.metadata.labels).toMatchObject({
        'modelfleet.io/role': 'spot-spread',
      });
      // Its pods go to the second spot pool, not the model's own.
      expect(JSON.stringify((companion.spec as any).template.spec)).toMatch(
        /l4-spot-b/,
      );
      // The Model page's mix shows the companion.
      const report = await fx.reports.report(
        'default',
        'sdxl',
        mockCredentials.service(),
        async () => undefined,
      );
      expect(report.serving?.spread).toEqual([
        expect.objectContaining({
          name: 'sdxl-on-l4-spot-b',
          pool: 'gpupool:default/c1.l4-spot-b',
          capacityType: 'spot',
          desired: 1,
        }),
      ]);
      // Nothing more while both serve.
      fx.clock.now += MINUTE;
      expect(await fx.loop.run()).toMatch(/1 as they are/);
      expect(await fx.fallbacks()).toHaveLength(1);

      // A notice on the model's own pool: the spot companion takes the
      // replicas, not on-demand.
      fx.clock.now += 30 * MINUTE;
      fx.signal({
        reclaim: {
          replicas: 2,
          noticedAt: new Date(fx.clock.now - 10_000).toISOString(),
        },
      });
      await fx.loop.run();
      const [up] = await fx.fallbacks();
      expect(up.id).not.toBe(spread.id);
      expect(up.fallback).toMatchObject({
        replicas: { from: 0, to: 0 },
        spread: [{ replicas: { from: 1, to: 2 } }],
      });
      await fx.runActions();
      expect(fx.cluster.workload(SPOT_COMPANION).spec).toMatchObject({
        replicas: 2,
      });

      // Both spot markets reclaimed: on-demand stands in.
      fx.clock.now += MINUTE;
      fx.signalCompanion({
        reclaim: {
          replicas: 2,
          noticedAt: new Date(fx.clock.now - 5_000).toISOString(),
        },
      });
      await fx.loop.run();
      const [down] = await fx.fallbacks();
      expect(down.fallback).toMatchObject({
        direction: 'fallback',
        replicas: { from: 0, to: 2 },
      });
      await fx.runActions();
      expect(fx.cluster.workload(STAND_IN).spec).toMatchObject({
        replicas: 2,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    "keeps the policy's base of on-demand replicas on the stand-in while spot serves, and takes every companion down when the model is scaled to zero, %p",
    async id => {
      const fx = await startSpotFallback(
        databases,
        id,
        {
          arbitrage: { mode: 'enforce', onDemandBaseReplicas: 1 },
          dryRun: false,
        },
        { secondSpot: true },
      );
      await fx.loop.run();
      const [base] = await fx.fallbacks();
      expect(base.fallback).toMatchObject({
        direction: 'fallback',
        replicas: { from: 0, to: 1 },
      });
      expect(base.reason).toMatch(
        /the policy keeps 1 on-demand replica\(s\) beside spot/,
      );
      await fx.runActions();
      expect(fx.cluster.workload(STAND_IN).spec).toMatchObject({
        replicas: 1,
      });

      // Hibernated: the model's own Deployment at zero.
      const own = fx.cluster.workload({ ...SPOT_COMPANION, name: 'sdxl' });
      own.spec = { ...(own.spec as object), replicas: 0 };
      own.status = { ...(own.status as object), readyReplicas: 0 };
      fx.clock.now += MINUTE;
      await fx.loop.run();
      const [zero] = await fx.fallbacks();
      expect(zero.fallback).toMatchObject({
        direction: 'return',
        replicas: { from: 1, to: 0 },
      });
      expect(zero.reason).toMatch(/the model runs no replica/);
      await fx.runActions();
      expect(fx.cluster.workload(STAND_IN).spec).toMatchObject({
        replicas: 0,
      });
    },
  );
});
