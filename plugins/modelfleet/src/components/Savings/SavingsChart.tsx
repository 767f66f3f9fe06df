import { useTheme } from '@material-ui/core/styles';
import {
  formatMonth,
  formatUsd,
  SavingsLedgerGroup,
} from '@modelfleet/plugin-modelfleet-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Tooltip as ChartTooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { SAVINGS_CHART_HEIGHT } from './chartHeight';

const COMPACT = new Intl.NumberFormat('en-US', {
  notation: 'compact',
  maximumFractionDigits: 1,
});

const compactUsd = (value: number) => `$${COMPACT.format(value)}`;

const money = (value: unknown) =>
  typeof value === 'number' ? formatUsd(value) : String(value ?? '');

/**
 * One bar a month: what it cost, with what the actions saved stacked on
 * top, so the whole bar is what it would have cost without them (a month
 * whose actions cost money shows its cost alone).
 */
export const SavingsChart = (props: { months: SavingsLedgerGroup[] }) => {
  const theme = useTheme();
  const data = props.months.map(m => ({
    month: formatMonth(m.key),
    after: m.afterUsd,
    saved: Math.max(0, m.savedUsd),
  }));
  return (
    <div
      role="figure"
      aria-label="Cost by month, with what was saved on top: the whole bar is what it would have cost"
      style={{ width: '100%' }}
    >
      <BarChart
        responsive
        data={data}
        style={{ width: '100%', height: SAVINGS_CHART_HEIGHT }}
        margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
        maxBarSize={96}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="month" />
        <YAxis tickFormatter={compactUsd} width={56} />
        <ChartTooltip formatter={money} />
        <Legend />
        <Bar
          dataKey="after"
          name="Cost"
          stackId="before"
          fill={theme.palette.primary.main}
          isAnimationActive={false}
        />
        <Bar
          dataKey="saved"
          name="Saved"
          stackId="before"
          fill={theme.palette.success.main}
          isAnimationActive={false}
        />
      </BarChart>
    </div>
  );
};
