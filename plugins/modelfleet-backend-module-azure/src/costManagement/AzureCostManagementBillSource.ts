import {
  CostManagementClient,
  CostManagementClientOptionalParams,
  QueryDefinition,
  QueryResult,
} from '@azure/arm-costmanagement';
import type { TokenCredential } from '@azure/core-auth';
import { BillLine, BillSource } from '@modelfleet/plugin-modelfleet-node';
import { DayRange, dayChunks, isoDay } from './days';
import { installCostManagementPolicies, NEXT_LINK_HEADER } from './policies';
import { addQueryRows } from './queryRows';

/**
 * Options of {@link AzureCostManagementBillSource}.
 *
 * @public
 */
export interface AzureCostManagementBillSourceOptions {
  /** Azure credential with Cost Management Reader on the scopes. */
  credential: TokenCredential;
  /** Scopes queried, e.g. `/subscriptions/<id>` or `/providers/Microsoft.Billing/billingAccounts/<id>`. */
  scopes: string[];
  /** `ActualCost` (the bill) or `AmortizedCost` (reservations spread over their term). Defaults to `ActualCost`. */
  type?: 'ActualCost' | 'AmortizedCost';
  /** Azure tag that names the model of a resource. Defaults to `modelfleet.io-model`. */
  tagKey?: string;
  /**
   * The cost column summed: `Cost` (the billing currency, which must be USD)
   * or `CostUSD`. Defaults to `Cost`.
   */
  costColumn?: 'Cost' | 'CostUSD';
  /** Azure Resource Manager endpoint. Defaults to `https://management.azure.com`. */
  endpoint?: string;
  /** More options of the SDK client (retries, TLS, proxy). */
  clientOptions?: Omit<CostManagementClientOptionalParams, 'endpoint'>;
  /** Longest run of days asked in one query. Defaults to 31. */
  maxDaysPerQuery?: number;
  /** Most pages read per query before giving up. Defaults to 1000. */
  maxPages?: number;
}

/**
 * The default Azure tag grouped by. Azure tag names cannot hold `/`, so the
 * label `modelfleet.io/model` is spelled with a dash.
 *
 * @public
 */
export const DEFAULT_AZURE_MODEL_TAG = 'modelfleet.io-model';

/**
 * Daily costs per resource from the Azure Cost Management Query API
 * (`@azure/arm-costmanagement`), grouped by `ResourceId` and the model tag,
 * one {@link @modelfleet/plugin-modelfleet-node#BillLine} per subscription,
 * day and resource.
 *
 * @public
 */
export class AzureCostManagementBillSource implements BillSource {
  readonly id = 'azure-cost-management';
  private readonly client: CostManagementClient;
  private readonly origin: string;

  constructor(private readonly options: AzureCostManagementBillSourceOptions) {
    const endpoint = options.endpoint?.replace(/\/+$/, '');
    this.client = new CostManagementClient(options.credential, {
      ...options.clientOptions,
      ...(endpoint ? { endpoint } : {}),
    });
    installCostManagementPolicies(this.client.pipeline);
    this.origin = new URL(endpoint ?? 'https://management.azure.com').origin;
  }

  async *fetchLines(window: {
    start: Date;
    end: Date;
  }): AsyncIterable<BillLine> {
    const chunks = dayChunks(window, this.options.maxDaysPerQuery ?? 31);
    const yielded = new Set<string>();
    for (const scope of this.options.scopes) {
      for (const days of chunks) {
        for (const line of await this.query(scope, days)) {
          // Overlapping scopes (a billing account and one of its
          // subscriptions) report the same lines; the first scope wins.
          const key = `${line.account}\u0000${line.periodStart}\u0000${line.resourceId}`;
          if (yielded.has(key)) continue;
          yielded.add(key);
          yield line;
        }
      }
    }
  }

  private async query(scope: string, days: DayRange): Promise<BillLine[]> {
    const path = scope.replace(/^\/+|\/+$/g, '');
    const what = `Azure Cost Management query of /${path} for ${isoDay(
      days.start,
    )}..${isoDay(days.end - 1)}`;
    const costColumn = this.options.costColumn ?? 'Cost';
    const tagKey = this.options.tagKey ?? DEFAULT_AZURE_MODEL_TAG;
    const definition: QueryDefinition = {
      type: this.options.type ?? 'ActualCost',
      timeframe: 'Custom',
      timePeriod: { from: new Date(days.start), to: new Date(days.end - 1000) },
      dataset: {
        granularity: 'Daily',
        aggregation: { totalCost: { name: costColumn, function: 'Sum' } },
        grouping: [
          { type: 'Dimension', name: 'ResourceId' },
          { type: 'TagKey', name: tagKey },
        ],
      },
    };
    const reading = {
      source: this.id,
      scope: `/${path}`,
      costColumn,
      tagKey,
      days,
    };
    const lines = new Map<string, BillLine>();
    const maxPages = this.options.maxPages ?? 1000;
    let nextLink: string | undefined;
    for (let n = 1; ; n++) {
      const at = `${what}, page ${n}`;
      const { status, result } = await this.usage(
        path,
        definition,
        at,
        nextLink,
      );
      if (status === 204) break; // no cost in the period
      try {
        addQueryRows(result, reading, lines);
      } catch (e) {
        throw new Error(`${at}: ${(e as Error).message}`);
      }
      if (!result.nextLink) break;
      if (result.nextLink === nextLink) {
        throw new Error(
          `${at}: properties.nextLink repeats the page just read`,
        );
      }
      this.checkNextLink(result.nextLink, at);
      if (n >= maxPages)
        throw new Error(`${what}: more than ${maxPages} pages, stopped`);
      nextLink = result.nextLink;
    }
    return [...lines.values()].sort(
      (a, b) =>
        a.periodStart.localeCompare(b.periodStart) ||
        a.resourceId.localeCompare(b.resourceId),
    );
  }

  /** One page: the first through the SDK's `query.usage`, later ones at `nextLink`. */
  private async usage(
    path: string,
    definition: QueryDefinition,
    at: string,
    nextLink?: string,
  ): Promise<{ status: number; result: QueryResult }> {
    let status = 0;
    try {
      const result = await this.client.query.usage(path, definition, {
        onResponse: raw => {
          status = raw.status;
        },
        ...(nextLink
          ? {
              requestOptions: {
                customHeaders: { [NEXT_LINK_HEADER]: nextLink },
              },
            }
          : {}),
      });
      return { status, result };
    } catch (e) {
      const err = e as { statusCode?: number; code?: string; message?: string };
      const parts = [
        err.statusCode ? `HTTP ${err.statusCode}` : undefined,
        err.statusCode === 429
          ? '(throttled, and still throttled after the retries the client allows)'
          : undefined,
        err.code,
      ].filter(Boolean);
      const message = err.message ?? String(e);
      throw new Error(
        `${at}: ${parts.length ? `${parts.join(' ')}: ` : ''}${message}`,
      );
    }
  }

  /** A next page must come from the endpoint that holds the credential's token. */
  private checkNextLink(link: string, at: string): void {
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      throw new Error(`${at}: properties.nextLink '${link}' is not a URL`);
    }
    if (url.origin !== this.origin) {
      throw new Error(
        `${at}: properties.nextLink points to ${url.origin}, not ${this.origin}`,
      );
    }
  }
}
