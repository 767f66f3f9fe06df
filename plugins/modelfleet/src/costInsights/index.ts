export { ModelFleetCostInsightsClient } from './ModelFleetCostInsightsClient';
export type { ModelFleetCostInsightsClientOptions } from './ModelFleetCostInsightsClient';
export type {
  ModelFleetCostAlert,
  ModelFleetProductInsightsOptions,
} from './types';
