import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import InfoOutlined from '@material-ui/icons/InfoOutlined';
import Skeleton from '@material-ui/lab/Skeleton';
import {
  formatDateTime,
  formatMonth,
  formatUsd,
  SavingsFigures,
  SavingsLedgerGroup,
  SavingsLedgerResponse,
} from '@modelfleet/plugin-modelfleet-common';
import { lazy, ReactNode, Suspense } from 'react';
import { ScrollX } from '../CostCommon';
import { byLargestSaving } from './format';
import { SAVINGS_CHART_HEIGHT } from './chartHeight';
import { SavingsLines } from './SavingsLines';

/** The chart library comes when a card first draws its chart. */
const LazySavingsChart = lazy(() =>
  import('./SavingsChart').then(m => ({ default: m.SavingsChart })),
);

const FIGURE = { whiteSpace: 'nowrap' } as const;

/** The sentence of an empty ledger. */
export const EMPTY_LEDGER =
  'No applied action has saved money yet; applied recommendations appear here once the day’s costs are rolled up.';

const Section = (props: { title: string; children: ReactNode }) => (
  <Box mt={3}>
    <Typography variant="subtitle2" component="h3" gutterBottom>
      {props.title}
    </Typography>
    {props.children}
  </Box>
);

/**
 * What was saved, in one line: `$1,234.00 saved · $9,870.00 would have been
 * $11,104.00`, with how the "would have been" is priced behind the icon.
 */
const Headline = (props: { totals: SavingsFigures; method: string }) => {
  const { totals } = props;
  const costMore = totals.savedUsd < 0;
  return (
    <Box
      display="flex"
      alignItems="baseline"
      flexWrap="wrap"
      style={{ columnGap: 8 }}
      data-testid="modelfleet-savings-headline"
    >
      <Typography
        variant="h5"
        component="p"
        data-testid="modelfleet-savings-saved"
      >
        {costMore
          ? `${formatUsd(-totals.savedUsd)} cost more`
          : `${formatUsd(totals.savedUsd)} saved`}
      </Typography>
      {/* Its own item, so a narrow card wraps after it, not before. */}
      <Typography
        variant="body1"
        color="textSecondary"
        component="span"
        aria-hidden
      >
        ·
      </Typography>
      <Typography variant="body1" color="textSecondary" component="p">
        {formatUsd(totals.afterUsd)} would have been{' '}
        {formatUsd(totals.beforeUsd)}
      </Typography>
      <Tooltip title={props.method} arrow>
        <IconButton
          size="small"
          aria-label="How the savings are priced"
          style={{ alignSelf: 'center' }}
        >
          <InfoOutlined fontSize="small" />
        </IconButton>
      </Tooltip>
    </Box>
  );
};

/** Before, after and saved, a row a month. */
const MonthsTable = (props: { months: SavingsLedgerGroup[] }) => (
  <ScrollX>
    <Table size="small" aria-label="Savings by month">
      <TableHead>
        <TableRow>
          <TableCell>Month</TableCell>
          <TableCell align="right" style={FIGURE}>
            Would have cost
          </TableCell>
          <TableCell align="right" style={FIGURE}>
            Cost
          </TableCell>
          <TableCell align="right" style={FIGURE}>
            Saved
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.months.map(m => (
          <TableRow key={m.key} data-testid="modelfleet-savings-month">
            <TableCell style={FIGURE}>{formatMonth(m.key)}</TableCell>
            <TableCell align="right" style={FIGURE}>
              {formatUsd(m.beforeUsd)}
            </TableCell>
            <TableCell align="right" style={FIGURE}>
              {formatUsd(m.afterUsd)}
            </TableCell>
            <TableCell align="right" style={FIGURE}>
              {formatUsd(m.savedUsd)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  </ScrollX>
);

/**
 * A savings ledger: what was saved against what it would have cost (how
 * that is priced in the tooltip), by month (a chart and a table), and by
 * action, largest saving first, each with its model and, when `showTeam`,
 * its team; or, when nothing saved money yet, that in words.
 */
export const SavingsReport = (props: {
  ledger: SavingsLedgerResponse;
  showTeam: boolean;
}) => {
  const { ledger } = props;
  const updated = ledger.updatedAt && (
    <Typography
      variant="caption"
      color="textSecondary"
      component="p"
      style={{ marginTop: 16 }}
    >
      As of the cost roll-up of {formatDateTime(ledger.updatedAt)}.
    </Typography>
  );
  if (ledger.lines.length === 0) {
    return (
      <>
        <Typography variant="body2" data-testid="modelfleet-savings-empty">
          {EMPTY_LEDGER}
        </Typography>
        {updated}
      </>
    );
  }
  return (
    <>
      <Headline totals={ledger.totals} method={ledger.method} />
      {ledger.months.length > 0 && (
        <Section title="By month">
          <Suspense
            fallback={
              <Skeleton
                variant="rect"
                height={SAVINGS_CHART_HEIGHT}
                aria-label="Savings by month: loading the chart"
                data-testid="modelfleet-chart-loading"
              />
            }
          >
            <LazySavingsChart months={ledger.months} />
          </Suspense>
          <MonthsTable months={ledger.months} />
        </Section>
      )}
      <Section title="By action">
        <SavingsLines
          lines={byLargestSaving(ledger.lines)}
          showTeam={props.showTeam}
        />
      </Section>
      {updated}
    </>
  );
};
