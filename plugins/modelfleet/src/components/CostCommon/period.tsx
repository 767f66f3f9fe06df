import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { CostQuery } from '../../api';

/** The periods a card offers, in days; 30 is the backend's default. */
export const PERIOD_DAYS = [7, 30, 90] as const;

/** A period length in days. */
export type PeriodDays = (typeof PERIOD_DAYS)[number];

const DEFAULT_DAYS: PeriodDays = 30;

/**
 * The query for the last `days` complete days, up to yesterday (UTC): today
 * is still running, and a partial day would read as a drop in cost. The
 * default period sends no dates, so the backend's own default applies and the
 * figures match what the API returns without parameters.
 */
export function periodQuery(
  days: PeriodDays,
  now: Date = new Date(),
): CostQuery | undefined {
  if (days === DEFAULT_DAYS) return undefined;
  const to = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()),
  );
  const from = new Date(to.getTime() - days * 86_400_000);
  return {
    from: from.toISOString().slice(0, 10),
    to: to.toISOString().slice(0, 10),
    granularity: 'day',
  };
}

/** The chosen period of a card, 30 days at first. */
export function usePeriod(): [PeriodDays, (days: PeriodDays) => void] {
  return useState<PeriodDays>(DEFAULT_DAYS);
}

let selects = 0;

/** A small select for the period of a card. */
export const PeriodSelect = (props: {
  value: PeriodDays;
  onChange: (days: PeriodDays) => void;
}) => {
  // A unique id ties the label to the select, with several cards on a page.
  const [id] = useState(() => `modelfleet-period-${++selects}`);
  return (
    <TextField
      id={id}
      select
      size="small"
      variant="outlined"
      label="Period"
      value={props.value}
      onChange={e => props.onChange(Number(e.target.value) as PeriodDays)}
      SelectProps={{ native: true }}
      style={{ minWidth: 120, marginTop: 8 }}
    >
      {PERIOD_DAYS.map(days => (
        <option key={days} value={days}>
          Last {days} days
        </option>
      ))}
    </TextField>
  );
};
