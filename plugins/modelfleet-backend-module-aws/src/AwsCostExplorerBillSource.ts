import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetCostAndUsageCommandInput,
  ResultByTime,
} from '@aws-sdk/client-cost-explorer';
import {
  BillLine,
  BillSource,
  wholeUtcDays,
} from '@modelfleet/plugin-modelfleet-node';
import { AwsClientOptions, awsCallError, sdkClientConfig } from './client';

/**
 * Cost metrics of Cost Explorer that this source can read.
 *
 * @public
 */
export const COST_METRICS = [
  'UnblendedCost',
  'AmortizedCost',
  'NetUnblendedCost',
] as const;

/**
 * One of {@link COST_METRICS}.
 *
 * @public
 */
export type CostMetric = (typeof COST_METRICS)[number];

/**
 * The cost-allocation tag keys grouped by when none are configured.
 *
 * @public
 */
export const DEFAULT_TAG_KEYS = ['modelfleet.io/model'];

/**
 * The services whose costs are read when none are configured: EC2 instances
 * (the compute of EKS node groups and Karpenter nodes).
 *
 * @public
 */
export const DEFAULT_COST_SERVICES = ['Amazon Elastic Compute Cloud - Compute'];

/**
 * Options of {@link AwsCostExplorerBillSource}.
 *
 * @public
 */
export interface AwsCostExplorerBillSourceOptions extends AwsClientOptions {
  /** Region of the Cost Explorer endpoint; us-east-1 (cn-northwest-1 in China). */
  region?: string;
  /** The cost metric; defaults to `UnblendedCost`. */
  metric?: CostMetric;
  /**
   * Activated cost-allocation tag keys to group by, one query each. The
   * same cost appears once under every key, so sum lines of one key only.
   */
  tagKeys?: string[];
  /** `SERVICE` dimension values to keep; an empty list reads every service. */
  services?: string[];
  /** Also read `UsageQuantity` into each line's `usage`. */
  includeUsage?: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function amount(
  metrics: Record<string, { Amount?: string; Unit?: string }> | undefined,
  name: string,
  field: string,
): { value: number; unit: string } {
  const m = metrics?.[name];
  if (!m) throw new Error(`${field}.Metrics.${name} is missing`);
  if (m.Amount === undefined || m.Amount === '') {
    throw new Error(`${field}.Metrics.${name}.Amount is missing`);
  }
  const value = Number(m.Amount);
  if (!Number.isFinite(value)) {
    throw new Error(
      `${field}.Metrics.${name}.Amount ${JSON.stringify(
        m.Amount,
      )} is not a number`,
    );
  }
  return { value, unit: m.Unit ?? '' };
}

/**
 * Daily costs per account and cost-allocation tag value from AWS Cost
 * Explorer (`GetCostAndUsage`, grouped by one tag and `LINKED_ACCOUNT`). A
 * line's `resourceId` is `tag:<key>=<value>`; costs without the tag are
 * `untagged` (`untagged:<key>` for the second and later tag keys).
 *
 * @public
 */
export class AwsCostExplorerBillSource implements BillSource {
  readonly id = 'aws-cost-explorer';
  private readonly client: CostExplorerClient;
  private readonly metric: CostMetric;
  private readonly tagKeys: string[];
  private readonly services: string[];

  constructor(private readonly options: AwsCostExplorerBillSourceOptions) {
    this.client = new CostExplorerClient(
      sdkClientConfig(options.region ?? 'us-east-1', options),
    );
    this.metric = options.metric ?? 'UnblendedCost';
    this.tagKeys = options.tagKeys ?? DEFAULT_TAG_KEYS;
    this.services = options.services ?? DEFAULT_COST_SERVICES;
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
        'AWS Cost Explorer: the window start or end is not a date',
      );
    }
    const days = wholeUtcDays(window);
    const first = new Date(days.start);
    const last = new Date(days.end);
    if (first >= last) return;
    for (const [index, tagKey] of this.tagKeys.entries()) {
      const lines = await this.linesOf(
        tagKey,
        index === 0,
        day(first),
        day(last),
      );
      yield* lines;
    }
  }

  private async linesOf(
    tagKey: string,
    primary: boolean,
    start: string,
    end: string,
  ): Promise<BillLine[]> {
    const what = `AWS Cost Explorer GetCostAndUsage (tag ${tagKey}, ${start}..${end})`;
    const metrics = [this.metric as string];
    if (this.options.includeUsage) metrics.push('UsageQuantity');
    const lines = new Map<string, BillLine>();
    let token: string | undefined;
    let page = 0;
    do {
      const input: GetCostAndUsageCommandInput = {
        TimePeriod: { Start: start, End: end },
        Granularity: 'DAILY',
        Metrics: metrics,
        GroupBy: [
          { Type: 'TAG', Key: tagKey },
          { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
        ],
        ...(this.services.length > 0
          ? {
              Filter: {
                Dimensions: { Key: 'SERVICE', Values: this.services },
              },
            }
          : {}),
        NextPageToken: token,
      };
      let res;
      try {
        res = await this.client.send(new GetCostAndUsageCommand(input));
      } catch (e) {
        throw awsCallError(what, e);
      }
      for (const [i, r] of (res.ResultsByTime ?? []).entries()) {
        try {
          this.addResult(lines, r, `ResultsByTime[${i}]`, tagKey, primary);
        } catch (e) {
          throw new Error(`${what}, page ${page + 1}: ${(e as Error).message}`);
        }
      }
      if (res.NextPageToken && res.NextPageToken === token) {
        throw new Error(
          `${what}: NextPageToken repeats '${res.NextPageToken}'`,
        );
      }
      token = res.NextPageToken || undefined;
      page++;
    } while (token);
    return [...lines.values()].sort(
      (a, b) =>
        a.periodStart.localeCompare(b.periodStart) ||
        a.account.localeCompare(b.account) ||
        a.resourceId.localeCompare(b.resourceId),
    );
  }

  private addResult(
    lines: Map<string, BillLine>,
    result: ResultByTime,
    field: string,
    tagKey: string,
    primary: boolean,
  ) {
    const { Start, End } = result.TimePeriod ?? {};
    if (!Start || !DATE.test(Start)) {
      throw new Error(
        `${field}.TimePeriod.Start ${JSON.stringify(Start)} is not a date`,
      );
    }
    if (!End || !DATE.test(End)) {
      throw new Error(
        `${field}.TimePeriod.End ${JSON.stringify(End)} is not a date`,
      );
    }
    const periodStart = `${Start}T00:00:00.000Z`;
    const periodEnd = `${End}T00:00:00.000Z`;
    (result.Groups ?? []).forEach((g, j) => {
      const gField = `${field}.Groups[${j}]`;
      const keys = g.Keys ?? [];
      if (keys.length !== 2) {
        throw new Error(
          `${gField}.Keys has ${keys.length} keys, expected the tag and the linked account`,
        );
      }
      const [tag, account] = keys;
      const prefix = `${tagKey}$`;
      if (!tag.startsWith(prefix)) {
        throw new Error(
          `${gField}.Keys[0] '${tag}' is not a value of tag '${tagKey}' (expected '${prefix}<value>')`,
        );
      }
      if (!account) throw new Error(`${gField}.Keys[1] (the account) is empty`);
      const value = tag.slice(prefix.length);
      const cost = amount(g.Metrics, this.metric, gField);
      if (cost.unit !== 'USD') {
        throw new Error(
          `${gField}.Metrics.${this.metric}.Unit is '${cost.unit}', only USD is supported`,
        );
      }
      const usage = this.options.includeUsage
        ? amount(g.Metrics, 'UsageQuantity', gField)
        : undefined;

      let resourceId: string;
      if (value) resourceId = `tag:${tagKey}=${value}`;
      else resourceId = primary ? 'untagged' : `untagged:${tagKey}`;
      const key = `${account}|${periodStart}|${resourceId}`;
      const line = lines.get(key);
      if (line) {
        line.costUsd += cost.value;
        if (line.usage && usage) {
          line.usage.quantity += usage.value;
          if (line.usage.unit !== usage.unit) line.usage.unit = 'N/A';
        }
        return;
      }
      lines.set(key, {
        source: this.id,
        provider: 'aws',
        account,
        periodStart,
        periodEnd,
        resourceId,
        ...(this.services.length === 1 ? { service: this.services[0] } : {}),
        tags: value ? { [tagKey]: value } : {},
        costUsd: cost.value,
        ...(usage
          ? { usage: { quantity: usage.value, unit: usage.unit || 'N/A' } }
          : {}),
      });
    });
  }
}
