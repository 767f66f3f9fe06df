import {
  BillLine,
  BillSource,
  CloudProvider,
} from '@modelfleet/plugin-modelfleet-node';
import { MODEL_WORKLOAD_LABEL } from '@modelfleet/plugin-modelfleet-common';
import { AggregateProperty, aggregateParam, parseAggregate } from './aggregate';
import { DaySpan, rfc3339, splitIntoDaySpans } from './days';
import { allocationsToLines, OpenCostClusterMapping } from './lines';
import { openCostMessage, readAllocationSets, readEnvelope } from './response';

/**
 * Options of {@link OpenCostAllocationBillSource}.
 *
 * @public
 */
export interface OpenCostAllocationBillSourceOptions {
  /** Source id: `opencost`, or `opencost:<name>` for one of several instances. */
  id?: string;
  /** OpenCost's API, e.g. `http://opencost.opencost:9003`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Per request; defaults to 60 s. */
  timeoutMs?: number;
  /**
   * What to group by: `label:<key>`, `namespace`, `pod`, `controller`, or a
   * comma-separated list. Defaults to `label:modelfleet.io/model`. The
   * cluster is always added in front.
   */
  aggregate?: string;
  /** Provider of clusters not in `clusters`; defaults to `other`. */
  provider?: CloudProvider;
  /** Account of allocations that name no cluster. */
  cluster?: string;
  /** Per OpenCost cluster id: account name and provider. */
  clusters?: Record<string, OpenCostClusterMapping>;
  /** Most days one request asks for; defaults to 7. */
  chunkDays?: number;
  /** Currency OpenCost is configured with; only `USD` is accepted. */
  currency?: string;
  /** Retries of HTTP 429 and 503 answers. */
  retry?: {
    /** Retries after the first attempt; defaults to 4. */
    maxRetries?: number;
    /** First backoff, doubled each retry; defaults to 1 s. */
    initialDelayMs?: number;
    /** Cap of one wait, `Retry-After` included; defaults to 30 s. */
    maxDelayMs?: number;
  };
}

const PROVIDERS: CloudProvider[] = ['aws', 'gcp', 'azure', 'other'];

/**
 * A bad option of {@link OpenCostAllocationBillSource}; `field` is the
 * config key of the option within its instance (e.g. `aggregate`, `timeout`,
 * `clusters.one.provider`).
 *
 * @public
 */
export class InvalidOpenCostOptionError extends Error {
  constructor(readonly field: string, readonly reason: string) {
    super(`${field}: ${reason}`);
    this.name = 'InvalidOpenCostOptionError';
  }
}
const RETRYABLE = new Set([429, 503]);

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** `Retry-After` in ms (delta seconds or an HTTP date), when present. */
function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Daily costs per cluster and per model (or namespace, pod, controller) from
 * OpenCost's `/allocation` API, idle cost included as the resource
 * `__idle__`.
 *
 * @public
 */
export class OpenCostAllocationBillSource implements BillSource {
  readonly id: string;
  private readonly baseUrl: string;
  private readonly aggregate: AggregateProperty[];
  private readonly chunkDays: number;
  private readonly provider: CloudProvider;

  constructor(private readonly options: OpenCostAllocationBillSourceOptions) {
    this.id = options.id ?? 'opencost';
    let url: URL | undefined;
    try {
      url = new URL(options.baseUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new InvalidOpenCostOptionError(
        'baseUrl',
        `'${options.baseUrl}' is not an http(s) URL`,
      );
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const currency = options.currency ?? 'USD';
    if (currency.toUpperCase() !== 'USD') {
      throw new InvalidOpenCostOptionError(
        'currency',
        `OpenCost reports costs in '${currency}', but bill lines are in US dollars; run OpenCost with currency USD`,
      );
    }
    try {
      this.aggregate = parseAggregate(
        options.aggregate ?? `label:${MODEL_WORKLOAD_LABEL}`,
      );
    } catch (e) {
      throw new InvalidOpenCostOptionError('aggregate', (e as Error).message);
    }
    this.chunkDays = options.chunkDays ?? 7;
    if (!Number.isInteger(this.chunkDays) || this.chunkDays < 1) {
      throw new InvalidOpenCostOptionError(
        'chunkDays',
        `must be a positive integer, got ${options.chunkDays}`,
      );
    }
    const maxRetries = options.retry?.maxRetries;
    if (
      maxRetries !== undefined &&
      (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10)
    ) {
      throw new InvalidOpenCostOptionError(
        'maxRetries',
        `must be an integer from 0 to 10, got ${maxRetries}`,
      );
    }
    if (
      options.timeoutMs !== undefined &&
      !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)
    ) {
      throw new InvalidOpenCostOptionError(
        'timeout',
        `must be longer than zero, got ${options.timeoutMs} ms`,
      );
    }
    this.provider = options.provider ?? 'other';
    for (const [field, p] of [
      ['provider', this.provider] as const,
      ...Object.entries(options.clusters ?? {}).map(
        ([c, m]) => [`clusters.${c}.provider`, m.provider] as const,
      ),
    ]) {
      if (p !== undefined && !PROVIDERS.includes(p)) {
        throw new InvalidOpenCostOptionError(
          field,
          `'${p}' is not one of ${PROVIDERS.join(', ')}`,
        );
      }
    }
  }

  async *fetchLines(window: {
    start: Date;
    end: Date;
  }): AsyncIterable<BillLine> {
    for (const span of splitIntoDaySpans(window, this.chunkDays)) {
      const body = await this.query(span);
      const what = this.describe(span);
      let lines: BillLine[];
      try {
        const allocations = readAllocationSets(readEnvelope(body));
        lines = allocationsToLines(allocations, {
          source: this.id,
          aggregate: this.aggregate,
          provider: this.provider,
          cluster: this.options.cluster,
          clusters: this.options.clusters ?? {},
          span,
        });
      } catch (e) {
        throw new Error(`${what} failed: ${(e as Error).message}`);
      }
      yield* lines;
    }
  }

  private describe(span: DaySpan): string {
    return `${this.id} /allocation for ${rfc3339(span.start)},${rfc3339(
      span.end,
    )}`;
  }

  private async query(span: DaySpan): Promise<unknown> {
    const params = new URLSearchParams({
      window: `${rfc3339(span.start)},${rfc3339(span.end)}`,
      aggregate: aggregateParam(this.aggregate),
      step: '1d',
      accumulate: 'false',
      includeIdle: 'true',
      shareIdle: 'false',
    });
    const url = `${this.baseUrl}/allocation?${params}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.token) {
      headers.authorization = `Bearer ${this.options.token}`;
    }
    const what = this.describe(span);
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    const maxRetries = this.options.retry?.maxRetries ?? 4;
    const initialDelayMs = this.options.retry?.initialDelayMs ?? 1000;
    const maxDelayMs = this.options.retry?.maxDelayMs ?? 30_000;

    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, {
          headers,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        const err = e as Error & { cause?: { code?: string } };
        const reason =
          err.name === 'TimeoutError'
            ? `no answer within ${timeoutMs / 1000} s`
            : err.cause?.code ?? err.message;
        throw new Error(
          `${what} failed: ${this.baseUrl} did not answer (${reason})`,
        );
      }
      const text = await res.text();
      let body: unknown;
      let parsed = true;
      try {
        body = JSON.parse(text);
      } catch {
        parsed = false;
      }
      if (res.ok && parsed) return body;

      const message =
        (parsed ? openCostMessage(body) : undefined) ??
        (text.trim().slice(0, 300) || res.statusText);
      if (!res.ok && RETRYABLE.has(res.status)) {
        if (attempt < maxRetries) {
          const backoff = initialDelayMs * 2 ** attempt;
          await sleep(
            Math.min(
              retryAfterMs(res.headers.get('retry-after'), Date.now()) ??
                backoff,
              maxDelayMs,
            ),
          );
          continue;
        }
        throw new Error(
          `${what} failed: OpenCost is overloaded or throttling (HTTP ${
            res.status
          } on all ${maxRetries + 1} attempts): ${message}`,
        );
      }
      if (!res.ok) {
        throw new Error(`${what} failed: HTTP ${res.status}: ${message}`);
      }
      throw new Error(
        `${what} failed: HTTP ${res.status}, the body is not JSON: ${message}`,
      );
    }
  }
}
