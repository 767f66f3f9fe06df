import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { ModelFleetAction } from '@modelfleet/plugin-modelfleet-common';
import { waitsForApproval } from './fallbackFormat';

/** What a person decides on an action that waits for approval. */
export type Decision = 'approve' | 'cancel';

/**
 * Approve and Cancel of an action that waits for approval (planned, dry
 * run); nothing for any other. `busy` is `<decision>:<action id>` while a
 * decision is being posted: every button waits meanwhile.
 */
export const DecisionButtons = (props: {
  action: ModelFleetAction;
  busy?: string;
  onDecide: (action: ModelFleetAction, decision: Decision) => void;
}) => {
  const { action, busy } = props;
  if (!waitsForApproval(action)) return null;
  return (
    <Box mt={1} display="flex" flexWrap="wrap" style={{ gap: 4 }}>
      <Button
        size="small"
        variant="contained"
        color="primary"
        disabled={!!busy}
        style={{ whiteSpace: 'nowrap' }}
        onClick={() => props.onDecide(action, 'approve')}
      >
        {busy === `approve:${action.id}` ? 'Approving…' : 'Approve'}
      </Button>
      <Button
        size="small"
        variant="outlined"
        disabled={!!busy}
        style={{ whiteSpace: 'nowrap' }}
        onClick={() => props.onDecide(action, 'cancel')}
      >
        {busy === `cancel:${action.id}` ? 'Cancelling…' : 'Cancel'}
      </Button>
    </Box>
  );
};
