import { http, SA_TOKEN } from './__testUtils__/apiServer';
import { clusterOf, model, pool, startCluster } from './__testUtils__/cluster';
import { checkPoolPatch } from './poolsRoute';

const azure = clusterOf('azure');
const MINUTE = 60_000;

describe('simulated cluster: the node pools of its cloud (/_sim/pools)', () => {
  let env: Awaited<ReturnType<typeof startCluster>>;
  afterEach(() => env?.sim.close());

  const nodes = () => env.sim.store.list(env.sim.ctx.types.node);
  const patch = (name: string, body: unknown, token?: string | null) =>
    http(env.sim.url, `/_sim/pools/${name}`, {
      method: 'PATCH',
      body,
      token,
    });

  /** An AKS agent pool of A100s kept at one idle node by its minimum, and a busy pool. */
  const startAzure = (adminToken?: string) =>
    startCluster({
      cluster: azure,
      pools: [
        pool(azure, 'nca100', { nodes: { min: 1, max: 4 } }),
        pool(azure, 'nct4', { nodes: { min: 0, max: 2 } }),
      ],
      models: [model(azure, 'chat', 'nct4', 1)],
      ...(adminToken ? { adminToken } : {}),
    });

  it('lists each pool with its bounds, nodes and launches under way', async () => {
    env = await startAzure();
    const res = await http(env.sim.url, '/_sim/pools', { token: SA_TOKEN });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      cluster: 'test-azure',
      pools: [
        { name: 'nca100', min: 1, max: 4, nodes: 1, provisioning: 0 },
        { name: 'nct4', min: 0, max: 2, nodes: 1, provisioning: 0 },
      ],
    });
    const one = await http(env.sim.url, '/_sim/pools/nct4');
    expect(one.body).toEqual({
      name: 'nct4',
      min: 0,
      max: 2,
      nodes: 1,
      provisioning: 0,
    });
  });

  it('removes the idle node a lowered minimum no longer keeps (idle past the scale-down time already: at once), and adds one when the minimum is raised again', async () => {
    env = await startAzure();
    const [idle] = nodes().filter(
      n => n.metadata.labels?.['kubernetes.azure.com/agentpool'] === 'nca100',
    );
    expect(idle).toBeDefined();
    env.clock.advance(30 * MINUTE);
    // The minimum keeps it however long it idles.
    expect(nodes().map(n => n.metadata.name)).toContain(idle.metadata.name);

    const lowered = await patch('nca100', { min: 0 });
    expect(lowered.status).toBe(200);
    expect(lowered.body).toEqual({
      name: 'nca100',
      min: 0,
      max: 4,
      nodes: 1,
      provisioning: 0,
    });
    env.sim.settle();
    // Idle for half an hour already: the autoscaler takes it at its next pass.
    env.clock.advance(1_000);
    expect(nodes().map(n => n.metadata.name)).not.toContain(idle.metadata.name);
    const after = await http(env.sim.url, '/_sim/pools');
    expect(after.body.pools[0]).toMatchObject({ min: 0, nodes: 0 });

    const raised = await patch('nca100', { min: 1 });
    expect(raised.status).toBe(200);
    env.sim.settle();
    expect((await http(env.sim.url, '/_sim/pools/nca100')).body).toMatchObject({
      min: 1,
      nodes: 0,
      provisioning: 1,
    });
    env.clock.advance(2 * MINUTE);
    expect((await http(env.sim.url, '/_sim/pools/nca100')).body).toMatchObject({
      min: 1,
      nodes: 1,
      provisioning: 0,
    });
  });

  it('removes the idle node the scale-down time after it emptied, once the minimum no longer keeps it', async () => {
    env = await startAzure();
    await patch('nca100', { min: 0 });
    env.sim.settle();
    env.clock.advance(10 * MINUTE - 1_000);
    expect((await http(env.sim.url, '/_sim/pools/nca100')).body.nodes).toBe(1);
    env.clock.advance(1_000);
    expect((await http(env.sim.url, '/_sim/pools/nca100')).body.nodes).toBe(0);
  });

  it('answers 400 naming the field for a bad minimum, 404 for a pool the cluster has not', async () => {
    env = await startAzure();
    for (const [body, field] of [
      [{ min: 1.5 }, 'min'],
      [{ min: '0' }, 'min'],
      [{ min: -1 }, 'min'],
      [{ min: 5 }, 'min'],
      [{}, 'min'],
      [{ min: 0, max: 2 }, 'max'],
      [[0], 'body'],
    ] as const) {
      const res = await patch('nca100', body);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(new RegExp(`^${field}: `));
      expect(res.body.details.causes[0].field).toBe(field);
    }
    expect((await patch('nca100', { min: 5 })).body.message).toContain(
      "must not exceed the pool's maximum, 4",
    );
    const missing = await patch('nc96a100', { min: 0 });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain('node pool "nc96a100" not found');
    expect((await http(env.sim.url, '/_sim/pools/nc96a100')).status).toBe(404);
    // Nothing changed.
    expect((await http(env.sim.url, '/_sim/pools/nca100')).body.min).toBe(1);
  });

  it('needs the /_sim/ token when the server has one', async () => {
    env = await startAzure('sim-secret');
    expect((await patch('nca100', { min: 0 }, SA_TOKEN)).status).toBe(401);
    expect(
      (await http(env.sim.url, '/_sim/pools', { token: null })).status,
    ).toBe(401);
    expect((await patch('nca100', { min: 0 }, 'sim-secret')).status).toBe(200);
  });
});

describe('checkPoolPatch', () => {
  it('takes an integer minimum in [0, max]', () => {
    expect(checkPoolPatch({ min: 0 }, 3)).toEqual({ min: 0 });
    expect(checkPoolPatch({ min: 3 }, 3)).toEqual({ min: 3 });
    expect(checkPoolPatch({ min: 4 }, 3)).toMatchObject({ field: 'min' });
    expect(checkPoolPatch(null, 3)).toMatchObject({ field: 'body' });
  });
});
