import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { ModelFleetAction } from '@modelfleet/plugin-modelfleet-common';
import {
  ActionStateChip,
  Actor,
  RelativeTime,
} from '../EntityModelActivityCard/ActionParts';
import { Decision, DecisionButtons } from '../FleetMoves/DecisionButtons';
import {
  fallbackCause,
  fallbackDirection,
  fallbackReplicas,
  fallbackRoute,
  fallbackStateLabel,
} from '../FleetMoves/fallbackFormat';
import { ActionError } from '../FleetMoves/FallbacksTable';
import { moveRoute, moveStateLabel } from '../FleetMoves/format';
import { ScrollX } from '../CostCommon';

const FIGURE = { whiteSpace: 'nowrap' } as const;

/** One spot fallback of the model: when, what changed, why, its state and decision. */
const FallbackRow = (props: {
  action: ModelFleetAction;
  mayDecide: boolean;
  busy?: string;
  onDecide: (action: ModelFleetAction, decision: Decision) => void;
}) => {
  const { action } = props;
  const d = action.fallback;
  return (
    <TableRow data-testid="modelfleet-spot-fallback" data-id={action.id}>
      <TableCell style={FIGURE}>
        <RelativeTime iso={action.createdAt} />
      </TableCell>
      <TableCell>
        {d
          ? `${fallbackDirection(d)}: ${fallbackReplicas(d)}`
          : 'Spot fallback'}
        <Typography variant="caption" display="block" color="textSecondary">
          {fallbackRoute(action)}
        </Typography>
      </TableCell>
      <TableCell>{d ? fallbackCause(d) : '—'}</TableCell>
      <TableCell>
        <ActionStateChip action={action} label={fallbackStateLabel(action)} />
        <ActionError action={action} testId="modelfleet-spot-fallback-error" />
        {props.mayDecide && (
          <DecisionButtons
            action={action}
            busy={props.busy}
            onDecide={props.onDecide}
          />
        )}
      </TableCell>
      <TableCell>
        <Actor actor={action.requestedBy} />
      </TableCell>
    </TableRow>
  );
};

/** The model's moves between pools, one line each. */
const Moves = ({ moves }: { moves: ModelFleetAction[] }) => (
  <Box mt={2}>
    <Typography variant="subtitle2" component="h4">
      Moves between pools
    </Typography>
    {moves.map(m => (
      <Box
        key={m.id}
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
        mt={0.5}
        data-testid="modelfleet-spot-move"
        data-id={m.id}
      >
        <Typography variant="body2" color="textSecondary" style={FIGURE}>
          <RelativeTime iso={m.createdAt} />
        </Typography>
        <Typography variant="body2">{moveRoute(m)}</Typography>
        <ActionStateChip action={m} label={moveStateLabel(m)} />
        <Typography variant="caption" color="textSecondary">
          by <Actor actor={m.requestedBy} />
        </Typography>
      </Box>
    ))}
    <Typography variant="caption" color="textSecondary" component="p">
      Their figures, and Approve for a move that waits, are on the Fleet page’s
      Moves card.
    </Typography>
  </Box>
);

/**
 * The model's preemptions and fallbacks: its spot fallbacks, newest
 * first, with Approve / Cancel for one that waits for approval (for a
 * caller who may decide), then its moves between pools, briefly.
 */
export const SpotHistory = (props: {
  fallbacks: ModelFleetAction[];
  moves: ModelFleetAction[];
  mayDecide: boolean;
  busy?: string;
  onDecide: (action: ModelFleetAction, decision: Decision) => void;
}) => {
  const { fallbacks, moves } = props;
  return (
    <>
      {fallbacks.length === 0 ? (
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="modelfleet-spot-history-empty"
        >
          No spot fallbacks yet.
        </Typography>
      ) : (
        <ScrollX>
          <Table size="small" aria-label="Spot fallbacks">
            <TableHead>
              <TableRow>
                <TableCell>When</TableCell>
                <TableCell>Change</TableCell>
                <TableCell>Why</TableCell>
                <TableCell>State</TableCell>
                <TableCell>Requested by</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {fallbacks.map(a => (
                <FallbackRow
                  key={a.id}
                  action={a}
                  mayDecide={props.mayDecide}
                  busy={props.busy}
                  onDecide={props.onDecide}
                />
              ))}
            </TableBody>
          </Table>
        </ScrollX>
      )}
      {moves.length > 0 && <Moves moves={moves} />}
    </>
  );
};
