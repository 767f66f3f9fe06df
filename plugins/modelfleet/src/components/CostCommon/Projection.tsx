import Tooltip from '@material-ui/core/Tooltip';
import { MonthProjection } from '@modelfleet/plugin-modelfleet-common';
import { Figure } from './Figures';
import { formatMonth, formatUsd } from './format';

/** How a run rate and a month-end projection are made, in words. */
export function projectionMethod(p: MonthProjection): string {
  const month = formatMonth(p.month);
  if (p.runRateDays === 0) {
    return `No complete day of cost yet: the projection for ${month} is the cost so far, and there is no run rate until a day completes.`;
  }
  const days = p.runRateDays === 1 ? 'day' : `${p.runRateDays} days`;
  return `Run rate: the mean daily cost of the last complete ${days} (today, still running, is left out) × the days of ${month}. Month-end projection: the cost of ${month}'s complete days so far, plus the run rate for each day left, today included.`;
}

const Labelled = (props: { label: string; method: string }) => (
  <Tooltip title={props.method}>
    <span
      aria-label={`${props.label}: ${props.method}`}
      style={{ borderBottom: '1px dotted', cursor: 'help' }}
    >
      {props.label}
    </span>
  </Tooltip>
);

/**
 * The monthly run rate and the month-end projection of a report, with the
 * method as a tooltip on each label.
 */
export const ProjectionFigures = (props: {
  projection: MonthProjection;
  /** Test id prefix: `<prefix>-run-rate`, `<prefix>-projection`. */
  testId: string;
}) => {
  const p = props.projection;
  const method = projectionMethod(p);
  return (
    <>
      <Figure
        label={<Labelled label="Monthly run rate" method={method} />}
        value={p.runRateDays > 0 ? formatUsd(p.monthlyRunRateUsd) : '—'}
        testId={`${props.testId}-run-rate`}
        detail={
          p.runRateDays > 0
            ? `${formatUsd(p.dailyRunRateUsd)} a day`
            : 'no complete day yet'
        }
      />
      <Figure
        label={
          <Labelled
            label={`Month-end projection, ${formatMonth(p.month)}`}
            method={method}
          />
        }
        value={formatUsd(p.forecastUsd)}
        testId={`${props.testId}-projection`}
        detail={`${formatUsd(p.monthToDateUsd)} so far this month`}
      />
    </>
  );
};
