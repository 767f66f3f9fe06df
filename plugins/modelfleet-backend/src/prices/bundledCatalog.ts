import { CloudProvider } from '@modelfleet/plugin-modelfleet-common';
import { PriceQuote } from '@modelfleet/plugin-modelfleet-node';
import { parse } from 'csv-parse/sync';
import { PRICE_FLAGS } from './priceFlags';

export { isCheapestEligible, PRICE_FLAGS } from './priceFlags';

/** Where the bundled prices come from, and when they were copied. */
export const BUNDLED_SOURCE =
  'bundled-catalog (skypilot-catalog v9 AWS/GCP, v6 Azure)';
export const BUNDLED_OBSERVED_AT = '2026-11-24T00:00:00.000Z';

/** Machines whose GPU count in the source is known to be wrong. */
const SUSPECT_GPU_COUNTS: Record<string, number> = {
  // The source lists 12; the VM has 8 × H100.
  Standard_ND96isr_H100_v5: 8,
};

function price(value: string, field: string, row: number): number | null {
  if (value === undefined || value.trim() === '') return null; // unknown, never zero
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    throw new Error(`row ${row}: ${field} '${value}' is not a price`);
  }
  return n;
}

function quotesOf(
  base: Omit<PriceQuote, 'capacityType' | 'usdPerHour' | 'flags'>,
  onDemand: number | null,
  spot: number | null,
  flags: string[],
): PriceQuote[] {
  const od: PriceQuote = {
    ...base,
    capacityType: 'on-demand',
    usdPerHour: onDemand,
    flags:
      onDemand === 0 ? [...flags, PRICE_FLAGS.zeroPlaceholder] : [...flags],
  };
  const spotFlags = [...flags];
  if (spot === 0) spotFlags.push(PRICE_FLAGS.zeroPlaceholder);
  if (spot !== null && onDemand !== null && spot > onDemand) {
    spotFlags.push(PRICE_FLAGS.spotAboveOnDemand);
  }
  if (spot !== null && onDemand !== null && spot === onDemand && spot > 0) {
    spotFlags.push(PRICE_FLAGS.spotEqualsOnDemand);
  }
  return [
    od,
    { ...base, capacityType: 'spot', usdPerHour: spot, flags: spotFlags },
  ];
}

/**
 * Quotes from `gpu_prices.csv` for AWS and Azure (GCP machine rows there are
 * host prices only; see {@link parseGcpDerived}).
 */
export function parseGpuPrices(csv: string): PriceQuote[] {
  const rows: Record<string, string>[] = parse(csv, {
    columns: true,
    skip_empty_lines: true,
  });
  const quotes: PriceQuote[] = [];
  rows.forEach((r, i) => {
    const row = i + 2;
    if (r.provider !== 'aws' && r.provider !== 'azure') return;
    const count = Number(r.gpu_count);
    if (!(count > 0))
      throw new Error(
        `row ${row}: gpu_count '${r.gpu_count}' is not a positive number`,
      );
    const flags: string[] = [];
    let gpuCount = count;
    if (SUSPECT_GPU_COUNTS[r.instance_type] !== undefined) {
      flags.push(PRICE_FLAGS.gpuCountSuspect);
      gpuCount = SUSPECT_GPU_COUNTS[r.instance_type];
    }
    if (count < 1) flags.push(PRICE_FLAGS.fractionalGpu);
    const memory = Number(r.gpu_memory_gib);
    quotes.push(
      ...quotesOf(
        {
          provider: r.provider as CloudProvider,
          instanceType: r.instance_type,
          region: r.region,
          ...(r.zone ? { zone: r.zone } : {}),
          gpu: {
            product: r.gpu,
            count: gpuCount,
            ...(memory > 0 ? { memoryMiB: Math.round(memory * 1024) } : {}),
          },
          source: BUNDLED_SOURCE,
          observedAt: BUNDLED_OBSERVED_AT,
        },
        price(r.on_demand_usd_per_hour, 'on_demand_usd_per_hour', row),
        price(r.spot_usd_per_hour, 'spot_usd_per_hour', row),
        flags,
      ),
    );
  });
  return quotes;
}

/**
 * Quotes for GCP GPU machines: host price plus attached-GPU price per zone,
 * from `gcp_host_plus_gpu_DERIVED.csv`. A 0.0 host price (a4-highgpu-8g) is a
 * placeholder: the sum is flagged, not trusted.
 */
export function parseGcpDerived(
  csv: string,
  memoryGiBByGpu: Map<string, number>,
): PriceQuote[] {
  const rows: Record<string, string>[] = parse(csv, {
    columns: true,
    skip_empty_lines: true,
  });
  return rows.flatMap((r, i) => {
    const row = i + 2;
    const hostOd = price(r.host_on_demand, 'host_on_demand', row);
    const hostSpot = price(r.host_spot, 'host_spot', row);
    const flags: string[] = [PRICE_FLAGS.derivedHostPlusGpu];
    if (hostOd === 0 || hostSpot === 0) flags.push(PRICE_FLAGS.zeroPlaceholder);
    const memory = memoryGiBByGpu.get(r.gpu);
    return quotesOf(
      {
        provider: 'gcp',
        instanceType: r.instance_type,
        region: r.region,
        ...(r.zone ? { zone: r.zone } : {}),
        gpu: {
          product: r.gpu,
          count: Number(r.gpu_count),
          ...(memory ? { memoryMiB: Math.round(memory * 1024) } : {}),
        },
        source: `${BUNDLED_SOURCE}, GCP host + gpu-attach`,
        observedAt: BUNDLED_OBSERVED_AT,
      },
      price(r.sum_on_demand_DERIVED, 'sum_on_demand_DERIVED', row),
      price(r.sum_spot_DERIVED, 'sum_spot_DERIVED', row),
      flags,
    );
  });
}

/** GPU memory per GCP GPU name, from the GCP rows of `gpu_prices.csv`. */
export function gcpGpuMemory(csv: string): Map<string, number> {
  const rows: Record<string, string>[] = parse(csv, {
    columns: true,
    skip_empty_lines: true,
  });
  const memory = new Map<string, number>();
  for (const r of rows) {
    const gib = Number(r.gpu_memory_gib);
    if (r.provider === 'gcp' && gib > 0 && !memory.has(r.gpu))
      memory.set(r.gpu, gib);
  }
  return memory;
}
