import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import InfoIcon from '@material-ui/icons/InfoOutlined';
import { ReactNode, useMemo } from 'react';
import {
  DemoChip,
  Figure,
  Figures,
  formatPeriod,
  formatUsd,
  WRAPPING_HEADER,
} from '../CostCommon';
import { IDLE_WASTE_TOOLTIP, IdleWaste } from './IdleWaste';
import { lastDays, monthToDate } from './period';
import { RecentActions } from './RecentActions';
import { RecentAnomalies } from './RecentAnomalies';
import { TeamBudgets } from './TeamBudgets';
import { TeamsThisMonth, useTeamsThisMonth } from './useTeamsThisMonth';

/** Days of cost anomalies the home page looks back over. */
export const ANOMALY_DAYS = 14;

const CardTitle = (props: { title: string; tooltip?: string }) => (
  <span>
    {props.title}
    {props.tooltip && (
      <Tooltip title={props.tooltip}>
        <InfoIcon
          fontSize="small"
          color="action"
          style={{ marginLeft: 6, verticalAlign: 'middle' }}
          aria-label={props.tooltip}
        />
      </Tooltip>
    )}
  </span>
);

/** The sum of the shown teams' month: spend, budgets and forecasts. */
function monthTotals(data: TeamsThisMonth) {
  let spent = 0;
  let budget = 0;
  let forecast = 0;
  let budgeted = 0;
  for (const t of data.teams) {
    if (!t.report) continue;
    const b = t.report.budget;
    spent += b?.monthToDateUsd ?? t.report.total.costUsd;
    if (b) {
      budget += b.monthlyBudgetUsd;
      forecast += b.forecastUsd;
      budgeted += 1;
    }
  }
  return { spent, budget, forecast, budgeted };
}

const TeamsCaption = ({ data }: { data: TeamsThisMonth }) => {
  if (data.everyTeam) {
    return (
      <Typography variant="body2" color="textSecondary" paragraph>
        You may see every team&apos;s cost, so every team with a GPU cost this
        month is listed
        {data.teams.some(t => t.mine) ? ', yours first' : ''}.
      </Typography>
    );
  }
  return null;
};

const CostAgainstBudget = ({ data }: { data: TeamsThisMonth }) => {
  const { spent, budget, forecast, budgeted } = monthTotals(data);
  if (data.teams.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        None of your teams owns a model with a GPU cost this month. A
        team&apos;s cost is the sum of its models (the spec.owner of their Model
        entities); deploy one with <strong>Deploy a model</strong>.
      </Typography>
    );
  }
  const n = data.teams.length;
  return (
    <>
      <Figures>
        <Figure
          label={
            n > 1 ? `Spent this month by these ${n} teams` : 'Spent this month'
          }
          value={<span data-testid="home-month-spent">{formatUsd(spent)}</span>}
          detail={formatPeriod(data.period.from, data.period.to)}
        />
        {budgeted > 0 && (
          <Figure
            label={n > 1 ? 'Their monthly budgets, summed' : 'Monthly budget'}
            value={
              <span data-testid="home-month-budget">{formatUsd(budget)}</span>
            }
            detail={`${Math.round((spent / budget) * 100)}% spent so far`}
          />
        )}
        {budgeted > 0 && (
          <Figure
            label="Month-end forecast"
            value={formatUsd(forecast)}
            detail="Spent so far plus the recent daily run rate to the month's end"
          />
        )}
      </Figures>
      <TeamsCaption data={data} />
      <TeamBudgets teams={data.teams} />
    </>
  );
};

const Section = (props: {
  title: string;
  tooltip?: string;
  testId: string;
  action?: ReactNode;
  children: ReactNode;
}) => (
  <InfoCard
    title={<CardTitle title={props.title} tooltip={props.tooltip} />}
    action={props.action}
    headerStyle={WRAPPING_HEADER}
  >
    <div data-testid={props.testId}>{props.children}</div>
  </InfoCard>
);

/**
 * ModelFleet's home page content for the signed-in user: their teams'
 * GPU cost this month against budget, the models with the most idle GPU
 * time, recent cost anomalies and recent actions. It reads only what the
 * user may see (a platform team's member sees every team).
 */
export const HomeOverview = (props: { now?: Date }) => {
  const now = props.now;
  const periods = useMemo(() => {
    const at = now ?? new Date();
    return { month: monthToDate(at), anomalies: lastDays(at, ANOMALY_DAYS) };
  }, [now]);
  const { loading, error, value } = useTeamsThisMonth(periods.month);

  let budgets: ReactNode;
  if (loading) budgets = <Progress />;
  else if (error) budgets = <ResponseErrorPanel error={error} />;
  else if (value) budgets = <CostAgainstBudget data={value} />;

  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12}>
        <Section
          title="Cost this month against budget"
          testId="home-budgets"
          action={value?.fleet.demo ? <DemoChip /> : undefined}
        >
          {budgets}
        </Section>
      </Grid>
      <Grid item xs={12} md={6}>
        <Section
          title="Allocated but unused: top models"
          tooltip={IDLE_WASTE_TOOLTIP}
          testId="home-idle-waste"
        >
          {value ? (
            <IdleWaste
              models={value.fleet.breakdown.models}
              period={periods.month}
            />
          ) : (
            !error && <Progress />
          )}
        </Section>
      </Grid>
      <Grid item xs={12} md={6}>
        <Section title="Recent cost anomalies" testId="home-anomalies">
          <RecentAnomalies period={periods.anomalies} days={ANOMALY_DAYS} />
        </Section>
      </Grid>
      <Grid item xs={12}>
        <Section title="Recent actions" testId="home-actions">
          <RecentActions />
        </Section>
      </Grid>
    </Grid>
  );
};
