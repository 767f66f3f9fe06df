import { PlacementPool, PlacementRequest, Rejection } from './types';

/** GPU memory one unit of a pool has (a GPU, or its share under MIG/time-slicing). */
export function unitMemoryMiB(pool: PlacementPool): number {
  return pool.gpu.memoryMiB / (pool.gpu.replicasPerGpu ?? 1);
}

/** Units one node of a pool offers. */
export function unitsPerNode(pool: PlacementPool): number {
  return pool.gpu.perNode * (pool.gpu.replicasPerGpu ?? 1);
}

const tolerates = (
  r: PlacementRequest,
  t: NonNullable<PlacementPool['taints']>[number],
) =>
  (r.tolerations ?? []).some(
    x =>
      x.key === t.key &&
      (x.value === undefined || x.value === t.value) &&
      (x.effect === undefined || x.effect === t.effect),
  );

/**
 * The test of {@link rejectionOf} for one request, with what does not depend
 * on the pool worked out once: for testing many pools.
 */
export function rejecter(
  r: PlacementRequest,
): (pool: PlacementPool) => Rejection | undefined {
  const allowed = r.allowedGpuTypes && new Set(r.allowedGpuTypes);
  const allowedText = r.allowedGpuTypes?.join(', ');
  const regions = r.regions && new Set(r.regions);
  const regionsText = r.regions?.join(', ');
  const neededGiB = Math.round(r.memoryMiB / 1024);
  return pool => {
    const reject = (code: Rejection['code'], reason: string): Rejection => ({
      pool: pool.ref,
      code,
      reason,
    });
    if (allowed && !allowed.has(pool.gpu.product)) {
      return reject(
        'gpu-type',
        `GPU ${pool.gpu.product} is not allowed (allowed: ${allowedText})`,
      );
    }
    const memory = unitMemoryMiB(pool) * r.gpusPerReplica;
    if (memory < r.memoryMiB) {
      return reject(
        'gpu-memory',
        `${r.gpusPerReplica} × ${Math.round(
          unitMemoryMiB(pool) / 1024,
        )} GiB of GPU memory per replica, ${neededGiB} GiB needed`,
      );
    }
    if (r.gpusPerReplica > unitsPerNode(pool)) {
      return reject(
        'gpu-memory',
        `a replica needs ${
          r.gpusPerReplica
        } GPU units, a node has ${unitsPerNode(pool)}`,
      );
    }
    if (r.spot === 'forbid' && pool.capacityType === 'spot') {
      return reject(
        'spot-forbidden',
        'spot capacity is forbidden for this model',
      );
    }
    if (r.spot === 'require' && pool.capacityType !== 'spot') {
      return reject(
        'spot-required',
        `the model runs on spot capacity only; the pool is ${pool.capacityType}`,
      );
    }
    if (regions && !regions.has(pool.region)) {
      return reject(
        'region',
        `region ${pool.region} is not allowed (allowed: ${regionsText})`,
      );
    }
    const taint = (pool.taints ?? []).find(
      t => t.effect !== 'PreferNoSchedule' && !tolerates(r, t),
    );
    if (taint) {
      return reject(
        'taint',
        `taint ${taint.key}${taint.value ? `=${taint.value}` : ''}:${
          taint.effect
        } is not tolerated`,
      );
    }
    if (pool.usdPerNodeHour === null) {
      return reject('no-price', 'no price is known for its machines');
    }
    if (pool.freeUnits < r.gpusPerReplica && pool.addableNodes <= 0) {
      return reject(
        'no-capacity',
        'no free GPU units and no node can be added',
      );
    }
    return undefined;
  };
}

/**
 * Whether a pool can take replicas of a model; the first reason it cannot,
 * in the order a user would fix them.
 */
export function rejectionOf(
  r: PlacementRequest,
  pool: PlacementPool,
): Rejection | undefined {
  return rejecter(r)(pool);
}
