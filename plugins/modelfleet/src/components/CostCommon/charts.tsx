import { useTheme } from '@material-ui/core/styles';
import {
  COST_IDEAS,
  CostReport,
  UtilizationReport,
} from '@modelfleet/plugin-modelfleet-common';
import {
  Area,
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  Tooltip as ChartTooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  costBarChartHeight,
  costChartData,
  replicaMemoryOf,
  utilizationChartData,
} from './chartData';
import { formatDate, formatPeriod, formatShortDate, formatUsd } from './format';

const COMPACT = new Intl.NumberFormat('en-US', {
  notation: 'compact',
  maximumFractionDigits: 1,
});

const compactUsd = (value: number) => `$${COMPACT.format(value)}`;

/** A point's day in a tooltip, written as every date is. */
const dayLabel = (value: unknown) =>
  typeof value === 'string' ? formatDate(value) : String(value ?? '');

const money = (value: unknown) =>
  typeof value === 'number' ? formatUsd(value) : String(value ?? '');

/** A chart inside a labelled figure, so screen readers hear what it shows. */
const Figure = (props: { label: string; children: JSX.Element }) => (
  <div role="figure" aria-label={props.label} style={{ width: '100%' }}>
    {props.children}
  </div>
);

/**
 * Cost over time: this period's cost, the idle part of it, and the previous
 * period's cost as a dashed line.
 */
export const CostOverTimeChart = (props: {
  report: CostReport;
  height?: number;
  showPrevious?: boolean;
}) => {
  const theme = useTheme();
  const { report, showPrevious = true } = props;
  const data = costChartData(report);
  return (
    <Figure
      label={`Cost per ${report.granularity}, ${formatPeriod(
        report.from,
        report.to,
      )}${showPrevious ? ', against the previous period' : ''}`}
    >
      <ComposedChart
        responsive
        data={data}
        style={{ width: '100%', height: props.height ?? 220 }}
        margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="date" tickFormatter={formatShortDate} />
        <YAxis tickFormatter={compactUsd} width={56} />
        <ChartTooltip formatter={money} labelFormatter={dayLabel} />
        <Legend />
        <Area
          type="monotone"
          dataKey="idle"
          name={COST_IDEAS.unallocated.name}
          stroke={theme.palette.warning.main}
          fill={theme.palette.warning.light}
          isAnimationActive={false}
        />
        <Line
          type="monotone"
          dataKey="cost"
          name="Cost"
          stroke={theme.palette.primary.main}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
        {showPrevious && (
          <Line
            type="monotone"
            dataKey="previous"
            name="Previous period"
            stroke={theme.palette.text.secondary}
            strokeDasharray="5 5"
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
          />
        )}
      </ComposedChart>
    </Figure>
  );
};

/** GPU utilization and idle share (%) with GPU memory used (GiB). */
export const UtilizationChart = (props: {
  report: UtilizationReport;
  height?: number;
}) => {
  const theme = useTheme();
  const { report } = props;
  const replica = replicaMemoryOf(report);
  return (
    <Figure
      label={`GPU utilization and memory${replica ? ' per replica' : ''} per ${
        report.granularity
      }, ${formatPeriod(report.from, report.to)}`}
    >
      <ComposedChart
        responsive
        data={utilizationChartData(report)}
        style={{ width: '100%', height: props.height ?? 220 }}
        margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="date" tickFormatter={formatShortDate} />
        <YAxis
          yAxisId="percent"
          domain={[0, 100]}
          tickFormatter={v => `${v}%`}
          width={48}
        />
        <YAxis
          yAxisId="memory"
          orientation="right"
          // Against the replica's GPU memory: 2 GiB of 24 GiB looks small.
          domain={
            replica ? [0, Math.ceil(replica.capacityMiB / 1024)] : [0, 'auto']
          }
          tickFormatter={v => `${v} GiB`}
          width={64}
        />
        <ChartTooltip labelFormatter={dayLabel} />
        <Legend />
        <Line
          yAxisId="percent"
          type="monotone"
          dataKey="utilization"
          name="GPU utilization %"
          stroke={theme.palette.primary.main}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
        <Line
          yAxisId="percent"
          type="monotone"
          dataKey="idle"
          name="Idle share %"
          stroke={theme.palette.warning.main}
          strokeDasharray="4 4"
          dot={false}
          isAnimationActive={false}
        />
        <Line
          yAxisId="memory"
          type="monotone"
          dataKey="memoryGiB"
          name={
            replica
              ? 'GPU memory used per replica (GiB)'
              : 'GPU memory used (GiB)'
          }
          stroke={theme.palette.secondary.main}
          dot={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </Figure>
  );
};

/** A horizontal bar per item: cost, with its idle part. */
export const CostBarChart = (props: {
  label: string;
  items: Array<{ name: string; cost: number; idle: number }>;
}) => {
  const theme = useTheme();
  const height = costBarChartHeight(props.items);
  // Wide enough for the longest name (about 8 px a character), up to 280 px.
  const longest = Math.max(0, ...props.items.map(i => i.name.length));
  const labelWidth = Math.min(280, Math.max(80, 24 + 8 * longest));
  return (
    <Figure label={props.label}>
      <BarChart
        responsive
        layout="vertical"
        data={props.items.map(i => ({
          name: i.name,
          allocated: Math.max(0, i.cost - i.idle),
          idle: i.idle,
        }))}
        style={{ width: '100%', height }}
        margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" tickFormatter={compactUsd} />
        <YAxis type="category" dataKey="name" width={labelWidth} />
        <ChartTooltip formatter={money} />
        <Legend />
        <Bar
          dataKey="allocated"
          name="Requested GPU time"
          stackId="cost"
          fill={theme.palette.primary.main}
          isAnimationActive={false}
        />
        <Bar
          dataKey="idle"
          name={COST_IDEAS.unallocated.name}
          stackId="cost"
          fill={theme.palette.warning.main}
          isAnimationActive={false}
        />
      </BarChart>
    </Figure>
  );
};
