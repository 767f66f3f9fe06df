import { http, SA_TOKEN } from './__testUtils__/apiServer';
import { clusterOf, model, pool, startCluster } from './__testUtils__/cluster';
import { isPodReady } from './controllers/placement';

const LOAD = 20_000;
const aws = clusterOf('aws');
const [ZONE_A, ZONE_B] = aws.zones;
const iso = (t: number) => new Date(t).toISOString();

describe('POST /_sim/spot/reclaims: a spot preemption on demand', () => {
  let env: Awaited<ReturnType<typeof startCluster>>;
  afterEach(() => env?.sim.close());

  /** Two spot nodes (one per zone) running a model's two replicas, and an on-demand pool; no spot market. */
  const start = (extra: { adminToken?: string } = {}) =>
    startCluster({
      cluster: aws,
      pools: [
        pool(aws, 'spot', { capacityType: 'spot', nodes: { min: 0, max: 4 } }),
        pool(aws, 'ondemand', { nodes: { min: 1, max: 2 } }),
      ],
      models: [model(aws, 'chat', 'spot', 2)],
      loadTimeMs: () => LOAD,
      ...extra,
    });
  const reclaim = (body: unknown, token?: string | null) =>
    http(env.sim.url, '/_sim/spot/reclaims', { method: 'POST', body, token });
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
  const provisioning = () => env.sim.stats().pools.spot.provisioning;

  it('answers a cluster admin only, names the field of bad input, and reclaims nothing then', async () => {
    env = await start();
    expect((await reclaim({ pool: 'spot' }, null)).status).toBe(401);
    const denied = await reclaim({ pool: 'spot' }, SA_TOKEN);
    expect(denied).toMatchObject({
      status: 403,
      body: {
        reason: 'Forbidden',
        message: expect.stringContaining(
          'User "system:serviceaccount:modelfleet:modelfleet-backend" cannot reclaim spot capacity',
        ),
      },
    });
    const bad = async (body: unknown) => {
      const res = await reclaim(body);
      expect(res.status).toBe(400);
      return res.body.message as string;
    };
    expect(await bad({})).toBe('pool: Required value: the name of a spot pool');
    expect(await bad({ pool: 'g6-l4-spot' })).toBe(
      'pool: Unsupported value: "g6-l4-spot": cluster test-aws has no such pool (its pools: spot, ondemand)',
    );
    expect(await bad({ pool: 'ondemand' })).toBe(
      'pool: Invalid value: "ondemand": an on-demand pool; only spot capacity is reclaimed',
    );
    expect(await bad({ pool: 'spot', zone: 'eu-west-1a' })).toBe(
      'zone: Unsupported value: "eu-west-1a": cluster test-aws has zones us-east-1a, us-east-1b',
    );
    expect(await bad({ pool: 'spot', seconds: -1 })).toMatch(/^seconds: /);
    expect(await bad({ pool: 'spot', seconds: '60' })).toMatch(/^seconds: /);
    expect((await reclaim([])).status).toBe(400);
    expect(
      (await http(env.sim.url, '/_sim/spot/reclaims', { method: 'PUT' }))
        .status,
    ).toBe(405);
    env.sim.settle();
    expect(spotNodes().map(n => n.spec.unschedulable)).toEqual([
      undefined,
      undefined,
    ]);
    expect(env.sim.stats().pools.spot.spotReclaims).toBe(0);
  });

  it('takes the /_sim/ token instead when the server has one', async () => {
    env = await start({ adminToken: 'sim-secret' });
    // The gate of every /_sim/ path: a cluster admin's token is not it.
    expect((await reclaim({ pool: 'spot' })).status).toBe(401);
    const res = await reclaim({ pool: 'spot', zone: ZONE_A }, 'sim-secret');
    expect(res.status).toBe(200);
    expect(res.body.reclaimed).toHaveLength(1);
  });

  it("reclaims a pool's nodes in a zone now, as the cloud does, and launches none there for the outage", async () => {
    env = await start();
    const t0 = env.clock.now();
    const [nodeA] = spotNodes(ZONE_A);
    const res = await reclaim({ pool: 'spot', zone: ZONE_A, seconds: 600 });
    expect(res).toEqual({
      status: 200,
      body: {
        cluster: 'test-aws',
        pool: 'spot',
        zones: [ZONE_A],
        reclaimed: [
          {
            node: nodeA.metadata.name,
            zone: ZONE_A,
            deleteAt: iso(t0 + 120_000),
          },
        ],
        failedLaunches: 0,
        capacityBackAt: iso(t0 + 600_000),
      },
    });
    // The AWS path: the termination handler's taint, cordon and drain.
    const announced = spotNodes(ZONE_A)[0];
    expect(announced.spec.unschedulable).toBe(true);
    expect(announced.spec.taints).toContainEqual(
      expect.objectContaining({ key: 'aws-node-termination-handler/spot-itn' }),
    );
    expect(
      env.sim.store
        .list(env.sim.ctx.types.event, { namespace: 'default' })
        .map(e => e.reason),
    ).toContain('SpotInterruption');
    expect(
      (await http(env.sim.url, '/_sim/spot/reclaims')).body.outages,
    ).toEqual([{ pool: 'spot', zone: ZONE_A, until: iso(t0 + 600_000) }]);
    expect(env.sim.stats().pools.spot.spotReclaims).toBe(1);

    // The drained replica's replacement gets a node in the other zone only.
    env.sim.settle();
    env.clock.advance(120_000 + 120_000 + LOAD);
    expect(spotNodes(ZONE_A)).toEqual([]);
    expect(spotNodes(ZONE_B)).toHaveLength(2);
    expect(readyPods()).toHaveLength(2);
    env.clock.advanceTo(t0 + 600_000);
    expect(
      (await http(env.sim.url, '/_sim/spot/reclaims')).body.outages,
    ).toEqual([]);
  });

  it('reclaims every zone, fails launches under way, and has capacity again after `seconds`', async () => {
    env = await start();
    const t0 = env.clock.now();
    await reclaim({ pool: 'spot', zone: ZONE_A, seconds: 300 });
    env.sim.settle();
    // The replacement's node is on its way, to the other zone.
    expect(provisioning()).toBe(1);
    const all = await reclaim({ pool: 'spot', seconds: 300 });
    expect(all.body).toMatchObject({
      zones: [ZONE_A, ZONE_B],
      // The node of zone A is being reclaimed already.
      reclaimed: [expect.objectContaining({ zone: ZONE_B })],
      failedLaunches: 1,
      capacityBackAt: iso(t0 + 300_000),
    });
    env.sim.settle();
    expect(provisioning()).toBe(0);
    env.clock.advanceTo(t0 + 300_000 - 1);
    // No spot capacity anywhere: the model's replicas wait, Pending.
    expect(spotNodes()).toEqual([]);
    expect(provisioning()).toBe(0);
    expect(readyPods()).toEqual([]);
    env.clock.advance(1);
    expect(provisioning()).toBe(2);
    env.clock.advance(120_000 + LOAD);
    expect(spotNodes()).toHaveLength(2);
    expect(readyPods()).toHaveLength(2);
  });
});
