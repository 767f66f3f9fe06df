import { CloudCatalogClient, protos } from '@google-cloud/billing';
import {
  PriceFilter,
  PriceQuote,
  PriceSource,
} from '@modelfleet/plugin-modelfleet-node';
import { GcpCredentials } from '../credentials';
import { describeGoogleError, googleRetryVerdict } from '../googleErrors';
import { RetriesExhaustedError, RetryOptions, withRetries } from '../retry';
import {
  COMPUTE_ENGINE_SERVICE_ID,
  GCP_GPU_ACCELERATOR_TYPES,
  GpuSkuPrice,
  gpuSkuPrice,
  quotesOfGpuSkus,
} from './gpuSkus';

type ClientOptions = NonNullable<
  ConstructorParameters<typeof CloudCatalogClient>[0]
>;
type ListSkusRequest = protos.google.cloud.billing.v1.IListSkusRequest;

/**
 * Options of {@link GcpBillingCatalogPriceSource}.
 *
 * @public
 */
export interface GcpBillingCatalogPriceSourceOptions {
  /** Regions to quote, e.g. `us-central1`; SKUs of other regions are skipped. */
  regions: string[];
  /**
   * The Cloud Billing API endpoint: a URL (`https://cloudbilling.googleapis.com`,
   * `http://127.0.0.1:8080`) or a host with an optional port. Defaults to Google's.
   */
  apiEndpoint?: string;
  /** An API key; takes precedence over `credentials`. */
  apiKey?: string;
  /** A service account key; without it and an API key, Application Default Credentials. */
  credentials?: GcpCredentials;
  /** Project of the caller, when known (saves google-auth-library looking it up). */
  projectId?: string;
  /** SKUs per page, at most 5000 (the default). */
  pageSize?: number;
  /** Timeout of one page request; defaults to 60 s. */
  timeoutMs?: number;
  /** Retries of throttled (429) or unavailable (5xx) page requests. */
  retry?: RetryOptions;
}

/**
 * With an API key no project is needed, but google-auth-library still looks
 * one up (gcloud, then the GCE metadata server) unless it is given one. The
 * catalog API never sees it: keys are sent as `X-Goog-Api-Key` only.
 */
const API_KEY_PROJECT = 'modelfleet-api-key-caller';

/**
 * Parses an endpoint (`https://host[:port]`, `http://host:port` or
 * `host[:port]`) into what google-gax wants; throws on anything else.
 *
 * @public
 */
export function parseApiEndpoint(endpoint: string): {
  host: string;
  port: number;
  protocol: 'http' | 'https';
} {
  const text = endpoint.includes('://') ? endpoint : `https://${endpoint}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`'${endpoint}' is not a URL or host`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`'${endpoint}' is not an http(s) URL`);
  }
  if (url.pathname !== '/' || url.search || url.username) {
    throw new Error(
      `'${endpoint}' must be a bare origin (no path, query or user)`,
    );
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  const DEFAULT_PORTS = { http: 80, https: 443 };
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : DEFAULT_PORTS[protocol],
    protocol,
  };
}

/**
 * Live GPU prices from the Cloud Billing Catalog API (`services.skus.list`
 * of Compute Engine, through `@google-cloud/billing` over its REST
 * transport): the on-demand and spot price of attaching one GPU to a VM, per
 * region. Machine cores and memory are not included (flag `gpu-attach-only`).
 *
 * @public
 */
export class GcpBillingCatalogPriceSource implements PriceSource {
  readonly id = 'gcp-billing-catalog';
  #client?: CloudCatalogClient;
  private readonly endpoint: string;

  constructor(private readonly options: GcpBillingCatalogPriceSourceOptions) {
    if (options.regions.length === 0) {
      throw new Error('GcpBillingCatalogPriceSource: regions is empty');
    }
    const pageSize = options.pageSize ?? 5000;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 5000) {
      throw new Error(
        `GcpBillingCatalogPriceSource: pageSize ${pageSize} is not 1..5000`,
      );
    }
    this.endpoint =
      options.apiEndpoint ?? 'https://cloudbilling.googleapis.com';
    parseApiEndpoint(this.endpoint);
  }

  private client(): CloudCatalogClient {
    if (!this.#client) {
      const o = this.options;
      const endpoint = parseApiEndpoint(this.endpoint);
      let auth: Partial<ClientOptions> = { projectId: o.projectId };
      if (o.apiKey) {
        auth = { apiKey: o.apiKey, projectId: o.projectId ?? API_KEY_PROJECT };
      } else if (o.credentials) {
        auth = {
          credentials: o.credentials as ClientOptions['credentials'],
          projectId: o.projectId ?? o.credentials.project_id,
        };
      }
      this.#client = new CloudCatalogClient({
        // The REST transport: HTTP/1.1 and JSON, no gRPC.
        fallback: true,
        apiEndpoint: endpoint.host,
        port: endpoint.port,
        protocol: endpoint.protocol,
        ...auth,
      });
    }
    return this.#client;
  }

  async listPrices(filter: PriceFilter = {}): Promise<PriceQuote[]> {
    if (filter.provider && filter.provider !== 'gcp') return [];
    let regions = this.options.regions;
    if (filter.regions) {
      const wanted = new Set(filter.regions);
      regions = regions.filter(r => wanted.has(r));
    }
    if (regions.length === 0) return [];
    if (
      filter.instanceTypes &&
      !filter.instanceTypes.some(t => GCP_GPU_ACCELERATOR_TYPES.has(t))
    ) {
      return [];
    }
    const readAt = new Date().toISOString();
    const quotes = quotesOfGpuSkus(await this.gpuSkuPrices(), {
      regions,
      source: this.id,
      readAt,
    });
    const types = filter.instanceTypes && new Set(filter.instanceTypes);
    return types ? quotes.filter(q => types.has(q.instanceType)) : quotes;
  }

  /** Every GPU SKU of Compute Engine, page by page. */
  private async gpuSkuPrices(): Promise<GpuSkuPrice[]> {
    const client = this.client();
    const what = `GCP Cloud Billing Catalog: listing the SKUs of service ${COMPUTE_ENGINE_SERVICE_ID} at ${this.endpoint}`;
    // The generated client calls `initialize().catch(e => { throw e })` in
    // every method, so a failure to set up (no credentials found, say) would
    // be an unhandled rejection. Setting up first turns it into our error;
    // the client is dropped, as it keeps the failed setup for good.
    try {
      await client.initialize();
    } catch (e) {
      this.#client = undefined;
      throw new Error(`${what} failed: ${describeGoogleError(e)}`);
    }
    const prices: GpuSkuPrice[] = [];
    const tokens = new Set<string>();
    let request: ListSkusRequest | null = {
      parent: `services/${COMPUTE_ENGINE_SERVICE_ID}`,
      currencyCode: 'USD',
      pageSize: this.options.pageSize ?? 5000,
    };
    let skuCount = 0;
    for (let page = 1; request; page++) {
      const pageRequest: ListSkusRequest = request;
      let skus: protos.google.cloud.billing.v1.ISku[];
      let next: ListSkusRequest | null;
      try {
        [skus, next] = await withRetries(
          () =>
            client.listSkus(pageRequest, {
              autoPaginate: false,
              timeout: this.options.timeoutMs ?? 60_000,
            }),
          googleRetryVerdict,
          this.options.retry,
        );
      } catch (e) {
        const cause = e instanceof RetriesExhaustedError ? e.lastError : e;
        const suffix =
          e instanceof RetriesExhaustedError
            ? ` (gave up after ${e.attempts} attempts)`
            : '';
        throw new Error(
          `${what} failed on page ${page}: ${describeGoogleError(
            cause,
          )}${suffix}`,
        );
      }
      skuCount += skus.length;
      try {
        for (const sku of skus) {
          const price = gpuSkuPrice(sku);
          if (price) prices.push(price);
        }
      } catch (e) {
        throw new Error(`${what}, page ${page}: ${(e as Error).message}`);
      }
      const token = next?.pageToken || undefined;
      if (token && tokens.has(token)) {
        throw new Error(`${what}: nextPageToken '${token}' repeats`);
      }
      if (token) tokens.add(token);
      request = token ? { ...pageRequest, pageToken: token } : null;
    }
    if (skuCount === 0) {
      throw new Error(`${what}: the catalog lists no SKUs at all`);
    }
    return prices;
  }
}
