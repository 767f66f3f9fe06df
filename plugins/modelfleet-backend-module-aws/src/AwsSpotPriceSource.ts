import {
  DescribeSpotPriceHistoryCommand,
  EC2Client,
  SpotPrice,
} from '@aws-sdk/client-ec2';
import {
  PriceFilter,
  PriceQuote,
  PriceSource,
} from '@modelfleet/plugin-modelfleet-node';
import {
  AwsClientOptions,
  awsCallError,
  perRegion,
  sdkClientConfig,
} from './client';
import { gpuOf, selects } from './gpuInstances';
import { PRICE_FLAGS, readPrice } from './priceFlags';

/**
 * Options of {@link AwsSpotPriceSource}.
 *
 * @public
 */
export interface AwsSpotPriceSourceOptions extends AwsClientOptions {
  /** Regions whose spot prices are read, e.g. `us-east-1`. */
  regions: string[];
  /** Instance types (`g5.xlarge`) or families (`g5`) to price. */
  instanceTypes: string[];
  /**
   * How far back the history is read; the newest price per instance type
   * and Availability Zone wins. Defaults to 24.
   */
  lookbackHours?: number;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
}

/** Spot prices of the Linux/UNIX product (EC2-VPC, the only platform left). */
const PRODUCT = 'Linux/UNIX';

/**
 * Current spot prices of GPU instances per Availability Zone, from EC2
 * `DescribeSpotPriceHistory` (Linux/UNIX): the newest price of each
 * instance type and zone within the lookback window.
 *
 * @public
 */
export class AwsSpotPriceSource implements PriceSource {
  readonly id = 'aws-ec2-spot-price-history';

  constructor(private readonly options: AwsSpotPriceSourceOptions) {}

  private readonly client = perRegion(
    region => new EC2Client(sdkClientConfig(region, this.options)),
  );

  async listPrices(filter: PriceFilter = {}): Promise<PriceQuote[]> {
    if (filter.provider && filter.provider !== 'aws') return [];
    const regions = this.options.regions.filter(
      r => !filter.regions || filter.regions.includes(r),
    );
    const configured = this.options.instanceTypes;
    const selectors = filter.instanceTypes
      ? [...new Set(filter.instanceTypes)].filter(t =>
          configured.some(s => selects(s, t)),
        )
      : configured;
    if (selectors.length === 0) return [];
    const quotes: PriceQuote[] = [];
    for (const region of regions) {
      quotes.push(...(await this.regionPrices(region, selectors)));
    }
    return quotes;
  }

  private async regionPrices(
    region: string,
    selectors: string[],
  ): Promise<PriceQuote[]> {
    const what = `AWS EC2 DescribeSpotPriceHistory (${region})`;
    const now = (this.options.now ?? (() => new Date()))();
    const start = new Date(
      now.getTime() - (this.options.lookbackHours ?? 24) * 3_600_000,
    );
    const newest = new Map<string, { price: SpotPrice; at: Date }>();
    let nextToken: string | undefined;
    let page = 0;
    do {
      let res;
      try {
        res = await this.client(region).send(
          new DescribeSpotPriceHistoryCommand({
            ProductDescriptions: [PRODUCT],
            StartTime: start,
            EndTime: now,
            // Families as wildcards (g5.*), which InstanceTypes cannot express.
            Filters: [
              {
                Name: 'instance-type',
                Values: selectors.map(s => (s.includes('.') ? s : `${s}.*`)),
              },
            ],
            MaxResults: 1000,
            NextToken: nextToken,
          }),
        );
      } catch (e) {
        throw awsCallError(what, e);
      }
      for (const [i, p] of (res.SpotPriceHistory ?? []).entries()) {
        const field = `${what}, page ${page + 1}: spotPriceHistorySet[${i}]`;
        if (!p.InstanceType)
          throw new Error(`${field}.instanceType is missing`);
        if (!p.AvailabilityZone) {
          throw new Error(`${field}.availabilityZone is missing`);
        }
        if (!p.Timestamp || Number.isNaN(p.Timestamp.getTime())) {
          throw new Error(`${field}.timestamp is missing or not a time`);
        }
        if (p.SpotPrice === undefined) {
          throw new Error(`${field}.spotPrice is missing`);
        }
        if (p.ProductDescription && p.ProductDescription !== PRODUCT) continue;
        const type = p.InstanceType;
        if (!selectors.some(s => selects(s, type))) continue;
        const key = `${p.InstanceType}|${p.AvailabilityZone}`;
        const seen = newest.get(key);
        if (!seen || seen.at < p.Timestamp) {
          // Validate now so the error names the page and item.
          readPrice(p.SpotPrice, `${field}.spotPrice`);
          newest.set(key, { price: p, at: p.Timestamp });
        }
      }
      if (res.NextToken && res.NextToken === nextToken) {
        throw new Error(`${what}: nextToken repeats '${res.NextToken}'`);
      }
      nextToken = res.NextToken || undefined;
      page++;
    } while (nextToken);

    return [...newest.values()]
      .map(({ price: p, at }) => {
        const { usdPerHour, flags } = readPrice(p.SpotPrice, 'spotPrice');
        const gpu = gpuOf(p.InstanceType!);
        if (gpu && gpu.count < 1) flags.push(PRICE_FLAGS.fractionalGpu);
        const quote: PriceQuote = {
          provider: 'aws',
          instanceType: p.InstanceType!,
          region,
          zone: p.AvailabilityZone!,
          capacityType: 'spot',
          usdPerHour,
          ...(gpu ? { gpu } : {}),
          source: this.id,
          observedAt: at.toISOString(),
          flags,
        };
        return quote;
      })
      .sort(
        (a, b) =>
          a.instanceType.localeCompare(b.instanceType) ||
          a.zone!.localeCompare(b.zone!),
      );
  }
}
