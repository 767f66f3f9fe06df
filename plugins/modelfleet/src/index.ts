/**
 * The ModelFleet frontend plugin: the Fleet page, the Model, GpuPool and
 * team entity cards, the home page's overview, the GpuPoolPicker,
 * MaxReplicas and WakeOn scaffolder fields, the API client and a Cost
 * Insights client. The new frontend system's plugin is the default export
 * of `./alpha`.
 *
 * @packageDocumentation
 */

export {
  modelfleetPlugin,
  ModelFleetPage,
  EntityModelCostCard,
  EntityModelUtilizationCard,
  EntityModelActivityCard,
  EntityModelHibernationCard,
  EntityModelArbitrageCard,
  EntityModelSpotCard,
  EntityGpuPoolCard,
  EntityTeamShowbackCard,
  EntityTeamSavingsCard,
  EntityRecommendationsCard,
  GpuPoolPickerFieldExtension,
  MaxReplicasFieldExtension,
  WakeOnFieldExtension,
} from './plugin';
export {
  GpuPoolPicker,
  gpuPoolPickerValidation,
} from './components/GpuPoolPicker';
export type {
  GpuPoolPickerInput,
  GpuPoolPickerProps,
  GpuPoolPickerSummary,
  GpuPoolPickerUiOptions,
  GpuPoolPickerValue,
} from './components/GpuPoolPicker';
export {
  MaxReplicasField,
  maxReplicasValidation,
} from './components/MaxReplicasField';
export type {
  MaxReplicasFieldProps,
  MaxReplicasUiOptions,
} from './components/MaxReplicasField';
export { WakeOnField } from './components/WakeOnField';
export type {
  WakeOnFieldProps,
  WakeOnUiOptions,
} from './components/WakeOnField';
export type {
  EntityModelActivityCardProps,
  PollIntervals,
} from './components/EntityModelActivityCard';
export type { EntityModelSpotCardProps } from './components/EntityModelSpotCard';
export { HomeOverview as ModelFleetHomeOverview } from './components/HomeOverview';
export { rootRouteRef } from './routes';
export {
  MAX_ACTIONS_LIMIT,
  MAX_SAVINGS_DAYS,
  MAX_SCALE_REPLICAS,
  MAX_SNOOZE_DAYS,
  modelfleetApiRef,
  ModelFleetClient,
} from './api';
export type {
  ActionsQuery,
  CostAnomaliesResponse,
  CostEntityKind,
  CostEntityRef,
  CostQuery,
  MigrationInput,
  ModelActionInput,
  ModelFleetApi,
  RecommendationSnooze,
  RecommendationsQuery,
  SavingsQuery,
} from './api';
export { ModelFleetCostInsightsClient } from './costInsights';
export type {
  ModelFleetCostAlert,
  ModelFleetCostInsightsClientOptions,
  ModelFleetProductInsightsOptions,
} from './costInsights';
