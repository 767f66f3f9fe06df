import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  formatUsd,
  ModelFleetAction,
} from '@modelfleet/plugin-modelfleet-common';
import {
  ActionStateChip,
  Actor,
  RelativeTime,
} from '../EntityModelActivityCard/ActionParts';
import { Decision, DecisionButtons } from './DecisionButtons';
import {
  fallbackCause,
  fallbackDirection,
  fallbackReplicas,
  fallbackRoute,
  fallbackStateLabel,
} from './fallbackFormat';
import { ScrollX } from '../CostCommon';

const FIGURE = { whiteSpace: 'nowrap' } as const;

/** Why an action rolled back or failed, under its state. */
export const ActionError = (props: {
  action: ModelFleetAction;
  testId: string;
}) => {
  const { action } = props;
  if (
    !action.lastError ||
    !['rolledBack', 'failed', 'rollingBack'].includes(action.state)
  ) {
    return null;
  }
  return (
    <Typography
      variant="caption"
      display="block"
      color="error"
      data-testid={props.testId}
    >
      {action.lastError}
    </Typography>
  );
};

/**
 * One spot fallback: the model, its route (spot → on-demand stand-in, or
 * back), why, the prices it was decided on, its state and decision.
 */
const FallbackRow = (props: {
  action: ModelFleetAction;
  busy?: string;
  onDecide: (action: ModelFleetAction, decision: Decision) => void;
}) => {
  const { action } = props;
  const d = action.fallback;
  return (
    <TableRow data-testid="modelfleet-spot-fallback" data-id={action.id}>
      <TableCell style={{ minWidth: 120 }}>
        <EntityRefLink entityRef={action.entityRef} />
      </TableCell>
      <TableCell>
        {fallbackRoute(action)}
        {d && (
          <Typography variant="caption" display="block" color="textSecondary">
            {fallbackDirection(d)}: {fallbackReplicas(d)}
          </Typography>
        )}
      </TableCell>
      <TableCell>{d ? fallbackCause(d) : '—'}</TableCell>
      <TableCell align="right" style={FIGURE}>
        {d ? (
          <>
            {formatUsd(d.onDemand.usdPerHour)} on-demand
            <Typography variant="caption" display="block" color="textSecondary">
              {formatUsd(d.spot.usdPerHour)} on spot
            </Typography>
          </>
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell>
        <ActionStateChip action={action} label={fallbackStateLabel(action)} />
        <ActionError action={action} testId="modelfleet-spot-fallback-error" />
        <DecisionButtons
          action={action}
          busy={props.busy}
          onDecide={props.onDecide}
        />
      </TableCell>
      <TableCell>
        <Actor actor={action.requestedBy} />
      </TableCell>
      <TableCell style={FIGURE}>
        <RelativeTime iso={action.createdAt} />
      </TableCell>
    </TableRow>
  );
};

/**
 * The Fleet page's spot fallbacks: each change of a model's on-demand
 * stand-in (up at a reclaim notice or when spot has no capacity, down once
 * spot serves again), with Approve / Cancel for those waiting for approval.
 */
export const FallbacksTable = (props: {
  actions: ModelFleetAction[];
  busy?: string;
  onDecide: (action: ModelFleetAction, decision: Decision) => void;
}) => (
  <>
    <ScrollX>
      <Table size="small" aria-label="Spot fallbacks">
        <TableHead>
          <TableRow>
            <TableCell>Model</TableCell>
            <TableCell>From → to</TableCell>
            <TableCell>Why</TableCell>
            <TableCell align="right">Per replica-hour</TableCell>
            <TableCell>State</TableCell>
            <TableCell>Requested by</TableCell>
            <TableCell>When</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.actions.map(a => (
            <FallbackRow
              key={a.id}
              action={a}
              busy={props.busy}
              onDecide={props.onDecide}
            />
          ))}
        </TableBody>
      </Table>
    </ScrollX>
    <Typography variant="caption" color="textSecondary" component="p">
      Prices per replica-hour as each change was decided on.
    </Typography>
  </>
);
