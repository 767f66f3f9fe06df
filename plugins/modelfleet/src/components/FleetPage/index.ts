export { FleetPage, FleetOverview } from './FleetPage';
