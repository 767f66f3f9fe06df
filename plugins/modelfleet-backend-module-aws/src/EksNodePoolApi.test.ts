import { mockServices } from '@backstage/backend-test-utils';
import { ActuatorError } from '@modelfleet/plugin-modelfleet-node';
import { EksNodePoolApi, EksNodePoolApiOptions } from './EksNodePoolApi';
import { TEST_CREDENTIALS } from './__testUtils__/awsServer';
import {
  EksTestServer,
  eksError,
  FakeNodegroup,
  startEksServer,
} from './__testUtils__/eksServer';

const GPU = { cluster: 'gpu-prod', pool: 'a100' };

function nodegroups(): FakeNodegroup[] {
  return [
    {
      cluster: 'eks-gpu-prod',
      name: 'a100',
      minSize: 2,
      maxSize: 4,
      desiredSize: 2,
    },
    {
      cluster: 'eks-gpu-prod',
      name: 'l4',
      minSize: 0,
      maxSize: 3,
      desiredSize: 1,
    },
  ];
}

async function errorOf(p: Promise<unknown>): Promise<ActuatorError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ActuatorError);
    return e as ActuatorError;
  }
  throw new Error('no error');
}

describe('EksNodePoolApi', () => {
  let server: EksTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function api(
    endpoint: string,
    extra: Partial<EksNodePoolApiOptions> = {},
  ): EksNodePoolApi {
    return new EksNodePoolApi({
      clusters: {
        'gpu-prod': { eksCluster: 'eks-gpu-prod', region: 'eu-west-1' },
      },
      endpoint,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
      ...extra,
    });
  }

  it('lists its clusters and reads a node group size with DescribeNodegroup', async () => {
    server = await startEksServer(nodegroups());
    const eks = api(server.endpoint);
    await expect(eks.listClusters()).resolves.toEqual(['gpu-prod']);
    await expect(
      eks.size({ cluster: 'gpu-prod', pool: 'l4' }),
    ).resolves.toEqual({
      min: 0,
      max: 3,
      desired: 1,
    });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      method: 'GET',
      path: '/clusters/eks-gpu-prod/node-groups/l4',
      signingRegion: 'eu-west-1',
      signingService: 'eks',
    });
  });

  it('lowers the minimum keeping max and desired, logs it, and is idempotent', async () => {
    server = await startEksServer(nodegroups());
    const logger = mockServices.logger.mock();
    const eks = api(server.endpoint, { logger });
    await expect(
      eks.setMinimum(GPU, 0, { actionStep: 'k1#0' }),
    ).resolves.toEqual({ previous: { min: 2, max: 4, desired: 2 } });
    expect(server.updates).toHaveLength(1);
    const post = server.requests[1];
    expect(post.method).toBe('POST');
    expect(post.path).toBe(
      '/clusters/eks-gpu-prod/node-groups/a100/update-config',
    );
    expect(post.headers['content-type']).toBe('application/json');
    expect(server.updates[0]).toEqual({
      scalingConfig: { minSize: 0, maxSize: 4, desiredSize: 2 },
      clientRequestToken: expect.any(String),
    });
    expect(server.nodegroups[0]).toMatchObject({
      minSize: 0,
      maxSize: 4,
      desiredSize: 2,
    });
    expect(logger.info).toHaveBeenCalledWith(
      'gpu-prod: set the minimum size of EKS node group a100 (EKS cluster eks-gpu-prod, eu-west-1) from 2 to 0, max 4 (action step k1#0)',
    );

    await expect(eks.setMinimum(GPU, 0)).resolves.toEqual({
      previous: { min: 0, max: 4, desired: 2 },
    });
    expect(server.updates).toHaveLength(1);
    expect(server.requests.map(r => r.method)).toEqual(['GET', 'POST', 'GET']);
  });

  it('raises the desired size to a new minimum above it (the rollback)', async () => {
    server = await startEksServer(nodegroups());
    const eks = api(server.endpoint);
    await eks.setMinimum({ cluster: 'gpu-prod', pool: 'l4' }, 2);
    expect(server.updates[0].scalingConfig).toEqual({
      minSize: 2,
      maxSize: 3,
      desiredSize: 2,
    });
  });

  it('checks a dry run and changes nothing', async () => {
    server = await startEksServer(nodegroups());
    const logger = mockServices.logger.mock();
    const eks = api(server.endpoint, { logger });
    await expect(eks.setMinimum(GPU, 1, { dryRun: true })).resolves.toEqual({
      previous: { min: 2, max: 4, desired: 2 },
    });
    expect(server.updates).toEqual([]);
    expect(server.nodegroups[0].minSize).toBe(2);
    expect(logger.info).not.toHaveBeenCalled();
    expect(logger.debug).toHaveBeenCalledWith(
      expect.stringMatching(/from 2 to 1, max 4, dry run$/),
    );
    const e = await errorOf(eks.setMinimum(GPU, 5, { dryRun: true }));
    expect(e.code).toBe('invalid');
  });

  it('refuses a minimum above the maximum, negative or not an integer, naming the pool', async () => {
    server = await startEksServer(nodegroups());
    const eks = api(server.endpoint);
    const above = await errorOf(eks.setMinimum(GPU, 5));
    expect(above).toMatchObject({ code: 'invalid', retryable: false });
    expect(above.message).toBe(
      'cluster gpu-prod, node group a100: the minimum size 5 is above the maximum size 4',
    );
    for (const bad of [-1, 0.5, NaN]) {
      const e = await errorOf(eks.setMinimum(GPU, bad));
      expect(e.code).toBe('invalid');
      expect(e.message).toMatch(
        /node group a100: the minimum size .* is not a non-negative integer/,
      );
    }
    expect(server.requests.map(r => r.method)).toEqual(['GET']);
    expect(server.updates).toEqual([]);
  });

  it('says notFound for a node group or EKS cluster EKS does not have', async () => {
    server = await startEksServer(nodegroups());
    const pool = await errorOf(
      api(server.endpoint).size({ cluster: 'gpu-prod', pool: 'h100' }),
    );
    expect(pool).toMatchObject({
      code: 'notFound',
      retryable: false,
      status: 404,
    });
    expect(pool.message).toBe(
      'cluster gpu-prod, node group h100: EKS DescribeNodegroup failed: ResourceNotFoundException: No node group found for name: h100. (HTTP 404)',
    );
    const cluster = await errorOf(
      new EksNodePoolApi({
        clusters: {
          'gpu-prod': { eksCluster: 'eks-gone', region: 'eu-west-1' },
        },
        endpoint: server.endpoint,
        credentials: TEST_CREDENTIALS,
        maxAttempts: 1,
      }).setMinimum(GPU, 0),
    );
    expect(cluster.code).toBe('notFound');
    expect(cluster.message).toMatch(/No cluster found for name: eks-gone/);
  });

  it('says unknownCluster for a cluster it does not manage, asking nothing', async () => {
    server = await startEksServer(nodegroups());
    const e = await errorOf(
      api(server.endpoint).size({ cluster: 'other', pool: 'a100' }),
    );
    expect(e).toMatchObject({ code: 'unknownCluster', retryable: false });
    expect(e.message).toMatch(
      /cluster other is not in modelfleet\.aws\.nodePools\.clusters/,
    );
    expect(server.requests).toEqual([]);
  });

  it('maps AccessDeniedException to forbidden and bad credentials to unauthorized', async () => {
    server = await startEksServer(nodegroups(), req =>
      req.method === 'POST'
        ? eksError(
            'AccessDeniedException',
            'User: arn:aws:sts::123456789012:assumed-role/modelfleet is not authorized to perform: eks:UpdateNodegroupConfig',
            403,
          )
        : undefined,
    );
    const denied = await errorOf(api(server.endpoint).setMinimum(GPU, 0));
    expect(denied).toMatchObject({
      code: 'forbidden',
      retryable: false,
      status: 403,
    });
    expect(denied.message).toMatch(
      /^cluster gpu-prod, node group a100: EKS UpdateNodegroupConfig failed: AccessDeniedException: User: .* eks:UpdateNodegroupConfig \(HTTP 403\)$/,
    );
    const unsigned = await errorOf(
      api(server.endpoint, {
        credentials: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'x' },
      }).size(GPU),
    );
    expect(unsigned).toMatchObject({ code: 'unauthorized', retryable: false });
  });

  it('says invalid when EKS refuses the update, conflict when an update is in progress', async () => {
    server = await startEksServer(nodegroups(), (req, i) => {
      if (req.method !== 'POST') return undefined;
      return i === 1
        ? eksError(
            'InvalidParameterException',
            'Minimum capacity is invalid',
            400,
          )
        : eksError(
            'ResourceInUseException',
            'Nodegroup cannot be updated as it is currently not in Active State',
            409,
          );
    });
    const eks = api(server.endpoint);
    expect(await errorOf(eks.setMinimum(GPU, 0))).toMatchObject({
      code: 'invalid',
      retryable: false,
      status: 400,
    });
    expect(await errorOf(eks.setMinimum(GPU, 0))).toMatchObject({
      code: 'conflict',
      retryable: true,
      status: 409,
    });
  });

  it('retries a 5xx with the SDK, then fails retryable', async () => {
    server = await startEksServer(nodegroups(), () =>
      eksError('ServerException', 'Internal failure', 500),
    );
    const e = await errorOf(api(server.endpoint, { maxAttempts: 2 }).size(GPU));
    expect(e).toMatchObject({
      code: 'unavailable',
      retryable: true,
      status: 500,
    });
    expect(e.message).toMatch(
      /ServerException: Internal failure \(HTTP 500, after 2 attempts\)$/,
    );
    expect(server.requests).toHaveLength(2);
  });

  it('recovers when a 5xx is retried successfully', async () => {
    server = await startEksServer(nodegroups(), (_req, i) =>
      i === 0
        ? eksError('ServiceUnavailableException', 'try later', 503)
        : undefined,
    );
    await expect(
      api(server.endpoint, { maxAttempts: 2 }).size(GPU),
    ).resolves.toEqual({
      min: 2,
      max: 4,
      desired: 2,
    });
  });

  it('fails with timeout when EKS does not answer in time', async () => {
    server = await startEksServer(
      nodegroups(),
      () =>
        new Promise(resolve =>
          setTimeout(
            () => resolve(eksError('ServerException', 'late', 500)),
            1000,
          ),
        ),
    );
    const e = await errorOf(
      api(server.endpoint, { requestTimeoutMs: 100 }).size(GPU),
    );
    expect(e).toMatchObject({ code: 'timeout', retryable: true });
    expect(e.message).toMatch(
      /^cluster gpu-prod, node group a100: EKS DescribeNodegroup failed: TimeoutError/,
    );
  });

  it('fails unavailable when EKS cannot be reached', async () => {
    server = await startEksServer(nodegroups());
    const endpoint = server.endpoint;
    await server.close();
    server = undefined;
    const e = await errorOf(api(endpoint).size(GPU));
    expect(e).toMatchObject({ code: 'unavailable', retryable: true });
    expect(e.message).toMatch(/ECONNREFUSED/);
  });
});
