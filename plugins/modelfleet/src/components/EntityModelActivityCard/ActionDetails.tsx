import Box from '@material-ui/core/Box';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import {
  ActionEvent,
  ModelFleetAction,
  ObjectDiff,
} from '@modelfleet/plugin-modelfleet-common';
import { ReactNode } from 'react';
import { Actor, RelativeTime, StepStatusChip } from './ActionParts';
import { formatValue, isActive, stateWord, stepStatuses } from './format';
import { ScrollX } from '../CostCommon';

const useStyles = makeStyles((theme: Theme) => ({
  steps: { margin: 0, paddingLeft: theme.spacing(3) },
  step: { marginBottom: theme.spacing(0.5) },
  current: { fontWeight: theme.typography.fontWeightBold as number },
  failed: { color: theme.palette.error.main },
  retrying: { color: theme.palette.warning.dark },
  code: { fontFamily: 'monospace', wordBreak: 'break-all' },
}));

const Section = (props: { title: string; children: ReactNode }) => (
  <Box mt={2}>
    <Typography variant="subtitle2" component="h4" gutterBottom>
      {props.title}
    </Typography>
    {props.children}
  </Box>
);

/** The ordered steps of an action, each with how far it got. */
export const ActionSteps = (props: { action: ModelFleetAction }) => {
  const classes = useStyles();
  const statuses = stepStatuses(props.action);
  if (props.action.steps.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        This action has no steps: there was nothing to change.
      </Typography>
    );
  }
  return (
    <ol className={classes.steps} aria-label="Steps">
      {props.action.steps.map((step, i) => (
        <li
          key={i}
          className={classes.step}
          data-testid="modelfleet-action-step"
          data-status={statuses[i]}
        >
          <Box display="flex" alignItems="center" style={{ gap: 8 }}>
            <Typography
              variant="body2"
              component="span"
              className={
                statuses[i] === 'current' ? classes.current : undefined
              }
            >
              {step.description}
            </Typography>
            <StepStatusChip status={statuses[i]} />
          </Box>
        </li>
      ))}
    </ol>
  );
};

const change = (e: ActionEvent) =>
  `${e.from ? stateWord(e.from) : 'requested'} → ${stateWord(e.to)}`;

/** What happened to an action, oldest first; failures in red. */
export const ActionEvents = (props: { events: ActionEvent[] }) => {
  const classes = useStyles();
  const events = [...props.events].sort(
    (a, b) => Date.parse(a.at) - Date.parse(b.at),
  );
  return (
    <ScrollX>
      <Table size="small" aria-label="Events">
        <TableHead>
          <TableRow>
            <TableCell>When</TableCell>
            <TableCell>Change</TableCell>
            <TableCell>By</TableCell>
            <TableCell>What happened</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {events.map((e, i) => {
            let className: string | undefined;
            if (e.outcome === 'failed') className = classes.failed;
            else if (e.outcome === 'retrying') className = classes.retrying;
            return (
              <TableRow
                key={i}
                data-testid="modelfleet-action-event"
                data-outcome={e.outcome}
              >
                <TableCell className={className}>
                  <RelativeTime iso={e.at} />
                </TableCell>
                <TableCell className={className}>{change(e)}</TableCell>
                <TableCell className={className}>
                  <Actor actor={e.actor} />
                </TableCell>
                <TableCell className={className}>{e.message}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </ScrollX>
  );
};

const objectName = (d: ObjectDiff) =>
  `${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name}`;

/** What applying a planned action would change, field by field. */
export const ActionDiff = (props: { diff: ObjectDiff[] }) => {
  const classes = useStyles();
  const rows = props.diff.flatMap(d =>
    d.changes.map(c => ({ object: d, ...c })),
  );
  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        Nothing would change: the cluster already looks like this.
      </Typography>
    );
  }
  return (
    <ScrollX>
      <Table size="small" aria-label="Changes">
        <TableHead>
          <TableRow>
            <TableCell>Object</TableCell>
            <TableCell>Field</TableCell>
            <TableCell>Before → after</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row, i) => (
            <TableRow key={i} data-testid="modelfleet-action-change">
              <TableCell>
                {objectName(row.object)}
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="div"
                >
                  step {row.object.step + 1}, cluster {row.object.cluster}
                </Typography>
              </TableCell>
              <TableCell className={classes.code}>{row.path}</TableCell>
              <TableCell className={classes.code}>
                {formatValue(row.before)} → {formatValue(row.after)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </ScrollX>
  );
};

/**
 * Everything about one action: its last error, its steps, what it would
 * change (while planned) and its events.
 */
export const ActionDetails = (props: { action: ModelFleetAction }) => {
  const { action } = props;
  const retrying = isActive(action) && action.nextAttemptAt;
  return (
    <Box pl={1} pr={1} pb={2} data-testid="modelfleet-action-details">
      {action.lastError && (
        <Alert severity={isActive(action) ? 'warning' : 'error'}>
          {action.state === 'failed'
            ? 'The rollback failed, someone needs to look at the cluster: '
            : 'Last error: '}
          {action.lastError}
          {retrying && (
            <>
              {' '}
              (try {action.attempts}; next try{' '}
              <RelativeTime iso={action.nextAttemptAt!} />)
            </>
          )}
        </Alert>
      )}
      <Section title="Steps">
        <ActionSteps action={action} />
      </Section>
      {action.state === 'planned' && action.diff && (
        <Section title="What it will change">
          <ActionDiff diff={action.diff} />
        </Section>
      )}
      <Section title="Events">
        {action.events?.length ? (
          <ActionEvents events={action.events} />
        ) : (
          <Typography variant="body2" color="textSecondary">
            Nothing has happened to this action yet.
          </Typography>
        )}
      </Section>
    </Box>
  );
};
