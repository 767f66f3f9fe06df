import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import { makeStyles } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { BudgetStatus } from '@modelfleet/plugin-modelfleet-common';
import { formatShare, formatUsd } from '../CostCommon';
import { TeamMonth } from './useTeamsThisMonth';

const useStyles = makeStyles(theme => ({
  // On a narrow screen the table scrolls sideways rather than break figures.
  scroll: { overflowX: 'auto' },
  table: { '& td, & th': { whiteSpace: 'nowrap' } },
  barCell: { width: '30%', minWidth: 140 },
  bar: { height: 8, borderRadius: 4 },
  // The part of the month's budget neither spent nor forecast: a plain track.
  track: {
    animation: 'none',
    backgroundImage: 'none',
    backgroundColor: theme.palette.action.hover,
    borderRadius: 4,
  },
  ok: { backgroundColor: theme.palette.success.main },
  'at-risk': { backgroundColor: theme.palette.warning.main },
  over: { backgroundColor: theme.palette.error.main },
  buffer: { backgroundColor: theme.palette.action.disabled },
  okChip: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  'at-riskChip': {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  overChip: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  mine: { fontWeight: theme.typography.fontWeightBold as number },
}));

const STATUS_LABELS: Record<BudgetStatus['status'], string> = {
  ok: 'On track',
  'at-risk': 'Forecast over budget',
  over: 'Over budget',
};

/** Month-to-date spend as a bar, the month-end forecast as its buffer. */
const BudgetBar = ({ budget }: { budget: BudgetStatus }) => {
  const classes = useStyles();
  const spent = Math.min(100, budget.burn * 100);
  const forecast =
    budget.monthlyBudgetUsd > 0
      ? Math.min(100, (budget.forecastUsd / budget.monthlyBudgetUsd) * 100)
      : 100;
  return (
    <LinearProgress
      variant="buffer"
      value={spent}
      valueBuffer={Math.max(spent, forecast)}
      aria-label={`${formatShare(budget.burn, 0)} of the budget spent`}
      classes={{
        root: classes.bar,
        bar1Buffer: classes[budget.status],
        bar2Buffer: classes.buffer,
        dashed: classes.track,
      }}
    />
  );
};

const TeamRow = ({ team }: { team: TeamMonth }) => {
  const classes = useStyles();
  const budget = team.report?.budget;
  const name = (
    <span className={team.mine ? classes.mine : undefined}>
      <EntityRefLink entityRef={team.ref} defaultKind="group" hideIcon />
      {team.mine ? ' (yours)' : ''}
    </span>
  );
  if (!team.report) {
    return (
      <TableRow data-testid="home-team-row">
        <TableCell>{name}</TableCell>
        <TableCell colSpan={5}>
          <Typography variant="body2" color="error">
            Could not read this team&apos;s cost: {team.error?.message}
          </Typography>
        </TableCell>
      </TableRow>
    );
  }
  const spent = budget?.monthToDateUsd ?? team.report.total.costUsd;
  return (
    <TableRow data-testid="home-team-row">
      <TableCell>{name}</TableCell>
      <TableCell align="right" data-testid="home-team-spent">
        {formatUsd(spent)}
      </TableCell>
      <TableCell align="right">
        {budget ? formatUsd(budget.monthlyBudgetUsd) : 'No budget'}
      </TableCell>
      <TableCell className={classes.barCell}>
        {budget ? (
          <>
            <BudgetBar budget={budget} />
            <Typography variant="caption" color="textSecondary">
              {formatShare(budget.burn, 0)} spent, forecast{' '}
              {formatShare(
                budget.monthlyBudgetUsd > 0
                  ? budget.forecastUsd / budget.monthlyBudgetUsd
                  : 0,
                0,
              )}
            </Typography>
          </>
        ) : null}
      </TableCell>
      <TableCell align="right">
        {budget ? formatUsd(budget.forecastUsd) : '—'}
      </TableCell>
      <TableCell>
        {budget ? (
          <Chip
            size="small"
            label={STATUS_LABELS[budget.status]}
            className={classes[`${budget.status}Chip` as const]}
          />
        ) : null}
      </TableCell>
    </TableRow>
  );
};

/**
 * Each team's spend this month against its monthly budget, with the
 * month-end forecast (month to date plus the recent daily run rate).
 */
export const TeamBudgets = ({ teams }: { teams: TeamMonth[] }) => {
  const classes = useStyles();
  return (
    <div className={classes.scroll}>
      <Table
        size="small"
        className={classes.table}
        aria-label="Cost this month against budget, by team"
      >
        <TableHead>
          <TableRow>
            <TableCell>Team</TableCell>
            <TableCell align="right">Spent this month</TableCell>
            <TableCell align="right">Monthly budget</TableCell>
            <TableCell>Budget used</TableCell>
            <TableCell align="right">Month-end forecast</TableCell>
            <TableCell>Status</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {teams.map(team => (
            <TeamRow key={team.ref} team={team} />
          ))}
        </TableBody>
      </Table>
    </div>
  );
};
