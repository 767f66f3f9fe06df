import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { RecommendationState } from '@modelfleet/plugin-modelfleet-common';
import { RecommendationsBody } from './RecommendationsBody';
import { useRecommendations } from './useRecommendations';

const OPEN: RecommendationState[] = ['open'];

/** The query and the empty sentence of an entity page. */
export function entityScope(entity: {
  kind: string;
  metadata: { name: string; namespace?: string };
}): { query: { entity?: string; team?: string }; what: string } {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  const ref = `${kind}:${entity.metadata.namespace ?? 'default'}/${
    entity.metadata.name
  }`;
  if (kind === 'group') return { query: { team: ref }, what: 'team' };
  return { query: { entity: ref }, what: kind === 'gpupool' ? 'pool' : kind };
}

/**
 * What would save money on a Model page (its recommendations) or a Group
 * page (its team's), sorted by monthly saving: what to do and its evidence,
 * the saving a month, the disruption and the confidence, with Apply (when
 * the recommendation can be applied and the caller may apply
 * recommendations to its subject), Dismiss and Snooze (7 days). The list is
 * read again after each; Apply's answer says what happened.
 */
export const EntityRecommendationsCard = () => {
  const { entity } = useEntity();
  const { query, what } = entityScope(entity);
  const reco = useRecommendations(query, OPEN);
  return (
    <InfoCard title="Recommendations">
      <RecommendationsBody
        reco={reco}
        subject={what === 'team' ? 'inline' : undefined}
        empty={`No recommendation for this ${what} now.`}
        label="Recommendations"
      />
    </InfoCard>
  );
};
