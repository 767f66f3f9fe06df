import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { GpuPoolStatus } from '@modelfleet/plugin-modelfleet-common';
import { PriceQuote } from '@modelfleet/plugin-modelfleet-node';
import { ModelTargets } from '../../actions/ModelTargets';
import { createActuatorDirectory } from '../../actions/actuatorDirectory';
import { MemoryActuator } from '../../__testUtils__/MemoryActuator';
import { FleetStateStore } from '../../database/FleetStateStore';
import { HibernationStore } from '../../database/HibernationStore';
import { PriceBookStore } from '../../database/PriceBookStore';
import { PolicyService } from '../../policy/PolicyService';
import { readPolicyConfig } from '../../policy/policyConfig';
import { ArbitrageReports, ArbitrageReportsOptions } from '../ArbitrageReports';
import { createPoolRisk } from '../poolRisk';

export const workload = {
  cluster: 'c1',
  namespace: 'vision',
  kind: 'Deployment' as const,
  name: 'sdxl',
};

export const pool = (
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

/** The tests' spot prior. */
export const TEST_PRIOR = {
  preemptionsPerNodeMonth: 3,
  availability: 0.995,
  source: 'a test',
};

/**
 * The what-if with the tests' settings: a prior of 3 preemptions a node
 * month at 99.5 % availability, 180 s provisioning, a week's payback.
 */
export function testArbitrageReports(
  o: Pick<
    ArbitrageReportsOptions,
    'targets' | 'fleet' | 'policies' | 'candidates'
  >,
  risk: Pick<ArbitrageReportsOptions, 'risk' | 'refreshRisk'> = {
    risk: createPoolRisk(TEST_PRIOR),
  },
) {
  return new ArbitrageReports({
    ...o,
    wakes: { wakes: async () => [] } as unknown as HibernationStore,
    ...risk,
    settings: {
      provisioningSeconds: 180,
      drainSeconds: 60,
      defaultLoadSeconds: 90,
      paybackHorizonHours: 168,
      minAvailability: 0.99,
    },
  });
}

/**
 * The what-if of `sdxl` (2 replicas on `l4-ondemand` of cluster c1) over
 * pools of c1 and `extraPools`, on a memory cluster for each of `clusters`.
 */
export function reportsFixture(
  spec: Record<string, unknown> = {},
  extraPools: GpuPoolStatus[] = [],
  clusters: string[] = ['c1'],
) {
  const cluster = new MemoryActuator(clusters);
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
      ...extraPools,
    ],
  } as unknown as FleetStateStore;
  const prices = {
    latest: async () => [
      quote('g6.xlarge', 'on-demand', 0.805),
      quote('g6.xlarge', 'spot', 0.32),
      quote('g6.2xlarge', 'spot', 0.42),
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
  const targets = new ModelTargets({
    catalog: catalogServiceMock({ entities: [entity] }),
    fleet,
    actuators,
  });
  const candidates = {
    prices,
    liveSources: () => [],
    assumedAddableNodes: 10,
  };
  const reports = testArbitrageReports({
    targets,
    fleet,
    policies,
    candidates: candidates,
  });
  return {
    reports,
    targets,
    fleet,
    actuators,
    cluster,
    candidates,
    policies,
    entity,
  };
}
