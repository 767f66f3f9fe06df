import {
  ModelPlacementsResponse,
  ModelWorkloadObservation,
} from '@modelfleet/plugin-modelfleet-common';
import { poolRefOf } from '../arbitrage/serving';
import { ModelLookup } from '../showback/ModelDirectory';

/**
 * Where each model runs now (pure): the pools of its workloads that hold
 * replicas, by Model ref, each list sorted. A model at zero replicas runs
 * nowhere and is left out (the catalog keeps the pool its entity names).
 * Workloads of a cluster that could not be read are left out too.
 */
export function currentPlacements(
  workloads: Array<ModelWorkloadObservation & { stale?: boolean }>,
  modelOf: ModelLookup,
): ModelPlacementsResponse['items'] {
  const byModel = new Map<string, Set<string>>();
  for (const w of workloads) {
    if (w.stale || !w.pool || w.replicas.desired <= 0) continue;
    const { modelRef } = modelOf(w);
    const pools = byModel.get(modelRef) ?? new Set<string>();
    pools.add(poolRefOf(w.cluster, w.pool));
    byModel.set(modelRef, pools);
  }
  return [...byModel]
    .map(([entityRef, pools]) => ({ entityRef, pools: [...pools].sort() }))
    .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
}
