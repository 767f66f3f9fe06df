/*
 * Prices → pools: one pool per provider × region × GPU × GPUs per node ×
 * on-demand/spot, at the cheapest instance type and zone with a trusted
 * price. Capacity (`addableNodes`) is dealt later (capacity.ts).
 */
import { PriceQuote } from '@modelfleet/plugin-modelfleet-node';
import fs from 'node:fs';
import path from 'node:path';
import { PlacementPool } from '../../src/engines/placement';
import { BundledPriceSource } from '../../src/prices/BundledPriceSource';
import {
  gcpGpuMemory,
  isCheapestEligible,
  parseGcpDerived,
  parseGpuPrices,
} from '../../src/prices/bundledCatalog';
import { UNITS_PER_GPU } from './trace';

/** arm64 GPUs: the trace's containers are x86. */
const ARM_GPUS = new Set(['T4g']);

/** The quotes of a price folder (the bundled catalog's layout) or of one CSV file. */
export async function loadQuotes(where: string): Promise<PriceQuote[]> {
  if (fs.statSync(where).isDirectory()) {
    return new BundledPriceSource(where).listPrices();
  }
  const csv = fs.readFileSync(where, 'utf8');
  const header = csv.slice(0, csv.indexOf('\n'));
  if (header.includes('sum_on_demand_DERIVED')) {
    const prices = path.join(path.dirname(where), 'gpu_prices.csv');
    return parseGcpDerived(
      csv,
      fs.existsSync(prices)
        ? gcpGpuMemory(fs.readFileSync(prices, 'utf8'))
        : new Map(),
    );
  }
  // gpu_prices.csv format: AWS and Azure rows (GCP rows there are host-only).
  return parseGpuPrices(csv);
}

export interface Pools {
  pools: PlacementPool[];
  quotes: number;
  /** Quotes not used, by reason. */
  excluded: Record<string, number>;
}

export function buildPools(quotes: PriceQuote[]): Pools {
  const excluded: Record<string, number> = {};
  const skip = (why: string) => (excluded[why] = (excluded[why] ?? 0) + 1);
  const best = new Map<string, PriceQuote>();
  for (const q of quotes) {
    if (!isCheapestEligible(q)) {
      skip(
        q.usdPerHour === null
          ? 'unknown price'
          : `flagged (${(q.flags ?? []).join(', ') || 'zero'})`,
      );
      continue;
    }
    if (!q.gpu || !(q.gpu.count >= 1) || !Number.isInteger(q.gpu.count)) {
      skip('fractional GPU');
      continue;
    }
    if (!q.gpu.memoryMiB) {
      skip('GPU memory unknown');
      continue;
    }
    if (ARM_GPUS.has(q.gpu.product)) {
      skip('arm64 (T4g)');
      continue;
    }
    const key = [
      q.provider,
      q.region,
      q.gpu.product,
      q.gpu.count,
      q.capacityType,
    ].join('|');
    const b = best.get(key);
    if (!b || q.usdPerHour! < b.usdPerHour!) best.set(key, q);
  }
  const pools = [...best.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, q]) => ({
      ref: `gpupool:default/${q.provider}-${q.region}-${q.instanceType
        .replace(/[^a-z0-9]+/gi, '-')
        .toLowerCase()}-${q.capacityType}`,
      provider: q.provider,
      region: q.region,
      capacityType: q.capacityType,
      gpu: {
        product: q.gpu!.product,
        memoryMiB: q.gpu!.memoryMiB!,
        perNode: q.gpu!.count,
        replicasPerGpu: UNITS_PER_GPU,
      },
      usdPerNodeHour: q.usdPerHour,
      freeUnits: 0,
      addableNodes: 0,
    }));
  return { pools, quotes: quotes.length, excluded };
}
