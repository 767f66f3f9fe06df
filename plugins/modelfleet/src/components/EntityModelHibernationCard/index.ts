export { EntityModelHibernationCard } from './EntityModelHibernationCard';
