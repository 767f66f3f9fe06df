import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import LinearProgress from '@material-ui/core/LinearProgress';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { BudgetStatus } from '@modelfleet/plugin-modelfleet-common';
import { formatMonth, formatShare, formatUsd } from '../CostCommon';

const useStyles = makeStyles(theme => ({
  bar: { height: 10, borderRadius: 5, margin: theme.spacing(1, 0) },
  ok: { backgroundColor: theme.palette.success.main },
  'at-risk': { backgroundColor: theme.palette.warning.main },
  over: { backgroundColor: theme.palette.error.main },
  buffer: { backgroundColor: theme.palette.action.selected },
}));

const STATUS_LABELS: Record<BudgetStatus['status'], string> = {
  ok: 'On track',
  'at-risk': 'At risk: the forecast is over budget',
  over: 'Over budget',
};

const StatusLabel = ({ status }: { status: BudgetStatus['status'] }) => {
  if (status === 'over') return <StatusError>{STATUS_LABELS.over}</StatusError>;
  if (status === 'at-risk') {
    return <StatusWarning>{STATUS_LABELS['at-risk']}</StatusWarning>;
  }
  return <StatusOK>{STATUS_LABELS.ok}</StatusOK>;
};

/**
 * A team's monthly budget: month-to-date spend as a bar (colored by status),
 * the month-end forecast as the bar's buffer, and both in words.
 */
export const BudgetBurn = ({ budget }: { budget: BudgetStatus }) => {
  const classes = useStyles();
  const spent = Math.min(100, budget.burn * 100);
  const forecast =
    budget.monthlyBudgetUsd > 0
      ? Math.min(100, (budget.forecastUsd / budget.monthlyBudgetUsd) * 100)
      : 100;
  return (
    <div data-testid="team-budget">
      <StatusLabel status={budget.status} />
      <LinearProgress
        variant="buffer"
        value={spent}
        valueBuffer={Math.max(spent, forecast)}
        aria-label={`Budget burn for ${formatMonth(budget.month)}`}
        classes={{
          root: classes.bar,
          bar1Buffer: classes[budget.status],
          bar2Buffer: classes.buffer,
          dashed: classes.buffer,
        }}
      />
      <Typography variant="body2">
        {formatUsd(budget.monthToDateUsd)} of{' '}
        {formatUsd(budget.monthlyBudgetUsd)} spent in{' '}
        {formatMonth(budget.month)} ({formatShare(budget.burn, 0)}); month-end
        forecast {formatUsd(budget.forecastUsd)}.
      </Typography>
      {budget.runRateDays > 0 && (
        <Typography variant="caption" color="textSecondary" component="p">
          The forecast adds {formatUsd(budget.dailyRunRateUsd)} a day, the mean
          of the last {budget.runRateDays} complete days (today, still running,
          is left out), for each day left, today included.
        </Typography>
      )}
    </div>
  );
};
