import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  clusterEntityName,
  ClusterStatus,
  GPU_POOL_KIND,
  GpuPoolEntityV1alpha1,
  GpuPoolObservation,
  MODELFLEET_API_VERSION,
  poolEntityName,
} from '@modelfleet/plugin-modelfleet-common';

export { poolEntityName };

/** Annotation naming the cluster a GpuPool or cluster Resource came from. */
export const ANNOTATION_CLUSTER = 'modelfleet.io/cluster';
/** Annotation naming the pool in its platform. */
export const ANNOTATION_POOL = 'modelfleet.io/pool';
/** Annotation set to "true" on entities of the simulated demo fleet. */
export const ANNOTATION_DEMO = 'modelfleet.io/demo';

/** A pool declared in config: it scales from zero, so there are no nodes to discover. */
export type DeclaredPool = Omit<
  GpuPoolObservation,
  'nodes' | 'gpus' | 'zones'
> & {
  zones?: string[];
  nodes: { min?: number; max: number };
};

const round2 = (n: number) => Math.round(n * 100) / 100;

/** A discovered or declared pool as a `GpuPool` entity. */
export function gpuPoolEntity(
  pool: GpuPoolObservation | DeclaredPool,
  options: { owner: string; location: string; demo?: boolean },
): GpuPoolEntityV1alpha1 {
  const { gpu } = pool;
  const memoryGiB = gpu.memoryMiB ? round2(gpu.memoryMiB / 1024) : undefined;
  const annotations: Record<string, string> = {
    [ANNOTATION_LOCATION]: options.location,
    [ANNOTATION_ORIGIN_LOCATION]: options.location,
    [ANNOTATION_CLUSTER]: pool.cluster,
    [ANNOTATION_POOL]: pool.name,
  };
  if (options.demo) annotations[ANNOTATION_DEMO] = 'true';
  const tags = [pool.provider, gpu.product, pool.capacityType]
    .map(t =>
      t
        .toLocaleLowerCase('en-US')
        .replace(/[^a-z0-9+#]+/g, '-')
        .replace(/^-+|-+$/g, ''),
    )
    .filter(Boolean);
  return {
    apiVersion: MODELFLEET_API_VERSION,
    kind: GPU_POOL_KIND,
    metadata: {
      name: poolEntityName(pool.cluster, pool.name),
      title: `${pool.name} (${pool.cluster})`,
      description: `${gpu.perNode}× ${gpu.product}${
        memoryGiB ? ` ${memoryGiB} GiB` : ''
      } per node, ${pool.instanceType ?? 'unknown instance type'}, ${
        pool.capacityType
      }, ${pool.region ?? 'unknown region'}`,
      annotations,
      tags: [...new Set(tags)],
    },
    spec: {
      owner: options.owner,
      cluster: `resource:default/${clusterEntityName(pool.cluster)}`,
      provider: pool.provider,
      region: pool.region ?? 'unknown',
      ...(pool.zones?.length ? { zones: pool.zones } : {}),
      instanceType: pool.instanceType ?? 'unknown',
      capacityType: pool.capacityType,
      gpu: {
        product: gpu.product,
        ...(memoryGiB ? { memoryGiB } : {}),
        perNode: gpu.perNode,
        sharing: gpu.sharing,
        ...(gpu.replicasPerGpu ? { replicasPerGpu: gpu.replicasPerGpu } : {}),
      },
      nodes: {
        ...(pool.nodes.min !== undefined ? { min: pool.nodes.min } : {}),
        ...(pool.nodes.max !== undefined ? { max: pool.nodes.max } : {}),
      },
    },
  };
}

/** A connected cluster as a `Resource` of type `kubernetes-cluster`. */
export function clusterEntity(
  cluster: Pick<ClusterStatus, 'name' | 'provider' | 'region' | 'demo'>,
  options: { owner: string; location: string },
): Entity {
  const annotations: Record<string, string> = {
    [ANNOTATION_LOCATION]: options.location,
    [ANNOTATION_ORIGIN_LOCATION]: options.location,
    [ANNOTATION_CLUSTER]: cluster.name,
  };
  if (cluster.demo) annotations[ANNOTATION_DEMO] = 'true';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: clusterEntityName(cluster.name),
      title: cluster.name,
      description: `Kubernetes cluster on ${cluster.provider}${
        cluster.region ? ` in ${cluster.region}` : ''
      }${cluster.demo ? ' (simulated demo fleet)' : ''}`,
      annotations,
      tags: [cluster.provider],
    },
    spec: { type: 'kubernetes-cluster', owner: options.owner },
  };
}
