export { EntityTeamSavingsCard } from './EntityTeamSavingsCard';
export { FleetSavingsCard } from './FleetSavingsCard';
