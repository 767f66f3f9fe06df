import { CloudProvider } from '@modelfleet/plugin-modelfleet-common';

/**
 * What a cloud says of its own spot capacity for one instance type in one
 * region or zone: Azure's eviction-rate band (Resource Graph
 * `SpotResources`, `microsoft.compute/skuspotevictionrate/location`), or
 * AWS's spot placement score (EC2 `GetSpotPlacementScores`). GCP publishes
 * neither.
 *
 * @public
 */
export interface SpotRiskSignal {
  provider: CloudProvider;
  /** Instance type or VM size, as the pool's nodes name it. */
  instanceType: string;
  region: string;
  /** The zone (name, e.g. `us-east-1a`) the signal is for; all zones of the region when absent. */
  zone?: string;
  /**
   * The share of spot capacity of this type the cloud reclaimed, as a band
   * in percent (Azure's `0-5` … `20+`; `max` absent for an open band).
   */
  evictionRatePercent?: { min: number; max?: number };
  /**
   * How likely a spot request of this type is to be fulfilled now, 1 (not
   * likely) to 10 (highly likely).
   */
  placementScore?: number;
  /** Where it came from, e.g. `aws-spot-placement-scores`. */
  source: string;
  /** ISO 8601 time the signal was read. */
  observedAt: string;
}

/**
 * A spot pool's instance type in its region, whose signals are asked for.
 *
 * @public
 */
export interface SpotRiskQuery {
  provider: CloudProvider;
  instanceType: string;
  region: string;
}

/**
 * A source of the clouds' own spot history and outlook, weighed into each
 * spot pool's risk beside the pool's own history.
 *
 * @public
 */
export interface SpotRiskSource {
  readonly id: string;
  /**
   * The signals of the queried types and regions of its own cloud (others
   * are ignored); rows of the cloud's answer that cannot be read are
   * skipped and named in `issues`. Throws when the cloud cannot be asked.
   */
  listSpotRisk(
    queries: SpotRiskQuery[],
  ): Promise<{ signals: SpotRiskSignal[]; issues: string[] }>;
}
