import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { mockServices } from '@backstage/backend-test-utils';
import { ActuatorError } from '@modelfleet/plugin-modelfleet-node';
import {
  AgentPoolProperties,
  ArmAgentPools,
  startArmAgentPools,
} from '../__testUtils__/armAgentPools';
import {
  makeTestCertificate,
  TestCertificate,
} from '../__testUtils__/loopback';
import { AKS_ACTION_STEP_TAG } from './agentPools';
import { AksNodePoolApi, AksNodePoolApiOptions } from './AksNodePoolApi';

jest.setTimeout(30_000);

const SUB = '6f1a2b3c-0000-4000-8000-00000000a001';
const RG = 'ml-gpu-eastus';
const AKS = 'aks-gpu-eastus';
const KEY = (pool: string) => `${SUB}/${RG}/${AKS}/${pool}`;
const POOL_URL = (pool: string) =>
  `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ContainerService/managedClusters/${AKS}/agentPools/${pool}`;

/** An autoscaled A100 user pool as AKS returns it. */
const a100 = (
  over: Partial<AgentPoolProperties> = {},
): AgentPoolProperties => ({
  eTag: 'etag-0',
  count: 2,
  minCount: 2,
  maxCount: 6,
  enableAutoScaling: true,
  vmSize: 'Standard_NC24ads_A100_v4',
  osDiskSizeGB: 128,
  osType: 'Linux',
  osSKU: 'Ubuntu',
  mode: 'User',
  type: 'VirtualMachineScaleSets',
  orchestratorVersion: '1.31.2',
  scaleSetPriority: 'Regular',
  nodeLabels: { 'modelfleet.io/gpu': 'a100' },
  nodeTaints: ['nvidia.com/gpu=present:NoSchedule'],
  tags: { team: 'ml' },
  upgradeSettings: { maxSurge: '10%' },
  provisioningState: 'Succeeded',
  powerState: { code: 'Running' },
  ...over,
});

/** A credential that hands out a fixed token and records the scopes asked. */
class StaticTokenCredential implements TokenCredential {
  readonly scopes: string[] = [];
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(...[scopes].flat());
    return { token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

describe('AksNodePoolApi', () => {
  let cert: TestCertificate;
  let arm: ArmAgentPools;
  const logger = mockServices.logger.mock();

  beforeAll(async () => {
    cert = makeTestCertificate();
    arm = await startArmAgentPools(cert);
  });
  afterAll(() => arm?.close());
  beforeEach(() => {
    arm.requests.length = 0;
    arm.pools.clear();
    arm.failures = [];
    arm.lro = 'sync';
    arm.afterGet = undefined;
    arm.delayMs = 0;
    arm.pools.set(KEY('a100'), a100());
    jest.clearAllMocks();
  });

  const api = (
    options: Partial<AksNodePoolApiOptions> = {},
    credential = new StaticTokenCredential(),
  ) =>
    new AksNodePoolApi({
      credential,
      clusters: {
        'gpu-east': { subscriptionId: SUB, resourceGroup: RG, aksCluster: AKS },
      },
      endpoint: arm.base,
      logger,
      pollIntervalMs: 10,
      clientOptions: {
        tlsOptions: { ca: cert.cert },
        retryOptions: {
          maxRetries: 1,
          retryDelayInMs: 5,
          maxRetryDelayInMs: 10,
        },
      },
      ...options,
    });
  const ref = { cluster: 'gpu-east', pool: 'a100' };
  const puts = () => arm.requests.filter(r => r.method === 'PUT');

  it('lists the configured clusters', async () => {
    await expect(api().listClusters()).resolves.toEqual(['gpu-east']);
  });

  it('reads the size from agentPools.get, with a token for the endpoint', async () => {
    const credential = new StaticTokenCredential();
    await expect(api({}, credential).size(ref)).resolves.toEqual({
      min: 2,
      max: 6,
      desired: 2,
    });
    expect(arm.requests).toHaveLength(1);
    const [get] = arm.requests;
    expect(get.method).toBe('GET');
    expect(new URL(get.url, arm.base).pathname).toBe(POOL_URL('a100'));
    expect(new URL(get.url, arm.base).searchParams.get('api-version')).toMatch(
      /^\d{4}-\d{2}-\d{2}/,
    );
    expect(credential.scopes).toEqual([`${arm.base}/.default`]);
  });

  it('lowers the minimum, sending the pool as read with only minCount changed', async () => {
    const result = await api().setMinimum(ref, 0, { actionStep: 'k1#2' });
    expect(result).toEqual({ previous: { min: 2, max: 6, desired: 2 } });
    const [put] = puts();
    expect(put.headers['if-match']).toBe('etag-0');
    const { properties } = JSON.parse(put.body);
    const { eTag: _eTag, provisioningState: _state, ...asRead } = a100();
    expect(properties).toEqual(
      expect.objectContaining({
        ...asRead,
        minCount: 0,
        count: 2,
        maxCount: 6,
        tags: { team: 'ml', [AKS_ACTION_STEP_TAG]: 'k1#2' },
      }),
    );
    expect(arm.pools.get(KEY('a100'))).toMatchObject({ minCount: 0, count: 2 });
    expect(logger.info).toHaveBeenCalledWith(
      'gpu-east: set minCount of AKS agent pool a100 from 2 to 0 (maxCount 6) (action step k1#2)',
    );
  });

  it('is idempotent: a second call at the same minimum writes nothing', async () => {
    await api().setMinimum(ref, 0);
    const again = await api().setMinimum(ref, 0);
    expect(again.previous).toEqual({ min: 0, max: 6, desired: 2 });
    expect(puts()).toHaveLength(1);
    expect(arm.requests.map(r => r.method)).toEqual(['GET', 'PUT', 'GET']);
  });

  it('raises count to a raised minimum only where it is below', async () => {
    arm.pools.set(KEY('a100'), a100({ count: 1, minCount: 0 }));
    await api().setMinimum(ref, 3);
    expect(JSON.parse(puts()[0].body).properties).toMatchObject({
      minCount: 3,
      count: 3,
      maxCount: 6,
    });
    arm.pools.set(KEY('a100'), a100({ count: 5, minCount: 0 }));
    await api().setMinimum(ref, 3);
    expect(JSON.parse(puts()[1].body).properties).toMatchObject({
      minCount: 3,
      count: 5,
    });
  });

  it('follows a long-running update through Azure-AsyncOperation', async () => {
    arm.lro = 'async';
    await api().setMinimum(ref, 1);
    expect(
      arm.requests.map(r =>
        `${r.method} ${new URL(r.url, arm.base).pathname}`.replace(
          /op-\d+$/,
          'op-n',
        ),
      ),
    ).toEqual([
      `GET ${POOL_URL('a100')}`,
      `PUT ${POOL_URL('a100')}`,
      'GET /operations/op-n',
      'GET /operations/op-n',
      `GET ${POOL_URL('a100')}`,
    ]);
    expect(arm.pools.get(KEY('a100'))).toMatchObject({ minCount: 1 });
  });

  it('dry run reads and checks, and writes nothing', async () => {
    await expect(api().setMinimum(ref, 0, { dryRun: true })).resolves.toEqual({
      previous: { min: 2, max: 6, desired: 2 },
    });
    await expect(api().setMinimum(ref, 7, { dryRun: true })).rejects.toThrow(
      'above the pool',
    );
    expect(puts()).toHaveLength(0);
    expect(logger.info).not.toHaveBeenCalled();
  });

  it.each([
    [7, "gpu-east: agent pool a100: minimum 7 is above the pool's maximum 6"],
    [-1, 'minimum -1 is not a whole number'],
    [0.5, 'minimum 0.5 is not a whole number'],
  ])('refuses minimum %p as invalid', async (min, message) => {
    const err = await api()
      .setMinimum(ref, min)
      .catch(e => e);
    expect(err).toBeInstanceOf(ActuatorError);
    expect(err).toMatchObject({ code: 'invalid', retryable: false });
    expect(err.message).toContain(message);
    expect(puts()).toHaveLength(0);
  });

  it('keeps a System pool at one node at least', async () => {
    arm.pools.set(KEY('a100'), a100({ mode: 'System' }));
    await expect(api().setMinimum(ref, 0)).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('System agent pool keeps at least 1'),
    });
  });

  it('refuses a pool with autoscaling off', async () => {
    arm.pools.set(
      KEY('a100'),
      a100({
        enableAutoScaling: false,
        minCount: undefined,
        maxCount: undefined,
      }),
    );
    for (const call of [
      () => api().size(ref),
      () => api().setMinimum(ref, 0),
    ]) {
      await expect(call()).rejects.toMatchObject({
        code: 'invalid',
        retryable: false,
        message: `gpu-east: autoscaling is off for agent pool a100 of AKS cluster ${AKS}: a fixed-size pool has no minimum to lower; scale it with az aks nodepool scale`,
      });
    }
    expect(puts()).toHaveLength(0);
  });

  it('reports a missing pool as notFound, with ARM message', async () => {
    const err = await api()
      .size({ cluster: 'gpu-east', pool: 'h100' })
      .catch(e => e);
    expect(err).toMatchObject({
      code: 'notFound',
      retryable: false,
      status: 404,
    });
    expect(err.message).toBe(
      `gpu-east: agent pool h100 of AKS cluster ${RG}/${AKS}: HTTP 404 NotFound: The agent pool 'h100' of managed cluster '${AKS}' in resource group '${RG}' was not found.`,
    );
  });

  it('maps ARM errors to actuator codes', async () => {
    const cases: [number, string, string, boolean][] = [
      [403, 'AuthorizationFailed', 'forbidden', false],
      [401, 'InvalidAuthenticationToken', 'unauthorized', false],
      [409, 'OperationNotAllowed', 'conflict', true],
      [429, 'TooManyRequests', 'unavailable', true],
      [500, 'InternalServerError', 'unavailable', true],
      [400, 'InvalidParameter', 'invalid', false],
    ];
    for (const [status, armCode, code, retryable] of cases) {
      // Twice: the client retries throttling and 5xx once.
      arm.failures = [
        {
          method: 'PUT',
          status,
          code: armCode,
          message: `${armCode} said ARM`,
        },
        {
          method: 'PUT',
          status,
          code: armCode,
          message: `${armCode} said ARM`,
        },
      ];
      const err = await api()
        .setMinimum(ref, 1)
        .catch(e => e);
      expect(err).toBeInstanceOf(ActuatorError);
      expect({ code: err.code, retryable: err.retryable }).toEqual({
        code,
        retryable,
      });
      expect(err.message).toContain(
        `gpu-east: agent pool a100: setting minCount to 1: HTTP ${status} ${armCode}: ${armCode} said ARM`,
      );
    }
  });

  it('maps a 403 on the read to forbidden', async () => {
    arm.failures = [
      {
        method: 'GET',
        status: 403,
        code: 'AuthorizationFailed',
        message:
          "The client does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/agentPools/read'",
      },
    ];
    await expect(api().size(ref)).rejects.toMatchObject({
      code: 'forbidden',
      retryable: false,
      message: expect.stringContaining('agentPools/read'),
    });
  });

  it('reports a pool changed since it was read as a retryable conflict', async () => {
    // Another writer changes the pool between the read and the PUT.
    arm.afterGet = key =>
      arm.pools.set(key, { ...arm.pools.get(key)!, eTag: 'etag-other' });
    await expect(api().setMinimum(ref, 1)).rejects.toMatchObject({
      code: 'conflict',
      retryable: true,
      status: 412,
      message: expect.stringContaining('PreconditionFailed'),
    });
    expect(arm.pools.get(KEY('a100'))).toMatchObject({ minCount: 2 });
  });

  it('reports a refused connection as retryable', async () => {
    const err = await api({ endpoint: 'https://127.0.0.1:1' })
      .size(ref)
      .catch(e => e);
    expect(err).toMatchObject({ code: 'unavailable', retryable: true });
  });

  it('reports an ARM that does not answer in time as a retryable timeout', async () => {
    arm.delayMs = 500;
    const err = await api({ requestTimeoutMs: 50 })
      .size(ref)
      .catch(e => e);
    expect(err).toBeInstanceOf(ActuatorError);
    expect(err).toMatchObject({ code: 'timeout', retryable: true });
    expect(err.message).toContain('gpu-east: agent pool a100');
  });

  it('refuses clusters and pool names it does not manage', async () => {
    await expect(
      api().size({ cluster: 'other', pool: 'a100' }),
    ).rejects.toMatchObject({ code: 'unknownCluster' });
    await expect(
      api().size({ cluster: 'gpu-east', pool: '../x' }),
    ).rejects.toMatchObject({ code: 'invalid' });
    expect(arm.requests).toHaveLength(0);
  });
});
