import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { Alert } from '@material-ui/lab';
import { FormEvent, useState } from 'react';
import { MAX_SCALE_REPLICAS } from '../../api';
import { errorMessage } from './format';

/** The replicas typed, or the error that names the field. */
export function parseReplicas(
  text: string,
): { replicas: number } | { error: string } {
  const trimmed = text.trim();
  const replicas = Number(trimmed);
  if (
    !/^\d+$/.test(trimmed) ||
    !Number.isSafeInteger(replicas) ||
    replicas > MAX_SCALE_REPLICAS
  ) {
    return {
      error: `Replicas must be a whole number from 0 to ${MAX_SCALE_REPLICAS}`,
    };
  }
  return { replicas };
}

/**
 * Asks how many replicas the model should run and why, then posts the
 * request. A rejected request (e.g. a 400 naming the field) shows in the
 * dialog, which stays open.
 */
export const ScaleDialog = (props: {
  open: boolean;
  /** The model's name, for the title. */
  model: string;
  /** The replicas desired now, the field's first value. */
  current?: number;
  onClose: () => void;
  onScale: (replicas: number, reason: string) => Promise<void>;
}) => {
  const [text, setText] = useState(String(props.current ?? 1));
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [posting, setPosting] = useState(false);
  const [failure, setFailure] = useState<string>();
  const parsed = parseReplicas(text);
  const fieldError = touched && 'error' in parsed ? parsed.error : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if ('error' in parsed) return;
    setPosting(true);
    setFailure(undefined);
    try {
      await props.onScale(parsed.replicas, reason);
      props.onClose();
    } catch (e) {
      setFailure(errorMessage(e as Error));
    } finally {
      setPosting(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={posting ? undefined : props.onClose}
      aria-labelledby="modelfleet-scale-title"
      maxWidth="xs"
      fullWidth
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="modelfleet-scale-title">
          Scale {props.model}
        </DialogTitle>
        <DialogContent>
          <DialogContentText variant="body2">
            {props.current === undefined
              ? 'The cluster does not report how many replicas the model runs.'
              : `The model is set to ${props.current} ${
                  props.current === 1 ? 'replica' : 'replicas'
                } now.`}{' '}
            The request becomes an action below, applied step by step.
          </DialogContentText>
          <TextField
            fullWidth
            margin="dense"
            id="modelfleet-scale-replicas"
            label="Replicas"
            type="number"
            value={text}
            onChange={e => {
              setText(e.target.value);
              setTouched(true);
            }}
            inputProps={{ min: 0, max: MAX_SCALE_REPLICAS, step: 1 }}
            error={!!fieldError}
            helperText={fieldError ?? `0 to ${MAX_SCALE_REPLICAS}`}
            required
          />
          <TextField
            fullWidth
            margin="dense"
            id="modelfleet-scale-reason"
            label="Reason (optional)"
            value={reason}
            onChange={e => setReason(e.target.value)}
            helperText="Shows in the activity and the audit log"
          />
          {failure && (
            <Alert severity="error" role="alert">
              Could not scale: {failure}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose} disabled={posting}>
            Close
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={posting || !!fieldError}
          >
            {posting ? 'Scaling…' : 'Scale'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
