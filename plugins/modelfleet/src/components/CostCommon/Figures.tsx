import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { CostReport, CostTotals } from '@modelfleet/plugin-modelfleet-common';
import {
  changeOf,
  daysBetween,
  formatGpuHours,
  formatPeriod,
  formatUsd,
} from './format';

/** A headline number with its label below. */
export const Figure = (props: {
  label: ReactNode;
  value: ReactNode;
  detail?: ReactNode;
  testId?: string;
  xs?: 6 | 12;
  md?: 3 | 4 | 6;
}) => (
  <Grid item xs={props.xs ?? 6} md={props.md ?? 3}>
    <Typography variant="h5" component="p" data-testid={props.testId}>
      {props.value}
    </Typography>
    <Typography variant="body2" color="textSecondary">
      {props.label}
    </Typography>
    {props.detail && (
      <Typography variant="caption" color="textSecondary" component="p">
        {props.detail}
      </Typography>
    )}
  </Grid>
);

/** What a "Saved" figure or column counts, in a few words. */
export const SAVED_TOOLTIP =
  'Saved by hibernation: the GPU-hours of one replica not held while at zero replicas, at the showback price';

/**
 * What hibernation saved over a period: the GPU-hours of one replica the
 * models did not hold while at zero, priced like showback prices them.
 */
export const SavingsFigure = (props: {
  total: Pick<CostTotals, 'savedUsd' | 'savedGpuHours'>;
  testId: string;
}) => (
  <Figure
    label="Saved by hibernation"
    value={formatUsd(props.total.savedUsd)}
    testId={props.testId}
    detail={`${formatGpuHours(
      props.total.savedGpuHours,
    )}, against one replica always on, at the showback price`}
  />
);

/** A row of figures. */
export const Figures = (props: { children: ReactNode }) => (
  <Box mb={2}>
    <Grid container spacing={2}>
      {props.children}
    </Grid>
  </Box>
);

/** Whether a previous period has cost data for only some of its days. */
const isPartial = (days?: { withData: number; of: number }) =>
  days !== undefined && days.withData < days.of;

/**
 * The change of a cost against the previous period, red when it went up
 * (more spend) and green when it went down. A previous period with cost
 * data for only some of its days is no base for a change: it says the
 * comparison is not available yet.
 */
export const ChangeLabel = (props: {
  current: number;
  previous: number;
  /** Days of the previous period with cost data, and its length. */
  previousDays?: { withData: number; of: number };
}) => {
  if (isPartial(props.previousDays)) {
    const { withData, of } = props.previousDays!;
    return (
      <Typography
        component="span"
        variant="inherit"
        color="textSecondary"
        data-testid="modelfleet-cost-change"
      >
        Comparison with the previous period not available yet: it has cost data
        for {withData} of its {of} days
      </Typography>
    );
  }
  const { ratio, label } = changeOf(props.current, props.previous);
  let color: 'error' | 'primary' | 'textSecondary' = 'textSecondary';
  if (ratio !== null && ratio > 0.005) color = 'error';
  if (ratio !== null && ratio < -0.005) color = 'primary';
  return (
    <Typography
      component="span"
      variant="inherit"
      color={color}
      data-testid="modelfleet-cost-change"
    >
      {label}
    </Typography>
  );
};

/**
 * How a report's total compares with its previous period: the change, then
 * the previous total and its dates, or just "the previous period".
 */
export const ChangeAgainstPrevious = (props: {
  report: Pick<CostReport, 'total' | 'previous'>;
  withPreviousTotal?: boolean;
}) => {
  const { total, previous } = props.report;
  const previousDays = {
    withData: previous.total.daysWithData,
    of: daysBetween(previous.from, previous.to),
  };
  const label = (
    <ChangeLabel
      current={total.costUsd}
      previous={previous.total.costUsd}
      previousDays={previousDays}
    />
  );
  if (isPartial(previousDays)) return label;
  return (
    <>
      {label}{' '}
      {props.withPreviousTotal === false ? (
        'against the previous period'
      ) : (
        <>
          against {formatUsd(previous.total.costUsd)} in{' '}
          {formatPeriod(previous.from, previous.to)}
        </>
      )}
    </>
  );
};
