import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  ModelHibernationReport,
  ModelWake,
} from '@modelfleet/plugin-modelfleet-common';
import { Figure, Figures, formatPeriod, formatDateTime } from '../CostCommon';
import { formatWakeSeconds } from './format';
import { Section } from './HibernationParts';

/** The wakes the report lists at most (newest first). */
export const MAX_LISTED_WAKES = 50;

/** The wakes the card shows in its list. */
export const SHOWN_WAKES = 5;

const wokenBy = (w: ModelWake, sleeps?: boolean) => {
  if (!w.cold) return 'Pre-warm';
  return sleeps ? 'A request' : 'Cold start';
};

/**
 * The last few wakes: when, how long to ready, cold start or pre-warm (of
 * the sleep idle tier: a request at the wake gate).
 */
export const WakeList = (props: { wakes: ModelWake[]; sleeps?: boolean }) => (
  <Table size="small" aria-label="Last wakes" data-testid="hibernation-wakes">
    <TableHead>
      <TableRow>
        <TableCell>Started</TableCell>
        <TableCell align="right">To ready</TableCell>
        <TableCell>Woken by</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {props.wakes.slice(0, SHOWN_WAKES).map(w => (
        <TableRow key={w.startedAt}>
          <TableCell>{formatDateTime(w.startedAt)}</TableCell>
          <TableCell align="right">
            {w.readyAt === undefined ? 'waking…' : formatWakeSeconds(w.seconds)}
          </TableCell>
          <TableCell>{wokenBy(w, props.sleeps)}</TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);

/**
 * Wakes from zero over the period: how many, how many were cold starts,
 * the median and 95th percentile of the seconds to ready, and the last few.
 * Of the sleep idle tier (`sleeps`): the wakes of its engine, those a
 * request caused timed by its wake gate.
 */
export const Wakes = (props: {
  report: Pick<
    ModelHibernationReport,
    'wakes' | 'coldStarts' | 'wakeSeconds' | 'from' | 'to'
  >;
  sleeps?: boolean;
}) => {
  const { wakes, coldStarts, wakeSeconds, from, to } = props.report;
  const { sleeps } = props;
  const count =
    wakes.length >= MAX_LISTED_WAKES
      ? `${MAX_LISTED_WAKES}+`
      : String(wakes.length);
  return (
    <Section
      title={`${sleeps ? 'Engine wakes' : 'Wakes from zero'}, ${formatPeriod(
        from,
        to,
      )}`}
    >
      <Figures>
        <Figure label="Wakes" value={count} testId="hibernation-wakes-count" />
        <Figure
          label={sleeps ? 'Woken by a request' : 'Cold starts'}
          value={coldStarts}
          testId="hibernation-cold-starts"
        />
        <Figure
          label="Wake time p50"
          value={formatWakeSeconds(wakeSeconds.p50)}
          testId="hibernation-wake-p50"
        />
        <Figure
          label="Wake time p95"
          value={formatWakeSeconds(wakeSeconds.p95)}
          testId="hibernation-wake-p95"
        />
      </Figures>
      {wakes.length > 0 ? (
        <WakeList wakes={wakes} sleeps={sleeps} />
      ) : (
        <Typography variant="body2" color="textSecondary">
          {sleeps
            ? 'Its engine did not wake in this period.'
            : 'The model did not wake from zero in this period.'}
        </Typography>
      )}
    </Section>
  );
};
