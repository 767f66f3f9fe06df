import { Progress } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { CardBody, CardState } from '../CostCommon';
import { errorMessage } from '../EntityModelActivityCard/format';
import { NotesDetails } from './Notes';
import { Outcome } from './Outcome';
import { RecommendationsTable, SubjectPlacement } from './RecommendationsTable';
import { useRecommendations } from './useRecommendations';

/**
 * A card's body of recommendations: the answer to the last action (with
 * where its action is approved or followed), the table, the empty
 * sentence, and a read error in words (the last list stays when a refresh
 * fails). On the Fleet page (`fleet`) the notes of what could not be
 * gathered follow, behind a closed Details toggle: they are for platform
 * engineers, and the entity pages leave them out.
 */
export const RecommendationsBody = (props: {
  reco: ReturnType<typeof useRecommendations>;
  empty: ReactNode;
  subject?: SubjectPlacement;
  label: string;
  fleet?: boolean;
}) => {
  const { response, readError, busy, outcome, clearOutcome, act } = props.reco;
  let state: CardState = 'loading';
  if (response) state = 'ready';
  else if (readError) state = 'error';

  let body;
  if (!response) {
    body = readError ? (
      <Typography
        variant="body2"
        color="error"
        data-testid="modelfleet-recommendations-error"
      >
        Could not read the recommendations: {errorMessage(readError)}
      </Typography>
    ) : (
      <Progress />
    );
  } else if (response.items.length === 0) {
    body = (
      <Typography
        variant="body2"
        data-testid="modelfleet-recommendations-empty"
      >
        {props.empty}
      </Typography>
    );
  } else {
    body = (
      <RecommendationsTable
        items={response.items}
        subject={props.subject}
        busy={busy}
        onAct={act}
        label={props.label}
      />
    );
  }

  return (
    <div data-testid="modelfleet-recommendations">
      {readError && response && (
        <Typography variant="caption" color="error" component="p">
          Could not refresh the recommendations, showing the last read:{' '}
          {errorMessage(readError)}
        </Typography>
      )}
      {outcome && (
        <Outcome
          outcome={outcome}
          onClose={clearOutcome}
          onFleetPage={!!props.fleet}
        />
      )}
      <CardBody state={state}>{body}</CardBody>
      {props.fleet && response && <NotesDetails notes={response.notes} />}
    </div>
  );
};
