import { BigQuery, BigQueryOptions } from '@google-cloud/bigquery';
import {
  BillLine,
  BillSource,
  wholeUtcDays,
} from '@modelfleet/plugin-modelfleet-node';
import { GcpCredentials } from '../credentials';
import {
  billingExportQuery,
  DEFAULT_LABEL_KEY,
  linesOfRows,
  parseTableRef,
  TableRef,
} from './billingExport';

/**
 * Options of {@link GcpBillingExportBillSource}.
 *
 * @public
 */
export interface GcpBillingExportBillSourceOptions {
  /** Project that runs (and pays for) the query jobs. */
  projectId: string;
  /** The export table, `project.dataset.gcp_billing_export_v1_XXXXXX_XXXXXX_XXXXXX`. */
  table: string;
  /** Label whose value names the model; defaults to `modelfleet-io-model`. */
  labelKey?: string;
  /** Location of the export's dataset (e.g. `US`, `EU`); BigQuery finds it when unset. */
  location?: string;
  /** BigQuery API endpoint URL; defaults to `https://bigquery.googleapis.com`. */
  apiEndpoint?: string;
  /** A service account key; without it, Application Default Credentials. */
  credentials?: GcpCredentials;
  /** An auth client of google-auth-library, for callers that build their own. */
  authClient?: BigQueryOptions['authClient'];
  /** Retries of throttled (429) or failing (5xx) requests, done by the client library. */
  retry?: { maxRetries?: number; maxRetryDelaySeconds?: number };
  /** Rows per result page; BigQuery chooses when unset. */
  pageSize?: number;
}

type RequestOptions = Parameters<BigQuery['request']>[0];
type RequestCallback = Parameters<BigQuery['request']>[1];

/**
 * BigQuery whose query responses are checked before the client library reads
 * them: it expects JSON objects, and a body that is not (a proxy's HTML page
 * with status 200, say) makes it throw inside its own callback, out of reach
 * of any caller.
 */
class CheckedBigQuery extends BigQuery {
  request(reqOpts: RequestOptions, callback: RequestCallback): void {
    super.request(reqOpts, (err, body, res) => {
      const problem = err ? undefined : queryResponseProblem(reqOpts, body);
      if (problem) callback(new Error(problem), null, res);
      else callback(err, body, res);
    });
  }
}

function queryResponseProblem(
  reqOpts: RequestOptions,
  body: unknown,
): string | undefined {
  const uri = String(reqOpts.uri ?? '');
  if (!/^\/queries(\/|$)/.test(uri)) return undefined;
  const call = `${reqOpts.method ?? 'GET'} ${uri}`;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return `BigQuery answered ${call} with a body that is not a JSON object (${String(
      text,
    ).slice(0, 120)})`;
  }
  const r = body as { jobReference?: { jobId?: unknown }; queryId?: unknown };
  if (uri === '/queries' && !r.jobReference?.jobId && !r.queryId) {
    return `BigQuery answered ${call} without jobReference.jobId`;
  }
  return undefined;
}

/** What the client library retries (`util.shouldRetryRequest` of @google-cloud/common). */
const RETRIED_HTTP = [408, 429, 500, 502, 503, 504];
const RETRIED_REASONS = ['rateLimitExceeded', 'userRateLimitExceeded'];

function day(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

interface ApiErrorLike {
  code?: unknown;
  message?: string;
  errors?: Array<{ reason?: string; message?: string }>;
}

/**
 * Daily costs from the standard Cloud Billing export to BigQuery: per
 * project, UTC day and model (the value of a resource label), cost plus
 * credits; usage without the label is reported per SKU. The query runs
 * through `jobs.query` and its result pages are read through
 * `jobs.getQueryResults` by `@google-cloud/bigquery`.
 *
 * @public
 */
export class GcpBillingExportBillSource implements BillSource {
  readonly id = 'gcp-billing-export';
  private readonly table: TableRef;
  private readonly labelKey: string;
  #bigquery?: BigQuery;

  constructor(private readonly options: GcpBillingExportBillSourceOptions) {
    this.table = parseTableRef(options.table);
    this.labelKey = options.labelKey ?? DEFAULT_LABEL_KEY;
    if (!options.projectId) {
      throw new Error('GcpBillingExportBillSource: projectId is empty');
    }
  }

  private bigquery(): BigQuery {
    if (!this.#bigquery) {
      const o = this.options;
      this.#bigquery = new CheckedBigQuery({
        projectId: o.projectId,
        ...(o.apiEndpoint ? { apiEndpoint: o.apiEndpoint } : {}),
        ...(o.location ? { location: o.location } : {}),
        ...(o.credentials
          ? { credentials: o.credentials as BigQueryOptions['credentials'] }
          : {}),
        ...(o.authClient ? { authClient: o.authClient } : {}),
        retryOptions: {
          autoRetry: true,
          maxRetries: o.retry?.maxRetries ?? 3,
          maxRetryDelay: o.retry?.maxRetryDelaySeconds ?? 64,
        },
      });
    }
    return this.#bigquery;
  }

  /**
   * Lines of the whole UTC days inside the window (a partial day at either
   * end is left out).
   */
  async *fetchLines(window: {
    start: Date;
    end: Date;
  }): AsyncIterable<BillLine> {
    const { start, end } = window;
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
      throw new Error(
        'GCP billing export: the window start or end is not a date',
      );
    }
    const { start: first, end: last } = wholeUtcDays(window);
    if (first >= last) return;
    const { project, dataset, table } = this.table;
    const what = `GCP billing export: the query of \`${project}.${dataset}.${table}\` for ${day(
      first,
    )}..${day(last)}`;

    let rows: Record<string, unknown>[];
    try {
      [rows] = await this.bigquery().query(
        {
          query: billingExportQuery(this.table),
          params: {
            labelKey: this.labelKey,
            startDay: BigQuery.date(day(first)),
            endDay: BigQuery.date(day(last)),
          },
          types: { labelKey: 'STRING', startDay: 'DATE', endDay: 'DATE' },
          ...(this.options.location ? { location: this.options.location } : {}),
          ...(this.options.pageSize
            ? { maxResults: this.options.pageSize }
            : {}),
        },
        { autoPaginate: true },
      );
    } catch (e) {
      throw new Error(`${what} failed: ${this.describe(e)}`);
    }
    try {
      yield* linesOfRows(rows ?? [], {
        source: this.id,
        labelKey: this.labelKey,
      });
    } catch (e) {
      throw new Error(`${what}: ${(e as Error).message}`);
    }
  }

  private describe(error: unknown): string {
    const e = (error ?? {}) as ApiErrorLike;
    const message = String(e.message ?? error);
    if (typeof e.code !== 'number') return message;
    const reason = e.errors?.find(x => x.reason)?.reason;
    const retried =
      RETRIED_HTTP.includes(e.code) || RETRIED_REASONS.includes(reason ?? '')
        ? ` (gave up after ${
            (this.options.retry?.maxRetries ?? 3) + 1
          } attempts)`
        : '';
    return `HTTP ${e.code}${reason ? ` ${reason}` : ''}: ${message}${retried}`;
  }
}
