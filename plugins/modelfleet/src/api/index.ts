export { modelfleetApiRef } from './ModelFleetApi';
export type { ModelFleetApi } from './ModelFleetApi';
export { ModelFleetClient } from './ModelFleetClient';
