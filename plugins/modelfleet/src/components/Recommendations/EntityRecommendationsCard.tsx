import { InfoCard, Progress } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Typography from '@material-ui/core/Typography';
import {
  modelfleetCostReadPermission,
  RecommendationState,
} from '@modelfleet/plugin-modelfleet-common';
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

const EntityRecommendations = (props: {
  query: { entity?: string; team?: string };
  what: string;
}) => {
  const reco = useRecommendations(props.query, OPEN);
  return (
    <RecommendationsBody
      reco={reco}
      subject={props.what === 'team' ? 'inline' : undefined}
      empty={`No recommendation for this ${props.what} now.`}
      label="Recommendations"
    />
  );
};

/**
 * What would save money on a Model page (its recommendations) or a Group
 * page (its team's), sorted by monthly saving: what to do and its evidence,
 * the saving a month, the disruption and the confidence, with Apply (when
 * the recommendation can be applied and the caller may apply
 * recommendations to its subject), Dismiss and Snooze (1, 7 or 30 days).
 * The list is read again after each; Apply's answer says what happened and
 * where to approve or follow its action.
 */
export const EntityRecommendationsCard = () => {
  const { entity } = useEntity();
  const { query, what } = entityScope(entity);
  // Recommendations carry costs: asked for only where the caller may read
  // the entity's costs, as the cost cards do.
  const permission = usePermission({
    permission: modelfleetCostReadPermission,
    resourceRef: query.entity ?? query.team,
  });
  let body;
  if (permission.loading) body = <Progress />;
  else if (!permission.allowed)
    body = (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="modelfleet-recommendations-not-allowed"
      >
        Recommendations carry this {what}'s costs, which only its team and the
        platform teams may see.
      </Typography>
    );
  else body = <EntityRecommendations query={query} what={what} />;
  return <InfoCard title="Recommendations">{body}</InfoCard>;
};
