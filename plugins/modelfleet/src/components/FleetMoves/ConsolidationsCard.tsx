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
import { ModelFleetAction } from '@modelfleet/plugin-modelfleet-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { modelfleetApiRef } from '../../api';
import { useActionsChanged } from '../../api/actionsChanged';
import { CardBody, CardState, formatDateTime, ScrollX } from '../CostCommon';
import { ActionStateChip, Actor } from '../EntityModelActivityCard/ActionParts';
import {
  errorMessage,
  formatRelative,
} from '../EntityModelActivityCard/format';
import {
  consolidationNodes,
  consolidationPool,
  consolidationState,
  consolidationWorkloadsText,
  NODE_POOL_KINDS,
  poolMinimumText,
  newestFirst,
} from './consolidationFormat';
import { Decision, DecisionButtons } from './DecisionButtons';
import { isMoving } from './format';

/** How often the card reads the consolidations again while one is under way. */
export const CONSOLIDATIONS_POLL_MS = 10_000;

/** The newest consolidations the card shows. */
const LIMIT = 50;

/** What the card says when there is nothing to list: what it is for. */
export const CONSOLIDATIONS_EMPTY =
  'No node consolidation has been asked for. Apply a consolidation recommendation above to cordon and drain the nodes it frees.';

const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/**
 * One consolidation: its pool (linked to the GpuPool page), the nodes it
 * empties, the workloads whose pods move, its state in words with Approve /
 * Cancel while it waits for approval, who asked and when.
 */
const ConsolidationRow = (props: {
  action: ModelFleetAction;
  busy?: string;
  onDecide: (action: ModelFleetAction, decision: Decision) => void;
}) => {
  const { action } = props;
  const state = consolidationState(action);
  const nodes = consolidationNodes(action);
  return (
    <TableRow data-testid="modelfleet-consolidation" data-id={action.id}>
      <TableCell style={{ minWidth: 120 }}>
        <EntityRefLink
          entityRef={action.entityRef}
          defaultKind="gpupool"
          hideIcon
        >
          {consolidationPool(action)}
        </EntityRefLink>
      </TableCell>
      <TableCell>
        {poolMinimumText(action) ?? (nodes.length ? nodes.join(', ') : '—')}
      </TableCell>
      <TableCell>{consolidationWorkloadsText(action)}</TableCell>
      <TableCell>
        <ActionStateChip action={action} label={state.label} />
        {state.detail && (
          <Typography
            variant="caption"
            display="block"
            color={
              ['rollingBack', 'rolledBack', 'failed'].includes(action.state)
                ? 'error'
                : 'textSecondary'
            }
            data-testid="modelfleet-consolidation-detail"
          >
            {state.detail}
          </Typography>
        )}
        <DecisionButtons
          action={action}
          busy={props.busy}
          onDecide={props.onDecide}
        />
      </TableCell>
      <TableCell>
        <Actor actor={action.requestedBy} />
      </TableCell>
      <TableCell style={NO_WRAP}>
        <time
          dateTime={action.createdAt}
          title={formatRelative(action.createdAt)}
        >
          {formatDateTime(action.createdAt)}
        </time>
      </TableCell>
    </TableRow>
  );
};

/**
 * The Fleet page's node consolidations: the `consolidate` actions an
 * applied consolidation recommendation made (cordon the nodes it frees,
 * drain them within the PodDisruptionBudgets, wait for the moved workloads
 * to be ready elsewhere), newest first, with Approve / Cancel for those a
 * dry-run policy holds at planned. Read again every `pollMs` while one is
 * under way, and after each decision.
 */
export const ConsolidationsCard = (props: { pollMs?: number }) => {
  const api = useApi(modelfleetApiRef);
  const pollMs = props.pollMs ?? CONSOLIDATIONS_POLL_MS;
  const [actions, setActions] = useState<ModelFleetAction[]>();
  const [readError, setReadError] = useState<Error>();
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<string>();
  // Only the newest read may update the card.
  const generation = useRef(0);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const answer = await api.listActions({
        kind: NODE_POOL_KINDS,
        limit: LIMIT,
      });
      if (mine !== generation.current) return;
      setActions(
        newestFirst(
          answer.actions.filter(a => NODE_POOL_KINDS.includes(a.kind)),
        ),
      );
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

  const moving = (actions ?? []).some(isMoving);
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
      setFailure(
        `Could not ${decision} the consolidation of ${consolidationPool(
          action,
        )}: ${errorMessage(e as Error)}`,
      );
    } finally {
      setBusy(undefined);
    }
    await load();
  };

  let body;
  if (actions === undefined) {
    body = readError ? (
      <Typography
        variant="body2"
        color="error"
        data-testid="modelfleet-consolidations-error"
      >
        Could not read the node consolidations: {errorMessage(readError)}
      </Typography>
    ) : (
      <Progress />
    );
  } else if (actions.length === 0) {
    body = (
      <Typography variant="body2" data-testid="modelfleet-consolidations-empty">
        {CONSOLIDATIONS_EMPTY}
      </Typography>
    );
  } else {
    body = (
      <ScrollX>
        <Table size="small" aria-label="Node consolidations">
          <TableHead>
            <TableRow>
              <TableCell>Pool</TableCell>
              <TableCell>Nodes</TableCell>
              <TableCell>Models that move</TableCell>
              <TableCell>State</TableCell>
              <TableCell style={NO_WRAP}>Asked by</TableCell>
              <TableCell style={NO_WRAP}>When</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {actions.map(a => (
              <ConsolidationRow
                key={a.id}
                action={a}
                busy={busy}
                onDecide={decide}
              />
            ))}
          </TableBody>
        </Table>
      </ScrollX>
    );
  }

  let state: CardState = 'loading';
  if (actions) state = 'ready';
  else if (readError) state = 'error';
  return (
    <InfoCard
      title="Node consolidations"
      titleTypographyProps={{ component: 'h2' }}
    >
      <div data-testid="modelfleet-consolidations-card">
        {readError && actions && (
          <Typography variant="caption" color="error" component="p">
            Could not refresh the node consolidations, showing the last read:{' '}
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
