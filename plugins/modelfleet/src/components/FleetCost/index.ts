export { FleetCostSection } from './FleetCostSection';
