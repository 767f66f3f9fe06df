import {
  Filter,
  GetProductsCommand,
  PricingClient,
} from '@aws-sdk/client-pricing';
import {
  PriceFilter,
  PriceQuote,
  PriceSource,
} from '@modelfleet/plugin-modelfleet-node';
import { AwsClientOptions, awsCallError, sdkClientConfig } from './client';
import { gpuOf, selects } from './gpuInstances';
import { PRICE_FLAGS, readPrice } from './priceFlags';

/**
 * Options of {@link AwsPricingPriceSource}.
 *
 * @public
 */
export interface AwsPricingPriceSourceOptions extends AwsClientOptions {
  /** Regions whose prices are read, e.g. `us-east-1`. */
  regions: string[];
  /** Instance types (`g5.xlarge`) or families (`g5`) to price. */
  instanceTypes: string[];
  /**
   * Region of the Price List Query API endpoint (it is served from
   * us-east-1, eu-central-1 and ap-south-1). Defaults to us-east-1.
   */
  pricingRegion?: string;
}

/** A decoded `PriceList` entry: only what the source reads. */
interface PriceListItem {
  product?: { sku?: string; attributes?: Record<string, unknown> };
  terms?: {
    OnDemand?: Record<
      string,
      {
        priceDimensions?: Record<
          string,
          { unit?: unknown; pricePerUnit?: Record<string, unknown> }
        >;
      }
    >;
  };
  publicationDate?: string;
}

const BASE_FILTERS: Filter[] = [
  { Type: 'TERM_MATCH', Field: 'operatingSystem', Value: 'Linux' },
  { Type: 'TERM_MATCH', Field: 'tenancy', Value: 'Shared' },
  { Type: 'TERM_MATCH', Field: 'preInstalledSw', Value: 'NA' },
  { Type: 'TERM_MATCH', Field: 'capacitystatus', Value: 'Used' },
];

/**
 * The Price List filter of one instance selector: an exact instance type is
 * a term match; a family is the instance types containing `<family>.`, which
 * the parser narrows to the family exactly.
 */
function selectorFilter(selector: string): Filter {
  return selector.includes('.')
    ? { Type: 'TERM_MATCH', Field: 'instanceType', Value: selector }
    : { Type: 'CONTAINS', Field: 'instanceType', Value: `${selector}.` };
}

/**
 * The JSON of one `PriceList` entry. The SDK hands these over as strings (or
 * string-like objects); a parsed object is accepted too.
 */
function decode(entry: unknown, field: string): PriceListItem {
  if (
    entry !== null &&
    typeof entry === 'object' &&
    !(entry instanceof String)
  ) {
    return entry as PriceListItem;
  }
  if (typeof entry !== 'string' && !(entry instanceof String)) {
    throw new Error(`${field} is not a JSON string`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(entry));
  } catch (e) {
    throw new Error(`${field} is not valid JSON: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${field} is not a JSON object`);
  }
  return parsed as PriceListItem;
}

function hourlyUsd(
  item: PriceListItem,
  field: string,
): { usdPerHour: number | null; flags: string[] } {
  const onDemand = item.terms?.OnDemand;
  if (onDemand === undefined) return { usdPerHour: null, flags: [] };
  if (onDemand === null || typeof onDemand !== 'object') {
    throw new Error(`${field}.terms.OnDemand is not an object`);
  }
  for (const [offer, term] of Object.entries(onDemand)) {
    const dims = term?.priceDimensions;
    if (dims === undefined) continue;
    if (dims === null || typeof dims !== 'object') {
      throw new Error(
        `${field}.terms.OnDemand.${offer}.priceDimensions is not an object`,
      );
    }
    for (const [rate, dim] of Object.entries(dims)) {
      const unit = String(dim?.unit ?? '').toLowerCase();
      if (unit !== 'hrs' && unit !== 'hours') continue;
      return readPrice(
        dim.pricePerUnit?.USD,
        `${field}.terms.OnDemand.${offer}.priceDimensions.${rate}.pricePerUnit.USD`,
      );
    }
  }
  return { usdPerHour: null, flags: [] };
}

/**
 * Turns one `PriceList` entry into a quote; undefined for products that are
 * not of the queried family or not plain on-demand capacity. Throws naming
 * the field of a malformed entry.
 */
export function parsePriceListItem(
  entry: unknown,
  field: string,
  expect: { region: string; selector: string },
  readAt: string,
): PriceQuote | undefined {
  const item = decode(entry, field);
  const attributes = item.product?.attributes;
  if (!attributes || typeof attributes !== 'object') {
    throw new Error(`${field}.product.attributes is missing`);
  }
  const instanceType = attributes.instanceType;
  if (typeof instanceType !== 'string' || instanceType === '') {
    throw new Error(`${field}.product.attributes.instanceType is missing`);
  }
  const regionCode = attributes.regionCode;
  if (typeof regionCode !== 'string' || regionCode === '') {
    throw new Error(`${field}.product.attributes.regionCode is missing`);
  }
  if (regionCode !== expect.region) {
    throw new Error(
      `${field}.product.attributes.regionCode is '${regionCode}', asked for '${expect.region}'`,
    );
  }
  // CONTAINS 'g6.' would also match a family ending in g6; keep the asked one.
  if (!selects(expect.selector, instanceType)) return undefined;
  // Capacity Blocks and other market options are not on-demand list prices.
  const market = attributes.marketoption;
  if (typeof market === 'string' && market !== 'OnDemand') return undefined;

  let gpuCount: number | undefined;
  if (attributes.gpu !== undefined && attributes.gpu !== 'NA') {
    gpuCount = Number(attributes.gpu);
    if (!Number.isFinite(gpuCount) || gpuCount < 0) {
      throw new Error(
        `${field}.product.attributes.gpu ${JSON.stringify(
          attributes.gpu,
        )} is not a GPU count`,
      );
    }
  }
  const gpu = gpuOf(instanceType, gpuCount || undefined);
  const { usdPerHour, flags } = hourlyUsd(item, field);
  if (gpu && gpu.count < 1) flags.push(PRICE_FLAGS.fractionalGpu);
  const published = item.publicationDate
    ? new Date(item.publicationDate)
    : undefined;
  return {
    provider: 'aws',
    instanceType,
    region: regionCode,
    capacityType: 'on-demand',
    usdPerHour,
    ...(gpu ? { gpu } : {}),
    source: 'aws-pricing-api',
    observedAt:
      published && !Number.isNaN(published.getTime())
        ? published.toISOString()
        : readAt,
    flags,
  };
}

/**
 * On-demand list prices of GPU instances (Linux, shared tenancy) from the
 * AWS Price List Query API (`GetProducts`). A price that is absent is
 * `null`; a 0.0 price is `null` with the `zero-placeholder` flag.
 *
 * @public
 */
export class AwsPricingPriceSource implements PriceSource {
  readonly id = 'aws-pricing-api';
  private readonly client: PricingClient;

  constructor(private readonly options: AwsPricingPriceSourceOptions) {
    this.client = new PricingClient(
      sdkClientConfig(options.pricingRegion ?? 'us-east-1', options),
    );
  }

  async listPrices(filter: PriceFilter = {}): Promise<PriceQuote[]> {
    if (filter.provider && filter.provider !== 'aws') return [];
    const regions = this.options.regions.filter(
      r => !filter.regions || filter.regions.includes(r),
    );
    const selectors = this.selectors(filter.instanceTypes);
    const readAt = new Date().toISOString();
    const quotes = new Map<string, PriceQuote>();
    for (const region of regions) {
      for (const selector of selectors) {
        for (const quote of await this.query(region, selector, readAt)) {
          const key = `${quote.instanceType}|${quote.region}`;
          if (!quotes.has(key)) quotes.set(key, quote);
        }
      }
    }
    return [...quotes.values()];
  }

  /** Configured selectors, narrowed to the instance types asked for. */
  private selectors(asked?: string[]): string[] {
    const configured = this.options.instanceTypes;
    if (!asked) return configured;
    return [...new Set(asked)].filter(type =>
      configured.some(s => selects(s, type)),
    );
  }

  private async query(
    region: string,
    selector: string,
    readAt: string,
  ): Promise<PriceQuote[]> {
    const what = `AWS Pricing GetProducts (${region}, ${selector})`;
    const quotes: PriceQuote[] = [];
    let nextToken: string | undefined;
    let page = 0;
    do {
      let res;
      try {
        res = await this.client.send(
          new GetProductsCommand({
            ServiceCode: 'AmazonEC2',
            FormatVersion: 'aws_v1',
            Filters: [
              { Type: 'TERM_MATCH', Field: 'regionCode', Value: region },
              selectorFilter(selector),
              ...BASE_FILTERS,
            ],
            NextToken: nextToken,
            MaxResults: 100,
          }),
        );
      } catch (e) {
        throw awsCallError(what, e);
      }
      const list: unknown = res.PriceList ?? [];
      if (!Array.isArray(list)) {
        throw new Error(`${what}: PriceList of page ${page + 1} is not a list`);
      }
      for (const [i, entry] of list.entries()) {
        let quote: PriceQuote | undefined;
        try {
          quote = parsePriceListItem(
            entry,
            `PriceList[${i}]`,
            { region, selector },
            readAt,
          );
        } catch (e) {
          throw new Error(`${what}, page ${page + 1}: ${(e as Error).message}`);
        }
        if (quote) quotes.push(quote);
      }
      if (res.NextToken && res.NextToken === nextToken) {
        throw new Error(`${what}: NextToken repeats '${res.NextToken}'`);
      }
      nextToken = res.NextToken || undefined;
      page++;
    } while (nextToken);
    return quotes;
  }
}
