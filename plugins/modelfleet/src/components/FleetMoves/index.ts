export { MovesCard, MOVES_POLL_MS } from './MovesCard';
export {
  ConsolidationsCard,
  CONSOLIDATIONS_POLL_MS,
} from './ConsolidationsCard';
