export { EntityModelUtilizationCard } from './EntityModelUtilizationCard';
