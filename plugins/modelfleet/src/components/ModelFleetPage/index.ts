export { ModelFleetPage, FleetOverview } from './ModelFleetPage';
