import {
  GpuPoolStatus,
  ModelServing,
  ModelWorkloadObservation,
  poolEntityName,
  ServingReplicas,
  SPREAD_ROLE,
} from '@modelfleet/plugin-modelfleet-common';
import { fallbackName } from '../engines/arbitrage/fallbackPlan';

/** The GpuPool entity ref of a pool of a cluster. */
export const poolRefOf = (cluster: string, pool: string) =>
  `gpupool:default/${poolEntityName(cluster, pool)}`.toLocaleLowerCase('en-US');

function replicasOf(
  w: ModelWorkloadObservation,
  pools: GpuPoolStatus[],
  titleOf: (ref: string) => string | undefined,
): ServingReplicas {
  const status = pools.find(p => p.cluster === w.cluster && p.name === w.pool);
  const ref = w.pool ? poolRefOf(w.cluster, w.pool) : undefined;
  const title = ref ? titleOf(ref) : undefined;
  return {
    name: w.name,
    ...(ref ? { pool: ref } : {}),
    ...(title ? { title } : {}),
    ...(status ? { capacityType: status.capacityType } : {}),
    desired: w.replicas.desired,
    ready: w.replicas.ready,
  };
}

/**
 * Whether a workload is a spot companion of the model's own: a Deployment
 * of the spread (`modelfleet.io/role: spot-spread`) named after it, in its
 * namespace, on a spot pool of its cluster or of another cluster (the
 * spread reaches other clusters' spot pools, its Service exported there).
 */
export const isSpreadOf = (
  w: Pick<ModelWorkloadObservation, 'role' | 'namespace' | 'name'>,
  own: Pick<ModelWorkloadObservation, 'namespace' | 'name'>,
) =>
  w.role === SPREAD_ROLE &&
  w.namespace === own.namespace &&
  w.name.startsWith(`${own.name}-on-`);

/**
 * How a model is served now, from the fleet's workloads: its own
 * Deployment (with replicas under a reclaim notice or waiting for a node)
 * its on-demand stand-in, the spot fallback's, when one exists, and its
 * spot companions on other spot pools (see {@link isSpreadOf}).
 */
export function modelServing(
  own: ModelWorkloadObservation,
  workloads: ModelWorkloadObservation[],
  pools: GpuPoolStatus[],
  titleOf: (ref: string) => string | undefined,
): ModelServing {
  const standIn = workloads.find(
    w =>
      w.role &&
      w.cluster === own.cluster &&
      w.namespace === own.namespace &&
      w.name === fallbackName(own.name),
  );
  const spread = workloads
    .filter(w => isSpreadOf(w, own))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    primary: {
      ...replicasOf(own, pools, titleOf),
      underNotice: own.reclaim?.replicas ?? 0,
      ...(own.reclaim ? { noticedAt: own.reclaim.noticedAt } : {}),
      waitingForNode: own.unscheduled?.pods ?? 0,
      ...(own.unscheduled ? { waitingSince: own.unscheduled.since } : {}),
    },
    ...(standIn ? { standIn: replicasOf(standIn, pools, titleOf) } : {}),
    ...(spread.length
      ? { spread: spread.map(w => replicasOf(w, pools, titleOf)) }
      : {}),
  };
}
