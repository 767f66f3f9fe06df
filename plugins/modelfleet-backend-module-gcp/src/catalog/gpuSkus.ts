import type { protos } from '@google-cloud/billing';
import { CapacityType, PriceQuote } from '@modelfleet/plugin-modelfleet-node';

/** A SKU of the Cloud Billing Catalog, as the client library decodes it. */
export type CatalogSku = protos.google.cloud.billing.v1.ISku;

/** Service id of Compute Engine in the Cloud Billing Catalog. */
export const COMPUTE_ENGINE_SERVICE_ID = '6F81-5844-456A';

/** Flags of the quotes (names shared with the backend's price flags). */
export const FLAGS = {
  spotAboveOnDemand: 'spot-above-on-demand',
  spotEqualsOnDemand: 'spot-equals-on-demand',
  zeroPlaceholder: 'zero-placeholder',
  /** The price of the GPU alone: the machine's cores and memory cost extra. */
  gpuAttachOnly: 'gpu-attach-only',
} as const;

/**
 * A GPU that Compute Engine attaches to VMs: the product name ModelFleet
 * uses (as in the bundled catalog), the accelerator type and its memory
 * (the accelerator's own GpuInfo).
 */
export interface GcpGpu {
  product: string;
  acceleratorType: string;
  memoryMiB: number;
}

const T4 = {
  product: 'T4',
  acceleratorType: 'nvidia-tesla-t4',
  memoryMiB: 16384,
};
const P4 = {
  product: 'P4',
  acceleratorType: 'nvidia-tesla-p4',
  memoryMiB: 8192,
};
const P100 = {
  product: 'P100',
  acceleratorType: 'nvidia-tesla-p100',
  memoryMiB: 16384,
};
const V100 = {
  product: 'V100',
  acceleratorType: 'nvidia-tesla-v100',
  memoryMiB: 16384,
};
const A100 = {
  product: 'A100',
  acceleratorType: 'nvidia-tesla-a100',
  memoryMiB: 40960,
};
const A100_80 = {
  product: 'A100-80GB',
  acceleratorType: 'nvidia-a100-80gb',
  memoryMiB: 81920,
};
const L4 = { product: 'L4', acceleratorType: 'nvidia-l4', memoryMiB: 24576 };
const H100 = {
  product: 'H100',
  acceleratorType: 'nvidia-h100-80gb',
  memoryMiB: 81920,
};
const H100_MEGA = {
  product: 'H100-MEGA',
  acceleratorType: 'nvidia-h100-mega-80gb',
  memoryMiB: 81920,
};
const H200 = {
  product: 'H200',
  acceleratorType: 'nvidia-h200-141gb',
  memoryMiB: 144384,
};
const B200 = {
  product: 'B200',
  acceleratorType: 'nvidia-b200',
  memoryMiB: 184320,
};

/**
 * GPUs by the model their SKU descriptions name, upper-cased, without the
 * `Nvidia` and `Tesla` words (`Nvidia Tesla A100 80GB GPU running in
 * Americas` → `A100 80GB`; newer SKUs drop `Nvidia`: `H200 141GB GPU ...`).
 */
const GPU_BY_MODEL: Record<string, GcpGpu> = {
  T4,
  P4,
  P100,
  V100,
  A100,
  'A100 40GB': A100,
  'A100 80GB': A100_80,
  L4,
  H100,
  'H100 80GB': H100,
  'H100 MEGA': H100_MEGA,
  'H100 80GB MEGA': H100_MEGA,
  'H100 MEGA 80GB': H100_MEGA,
  H200,
  'H200 141GB': H200,
  B200,
};

/** The accelerator types this source can price. */
export const GCP_GPU_ACCELERATOR_TYPES = new Set(
  Object.values(GPU_BY_MODEL).map(g => g.acceleratorType),
);

/**
 * `<model> [GPU] [attached to Spot Preemptible VMs] running in <location>`.
 * Commitments, sole-tenancy, DWS and virtual-workstation SKUs put other
 * words around the model, which then names no known GPU.
 */
const DESCRIPTION =
  /^(.+?) (?:GPU )?(?:attached to Spot Preemptible VMs )?running in .+$/;

/** The GPU a Compute Engine SKU description names, if it names a known one. */
export function gpuOfDescription(description: string): GcpGpu | undefined {
  const m = DESCRIPTION.exec(description.trim());
  if (!m) return undefined;
  const model = m[1]
    .replace(/^(?:Spot )?Preemptible /i, '')
    .replace(/^Nvidia /i, '')
    .replace(/^Tesla /i, '')
    .replace(/\s+/g, ' ')
    .toUpperCase();
  return GPU_BY_MODEL[model];
}

const CAPACITY: Record<string, CapacityType> = {
  OnDemand: 'on-demand',
  Preemptible: 'spot',
};

/** The hourly USD price of one GPU, read from one catalog SKU. */
export interface GpuSkuPrice {
  skuId: string;
  description: string;
  gpu: GcpGpu;
  capacityType: CapacityType;
  regions: string[];
  usdPerHour: number;
  /** When the price took effect (ISO 8601), if the SKU says. */
  effectiveTime?: string;
}

function amount(value: unknown, field: string, integer: boolean): number {
  const n = Number(typeof value === 'object' && value ? String(value) : value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new Error(`${field} ${JSON.stringify(value)} is not a number`);
  }
  return n;
}

function timestamp(value: unknown): string | undefined {
  if (!value) return undefined;
  if (typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : new Date(t).toISOString();
  }
  const { seconds, nanos } = value as { seconds?: unknown; nanos?: unknown };
  const s = Number(seconds ?? 0);
  const n = Number(nanos ?? 0);
  if (!Number.isFinite(s) || !Number.isFinite(n) || s <= 0) return undefined;
  return new Date(s * 1000 + Math.floor(n / 1e6)).toISOString();
}

/**
 * The price of a GPU SKU of Compute Engine (resource group `GPU`, usage type
 * `OnDemand` or `Preemptible`, a description naming a known GPU), or
 * undefined for any other SKU. The price is the unit price of the last tier
 * of the first pricing info, per hour, in USD. Throws naming the field when a
 * GPU SKU is malformed.
 */
export function gpuSkuPrice(sku: CatalogSku): GpuSkuPrice | undefined {
  const category = sku.category;
  if (category?.resourceFamily !== 'Compute') return undefined;
  if (category.resourceGroup !== 'GPU') return undefined;
  const capacityType = CAPACITY[String(category.usageType)];
  if (!capacityType) return undefined;
  const description = sku.description ?? '';
  const gpu = gpuOfDescription(description);
  if (!gpu) return undefined;

  const skuId = sku.skuId || '(no skuId)';
  const where = `SKU ${skuId} ('${description}')`;
  try {
    const regions = sku.serviceRegions ?? [];
    if (regions.length === 0) throw new Error('serviceRegions is empty');
    const info = sku.pricingInfo?.[0];
    if (!info) throw new Error('pricingInfo is empty');
    const expr = info.pricingExpression;
    const at = 'pricingInfo[0].pricingExpression';
    if (!expr) throw new Error(`${at} is missing`);
    if (expr.usageUnit !== 'h') {
      throw new Error(
        `${at}.usageUnit is ${JSON.stringify(
          expr.usageUnit ?? null,
        )}, expected 'h'`,
      );
    }
    const tiers = expr.tieredRates ?? [];
    if (tiers.length === 0) throw new Error(`${at}.tieredRates is empty`);
    const tierAt = `${at}.tieredRates[${tiers.length - 1}]`;
    const price = tiers[tiers.length - 1].unitPrice;
    if (!price) throw new Error(`${tierAt}.unitPrice is missing`);
    if (price.currencyCode !== 'USD') {
      throw new Error(
        `${tierAt}.unitPrice.currencyCode is ${JSON.stringify(
          price.currencyCode ?? null,
        )}, expected 'USD'`,
      );
    }
    const units = amount(price.units ?? 0, `${tierAt}.unitPrice.units`, true);
    const nanos = amount(price.nanos ?? 0, `${tierAt}.unitPrice.nanos`, true);
    const usdPerHour = Number((units + nanos / 1e9).toFixed(9));
    if (usdPerHour < 0) {
      throw new Error(`${tierAt}.unitPrice is negative (${usdPerHour})`);
    }
    return {
      skuId,
      description,
      gpu,
      capacityType,
      regions: [...regions],
      usdPerHour,
      effectiveTime: timestamp(info.effectiveTime),
    };
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
}

/**
 * Quotes per GPU, region and capacity type for the wanted regions. Where two
 * SKUs price the same GPU in the same region (a multi-region SKU and one of
 * that region alone), the one naming fewer regions wins. Spot prices at or
 * above on-demand and zero prices are flagged as in the bundled catalog.
 */
export function quotesOfGpuSkus(
  prices: GpuSkuPrice[],
  options: { regions: Iterable<string>; source: string; readAt: string },
): PriceQuote[] {
  const wanted = new Set(options.regions);
  const best = new Map<string, { price: GpuSkuPrice; region: string }>();
  for (const price of prices) {
    for (const region of price.regions) {
      if (!wanted.has(region)) continue;
      const key = `${price.gpu.acceleratorType}|${region}|${price.capacityType}`;
      const current = best.get(key);
      if (!current || price.regions.length < current.price.regions.length) {
        best.set(key, { price, region });
      }
    }
  }
  const onDemand = new Map<string, number>();
  for (const { price, region } of best.values()) {
    if (price.capacityType === 'on-demand') {
      onDemand.set(`${price.gpu.acceleratorType}|${region}`, price.usdPerHour);
    }
  }
  const quotes: PriceQuote[] = [];
  for (const { price, region } of best.values()) {
    const flags: string[] = [FLAGS.gpuAttachOnly];
    if (price.usdPerHour === 0) flags.push(FLAGS.zeroPlaceholder);
    const od = onDemand.get(`${price.gpu.acceleratorType}|${region}`);
    if (price.capacityType === 'spot' && od !== undefined) {
      if (price.usdPerHour > od) flags.push(FLAGS.spotAboveOnDemand);
      else if (price.usdPerHour === od && od > 0) {
        flags.push(FLAGS.spotEqualsOnDemand);
      }
    }
    quotes.push({
      provider: 'gcp',
      instanceType: price.gpu.acceleratorType,
      region,
      capacityType: price.capacityType,
      usdPerHour: price.usdPerHour,
      gpu: {
        product: price.gpu.product,
        count: 1,
        memoryMiB: price.gpu.memoryMiB,
      },
      source: options.source,
      observedAt: price.effectiveTime ?? options.readAt,
      flags,
    });
  }
  return quotes.sort(
    (a, b) =>
      a.region.localeCompare(b.region) ||
      a.instanceType.localeCompare(b.instanceType) ||
      a.capacityType.localeCompare(b.capacityType),
  );
}
