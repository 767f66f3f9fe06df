export { EntityTeamShowbackCard } from './EntityTeamShowbackCard';
