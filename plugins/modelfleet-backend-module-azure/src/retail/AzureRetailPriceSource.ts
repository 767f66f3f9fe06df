import {
  CapacityType,
  PriceFilter,
  PriceQuote,
  PriceSource,
} from '@modelfleet/plugin-modelfleet-node';
import { azureGpuSize } from './azureGpuSizes';
import { PRICE_FLAGS } from './priceFlags';
import {
  parseRetailPage,
  readItemKey,
  readRetailItem,
  RetailItem,
} from './retailPage';

/**
 * The Azure VM size prefixes read by default: the GPU families NC, ND and NV.
 *
 * @public
 */
export const DEFAULT_AZURE_GPU_SKU_PREFIXES: readonly string[] = [
  'Standard_NC',
  'Standard_ND',
  'Standard_NV',
];

/**
 * Options of {@link AzureRetailPriceSource}.
 *
 * @public
 */
export interface AzureRetailPriceSourceOptions {
  /** Azure regions (`armRegionName`, e.g. `eastus`) whose prices are read. */
  regions: string[];
  /** Defaults to `https://prices.azure.com`. */
  baseUrl?: string;
  /**
   * VM sizes read: `armSkuName` prefixes or whole names, compared without
   * regard to case. Defaults to {@link DEFAULT_AZURE_GPU_SKU_PREFIXES}.
   */
  skuPrefixes?: string[];
  /** Requests per page before a throttled page (HTTP 429 or 503) is an error. Defaults to 5. */
  maxAttempts?: number;
  /** Longest `Retry-After` the source waits; a longer one is an error at once. Defaults to 60 s. */
  maxRetryWaitMs?: number;
  /** Timeout of one request. Defaults to 30 s. */
  timeoutMs?: number;
  /** Most pages read per query before giving up. Defaults to 1000. */
  maxPages?: number;
}

const API_VERSION = '2023-01-01-preview';

/** An OData string literal: single quotes doubled. */
const odata = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Milliseconds a throttled response asks to wait, or an exponential backoff. */
export function retryAfterMs(header: string | null, attempt: number): number {
  const value = header?.trim();
  if (value && /^\d+$/.test(value)) return Number(value) * 1000;
  if (value) {
    const at = Date.parse(value);
    if (Number.isFinite(at)) return Math.max(0, at - Date.now());
  }
  return Math.min(1000 * 2 ** (attempt - 1), 30_000);
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * Live Azure list prices of GPU VM sizes from the Azure Retail Prices API
 * (`GET https://prices.azure.com/api/retail/prices`, no credentials), per
 * configured region: Linux consumption prices per hour, on-demand and spot
 * (`… Spot` meters; `… Low Priority` meters are skipped), with the GPUs of
 * each size from a table of the Azure N-series.
 *
 * @public
 */
export class AzureRetailPriceSource implements PriceSource {
  readonly id = 'azure-retail-prices';
  private readonly baseUrl: string;
  private readonly origin: string;
  private readonly prefixes: string[];

  constructor(private readonly options: AzureRetailPriceSourceOptions) {
    this.baseUrl = (options.baseUrl ?? 'https://prices.azure.com').replace(
      /\/+$/,
      '',
    );
    this.origin = new URL(this.baseUrl).origin;
    this.prefixes = (options.skuPrefixes ?? DEFAULT_AZURE_GPU_SKU_PREFIXES).map(
      p => p.toLowerCase(),
    );
  }

  /** Whether a VM size is one this source reads. */
  isWanted(armSkuName: string): boolean {
    const name = armSkuName.toLowerCase();
    return this.prefixes.some(p => name.startsWith(p));
  }

  /**
   * Quotes of the configured regions (a filter can narrow them, not add
   * others) and sizes; on-demand and spot where Azure lists them.
   */
  async listPrices(filter: PriceFilter = {}): Promise<PriceQuote[]> {
    if (filter.provider && filter.provider !== 'azure') return [];
    const regions = filter.regions
      ? this.options.regions.filter(r => filter.regions!.includes(r))
      : this.options.regions;
    let skus: string[] | undefined;
    if (filter.instanceTypes) {
      skus = filter.instanceTypes.filter(t => this.isWanted(t));
      if (skus.length === 0) return [];
    }
    const wantedSkus = skus && new Set(skus.map(s => s.toLowerCase()));
    const observedAt = new Date().toISOString();

    const latest = new Map<string, RetailItem & { capacity: CapacityType }>();
    for (const region of regions) {
      for (const sku of skus ?? [undefined]) {
        const what = `Azure retail prices for ${region}${sku ? ` ${sku}` : ''}`;
        let query = `serviceName eq 'Virtual Machines' and armRegionName eq ${odata(
          region,
        )} and priceType eq 'Consumption'`;
        if (sku) query += ` and armSkuName eq ${odata(sku)}`;
        for await (const { items, at } of this.pages(query, what)) {
          items.forEach((raw, i) => {
            const item = this.wantedItem(raw, `${at}: Items[${i}]`);
            if (!item || item.armRegionName !== region) return;
            if (wantedSkus && !wantedSkus.has(item.armSkuName.toLowerCase()))
              return;
            const key = `${region}\u0000${item.armSkuName}\u0000${item.capacity}`;
            const seen = latest.get(key);
            if (
              !seen ||
              Date.parse(item.effectiveStartDate) >
                Date.parse(seen.effectiveStartDate)
            ) {
              latest.set(key, item);
            }
          });
        }
      }
    }
    return this.toQuotes([...latest.values()], observedAt);
  }

  /** The item as a price of a wanted size, or undefined when it is not one. */
  private wantedItem(
    raw: unknown,
    at: string,
  ): (RetailItem & { capacity: CapacityType }) | undefined {
    const key = readItemKey(raw, at);
    if (!key.armSkuName || !this.isWanted(key.armSkuName)) return undefined;
    if (/windows/i.test(key.productName)) return undefined;
    const meter = key.meterName.trim();
    if (/\blow priority$/i.test(meter)) return undefined;
    const item = readRetailItem(raw, at);
    if (item.type !== undefined && item.type !== 'Consumption')
      return undefined;
    if (item.isPrimaryMeterRegion === false) return undefined;
    if (item.unitOfMeasure !== '1 Hour') return undefined;
    if (item.currencyCode !== 'USD') {
      throw new Error(
        `${at}.currencyCode is '${item.currencyCode}', expected USD`,
      );
    }
    return { ...item, capacity: /\bspot$/i.test(meter) ? 'spot' : 'on-demand' };
  }

  private toQuotes(
    items: Array<RetailItem & { capacity: CapacityType }>,
    observedAt: string,
  ): PriceQuote[] {
    const onDemand = new Map(
      items
        .filter(i => i.capacity === 'on-demand')
        .map(i => [`${i.armRegionName}\u0000${i.armSkuName}`, i.retailPrice]),
    );
    return items
      .map((item): PriceQuote => {
        const gpu = azureGpuSize(item.armSkuName);
        const flags: string[] = [];
        if (item.retailPrice === 0) flags.push(PRICE_FLAGS.zeroPlaceholder);
        if (item.capacity === 'spot') {
          const od = onDemand.get(
            `${item.armRegionName}\u0000${item.armSkuName}`,
          );
          if (od !== undefined && item.retailPrice > od) {
            flags.push(PRICE_FLAGS.spotAboveOnDemand);
          } else if (od !== undefined && item.retailPrice === od && od > 0) {
            flags.push(PRICE_FLAGS.spotEqualsOnDemand);
          }
        }
        if (gpu && gpu.count < 1) flags.push(PRICE_FLAGS.fractionalGpu);
        return {
          provider: 'azure',
          instanceType: item.armSkuName,
          region: item.armRegionName,
          capacityType: item.capacity,
          usdPerHour: item.retailPrice,
          ...(gpu
            ? {
                gpu: {
                  product: gpu.product,
                  count: gpu.count,
                  memoryMiB: Math.round(gpu.memoryGiB * 1024),
                },
              }
            : {}),
          source: this.id,
          observedAt,
          flags,
        };
      })
      .sort(
        (a, b) =>
          a.region.localeCompare(b.region) ||
          a.instanceType.localeCompare(b.instanceType) ||
          a.capacityType.localeCompare(b.capacityType),
      );
  }

  /** Every page of a query, following `NextPageLink`. */
  private async *pages(
    filter: string,
    what: string,
  ): AsyncGenerator<{ items: unknown[]; at: string }> {
    let url = `${
      this.baseUrl
    }/api/retail/prices?api-version=${API_VERSION}&meterRegion=${encodeURIComponent(
      "'primary'",
    )}&$filter=${encodeURIComponent(filter)}`;
    const maxPages = this.options.maxPages ?? 1000;
    for (let n = 1; ; n++) {
      const at = `${what}, page ${n}`;
      const body = await this.getJson(url, at);
      let page;
      try {
        page = parseRetailPage(body);
      } catch (e) {
        throw new Error(`${at}: ${(e as Error).message}`);
      }
      yield { items: page.items, at };
      if (!page.nextPageLink) return;
      let next: URL;
      try {
        next = new URL(page.nextPageLink);
      } catch {
        throw new Error(
          `${at}: NextPageLink '${page.nextPageLink}' is not a URL`,
        );
      }
      if (next.origin !== this.origin) {
        throw new Error(
          `${at}: NextPageLink points to ${next.origin}, not ${this.origin}`,
        );
      }
      if (next.href === url) {
        throw new Error(`${at}: NextPageLink repeats the page just read`);
      }
      if (n >= maxPages) {
        throw new Error(`${what}: more than ${maxPages} pages, stopped`);
      }
      url = next.href;
    }
  }

  /** GETs JSON, waiting and retrying while the API throttles (HTTP 429, 503). */
  private async getJson(url: string, at: string): Promise<unknown> {
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? 5);
    const maxWait = this.options.maxRetryWaitMs ?? 60_000;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, {
          headers: { accept: 'application/json' },
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
      } catch (e) {
        const cause = (e as any)?.cause?.code ?? (e as Error).message;
        throw new Error(`${at}: ${this.origin} did not answer (${cause})`);
      }
      const text = await res.text();
      if (res.status === 429 || res.status === 503) {
        const header = res.headers.get('retry-after');
        if (attempt >= maxAttempts) {
          throw new Error(
            `${at}: the API is throttling (HTTP ${res.status}${
              header ? `, Retry-After ${header}` : ''
            }) and answered ${maxAttempts} attempts the same way; try again later`,
          );
        }
        const wait = retryAfterMs(header, attempt);
        if (wait > maxWait) {
          throw new Error(
            `${at}: the API is throttling (HTTP ${
              res.status
            }) and asks to wait ${Math.ceil(
              wait / 1000,
            )} s, longer than the ${Math.ceil(
              maxWait / 1000,
            )} s this source waits`,
          );
        }
        await sleep(wait);
        continue;
      }
      if (!res.ok) {
        throw new Error(`${at}: HTTP ${res.status}: ${text.slice(0, 300)}`);
      }
      try {
        return JSON.parse(text);
      } catch {
        throw new Error(
          `${at}: HTTP ${res.status}, the body is not JSON: ${text.slice(
            0,
            200,
          )}`,
        );
      }
    }
  }
}
