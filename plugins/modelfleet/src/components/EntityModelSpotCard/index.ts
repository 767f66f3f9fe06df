export { EntityModelSpotCard } from './EntityModelSpotCard';
export type { EntityModelSpotCardProps } from './EntityModelSpotCard';
