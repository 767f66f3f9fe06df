import { resolvePackagePath } from '@backstage/backend-plugin-api';
import path from 'node:path';
import { DemoCluster, DemoModel, DemoPool } from '../../definition';
import { SimClock } from '../clock';
import { readLoadLatencies } from '../controllers/kubelet';
import { SimulatedCluster, SimulatedClusterOptions } from '../SimulatedCluster';
import { START } from './apiServer';

export const dataDir = resolvePackagePath(
  '@modelfleet/plugin-modelfleet-backend-module-demo',
  'data',
);
export const LATENCIES = readLoadLatencies(
  path.join(dataDir, 'alibaba-gentd26', 'basemodel_update_latency_anon.csv'),
);

const CLUSTERS: Record<'aws' | 'gcp' | 'azure', DemoCluster> = {
  aws: {
    name: 'test-aws',
    provider: 'aws',
    region: 'us-east-1',
    zones: ['us-east-1a', 'us-east-1b'],
  },
  gcp: {
    name: 'test-gcp',
    provider: 'gcp',
    region: 'us-central1',
    zones: ['us-central1-a', 'us-central1-c'],
  },
  azure: {
    name: 'test-azure',
    provider: 'azure',
    region: 'eastus',
    zones: ['eastus-1', 'eastus-2'],
  },
};

export const clusterOf = (provider: 'aws' | 'gcp' | 'azure'): DemoCluster =>
  CLUSTERS[provider];

const INSTANCE_TYPES = {
  aws: 'g6.xlarge',
  gcp: 'g2-standard-8',
  azure: 'Standard_NV36ads_A10_v5',
};

export function pool(
  cluster: DemoCluster,
  name: string,
  extra: Partial<DemoPool> = {},
): DemoPool {
  return {
    cluster: cluster.name,
    name,
    instanceType: INSTANCE_TYPES[cluster.provider as 'aws' | 'gcp' | 'azure'],
    capacityType: 'on-demand',
    gpu: { product: 'L4', memoryMiB: 23040, perNode: 1, sharing: 'whole' },
    nodes: { min: 0, max: 2 },
    idleNodes: 0,
    billedUsdPerNodeHour: 1,
    ...extra,
  };
}

export function model(
  cluster: DemoCluster,
  id: string,
  poolName: string,
  replicas: number,
  extra: Partial<DemoModel> = {},
): DemoModel {
  return {
    id,
    team: 'search-team',
    namespace: 'search',
    parametersBillions: 8,
    precision: 'bf16',
    runtime: 'vllm',
    deployment: {
      cluster: cluster.name,
      pool: poolName,
      replicas,
      gpusPerReplica: 1,
    },
    ...extra,
  };
}

/** A cluster on a manual clock, with load times from the measured ones. */
export async function startCluster(
  options: Omit<SimulatedClusterOptions, 'clock'> & { start?: number },
) {
  const clock = new SimClock({ mode: 'manual', start: options.start ?? START });
  const sim = await SimulatedCluster.start({
    loadLatencies: LATENCIES,
    ...options,
    clock,
  });
  return { clock, sim };
}
