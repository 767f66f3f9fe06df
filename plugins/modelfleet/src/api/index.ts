export {
  MAX_ACTIONS_LIMIT,
  MAX_SCALE_REPLICAS,
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
} from './ModelFleetApi';
export { ModelFleetClient } from './ModelFleetClient';
