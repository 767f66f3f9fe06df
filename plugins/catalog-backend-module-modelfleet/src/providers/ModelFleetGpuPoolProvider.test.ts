import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ModelFleetGpuPoolProvider } from './ModelFleetGpuPoolProvider';

const pool = (cluster: string, name: string, extra: object = {}) => ({
  cluster,
  name,
  provider: 'aws',
  region: 'us-east-1',
  zones: [],
  instanceType: 'g6.xlarge',
  capacityType: 'spot',
  gpu: { product: 'L4', memoryMiB: 22886, perNode: 1, sharing: 'whole' },
  nodes: { current: 1, min: 0, max: 4 },
  gpus: { allocatable: 1, allocated: 1 },
  observedAt: '2026-11-24T00:00:00Z',
  stale: false,
  demo: false,
  ...extra,
});

describe('ModelFleetGpuPoolProvider', () => {
  let server: http.Server;
  let baseUrl: string;
  let state: { status: number; clusters: unknown; pools: unknown };
  const seenAuth: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seenAuth.push(String(req.headers.authorization));
      const body = req.url === '/clusters' ? state.clusters : state.pools;
      res.writeHead(state.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(r => server.close(r)));

  function create(config: object = {}) {
    const logger = mockServices.logger.mock();
    const provider = ModelFleetGpuPoolProvider.fromConfig(
      new ConfigReader(config),
      {
        discovery: mockServices.discovery.mock({
          getBaseUrl: async () => baseUrl,
        }),
        auth: mockServices.auth(),
        logger,
        scheduler: mockServices.scheduler.mock({
          createScheduledTaskRunner: () => ({ run: async () => {} }),
        }),
      },
    );
    const connection = { applyMutation: jest.fn(), refresh: jest.fn() };
    return { provider, connection, logger };
  }

  it('emits pools and clusters as a full mutation, skipping malformed pools', async () => {
    state = {
      status: 200,
      clusters: {
        items: [
          { name: 'a', provider: 'aws', region: 'us-east-1', demo: true },
        ],
      },
      pools: {
        items: [
          pool('a', 'p1', { demo: true }),
          pool('a', 'p2'),
          { ...pool('a', 'bad'), gpu: { perNode: 1 } },
        ],
      },
    };
    const { provider, connection, logger } = create();
    await provider.connect(connection);
    expect(await provider.refresh()).toEqual({ pools: 2, clusters: 1 });
    const [[mutation]] = connection.applyMutation.mock.calls;
    expect(mutation.type).toBe('full');
    expect(
      mutation.entities.map(
        (e: any) => `${e.entity.kind}:${e.entity.metadata.name}`,
      ),
    ).toEqual(['GpuPool:a.p1', 'GpuPool:a.p2', 'Resource:a']);
    expect(
      mutation.entities[0].entity.metadata.annotations['modelfleet.io/demo'],
    ).toBe('true');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('items[2].gpu.product is missing'),
    );
    expect(seenAuth.at(-1)).toMatch(/^Bearer /);
  });

  it('adds declared pools that scale from zero, with their clusters', async () => {
    state = { status: 200, clusters: { items: [] }, pools: { items: [] } };
    const { provider, connection } = create({
      modelfleet: {
        catalog: {
          owner: 'group:default/infra',
          declaredPools: [
            {
              cluster: 'prod-aws',
              name: 'p5-h100-spot',
              provider: 'aws',
              region: 'us-east-1',
              instanceType: 'p5.48xlarge',
              capacityType: 'spot',
              gpu: { product: 'H100', memoryMiB: 81559, perNode: 8 },
              nodes: { min: 0, max: 2 },
            },
          ],
        },
      },
    });
    await provider.connect(connection);
    await provider.refresh();
    const entities = connection.applyMutation.mock.calls[0][0].entities.map(
      (e: any) => e.entity,
    );
    expect(entities.map((e: any) => `${e.kind}:${e.metadata.name}`)).toEqual([
      'GpuPool:prod-aws.p5-h100-spot',
      'Resource:prod-aws',
    ]);
    expect(entities[0].spec).toMatchObject({
      owner: 'group:default/infra',
      nodes: { min: 0, max: 2 },
      gpu: { sharing: 'whole' },
    });
  });

  it('keeps the catalog as it is when the backend fails', async () => {
    state = { status: 503, clusters: {}, pools: {} };
    const { provider, connection } = create();
    await provider.connect(connection);
    await expect(provider.refresh()).rejects.toThrow(
      /GET \/clusters answered 503|GET \/pools answered 503/,
    );
    expect(connection.applyMutation).not.toHaveBeenCalled();
    state = { status: 200, clusters: { nope: 1 }, pools: { items: [] } };
    await expect(provider.refresh()).rejects.toThrow(
      'GET /clusters: the body has no items array',
    );
  });

  it.each([
    [
      { provider: 'ibm' },
      "modelfleet.catalog.declaredPools[0].provider: 'ibm' is not one of",
    ],
    [{ capacityType: 'preemptible' }, 'declaredPools[0].capacityType'],
    [
      { gpu: { product: 'H100', perNode: 0 } },
      'declaredPools[0].gpu.perNode: must be > 0',
    ],
    [
      { nodes: { min: 3, max: 1 } },
      'declaredPools[0].nodes.min: 3 exceeds nodes.max 1',
    ],
    [{ cluster: undefined }, 'modelfleet.catalog.declaredPools[0].cluster'],
  ])('rejects declared pool %j naming the key', (override, message) => {
    const declared = {
      cluster: 'c',
      name: 'n',
      provider: 'aws',
      region: 'r',
      instanceType: 'i',
      capacityType: 'spot',
      gpu: { product: 'H100', perNode: 8 },
      nodes: { max: 2 },
      ...override,
    };
    expect(() =>
      create({ modelfleet: { catalog: { declaredPools: [declared] } } }),
    ).toThrow(message);
  });
});
