export { EntityModelArbitrageCard } from './EntityModelArbitrageCard';
