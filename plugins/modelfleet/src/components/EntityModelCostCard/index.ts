export { EntityModelCostCard } from './EntityModelCostCard';
