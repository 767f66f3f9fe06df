export { MovesCard, MOVES_POLL_MS } from './MovesCard';
