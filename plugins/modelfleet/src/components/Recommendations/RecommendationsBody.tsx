import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { ReactNode } from 'react';
import { CardBody, CardState } from '../CostCommon';
import { errorMessage } from '../EntityModelActivityCard/format';
import { RecommendationsTable, SubjectPlacement } from './RecommendationsTable';
import { useRecommendations } from './useRecommendations';

/**
 * A card's body of recommendations: the answer to the last action, the
 * table, the empty sentence, the notes of what could not be gathered, and
 * a read error in words (the last list stays when a refresh fails).
 */
export const RecommendationsBody = (props: {
  reco: ReturnType<typeof useRecommendations>;
  empty: ReactNode;
  subject?: SubjectPlacement;
  label: string;
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
        <Box mb={2}>
          <Alert
            severity={outcome.severity}
            onClose={clearOutcome}
            data-testid="modelfleet-recommendation-outcome"
          >
            {outcome.message}
          </Alert>
        </Box>
      )}
      <CardBody state={state}>{body}</CardBody>
      {response && response.notes.length > 0 && (
        <Box mt={1}>
          {response.notes.map(note => (
            <Typography
              key={note}
              variant="caption"
              color="textSecondary"
              component="p"
            >
              {note}
            </Typography>
          ))}
        </Box>
      )}
    </div>
  );
};
