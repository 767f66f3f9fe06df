import {
  DescribeAvailabilityZonesCommand,
  EC2Client,
  GetSpotPlacementScoresCommand,
} from '@aws-sdk/client-ec2';
import {
  SpotRiskQuery,
  SpotRiskSignal,
  SpotRiskSource,
} from '@modelfleet/plugin-modelfleet-node';
import {
  AwsClientOptions,
  awsCallError,
  perRegion,
  sdkClientConfig,
} from './client';

/**
 * Options of {@link AwsSpotPlacementScoreSource}.
 *
 * @public
 */
export interface AwsSpotPlacementScoreSourceOptions extends AwsClientOptions {
  /** Regions whose pools are scored; queries for others are ignored. */
  regions: string[];
  /**
   * The region whose EC2 endpoint answers `GetSpotPlacementScores` (it
   * scores every region asked). Defaults to the first of `regions`.
   */
  apiRegion?: string;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
}

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;

/**
 * The spot placement score (1–10) of each queried instance type in each of
 * its Availability Zones, from EC2 `GetSpotPlacementScores` (one request
 * per instance type, for one instance in a single zone), the zone ids
 * mapped to the account's zone names with `DescribeAvailabilityZones`.
 *
 * AWS lets an account ask for a limited number of distinct configurations
 * a day, so the caller reads it seldom (the backend: once a day).
 *
 * @public
 */
export class AwsSpotPlacementScoreSource implements SpotRiskSource {
  readonly id = 'aws-spot-placement-scores';

  constructor(private readonly options: AwsSpotPlacementScoreSourceOptions) {}

  private readonly client = perRegion(
    region => new EC2Client(sdkClientConfig(region, this.options)),
  );

  async listSpotRisk(
    queries: SpotRiskQuery[],
  ): Promise<{ signals: SpotRiskSignal[]; issues: string[] }> {
    const issues: string[] = [];
    const byType = new Map<string, Set<string>>();
    for (const q of queries) {
      if (q.provider !== 'aws' || !this.options.regions.includes(q.region))
        continue;
      if (!INSTANCE_TYPE.test(q.instanceType)) {
        issues.push(
          `instance type '${q.instanceType}' of ${q.region} is not an EC2 instance type: not scored`,
        );
        continue;
      }
      const regions = byType.get(q.instanceType) ?? new Set<string>();
      regions.add(q.region);
      byType.set(q.instanceType, regions);
    }
    if (byType.size === 0) return { signals: [], issues };
    const regions = [...new Set([...byType.values()].flatMap(r => [...r]))];
    const zoneNames = await this.zoneNames(regions);
    const observedAt = (this.options.now?.() ?? new Date()).toISOString();
    const signals: SpotRiskSignal[] = [];
    for (const [instanceType, wanted] of byType) {
      const what = `AWS EC2 GetSpotPlacementScores (${instanceType})`;
      let nextToken: string | undefined;
      let page = 0;
      do {
        let res;
        try {
          res = await this.client(
            this.options.apiRegion ?? this.options.regions[0],
          ).send(
            new GetSpotPlacementScoresCommand({
              InstanceTypes: [instanceType],
              TargetCapacity: 1,
              TargetCapacityUnitType: 'units',
              SingleAvailabilityZone: true,
              RegionNames: [...wanted],
              MaxResults: 100,
              NextToken: nextToken,
            }),
          );
        } catch (e) {
          throw awsCallError(what, e);
        }
        for (const [i, s] of (res.SpotPlacementScores ?? []).entries()) {
          const field = `${what}, page ${
            page + 1
          }: spotPlacementScoreSet[${i}]`;
          const score = s.Score;
          if (
            score === undefined ||
            !Number.isInteger(score) ||
            score < 1 ||
            score > 10
          ) {
            issues.push(`${field}.score '${score}' is not a whole number 1–10`);
            continue;
          }
          if (!s.Region || !wanted.has(s.Region)) continue;
          const zone = s.AvailabilityZoneId
            ? zoneNames.get(s.AvailabilityZoneId)
            : undefined;
          if (s.AvailabilityZoneId && !zone) {
            issues.push(
              `${field}.availabilityZoneId '${s.AvailabilityZoneId}' is not among the zones DescribeAvailabilityZones lists for ${s.Region}`,
            );
            continue;
          }
          signals.push({
            provider: 'aws',
            instanceType,
            region: s.Region,
            ...(zone ? { zone } : {}),
            placementScore: score,
            source: this.id,
            observedAt,
          });
        }
        if (res.NextToken && res.NextToken === nextToken) {
          throw new Error(`${what}: nextToken repeats '${res.NextToken}'`);
        }
        nextToken = res.NextToken || undefined;
        page++;
      } while (nextToken);
    }
    return { signals, issues };
  }

  /** Zone id (`use1-az1`) → the account's zone name (`us-east-1a`). */
  private async zoneNames(regions: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const region of regions) {
      const what = `AWS EC2 DescribeAvailabilityZones (${region})`;
      let res;
      try {
        res = await this.client(region).send(
          new DescribeAvailabilityZonesCommand({
            Filters: [{ Name: 'zone-type', Values: ['availability-zone'] }],
          }),
        );
      } catch (e) {
        throw awsCallError(what, e);
      }
      for (const z of res.AvailabilityZones ?? []) {
        if (z.ZoneId && z.ZoneName) names.set(z.ZoneId, z.ZoneName);
      }
    }
    return names;
  }
}
