import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

/** The teams the examples and tests name, as catalog Groups. */
export const TEAMS = [
  'search-team',
  'support-team',
  'assistant-team',
  'speech-team',
  'platform-team',
];

const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

/**
 * An in-memory catalog holding the teams as Groups, and `extra` entities
 * (e.g. a User, to show a non-Group owner is refused).
 */
export function teamCatalog(extra: Entity[] = []) {
  return catalogServiceMock({ entities: [...TEAMS.map(group), ...extra] });
}
