import { mockServices } from '@backstage/backend-test-utils';
import { ActuatorError } from '@modelfleet/plugin-modelfleet-node';
import http from 'node:http';
import net from 'node:net';
import {
  DemoNodePoolApi,
  minimumProblem,
  nodePoolErrorCode,
} from './DemoNodePoolApi';
import { START } from './sim/__testUtils__/apiServer';
import { SimClock } from './sim/clock';
import { SimulatedFleet, startSimulatedFleet } from './sim/fleet';

const AZURE = 'demo-azure-eastus';
const SIM_TOKEN = 'sim-secret';
const MINUTE = 60_000;
const NCA100 = { cluster: AZURE, pool: 'nca100' };

/** The ActuatorError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<ActuatorError> {
  const error = await promise.then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(ActuatorError);
  return error as ActuatorError;
}

describe('DemoNodePoolApi, against the simulated fleet', () => {
  let clock: SimClock;
  let fleet: SimulatedFleet;
  let logger: ReturnType<typeof mockServices.logger.mock>;
  let api: DemoNodePoolApi;
  let fetchSpy: jest.SpyInstance;

  /** The methods of the calls of `/_sim/pools` since the test began. */
  const poolCalls = () =>
    fetchSpy.mock.calls
      .filter(([url]) => String(url).includes('/_sim/pools'))
      .map(([, init]) => (init?.method as string) ?? 'GET');

  const simPool = () =>
    fleet
      .cluster(AZURE)
      .provisioner.poolSizes()
      .find(p => p.name === 'nca100')!;

  beforeEach(async () => {
    clock = new SimClock({ mode: 'manual', start: START });
    fleet = await startSimulatedFleet({
      clock,
      traffic: false,
      spot: false,
      adminToken: SIM_TOKEN,
    });
    logger = mockServices.logger.mock();
    api = new DemoNodePoolApi({
      clusters: fleet.clusters.map(c => ({
        name: c.name,
        url: c.url,
        token: SIM_TOKEN,
      })),
      logger,
    });
    fetchSpy = jest.spyOn(global, 'fetch');
  });
  afterEach(async () => {
    fetchSpy.mockRestore();
    await fleet.close();
  });

  it('manages the clusters it is given, and reads a pool size', async () => {
    expect(await api.listClusters()).toEqual([
      'demo-aws-use1',
      'demo-gcp-usc1',
      AZURE,
    ]);
    expect(await api.size(NCA100)).toEqual({ min: 1, max: 4, desired: 1 });
    expect(
      await api.size({ cluster: 'demo-aws-use1', pool: 'g5-a10g' }),
    ).toEqual(expect.objectContaining({ min: 1, max: 6 }));
  });

  it('lowers the minimum on the simulated cloud, whose autoscaler then removes the idle node after the scale-down time', async () => {
    const { previous } = await api.setMinimum(NCA100, 0, {
      actionStep: 'apply-1#0',
    });
    expect(previous).toEqual({ min: 1, max: 4, desired: 1 });
    expect(poolCalls()).toEqual(['GET', 'PATCH']);
    const [, patch] = fetchSpy.mock.calls[1];
    expect(JSON.parse(patch.body)).toEqual({ min: 0 });
    expect(simPool()).toMatchObject({ min: 0, max: 4, nodes: 1 });
    expect(logger.info).toHaveBeenCalledWith(
      `${AZURE}: node pool nca100: minimum 1 → 0 (maximum 4) (action step apply-1#0)`,
    );

    fleet.cluster(AZURE).settle();
    clock.advance(10 * MINUTE - 1_000);
    expect(simPool().nodes).toBe(1);
    clock.advance(1_000);
    expect(simPool().nodes).toBe(0);
    expect(await api.size(NCA100)).toEqual({ min: 0, max: 4, desired: 0 });

    // And back, as the action's rollback does: the pool gets its node again.
    const back = await api.setMinimum(NCA100, 1);
    expect(back.previous).toEqual({ min: 0, max: 4, desired: 0 });
    fleet.cluster(AZURE).settle();
    expect(await api.size(NCA100)).toEqual({ min: 1, max: 4, desired: 1 });
  });

  it('writes nothing for a pool already at the minimum', async () => {
    await api.setMinimum(NCA100, 0);
    fetchSpy.mockClear();
    logger.info.mockClear();
    const { previous } = await api.setMinimum(NCA100, 0);
    expect(previous).toMatchObject({ min: 0, max: 4 });
    expect(poolCalls()).toEqual(['GET']);
    expect(logger.info).not.toHaveBeenCalled();
  });

  it('checks without changing on a dry run', async () => {
    const { previous } = await api.setMinimum(NCA100, 0, {
      dryRun: true,
      actionStep: 'apply-2#0',
    });
    expect(previous).toMatchObject({ min: 1, max: 4 });
    expect(poolCalls()).toEqual(['GET']);
    expect(simPool().min).toBe(1);
    expect(logger.debug).toHaveBeenCalledWith(
      `${AZURE}: node pool nca100: minimum 1 → 0 (maximum 4) (action step apply-2#0), dry run`,
    );
    // A dry run checks the bounds too.
    const error = await failure(api.setMinimum(NCA100, 9, { dryRun: true }));
    expect(error.code).toBe('invalid');
  });

  it('refuses a minimum above the maximum, negative or fractional, naming the pool', async () => {
    const above = await failure(api.setMinimum(NCA100, 5));
    expect(above).toMatchObject({ code: 'invalid', retryable: false });
    expect(above.message).toBe(
      `cluster ${AZURE}, node pool nca100: the minimum 5 is above the pool's maximum, 4`,
    );
    for (const min of [-1, 1.5]) {
      const error = await failure(api.setMinimum(NCA100, min));
      expect(error).toMatchObject({ code: 'invalid', retryable: false });
      expect(error.message).toContain('node pool nca100');
    }
    expect(poolCalls()).toEqual(['GET']);
    expect(simPool().min).toBe(1);
  });

  it('maps a pool the cloud has not to notFound, a cluster it does not manage to unknownCluster, and a bad token to unauthorized', async () => {
    const missing = await failure(
      api.size({ cluster: AZURE, pool: 'nd96h100' }),
    );
    expect(missing).toMatchObject({
      code: 'notFound',
      retryable: false,
      status: 404,
    });
    expect(missing.message).toMatch(
      /^cluster demo-azure-eastus, node pool nd96h100: node pool "nd96h100" not found: cluster demo-azure-eastus has nca100, /,
    );
    const unknown = await failure(
      api.size({ cluster: 'prod-eks', pool: 'gpu' }),
    );
    expect(unknown).toMatchObject({ code: 'unknownCluster', retryable: false });
    expect(unknown.message).toContain("no cluster 'prod-eks'");

    const stranger = new DemoNodePoolApi({
      clusters: [{ name: AZURE, url: fleet.urls[AZURE], token: 'wrong' }],
      logger,
    });
    const denied = await failure(stranger.setMinimum(NCA100, 0));
    expect(denied).toMatchObject({
      code: 'unauthorized',
      retryable: false,
      status: 401,
    });
    expect(simPool().min).toBe(1);
  });
});

describe('DemoNodePoolApi, when the simulator fails', () => {
  let server: http.Server | undefined;
  afterEach(
    () =>
      new Promise<void>(resolve =>
        server ? server.close(() => resolve()) : resolve(),
      ),
  );

  /** A loopback server answering every request with `answer`. */
  async function serve(
    answer: (res: http.ServerResponse) => void,
  ): Promise<string> {
    server = http.createServer((_req, res) => answer(res));
    await new Promise<void>(resolve =>
      server!.listen(0, '127.0.0.1', () => resolve()),
    );
    return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  }
  const apiAt = (url: string, timeoutMs?: number) =>
    new DemoNodePoolApi({
      clusters: [{ name: AZURE, url, token: 't' }],
      logger: mockServices.logger.mock(),
      ...(timeoutMs ? { timeoutMs } : {}),
    });

  it('maps a 5xx to unavailable, retryable, with the server message', async () => {
    const url = await serve(res => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', message: 'etcd is away' }));
    });
    const error = await failure(apiAt(url).size(NCA100));
    expect(error).toMatchObject({
      code: 'unavailable',
      retryable: true,
      status: 503,
    });
    expect(error.message).toBe(
      `cluster ${AZURE}, node pool nca100: etcd is away`,
    );
  });

  it('maps no answer in time to timeout, and a refused connection to unavailable, both retryable', async () => {
    const url = await serve(() => undefined);
    const slow = await failure(apiAt(url, 100).size(NCA100));
    expect(slow).toMatchObject({ code: 'timeout', retryable: true });
    server!.closeAllConnections();
    await new Promise(resolve => server!.close(resolve));
    server = undefined;
    const refused = await failure(apiAt(url).size(NCA100));
    expect(refused).toMatchObject({ code: 'unavailable', retryable: true });
    expect(refused.message).toContain('cannot be reached');
  });
});

describe('nodePoolErrorCode and minimumProblem', () => {
  it('map the statuses as the node-pool API contract has them', () => {
    expect(
      [400, 401, 403, 404, 408, 409, 422, 429, 500, 503, 504].map(
        nodePoolErrorCode,
      ),
    ).toEqual([
      'invalid',
      'unauthorized',
      'forbidden',
      'notFound',
      'timeout',
      'conflict',
      'invalid',
      'unavailable',
      'unavailable',
      'unavailable',
      'timeout',
    ]);
  });

  it('find what is wrong with a minimum', () => {
    const size = { min: 1, max: 4 };
    expect(minimumProblem(0, size)).toBeUndefined();
    expect(minimumProblem(4, size)).toBeUndefined();
    expect(minimumProblem(5, size)).toMatch(/above the pool's maximum, 4/);
    expect(minimumProblem(-1)).toMatch(/negative/);
    expect(minimumProblem(NaN)).toMatch(/not a whole number/);
  });
});
