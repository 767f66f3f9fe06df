export { MAX_SCALE_REPLICAS, modelfleetApiRef } from './ModelFleetApi';
export type {
  ActionsQuery,
  CostAnomaliesResponse,
  CostEntityKind,
  CostEntityRef,
  CostQuery,
  ModelActionInput,
  ModelFleetApi,
} from './ModelFleetApi';
export { ModelFleetClient } from './ModelFleetClient';
