import {
  GpuPoolStatus,
  PlacementPoolSummary,
  poolEntityName,
} from '@modelfleet/plugin-modelfleet-common';
import { PriceQuote } from '@modelfleet/plugin-modelfleet-node';
import { PlacementPool } from '../engines/placement';
import { resolvePoolPrice } from '../engines/showback';
import type { PlacementServiceOptions } from './PlacementService';
import { poolScheduling } from './scheduling';

const BUNDLED = 'bundled-catalog';

/** The settings {@link placementCandidates} reads. */
export type PlacementCandidateSources = Pick<
  PlacementServiceOptions,
  'prices' | 'liveSources' | 'assumedAddableNodes'
>;

/** Pools of the connected clusters, priced from the price book. */
export async function placementCandidates(
  statuses: GpuPoolStatus[],
  sources: PlacementCandidateSources,
) {
  const liveSources = sources.liveSources();
  const byPlace = new Map<string, GpuPoolStatus[]>();
  for (const p of statuses) {
    const key = `${p.provider}|${p.region ?? ''}`;
    byPlace.set(key, [...(byPlace.get(key) ?? []), p]);
  }
  const now = new Date();
  const out = [];
  for (const [key, list] of byPlace) {
    const [provider, region] = key.split('|');
    const instanceTypes = [
      ...new Set(list.map(p => p.instanceType).filter(Boolean)),
    ] as string[];
    const quotes: PriceQuote[] =
      region && instanceTypes.length
        ? await sources.prices.latest({
            provider: provider as GpuPoolStatus['provider'],
            regions: [region],
            instanceTypes,
          })
        : [];
    for (const p of list) {
      const price = resolvePoolPrice(
        {
          poolRef: p.name,
          provider: p.provider,
          region: p.region ?? '',
          // Zones are named differently by the clusters (us-east-1a) and the
          // price lists (use1-az1): the region's cheapest zone is quoted.
          zone: '',
          instanceType: p.instanceType ?? '',
          capacityType: p.capacityType,
        },
        quotes,
        now,
        { bundledSource: BUNDLED, liveSources },
      );
      const prov = price.provenance[0];
      const summary: PlacementPoolSummary = {
        ref: `gpupool:default/${poolEntityName(
          p.cluster,
          p.name,
        )}`.toLocaleLowerCase('en-US'),
        title: `${p.name} (${p.cluster})`,
        cluster: p.cluster,
        provider: p.provider,
        region: p.region ?? '',
        ...(p.instanceType ? { instanceType: p.instanceType } : {}),
        capacityType: p.capacityType,
        gpu: {
          product: p.gpu.product,
          memoryMiB: p.gpu.memoryMiB ?? 0,
          perNode: p.gpu.perNode,
          sharing: p.gpu.sharing,
        },
      };
      const maxKnown = p.nodes.max !== undefined;
      const addableNodes = maxKnown
        ? Math.max(0, p.nodes.max! - p.nodes.current)
        : sources.assumedAddableNodes;
      const pool: PlacementPool = {
        ref: summary.ref,
        provider: p.provider,
        region: p.region ?? '',
        capacityType: p.capacityType,
        ...(p.instanceType ? { instanceType: p.instanceType } : {}),
        ...(p.zones.length ? { zones: p.zones } : {}),
        gpu: {
          product: p.gpu.product,
          memoryMiB: p.gpu.memoryMiB ?? 0,
          perNode: p.gpu.perNode,
          replicasPerGpu: p.gpu.replicasPerGpu,
        },
        usdPerNodeHour: price.usdPerNodeHour,
        freeUnits: Math.max(0, p.gpus.allocatable - p.gpus.allocated),
        addableNodes,
      };
      out.push({
        summary,
        pool,
        stale: p.stale,
        scheduling: poolScheduling(p),
        priceSource: prov
          ? `${prov.source}${prov.note ? ` (${prov.note})` : ''}`
          : 'none',
        capacitySource: maxKnown
          ? `${p.nodes.current} of at most ${p.nodes.max} nodes running, from the cluster`
          : `node maximum unknown; up to ${addableNodes} more nodes assumed (modelfleet.placement.assumedAddableNodes)`,
      });
    }
  }
  return out;
}
