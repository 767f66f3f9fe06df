import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import {
  formatUsd,
  ModelFleetAction,
} from '@modelfleet/plugin-modelfleet-common';
import { FormEvent, useRef, useState } from 'react';
import { modelfleetApiRef } from '../../api';
import { errorMessage } from '../EntityModelActivityCard/format';
import { formatPayback, MoveFigures, newMoveKey } from '../FleetMoves/format';

/** The saving a month in words, or why there is none. */
function savingText(saving: number | undefined): string {
  if (saving === undefined) {
    return 'The saving is not known: where it runs now is not priced.';
  }
  return saving >= 0
    ? `It saves ${formatUsd(saving)} a month.`
    : `It costs ${formatUsd(-saving)} a month more.`;
}

/** What the backend answered: the move waits for approval, or runs. */
const Answer = ({ action }: { action: ModelFleetAction }) =>
  action.state === 'planned' && action.dryRun ? (
    <Alert severity="info" data-testid="modelfleet-move-answer">
      Move planned, waiting for approval. Someone allowed to approve moves
      approves it on the Model activity card or the ModelFleet page&apos;s Moves
      card.
    </Alert>
  ) : (
    <Alert severity="success" data-testid="modelfleet-move-answer">
      Moving… The Model activity card on this page follows the move step by
      step.
    </Alert>
  );

/**
 * Confirms a move of the model to a pool: from → to, the saving a month,
 * the move's one-off cost, its payback and risk, and an optional reason;
 * then posts it once, with an idempotency key made when the dialog opened
 * (a retry after an error asks for the same move). The backend's answer,
 * or its error (naming the field or why not now), shows in the dialog.
 */
export const MoveDialog = (props: {
  model: { namespace: string; name: string };
  pool: string;
  figures: MoveFigures;
  onClose: () => void;
  /** The caller may not move the model after all (a 403). */
  onDenied?: () => void;
}) => {
  const api = useApi(modelfleetApiRef);
  const { figures } = props;
  const [key] = useState(newMoveKey);
  const [reason, setReason] = useState('');
  const [posting, setPosting] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [answer, setAnswer] = useState<ModelFleetAction>();
  // A second click before React re-renders the disabled button.
  const inFlight = useRef(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (inFlight.current || answer) return;
    inFlight.current = true;
    setPosting(true);
    setFailure(undefined);
    try {
      const trimmed = reason.trim();
      setAnswer(
        await api.requestMigration(
          props.model,
          { pool: props.pool, ...(trimmed ? { reason: trimmed } : {}) },
          key,
        ),
      );
    } catch (e) {
      const status = (e as { statusCode?: unknown }).statusCode;
      if (status === 403) props.onDenied?.();
      setFailure(errorMessage(e as Error));
    } finally {
      inFlight.current = false;
      setPosting(false);
    }
  };

  return (
    <Dialog
      open
      onClose={posting ? undefined : props.onClose}
      aria-labelledby="modelfleet-move-title"
      maxWidth="sm"
      fullWidth
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="modelfleet-move-title">
          Move {props.model.name} to {figures.to}?
        </DialogTitle>
        <DialogContent>
          <DialogContentText
            variant="body2"
            component="div"
            data-testid="modelfleet-move-figures"
          >
            <Typography variant="body2" gutterBottom>
              From <strong>{figures.from}</strong> to{' '}
              <strong>{figures.to}</strong>, make-before-break: it starts there,
              traffic switches once it is ready, then it stops here.
            </Typography>
            <Typography variant="body2">
              {savingText(figures.savingUsdPerMonth)}
            </Typography>
            <Typography variant="body2" title={figures.moveParts.join('; ')}>
              The move costs {formatUsd(figures.moveUsd)} once.
            </Typography>
            <Typography variant="body2">
              {figures.paybackHours === undefined
                ? 'It never pays for itself.'
                : `It pays for itself in ${formatPayback(
                    figures.paybackHours,
                  )}.`}
            </Typography>
            <Typography variant="body2" gutterBottom>
              Risk: {figures.risk}.
            </Typography>
          </DialogContentText>
          {!answer && (
            <TextField
              fullWidth
              margin="dense"
              id="modelfleet-move-reason"
              label="Reason (optional)"
              value={reason}
              onChange={e => setReason(e.target.value)}
              inputProps={{ maxLength: 500 }}
              helperText="Shows in the activity and the audit log"
              disabled={posting}
            />
          )}
          {failure && (
            <Alert severity="error" role="alert">
              Could not move: {failure}
            </Alert>
          )}
          {answer && <Answer action={answer} />}
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose} disabled={posting}>
            {answer ? 'Close' : 'Cancel'}
          </Button>
          {!answer && (
            <Button
              type="submit"
              color="primary"
              variant="contained"
              disabled={posting}
            >
              {posting ? 'Requesting…' : 'Move'}
            </Button>
          )}
        </DialogActions>
      </form>
    </Dialog>
  );
};
