import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { rootRouteRef } from '../../routes';
import { NextStep } from './format';
import { RefText } from './RefText';
import { RecommendationOutcome } from './useRecommendations';

/**
 * The ModelFleet page's path, or undefined in an app that does not mount
 * it (a card on an entity page of an app without the page).
 */
function useFleetPagePath(): string | undefined {
  // useRouteRef calls its hooks before it throws for an unmounted route,
  // so catching keeps the hooks in the same order on every render.
  try {
    return useRouteRef(rootRouteRef)();
  } catch {
    return undefined;
  }
}

/** The ModelFleet page's card that lists an action too, if one does. */
function fleetCardOf(next: NextStep): string | undefined {
  if (next.move) return 'Moves';
  return next.consolidation ? 'Node consolidations' : undefined;
}

/**
 * Where to approve or follow the action an apply made: the Model activity
 * card of the model (its page), and for a move also the ModelFleet page's
 * Moves, for a node consolidation its Node consolidations (only there),
 * which are "below" on that page itself.
 */
const NextStepLine = (props: { next: NextStep; onFleetPage: boolean }) => {
  const { next, onFleetPage } = props;
  const fleetPath = useFleetPagePath();
  const verb = next.awaitsApproval ? 'Approve' : 'Follow';
  const card = fleetCardOf(next);
  let moves = null;
  if (card && onFleetPage) moves = <>under {card} below</>;
  else if (card && fleetPath) {
    moves = (
      <>
        under {card} on the <Link to={fleetPath}>ModelFleet page</Link>
      </>
    );
  }
  if (!next.modelRef && !moves) return null;
  return (
    <Typography
      variant="body2"
      component="p"
      data-testid="modelfleet-recommendation-next"
    >
      {verb} it{' '}
      {next.modelRef && (
        <>
          on the Model activity card of{' '}
          <EntityRefLink entityRef={next.modelRef} />
        </>
      )}
      {next.modelRef && moves && ', or '}
      {moves}.
    </Typography>
  );
};

/** The answer to the last Apply, Dismiss, Snooze or Restore, closable. */
export const Outcome = (props: {
  outcome: RecommendationOutcome;
  onClose: () => void;
  onFleetPage: boolean;
}) => (
  <Box mb={2}>
    <Alert
      severity={props.outcome.severity}
      onClose={props.onClose}
      data-testid="modelfleet-recommendation-outcome"
    >
      <RefText text={props.outcome.message} />
      {props.outcome.next && (
        <NextStepLine
          next={props.outcome.next}
          onFleetPage={props.onFleetPage}
        />
      )}
    </Alert>
  </Box>
);
