import {
  ResourceGraphClient,
  ResourceGraphClientOptionalParams,
} from '@azure/arm-resourcegraph';
import type { TokenCredential } from '@azure/core-auth';
import {
  SpotRiskQuery,
  SpotRiskSignal,
  SpotRiskSource,
} from '@modelfleet/plugin-modelfleet-node';

/**
 * Options of {@link AzureSpotEvictionRateSource}.
 *
 * @public
 */
export interface AzureSpotEvictionRateSourceOptions {
  credential: TokenCredential;
  /** Regions whose pools are asked for; queries for others are ignored. */
  regions: string[];
  /** Azure Resource Manager endpoint. Defaults to `https://management.azure.com`. */
  endpoint?: string;
  /** More options of the SDK client (retries, TLS, proxy). */
  clientOptions?: Omit<ResourceGraphClientOptionalParams, 'endpoint'>;
  /** Most pages read before giving up. Defaults to 100. */
  maxPages?: number;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
}

// Standard_NC24ads_A100_v4; eastus2. Anything else never reaches the query.
const VM_SIZE = /^[A-Za-z0-9_-]{1,80}$/;
const LOCATION = /^[a-z0-9]{1,40}$/;

/** An eviction-rate band as Azure writes it: `0-5`, `5-10`, … `20+`. */
export function parseEvictionBand(
  text: string,
): { min: number; max?: number } | undefined {
  const t = text.replace(/\s+/g, '').replace(/%/g, '');
  const range = t.match(/^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/);
  if (range) {
    const min = Number(range[1]);
    const max = Number(range[2]);
    return min <= max && max <= 100 ? { min, max } : undefined;
  }
  const open = t.match(/^(\d+(?:\.\d+)?)\+$/);
  if (open && Number(open[1]) <= 100) return { min: Number(open[1]) };
  return undefined;
}

const quoted = (xs: string[]) => xs.map(x => `'${x}'`).join(', ');

/**
 * The spot eviction-rate band of each queried VM size in each region, from
 * Azure Resource Graph (`SpotResources`,
 * `microsoft.compute/skuspotevictionrate/location`), asked at the scope the
 * credential can read (Reader on the subscriptions is enough).
 *
 * @public
 */
export class AzureSpotEvictionRateSource implements SpotRiskSource {
  readonly id = 'azure-spot-eviction-rates';
  private readonly client: ResourceGraphClient;

  constructor(private readonly options: AzureSpotEvictionRateSourceOptions) {
    const endpoint = options.endpoint?.replace(/\/+$/, '');
    this.client = new ResourceGraphClient(options.credential, {
      ...options.clientOptions,
      ...(endpoint ? { endpoint } : {}),
    });
  }

  async listSpotRisk(
    queries: SpotRiskQuery[],
  ): Promise<{ signals: SpotRiskSignal[]; issues: string[] }> {
    const issues: string[] = [];
    const wanted = new Set<string>();
    const sizes = new Set<string>();
    const locations = new Set<string>();
    const regions = this.options.regions.map(r => r.toLowerCase());
    for (const q of queries) {
      const location = q.region.toLowerCase();
      if (q.provider !== 'azure' || !regions.includes(location)) continue;
      if (!VM_SIZE.test(q.instanceType) || !LOCATION.test(location)) {
        issues.push(
          `VM size '${q.instanceType}' in '${q.region}' is not an Azure VM size and region: not asked`,
        );
        continue;
      }
      sizes.add(q.instanceType.toLowerCase());
      locations.add(location);
      wanted.add(`${q.instanceType.toLowerCase()}|${location}`);
    }
    if (wanted.size === 0) return { signals: [], issues };
    // Only sizes and regions that passed the patterns above are quoted.
    const query = [
      'SpotResources',
      "| where type =~ 'microsoft.compute/skuspotevictionrate/location'",
      `| where location in~ (${quoted([...locations])})`,
      `| where tostring(sku.name) in~ (${quoted([...sizes])})`,
      '| project skuName = tostring(sku.name), location, evictionRate = tostring(properties.evictionRate)',
    ].join('\n');
    const what = 'Azure Resource Graph SpotResources (eviction rates)';
    const observedAt = (this.options.now?.() ?? new Date()).toISOString();
    const signals: SpotRiskSignal[] = [];
    let skipToken: string | undefined;
    let page = 0;
    do {
      if (page >= (this.options.maxPages ?? 100)) {
        throw new Error(`${what}: more than ${page} pages`);
      }
      let res;
      try {
        res = await this.client.resources({
          query,
          options: {
            resultFormat: 'objectArray',
            ...(skipToken ? { skipToken } : {}),
          },
        });
      } catch (e) {
        const err = e as {
          statusCode?: number;
          code?: string;
          message?: string;
        };
        throw new Error(
          `${what} failed: ${[
            err.statusCode ? `HTTP ${err.statusCode}` : undefined,
            err.code,
          ]
            .filter(Boolean)
            .join(' ')}${err.statusCode || err.code ? ': ' : ''}${
            err.message ?? String(e)
          }`,
          { cause: e },
        );
      }
      if (!Array.isArray(res.data)) {
        throw new Error(`${what}, page ${page + 1}: data is not an array`);
      }
      const pageNo = page + 1;
      res.data.forEach((row: unknown, i: number) => {
        const field = `${what}, page ${pageNo}: data[${i}]`;
        const r = (row ?? {}) as Record<string, unknown>;
        const size = typeof r.skuName === 'string' ? r.skuName : undefined;
        const location =
          typeof r.location === 'string' ? r.location.toLowerCase() : '';
        if (!size || !wanted.has(`${size.toLowerCase()}|${location}`)) {
          if (!size) issues.push(`${field}.skuName is missing`);
          return;
        }
        const band =
          typeof r.evictionRate === 'string'
            ? parseEvictionBand(r.evictionRate)
            : undefined;
        if (!band) {
          issues.push(
            `${field}.evictionRate '${String(
              r.evictionRate,
            )}' is not a band like 0-5 or 20+`,
          );
          return;
        }
        signals.push({
          provider: 'azure',
          instanceType: size,
          region: location,
          evictionRatePercent: band,
          source: this.id,
          observedAt,
        });
      });
      skipToken = res.skipToken || undefined;
      page++;
    } while (skipToken);
    return { signals, issues };
  }
}
