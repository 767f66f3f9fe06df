import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Collapse from '@material-ui/core/Collapse';
import Divider from '@material-ui/core/Divider';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  ModelActionsCapabilities,
  ModelFleetAction,
} from '@modelfleet/plugin-modelfleet-common';
import { useState } from 'react';
import { ActionDetails } from './ActionDetails';
import { ActionStateChip, Actor, RelativeTime } from './ActionParts';
import { FoldedAction, foldKeepAlives } from './fold';
import { actionTitle } from './format';

/** How many actions show before "Show all". */
const FIRST = 10;

export type ActionDecision = 'approve' | 'cancel';

interface DecisionProps {
  /** Whether the caller may approve and cancel, from the capabilities. */
  approve?: ModelActionsCapabilities['approve'];
  /** `<decision>:<action id>` while a decision is being posted. */
  busy?: string;
  onDecide: (action: ModelFleetAction, decision: ActionDecision) => void;
}

/** Approve and Cancel of a planned action, or why the caller cannot. */
const Decision = (props: DecisionProps & { action: ModelFleetAction }) => {
  const { action, approve, busy } = props;
  if (action.state !== 'planned') return null;
  if (!approve?.allowed) {
    return action.dryRun ? (
      <Typography variant="caption" color="textSecondary">
        Waiting for approval
        {approve?.reason ? ` (you cannot approve: ${approve.reason})` : ''}
      </Typography>
    ) : null;
  }
  const title = actionTitle(action);
  return (
    <Box display="flex" style={{ gap: 8 }}>
      {action.dryRun && (
        <Button
          size="small"
          variant="contained"
          color="primary"
          disabled={!!busy}
          aria-label={`Approve ${title}`}
          onClick={() => props.onDecide(action, 'approve')}
        >
          {busy === `approve:${action.id}` ? 'Approving…' : 'Approve'}
        </Button>
      )}
      <Button
        size="small"
        variant="outlined"
        disabled={!!busy}
        aria-label={`Cancel ${title}`}
        onClick={() => props.onDecide(action, 'cancel')}
      >
        {busy === `cancel:${action.id}` ? 'Cancelling…' : 'Cancel'}
      </Button>
    </Box>
  );
};

/** The earlier keep-alive changes folded under the newest: how many, and which. */
const Earlier = (props: { earlier: ModelFleetAction[] }) => {
  const [open, setOpen] = useState(false);
  const { earlier } = props;
  if (earlier.length === 0) return null;
  return (
    <Box data-testid="modelfleet-action-earlier">
      <Button size="small" onClick={() => setOpen(o => !o)}>
        {open ? 'Hide' : 'Show'} {earlier.length} earlier keep-alive{' '}
        {earlier.length === 1 ? 'change' : 'changes'}
      </Button>
      <Collapse in={open} unmountOnExit>
        <Box component="ul" m={0} pl={2}>
          {earlier.map(a => (
            <Typography key={a.id} component="li" variant="body2">
              {actionTitle(a)}, <RelativeTime iso={a.createdAt} />
              {a.reason ? `: ${a.reason}` : ''}
            </Typography>
          ))}
        </Box>
      </Collapse>
    </Box>
  );
};

/** One action: what, its state, who asked and why, when; details below. */
const ActionRow = (
  props: DecisionProps & FoldedAction & { divider: boolean },
) => {
  const { action, earlier, divider, ...decision } = props;
  const [open, setOpen] = useState(false);
  const title = actionTitle(action);
  return (
    <Box component="li" data-testid="modelfleet-action">
      {divider && <Divider />}
      <Box py={1} display="flex" alignItems="center" style={{ gap: 8 }}>
        <Box flexGrow={1} minWidth={0}>
          <Box display="flex" alignItems="center" style={{ gap: 8 }}>
            <Typography variant="subtitle1" component="h3">
              {title}
            </Typography>
            <ActionStateChip action={action} />
          </Box>
          <Typography variant="body2" color="textSecondary">
            Asked by <Actor actor={action.requestedBy} />{' '}
            <RelativeTime iso={action.createdAt} />
            {action.reason ? `: ${action.reason}` : ''}
            {action.approvedBy && (
              <>
                {' · approved by '}
                <Actor actor={action.approvedBy} />
              </>
            )}
          </Typography>
        </Box>
        <Decision action={action} {...decision} />
        <IconButton
          size="small"
          aria-expanded={open}
          aria-label={`${open ? 'Hide' : 'Show'} details of ${title}`}
          onClick={() => setOpen(o => !o)}
        >
          {open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
        </IconButton>
      </Box>
      <Earlier earlier={earlier} />
      <Collapse in={open} unmountOnExit>
        <ActionDetails action={action} />
      </Collapse>
    </Box>
  );
};

/**
 * A model's actions, newest first, the first {@link FIRST} rows until
 * asked; a policy's runs of keep-alive changes fold into one row.
 */
export const ActionList = (
  props: DecisionProps & { actions: ModelFleetAction[] },
) => {
  const [all, setAll] = useState(false);
  const { actions, ...decision } = props;
  if (actions.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        Nobody has scaled, hibernated or woken this model through ModelFleet
        yet. What the buttons above ask for shows here, step by step.
      </Typography>
    );
  }
  const rows = foldKeepAlives(actions);
  const shown = all ? rows : rows.slice(0, FIRST);
  return (
    <>
      <Box component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
        {shown.map((row, i) => (
          <ActionRow
            key={row.action.id}
            {...row}
            divider={i > 0}
            {...decision}
          />
        ))}
      </Box>
      {rows.length > shown.length && (
        <Button size="small" onClick={() => setAll(true)}>
          Show all {actions.length} actions
        </Button>
      )}
    </>
  );
};
