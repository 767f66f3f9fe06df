import { mockCredentials } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  REMOTE_COMPANION,
  startSpotFallback,
} from './__testUtils__/spotFallbackFixture';

jest.setTimeout(60_000);

const MINUTE = 60_000;

const exportOf = (cluster: string) => `${cluster}/ServiceExport/vision/sdxl`;

describe('SpotFallbackLoop across clusters', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    "spreads the spot replicas to another cluster's spot pool when its own cluster has no other, exports the model's Service from both, and answers a notice from there, %p",
    async id => {
      const fx = await startSpotFallback(
        databases,
        id,
        {
          arbitrage: { mode: 'enforce', spreadAcrossClusters: true },
          dryRun: false,
        },
        { otherClusterSpot: true },
      );
      expect(await fx.loop.run()).toMatch(/: 1 changed/);
      const [spread] = await fx.fallbacks();
      expect(spread.fallback).toMatchObject({
        direction: 'spread',
        spread: [
          {
            pool: 'gpupool:default/c2.l4-spot-c2',
            replicas: { from: 0, to: 1 },
          },
        ],
      });
      // The action's own cluster is the model's; its steps reach c2.
      expect(spread.cluster).toBe('c1');
      const descriptions = spread.steps.map(s => s.description);
      expect(descriptions[0]).toMatch(
        /^Export the Service vision\/sdxl from cluster c1/,
      );
      expect(descriptions[1]).toMatch(
        /^Create the spot companion vision\/sdxl-on-l4-spot-c2 on l4-spot-c2 \(c2\), parked at zero, with the model's Service exported from there/,
      );
      expect(spread.steps[1].do).toMatchObject({ op: 'apply', cluster: 'c2' });
      const kinds = (spread.steps[1].do as { objects: { kind: string }[] })
        .objects;
      expect(kinds.map(o => o.kind)).toContain('Service');
      expect(kinds.map(o => o.kind)).toContain('ServiceExport');
      // No autoscaler on c2: the loop sets the companion's replicas.
      expect(kinds.map(o => o.kind)).not.toContain('ScaledObject');
      expect(kinds.filter(o => o.kind === 'Deployment')).toHaveLength(1);

      await fx.runActions();
      expect((await fx.store.get(spread.id))?.state).toBe('done');
      const companion = fx.cluster.workload(REMOTE_COMPANION);
      expect(companion.spec).toMatchObject({ replicas: 1 });
      expect(companion.metadata.labels).toMatchObject({
        'modelfleet.io/role': 'spot-spread',
      });
      expect(fx.cluster.objects.has(exportOf('c1'))).toBe(true);
      expect(fx.cluster.objects.has(exportOf('c2'))).toBe(true);
      expect(fx.cluster.objects.has('c2/Service/vision/sdxl')).toBe(true);

      // The Model page's mix shows the companion on c2.
      const report = await fx.reports.report(
        'default',
        'sdxl',
        mockCredentials.service(),
        async () => undefined,
      );
      expect(report.serving?.spread).toEqual([
        expect.objectContaining({
          name: 'sdxl-on-l4-spot-c2',
          pool: 'gpupool:default/c2.l4-spot-c2',
          desired: 1,
        }),
      ]);

      // A notice on the model's own pool: the other cluster's spot market
      // takes the replicas; the Service is exported already.
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
        spread: [{ replicas: { from: 1, to: 2 } }],
      });
      expect(up.steps.map(s => s.description).join('\n')).not.toMatch(
        /Export the Service/,
      );
      await fx.runActions();
      expect(fx.cluster.workload(REMOTE_COMPANION).spec).toMatchObject({
        replicas: 2,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    "keeps the spread in the model's cluster unless the team's policy lets it cross clusters, %p",
    async id => {
      const fx = await startSpotFallback(
        databases,
        id,
        { arbitrage: { mode: 'enforce' }, dryRun: false },
        { otherClusterSpot: true },
      );
      expect(await fx.loop.run()).toMatch(
        /: 0 changed, 0 waiting for approval, 1 as they are/,
      );
      expect(await fx.fallbacks()).toHaveLength(0);
      // A notice: the on-demand stand-in on its cluster, nothing on c2.
      fx.clock.now += MINUTE;
      fx.signal({
        reclaim: {
          replicas: 2,
          noticedAt: new Date(fx.clock.now - 10_000).toISOString(),
        },
      });
      await fx.loop.run();
      const [down] = await fx.fallbacks();
      expect(down.fallback).toMatchObject({
        direction: 'fallback',
        replicas: { from: 0, to: 2 },
      });
      expect(JSON.stringify(down.steps)).not.toMatch(/"cluster":"c2"/);
      expect(fx.cluster.objects.has(exportOf('c1'))).toBe(false);
    },
  );
});
