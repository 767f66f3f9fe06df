export { EntityModelActivityCard } from './EntityModelActivityCard';
export type { EntityModelActivityCardProps } from './EntityModelActivityCard';
export type { PollIntervals } from './useModelActivity';
