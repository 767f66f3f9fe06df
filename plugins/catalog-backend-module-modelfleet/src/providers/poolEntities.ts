import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  ClusterStatus,
  GPU_POOL_KIND,
  GpuPoolEntityV1alpha1,
  GpuPoolObservation,
  MODELFLEET_API_VERSION,
} from '@modelfleet/plugin-modelfleet-common';

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

/**
 * A catalog entity name for a pool: `<cluster>.<pool>`, made of the
 * characters entity names allow and at most 63 long.
 */
export function poolEntityName(cluster: string, pool: string): string {
  const clean = (s: string) =>
    s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  let name = `${clean(cluster)}.${clean(pool)}`;
  if (name.length > 63) {
    let h = 0;
    for (const ch of `${cluster}/${pool}`)
      h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
    name = `${name.slice(0, 54).replace(/[-.]+$/, '')}-${h
      .toString(36)
      .slice(0, 8)}`;
  }
  return name;
}

/** A catalog entity name for a cluster. */
export function clusterEntityName(cluster: string): string {
  return poolEntityName(cluster, '').replace(/\.$/, '').slice(0, 63);
}

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
