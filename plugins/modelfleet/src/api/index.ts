export { modelfleetApiRef } from './ModelFleetApi';
export type {
  CostAnomaliesResponse,
  CostEntityKind,
  CostEntityRef,
  CostQuery,
  ModelFleetApi,
} from './ModelFleetApi';
export { ModelFleetClient } from './ModelFleetClient';
