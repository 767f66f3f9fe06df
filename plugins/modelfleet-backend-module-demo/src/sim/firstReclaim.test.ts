import { http, START } from './__testUtils__/apiServer';
import { clusterOf, model, pool, startCluster } from './__testUtils__/cluster';
import { isPodReady } from './controllers/placement';
import {
  checkFirstReclaim,
  FirstReclaim,
  formatFirstReclaimArg,
  parseFirstReclaimArg,
} from './firstReclaim';
import { SimClock } from './clock';
import { startSimulatedFleet } from './fleet';
import { parseArgs } from './main';
import { StoredObject } from './objects';
import { SpotMarket } from './spot';

const LOAD = 20_000;
const aws = clusterOf('aws');
const [ZONE_A, ZONE_B] = aws.zones;
const iso = (t: number) => new Date(t).toISOString();

describe('spot.firstReclaim: a scripted spot reclaim soon after the start', () => {
  let env: Awaited<ReturnType<typeof startCluster>>;
  afterEach(() => env?.sim.close());

  /** Two spot nodes (one per zone) running a model's two replicas, and an on-demand pool. */
  const start = (
    firstReclaim: FirstReclaim,
    extra: { spotMarket?: SpotMarket; log?: (m: string) => void } = {},
  ) =>
    startCluster({
      cluster: aws,
      pools: [
        pool(aws, 'spot', { capacityType: 'spot', nodes: { min: 0, max: 4 } }),
        pool(aws, 'ondemand', { nodes: { min: 1, max: 2 } }),
      ],
      models: [model(aws, 'chat', 'spot', 2)],
      loadTimeMs: () => LOAD,
      firstReclaim,
      ...extra,
    });
  const spotNodes = (zone?: string) =>
    env.sim.store
      .list(env.sim.ctx.types.node)
      .filter(
        n =>
          n.metadata.labels?.['eks.amazonaws.com/nodegroup'] === 'spot' &&
          (!zone || n.metadata.labels['topology.kubernetes.io/zone'] === zone),
      );
  const readyPods = () =>
    env.sim.store
      .list(env.sim.ctx.types.pod, { namespace: 'search' })
      .filter(isPodReady);
  const taintKeys = (n: StoredObject): string[] =>
    (n.spec?.taints ?? []).map((t: { key: string }) => t.key);

  it('reclaims the pool in the zone afterSeconds after the start, as POST /_sim/spot/reclaims does, and has capacity again after `seconds`', async () => {
    const log = jest.fn();
    env = await start(
      { pool: 'spot', zone: ZONE_A, afterSeconds: 60, seconds: 600 },
      { log },
    );
    const t0 = env.clock.now();
    const [nodeA] = spotNodes(ZONE_A);
    expect(log).toHaveBeenCalledWith(
      expect.stringContaining(
        `test-aws: scripted first spot reclaim (spot.firstReclaim) of pool spot in ${ZONE_A} at ${iso(
          t0 + 60_000,
        )}`,
      ),
    );
    expect(env.sim.stats().firstReclaim).toEqual({
      pool: 'spot',
      zones: [ZONE_A],
      at: iso(t0 + 60_000),
      done: false,
    });

    env.clock.advanceTo(t0 + 60_000 - 1);
    expect(taintKeys(spotNodes(ZONE_A)[0])).not.toContain(
      'aws-node-termination-handler/spot-itn',
    );
    expect(env.sim.stats().pools.spot.spotReclaims).toBe(0);

    env.clock.advance(1);
    // The AWS path: the termination handler's notice taint, cordon and drain.
    const announced = spotNodes(ZONE_A)[0];
    expect(announced.metadata.name).toBe(nodeA.metadata.name);
    expect(announced.spec.unschedulable).toBe(true);
    expect(taintKeys(announced)).toContain(
      'aws-node-termination-handler/spot-itn',
    );
    expect(
      env.sim.store
        .list(env.sim.ctx.types.event, { namespace: 'default' })
        .map(e => e.reason),
    ).toContain('SpotInterruption');
    // The node of the other zone is left alone.
    expect(taintKeys(spotNodes(ZONE_B)[0])).toEqual([]);
    const t1 = t0 + 60_000;
    expect(env.sim.stats().firstReclaim).toEqual({
      pool: 'spot',
      zones: [ZONE_A],
      at: iso(t1),
      done: true,
      reclaimed: [nodeA.metadata.name],
      failedLaunches: 0,
      capacityBackAt: iso(t1 + 600_000),
    });
    expect(env.sim.stats().pools.spot.spotReclaims).toBe(1);
    expect(log).toHaveBeenLastCalledWith(
      `test-aws: scripted first spot reclaim (spot.firstReclaim) of pool spot in ${ZONE_A}: reclaimed ${
        nodeA.metadata.name
      } (deleted after the cloud's notice), 0 launch(es) failed; spot capacity back at ${iso(
        t1 + 600_000,
      )}`,
    );
    expect(
      (await http(env.sim.url, '/_sim/spot/reclaims')).body.outages,
    ).toEqual([{ pool: 'spot', zone: ZONE_A, until: iso(t1 + 600_000) }]);

    // Deleted after the two minutes' notice; the drained replica's
    // replacement gets a node in the other zone only.
    env.clock.advance(120_000 + 120_000 + LOAD);
    expect(spotNodes(ZONE_A)).toEqual([]);
    expect(spotNodes(ZONE_B)).toHaveLength(2);
    expect(readyPods()).toHaveLength(2);
    env.clock.advanceTo(t1 + 600_000);
    expect(
      (await http(env.sim.url, '/_sim/spot/reclaims')).body.outages,
    ).toEqual([]);
    expect(env.sim.spot.available(env.sim.options.pools[0], ZONE_A)).toBe(true);
  });

  it('reclaims every zone by default, with the market on too, and the pool comes back after `seconds`', async () => {
    // A market with capacity all the time: only the scripted reclaim.
    const always = { gapSeconds: 600, available: Uint8Array.from([1]) };
    env = await start(
      { pool: 'spot', afterSeconds: 30, seconds: 300 },
      {
        spotMarket: new SpotMarket(
          new Map([
            [ZONE_A, always],
            [ZONE_B, always],
          ]),
        ),
      },
    );
    const t0 = env.clock.now();
    env.clock.advance(30_000);
    expect(env.sim.stats().firstReclaim).toMatchObject({
      zones: [ZONE_A, ZONE_B],
      done: true,
      reclaimed: expect.arrayContaining(spotNodes().map(n => n.metadata.name)),
      capacityBackAt: iso(t0 + 330_000),
    });
    for (const n of spotNodes())
      expect(taintKeys(n)).toContain('aws-node-termination-handler/spot-itn');
    // No spot capacity anywhere: gone after the notice, the replicas wait, Pending.
    env.clock.advanceTo(t0 + 330_000 - 1);
    expect(spotNodes()).toEqual([]);
    expect(readyPods()).toEqual([]);
    expect(env.sim.stats().pools.spot.provisioning).toBe(0);
    // Capacity is back: nodes launch, and the replicas run again.
    env.clock.advance(1);
    expect(env.sim.stats().pools.spot.provisioning).toBe(2);
    env.clock.advance(120_000 + LOAD);
    expect(spotNodes()).toHaveLength(2);
    expect(readyPods()).toHaveLength(2);
  });

  it('clears its timer when the cluster stops before it is due', async () => {
    env = await start({ pool: 'spot', afterSeconds: 3600 });
    const pending = env.clock.pending;
    env.sim.firstReclaim!.stop();
    expect(env.clock.pending).toBe(pending - 1);
    env.clock.advance(3600_000);
    expect(env.sim.stats().firstReclaim?.done).toBe(false);
    expect(env.sim.stats().pools.spot.spotReclaims).toBe(0);
  });

  it('refuses a pool that is not a spot pool of the cluster, or a zone not of it', async () => {
    await expect(start({ pool: 'ondemand' })).rejects.toThrow(
      "test-aws: firstReclaim.pool is 'ondemand', an on-demand pool of test-aws, and must be one of its spot pools: spot",
    );
    await expect(start({ pool: 'spot', zone: 'eu-west-1a' })).rejects.toThrow(
      "test-aws: firstReclaim.zone is 'eu-west-1a', and must be a zone of test-aws: one of us-east-1a, us-east-1b (or left out, for every zone)",
    );
  });
});

describe('startSimulatedFleet: spot.firstReclaim', () => {
  const firstReclaim = {
    cluster: 'demo-aws-use1',
    pool: 'g6-l4-spot',
    afterSeconds: 10,
  };

  it("runs on its cluster only, on the fleet's clock, and says so", async () => {
    const clock = new SimClock({ mode: 'manual', start: START });
    const log = jest.fn();
    const fleet = await startSimulatedFleet({
      clock,
      clusters: ['demo-aws-use1', 'demo-gcp-usc1'],
      traffic: false,
      spot: { firstReclaim },
      log,
    });
    try {
      expect(fleet.cluster('demo-gcp-usc1').stats().firstReclaim).toBe(
        undefined,
      );
      expect(fleet.cluster('demo-aws-use1').stats().firstReclaim).toEqual({
        pool: 'g6-l4-spot',
        zones: ['us-east-1a', 'us-east-1b'],
        at: iso(START + 10_000),
        done: false,
      });
      clock.advance(10_000);
      const stats = fleet.cluster('demo-aws-use1').stats();
      expect(stats.firstReclaim).toMatchObject({ done: true });
      expect(stats.firstReclaim!.reclaimed!.length).toBeGreaterThan(0);
      expect(stats.pools['g6-l4-spot'].spotReclaims).toBeGreaterThanOrEqual(
        stats.firstReclaim!.reclaimed!.length,
      );
      expect(log).toHaveBeenCalledTimes(2);
    } finally {
      await fleet.close();
    }
    // Nothing left on the clock.
    expect(clock.pending).toBe(0);
  });

  it('does nothing with spot false, and refuses a cluster the fleet does not run', async () => {
    const clock = new SimClock({ mode: 'manual', start: START });
    await expect(
      startSimulatedFleet({
        clock,
        clusters: ['demo-gcp-usc1'],
        traffic: false,
        spot: { firstReclaim },
      }),
    ).rejects.toThrow(
      "firstReclaim.cluster is 'demo-aws-use1', and must be a demo cluster: one of demo-gcp-usc1",
    );
    const fleet = await startSimulatedFleet({
      clock,
      clusters: ['demo-aws-use1'],
      traffic: false,
      spot: false,
    });
    try {
      clock.advance(60_000);
      expect(fleet.stats()[0].firstReclaim).toBeUndefined();
      expect(fleet.stats()[0].pools['g6-l4-spot'].spotReclaims).toBe(0);
    } finally {
      await fleet.close();
    }
  });
});

describe('--first-reclaim of yarn sim', () => {
  it('reads <cluster>/<pool>[@<zone>][:<afterSeconds>[:<seconds>]]', () => {
    expect(parseFirstReclaimArg('demo-aws-use1/g6e-l40s-spot')).toEqual({
      cluster: 'demo-aws-use1',
      pool: 'g6e-l40s-spot',
    });
    const full = parseFirstReclaimArg(
      'demo-aws-use1/g6e-l40s-spot@us-east-1a:240:900',
    );
    expect(full).toEqual({
      cluster: 'demo-aws-use1',
      pool: 'g6e-l40s-spot',
      zone: 'us-east-1a',
      afterSeconds: 240,
      seconds: 900,
    });
    expect(formatFirstReclaimArg(full)).toBe(
      'demo-aws-use1/g6e-l40s-spot@us-east-1a:240:900',
    );
    expect(
      parseArgs(['--first-reclaim', 'demo-gcp-usc1/g2-l4-spot:60']).spot,
    ).toEqual({
      reading: 'interruptions',
      firstReclaim: {
        cluster: 'demo-gcp-usc1',
        pool: 'g2-l4-spot',
        afterSeconds: 60,
      },
    });
  });

  it.each([
    ['demo-aws-use1', /give <cluster>\/<pool>\[@<zone>\]/],
    [
      'nowhere/g6-l4-spot',
      "cluster is 'nowhere', and must be a demo cluster: one of demo-aws-use1, demo-gcp-usc1, demo-azure-eastus",
    ],
    [
      'demo-aws-use1/g5-a10g',
      "pool is 'g5-a10g', an on-demand pool of demo-aws-use1, and must be one of its spot pools: g6-l4-spot, g6e-l40s-spot",
    ],
    [
      'demo-aws-use1/g6-l4-spot@us-east-1c',
      "zone is 'us-east-1c', and must be a zone of demo-aws-use1",
    ],
    [
      'demo-aws-use1/g6-l4-spot:soon',
      'afterSeconds is "soon", and must be a number of seconds from 0 to 86400',
    ],
    [
      'demo-aws-use1/g6-l4-spot:0:90000',
      'seconds is 90000, and must be a number of seconds from 0 to 86400',
    ],
  ])('refuses %s', (arg, error) => {
    expect(() => parseArgs(['--first-reclaim', arg])).toThrow(error);
  });

  it('is a spot reclaim: not with --no-spot', () => {
    expect(() =>
      parseArgs(['--no-spot', '--first-reclaim', 'demo-aws-use1/g6-l4-spot']),
    ).toThrow(/--no-spot turns them off/);
  });

  it('checks against the fleet it runs in', () => {
    expect(
      checkFirstReclaim({ cluster: 'demo-aws-use1', pool: 'g6-l4-spot' }, []),
    ).toEqual({
      field: 'cluster',
      message: "is 'demo-aws-use1', and must be a demo cluster: one of none",
    });
  });
});
