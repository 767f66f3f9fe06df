import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import {
  formatUsd,
  ModelFleetAction,
} from '@modelfleet/plugin-modelfleet-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { modelfleetApiRef } from '../../api';
import { useActionsChanged } from '../../api/actionsChanged';
import { CardBody, CardState, ScrollX } from '../CostCommon';
import {
  ActionStateChip,
  Actor,
  RelativeTime,
} from '../EntityModelActivityCard/ActionParts';
import { errorMessage } from '../EntityModelActivityCard/format';
import { Decision, DecisionButtons } from './DecisionButtons';
import { ActionError, FallbacksTable } from './FallbacksTable';
import {
  formatPayback,
  isMoving,
  monthlySaving,
  moveRoute,
  moveStateLabel,
  realisedSoFar,
} from './format';

/** How often the card reads the moves again while one is under way. */
export const MOVES_POLL_MS = 10_000;

const FIGURE = { whiteSpace: 'nowrap' } as const;

/** The newest spot fallbacks the card shows. */
const FALLBACKS_LIMIT = 20;

const HOW_MOVES =
  'Recommended moves appear here for approval when a team’s arbitrage mode is recommend; Move here on a Model page’s Where it could run card asks for one.';

const HOW_FALLBACKS =
  'A spot fallback appears when a model on a spot pool gets a reclaim notice or finds no spot capacity: an on-demand stand-in serves until spot does again.';

const EMPTY = `No moves or spot fallbacks yet. ${HOW_MOVES} ${HOW_FALLBACKS}`;

/** One move: the model, its route and figures, its state, and its decision. */
const MoveRow = (props: {
  action: ModelFleetAction;
  busy?: string;
  onDecide: (action: ModelFleetAction, decision: Decision) => void;
}) => {
  const { action, busy } = props;
  const d = action.details;
  const saving = monthlySaving(d);
  const realised = realisedSoFar(action);
  return (
    <TableRow data-testid="modelfleet-move" data-id={action.id}>
      <TableCell style={{ minWidth: 120 }}>
        <EntityRefLink entityRef={action.entityRef} />
      </TableCell>
      <TableCell>{moveRoute(action)}</TableCell>
      <TableCell align="right" style={FIGURE}>
        {saving === undefined ? '—' : formatUsd(saving)}
        {realised !== undefined && (
          <Typography
            variant="caption"
            display="block"
            color="textSecondary"
            data-testid="modelfleet-move-realised"
            title="An estimate at the prices of the decision: the saving an hour since it finished, less the move’s cost"
          >
            {formatUsd(realised)} realised so far (estimate)
          </Typography>
        )}
      </TableCell>
      <TableCell align="right" style={FIGURE}>
        {d ? formatUsd(d.moveUsd) : '—'}
      </TableCell>
      <TableCell align="right" style={FIGURE}>
        {d ? formatPayback(d.paybackHours) : '—'}
      </TableCell>
      <TableCell>
        <Typography variant="body2">{d?.risk ?? '—'}</Typography>
      </TableCell>
      <TableCell>
        <ActionStateChip action={action} label={moveStateLabel(action)} />
        <ActionError action={action} testId="modelfleet-move-error" />
        <DecisionButtons
          action={action}
          busy={busy}
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
 * The Fleet page's moves: the `migrate` actions of the models the caller
 * may apply recommendations to (the backend lists only those), newest
 * first, with what each saves a month at the prices it was decided on,
 * its one-off cost, payback and risk, its state, and Approve / Cancel for
 * those waiting for approval; below them the same models' spot fallbacks
 * (`spot-fallback` actions: an on-demand stand-in up at a reclaim notice
 * or when spot has no capacity, down once spot serves again), with Approve
 * / Cancel too. Read again every `pollMs` while one is under way.
 */
export const MovesCard = (props: { pollMs?: number }) => {
  const api = useApi(modelfleetApiRef);
  const pollMs = props.pollMs ?? MOVES_POLL_MS;
  const [actions, setActions] = useState<ModelFleetAction[]>();
  const [fallbacks, setFallbacks] = useState<ModelFleetAction[]>();
  const [readError, setReadError] = useState<Error>();
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<string>();
  // Only the newest read may update the card.
  const generation = useRef(0);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const [moves, spot] = await Promise.all([
        api.listActions({ kind: 'migrate', limit: 50 }),
        api.listActions({ kind: 'spot-fallback', limit: FALLBACKS_LIMIT }),
      ]);
      if (mine !== generation.current) return;
      setActions(moves.actions.filter(a => a.kind === 'migrate'));
      setFallbacks(spot.actions.filter(a => a.kind === 'spot-fallback'));
      setReadError(undefined);
    } catch (e) {
      if (mine === generation.current) setReadError(e as Error);
    }
  }, [api]);
  // Apply on a recommendation elsewhere on the page made one.
  useActionsChanged(load);

  useEffect(() => {
    const reads = generation;
    load();
    return () => {
      // Answers after unmounting are dropped.
      reads.current++;
    };
  }, [load]);

  const moving = [...(actions ?? []), ...(fallbacks ?? [])].some(isMoving);
  useEffect(() => {
    if (!moving) return undefined;
    const timer = setInterval(load, pollMs);
    return () => clearInterval(timer);
  }, [moving, load, pollMs]);

  const decide = async (action: ModelFleetAction, decision: Decision) => {
    setBusy(`${decision}:${action.id}`);
    setFailure(undefined);
    try {
      await (decision === 'approve'
        ? api.approveAction(action.id)
        : api.cancelAction(action.id));
    } catch (e) {
      const what = action.kind === 'spot-fallback' ? 'spot fallback' : 'move';
      setFailure(
        `Could not ${decision} the ${what} of ${
          action.entityRef
        }: ${errorMessage(e as Error)}`,
      );
    } finally {
      setBusy(undefined);
    }
    await load();
  };

  let spot;
  if (fallbacks && fallbacks.length > 0) {
    spot = (
      <Box mt={actions && actions.length > 0 ? 3 : 0}>
        <Typography variant="h6" component="h3">
          Spot fallbacks
        </Typography>
        <FallbacksTable actions={fallbacks} busy={busy} onDecide={decide} />
      </Box>
    );
  }

  let body;
  if (actions === undefined || fallbacks === undefined) {
    body = readError ? (
      <Typography variant="body2" color="error">
        Could not read the moves: {errorMessage(readError)}
      </Typography>
    ) : (
      <Progress />
    );
  } else if (actions.length === 0 && fallbacks.length === 0) {
    body = (
      <Typography variant="body2" data-testid="modelfleet-moves-empty">
        {EMPTY}
      </Typography>
    );
  } else if (actions.length === 0) {
    body = (
      <>
        <Typography
          variant="body2"
          gutterBottom
          data-testid="modelfleet-moves-empty"
        >
          No moves yet. {HOW_MOVES}
        </Typography>
        {spot}
      </>
    );
  } else {
    body = (
      <>
        <ScrollX>
          <Table size="small" aria-label="Moves">
            <TableHead>
              <TableRow>
                <TableCell>Model</TableCell>
                <TableCell>From → to</TableCell>
                <TableCell align="right">Saving a month</TableCell>
                <TableCell align="right">Move, once</TableCell>
                <TableCell align="right">Payback</TableCell>
                <TableCell>Risk</TableCell>
                <TableCell>State</TableCell>
                <TableCell>Requested by</TableCell>
                <TableCell>When</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {actions.map(a => (
                <MoveRow key={a.id} action={a} busy={busy} onDecide={decide} />
              ))}
            </TableBody>
          </Table>
        </ScrollX>
        <Typography variant="caption" color="textSecondary" component="p">
          Figures at the prices each move was decided on; what a finished move
          has realised is an estimate at those prices.
        </Typography>
        {spot}
      </>
    );
  }

  let state: CardState = 'loading';
  if (actions && fallbacks) state = 'ready';
  else if (readError) state = 'error';
  return (
    <InfoCard title="Moves">
      <div data-testid="modelfleet-moves-card">
        {readError && actions && fallbacks && (
          <Typography variant="caption" color="error" component="p">
            Could not refresh the moves, showing the last read:{' '}
            {errorMessage(readError)}
          </Typography>
        )}
        {failure && (
          <Box mb={2}>
            <Alert severity="error" onClose={() => setFailure(undefined)}>
              {failure}
            </Alert>
          </Box>
        )}
        <CardBody state={state}>{body}</CardBody>
      </div>
    </InfoCard>
  );
};
