import { Maybe } from '@backstage/plugin-cost-insights-common';

/**
 * The options of `CostInsightsApi.getProductInsights`, as the Cost Insights
 * plugin defines them.
 *
 * @public
 */
export type ModelFleetProductInsightsOptions = {
  /** The product key from `costInsights.products` in app-config. */
  product: string;
  /** The group id from `getUserGroups`. */
  group: string;
  /** An ISO 8601 repeating interval, such as `R2/P3M/2020-09-01`. */
  intervals: string;
  /** The project id from `getGroupProjects`, if one is chosen. */
  project: Maybe<string>;
};

/**
 * An action item for the Cost Insights page: the subset of the Cost
 * Insights `Alert` type that ModelFleet fills (title, subtitle and a link),
 * so these alerts can be returned where an `Alert[]` is expected.
 *
 * @public
 */
export type ModelFleetCostAlert = {
  title: string;
  subtitle: string;
  url?: string;
  buttonText?: string;
};

/** The product keys ModelFleet answers in `getProductInsights`. */
export const MODELFLEET_PRODUCTS = {
  /** Cost by GPU pool. */
  gpuPools: 'gpuPools',
  /** Cost by model. */
  models: 'models',
} as const;

/** The metric ids ModelFleet answers in `getDailyMetricData`. */
export const MODELFLEET_METRICS = {
  /** GPU-hours provisioned in the fleet per day. */
  gpuHours: 'gpuHours',
  /** Cost of idle GPUs in the fleet per day. */
  idleCost: 'idleCost',
} as const;
