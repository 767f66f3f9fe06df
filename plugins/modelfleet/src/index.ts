/**
 * The ModelFleet frontend plugin: the Fleet page, the Model, GpuPool and
 * team entity cards, the API client and a Cost Insights client. The new
 * frontend system's plugin is the default export of `./alpha`.
 *
 * @packageDocumentation
 */

export {
  modelfleetPlugin,
  ModelFleetPage,
  EntityModelCostCard,
  EntityModelUtilizationCard,
  EntityGpuPoolCard,
  EntityTeamShowbackCard,
} from './plugin';
export { rootRouteRef } from './routes';
export { modelfleetApiRef, ModelFleetClient } from './api';
export type {
  CostAnomaliesResponse,
  CostEntityKind,
  CostEntityRef,
  CostQuery,
  ModelFleetApi,
} from './api';
export { ModelFleetCostInsightsClient } from './costInsights';
export type {
  ModelFleetCostAlert,
  ModelFleetCostInsightsClientOptions,
  ModelFleetProductInsightsOptions,
} from './costInsights';
