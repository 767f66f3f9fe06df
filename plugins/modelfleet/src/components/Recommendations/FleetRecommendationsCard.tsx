import { InfoCard } from '@backstage/core-components';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import { RecommendationState } from '@modelfleet/plugin-modelfleet-common';
import { useState } from 'react';
import { RecommendationsBody } from './RecommendationsBody';
import { useRecommendations } from './useRecommendations';

const OPEN: RecommendationState[] = ['open'];
const HIDDEN: RecommendationState[] = ['dismissed', 'snoozed'];

/**
 * The Fleet page's recommendations: every one the caller may see, with
 * its subject (model or pool, linked), sorted by monthly saving, with
 * Apply, Dismiss and Snooze; the "Dismissed and snoozed" switch lists the
 * caller's hidden ones instead, with Restore. What could not be gathered
 * is under Details, for platform engineers.
 */
export const FleetRecommendationsCard = () => {
  const [hidden, setHidden] = useState(false);
  const reco = useRecommendations(undefined, hidden ? HIDDEN : OPEN);
  return (
    <InfoCard
      title="Recommendations"
      subheader="What would save money in the fleet, largest saving first"
      action={
        <FormControlLabel
          control={
            <Switch
              checked={hidden}
              onChange={(_, checked) => setHidden(checked)}
              color="primary"
            />
          }
          label="Dismissed and snoozed"
        />
      }
    >
      <RecommendationsBody
        reco={reco}
        subject="column"
        fleet
        empty={
          hidden
            ? 'Nothing dismissed or snoozed.'
            : 'No recommendation for the fleet now.'
        }
        label={
          hidden ? 'Dismissed and snoozed recommendations' : 'Recommendations'
        }
      />
    </InfoCard>
  );
};
