export {
  MAX_ACTIONS_LIMIT,
  MAX_SCALE_REPLICAS,
  MAX_SAVINGS_DAYS,
  MAX_SNOOZE_DAYS,
  modelfleetApiRef,
} from './ModelFleetApi';
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
} from './ModelFleetApi';
export { ModelFleetClient } from './ModelFleetClient';
