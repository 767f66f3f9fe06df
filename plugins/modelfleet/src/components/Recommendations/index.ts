export { EntityRecommendationsCard } from './EntityRecommendationsCard';
export { FleetRecommendationsCard } from './FleetRecommendationsCard';
