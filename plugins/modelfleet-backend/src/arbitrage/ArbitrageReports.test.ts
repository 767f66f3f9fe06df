import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { GpuPoolStatus } from '@modelfleet/plugin-modelfleet-common';
import { PriceQuote } from '@modelfleet/plugin-modelfleet-node';
import { ModelTargets } from '../actions/ModelTargets';
import { createActuatorDirectory } from '../actions/actuatorDirectory';
import { MemoryActuator } from '../__testUtils__/MemoryActuator';
import { FleetStateStore } from '../database/FleetStateStore';
import { HibernationStore } from '../database/HibernationStore';
import { PriceBookStore } from '../database/PriceBookStore';
import { PolicyService } from '../policy/PolicyService';
import { readPolicyConfig } from '../policy/policyConfig';
import { ArbitrageReports } from './ArbitrageReports';
import { createPoolRisk } from './poolRisk';

const workload = {
  cluster: 'c1',
  namespace: 'vision',
  kind: 'Deployment' as const,
  name: 'sdxl',
};

const pool = (
  name: string,
  over: Partial<GpuPoolStatus> = {},
): GpuPoolStatus => ({
  cluster: 'c1',
  name,
  provider: 'aws',
  region: 'us-east-1',
  zones: ['us-east-1a'],
  instanceType: 'g6.xlarge',
  capacityType: 'on-demand',
  gpu: {
    product: 'NVIDIA-L4',
    memoryMiB: 23_034,
    perNode: 1,
    sharing: 'whole',
  },
  nodes: { current: 2, max: 10 },
  gpus: { allocatable: 2, allocated: 2 },
  observedAt: '2026-12-04T12:00:00Z',
  stale: false,
  demo: false,
  ...over,
});

const quote = (
  instanceType: string,
  capacityType: 'on-demand' | 'spot',
  usdPerHour: number,
): PriceQuote => ({
  provider: 'aws',
  instanceType,
  region: 'us-east-1',
  capacityType,
  usdPerHour,
  source: 'bundled-catalog',
  observedAt: '2026-12-01T00:00:00Z',
});

async function reports(spec: Record<string, unknown> = {}) {
  const cluster = new MemoryActuator(['c1']);
  cluster.addModel(workload, 2);
  const actuators = createActuatorDirectory(() => [cluster]);
  const fleet = {
    listWorkloads: async () => [
      {
        ...workload,
        modelId: 'sdxl',
        replicas: { desired: 2, ready: 2 },
        gpusPerReplica: 1,
        pool: 'l4-ondemand',
      },
    ],
    listPools: async () => [
      pool('l4-ondemand'),
      pool('l4-spot', { capacityType: 'spot' }),
      pool('l4-big', {
        instanceType: 'g6.12xlarge',
        gpu: {
          product: 'NVIDIA-L4',
          memoryMiB: 23_034,
          perNode: 4,
          sharing: 'whole',
        },
      }),
      pool('t4', {
        instanceType: 'g4dn.xlarge',
        gpu: {
          product: 'NVIDIA-T4',
          memoryMiB: 15_360,
          perNode: 1,
          sharing: 'whole',
        },
      }),
    ],
  } as unknown as FleetStateStore;
  const prices = {
    latest: async () => [
      quote('g6.xlarge', 'on-demand', 0.805),
      quote('g6.xlarge', 'spot', 0.32),
      quote('g6.12xlarge', 'on-demand', 4.6),
      quote('g4dn.xlarge', 'on-demand', 0.526),
    ],
  } as unknown as PriceBookStore;
  const entity = {
    apiVersion: 'modelfleet.io/v1alpha1',
    kind: 'Model',
    metadata: { name: 'sdxl', namespace: 'default' },
    spec: {
      owner: 'group:default/vision-team',
      workload,
      gpu: { count: 1, memoryGiB: 18 },
      parametersBillions: 3.5,
      precision: 'fp16',
      ...spec,
    },
  };
  const policies = new PolicyService(
    readPolicyConfig(
      new ConfigReader({
        modelfleet: {
          policies: {
            teams: {
              'vision-team': { arbitrage: { minSavingsPercent: 20 } },
            },
          },
        },
      }),
    ),
  );
  return new ArbitrageReports({
    targets: new ModelTargets({
      catalog: catalogServiceMock({ entities: [entity] }),
      fleet,
      actuators,
    }),
    fleet,
    wakes: { wakes: async () => [] } as unknown as HibernationStore,
    policies,
    candidates: {
      prices,
      liveSources: () => [],
      assumedAddableNodes: 10,
    },
    risk: createPoolRisk({
      preemptionsPerNodeMonth: 3,
      availability: 0.995,
      source: 'test prior',
    }),
    settings: {
      provisioningSeconds: 180,
      drainSeconds: 60,
      defaultLoadSeconds: 90,
      paybackHorizonHours: 168,
      minAvailability: 0.99,
    },
  });
}

const credentials = mockCredentials.user();
const allow = async () => undefined;

describe('ArbitrageReports', () => {
  it("prices a model on every pool it may run on, and names the move that clears its team's policy", async () => {
    const r = await (
      await reports()
    ).report('default', 'sdxl', credentials, allow);
    expect(r).toMatchObject({
      entityRef: 'model:default/sdxl',
      mode: 'recommend',
      minSavingsPercent: 20,
      replicas: 2,
      gpusPerReplica: 1,
      currentMonthlyUsd: 2 * 0.805 * 730,
    });
    // Cheapest first; the big node's share is its price over its 4 GPUs.
    expect(r.options.map(o => [o.title, o.current])).toEqual([
      ['l4-spot (c1)', false],
      ['l4-ondemand (c1)', true],
      ['l4-big (c1)', false],
    ]);
    const spot = r.options[0];
    expect(spot.monthlyUsd).toBeCloseTo(2 * 0.32 * 730, 6);
    expect(spot.preemptionsPerMonth).toBeCloseTo(6, 9);
    expect(spot.riskSource).toBe('test prior');
    expect(spot.move!.usd).toBeGreaterThan(0);
    expect(r.options[2].monthlyUsd).toBeCloseTo((2 * 4.6 * 730) / 4, 6);
    // The T4 has too little memory for 18 GiB.
    expect(r.excluded).toEqual([
      expect.objectContaining({ title: 't4 (c1)', code: 'gpu-memory' }),
    ]);
    expect(r.opportunity).toMatchObject({ to: spot.pool });
    expect(r.opportunity!.savingPercent).toBeGreaterThan(55);
    expect(r.reason).toMatch(
      /^to l4-spot \(c1\) \(aws us-east-1, spot\): \$708 a month less \(60.2 %\)/,
    );
  });

  it('keeps a model that forbids spot off spot, and says why no move clears the policy', async () => {
    const r = await (
      await reports({ policy: { spot: 'forbid' } })
    ).report('default', 'sdxl', credentials, allow);
    expect(r.options.map(o => o.title)).toEqual([
      'l4-ondemand (c1)',
      'l4-big (c1)',
    ]);
    expect(r.opportunity).toBeUndefined();
    expect(r.reason).toMatch(
      /^no move clears the policy: the closest, l4-big \(c1\), saves -?[\d.]+ % over 168 h after the move's cost, under 20 %$/,
    );
  });

  it('says what it cannot price, and asks the caller may see the costs first', async () => {
    const denied = (await reports()).report(
      'default',
      'sdxl',
      credentials,
      async () => {
        throw new Error('not allowed');
      },
    );
    await expect(denied).rejects.toThrow('not allowed');
    await expect(
      (await reports()).report('default', 'nope', credentials, allow),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});

void mockServices;
