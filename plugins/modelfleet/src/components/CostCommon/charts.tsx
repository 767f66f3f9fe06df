import { useTheme } from '@material-ui/core/styles';
import {
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
import { formatPeriod, formatUsd } from './format';

/** One point of the cost chart: this period and the previous one by index. */
export interface CostChartPoint {
  date: string;
  cost: number;
  idle: number;
  previous: number | null;
  previousDate: string | null;
}

/**
 * The cost series of a report with the previous period's series beside it,
 * aligned by index: the first day of this period next to the first day of the
 * previous one.
 */
export function costChartData(report: CostReport): CostChartPoint[] {
  return report.series.map((point, i) => {
    const before = report.previous.series[i];
    return {
      date: point.date,
      cost: point.costUsd,
      idle: point.idleUsd,
      previous: before ? before.costUsd : null,
      previousDate: before ? before.date : null,
    };
  });
}

const COMPACT = new Intl.NumberFormat('en-US', {
  notation: 'compact',
  maximumFractionDigits: 1,
});

const compactUsd = (value: number) => `$${COMPACT.format(value)}`;

const shortDay = (day: string) => day.slice(5);

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
        <XAxis dataKey="date" tickFormatter={shortDay} />
        <YAxis tickFormatter={compactUsd} width={56} />
        <ChartTooltip formatter={money} />
        <Legend />
        <Area
          type="monotone"
          dataKey="idle"
          name="Idle"
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

/** One point of the utilization chart, as percent and GiB. */
export interface UtilizationChartPoint {
  date: string;
  utilization: number | null;
  memoryGiB: number | null;
  idle: number | null;
}

/** The utilization series as percentages and GiB, nulls kept as gaps. */
export function utilizationChartData(
  report: UtilizationReport,
): UtilizationChartPoint[] {
  return report.series.map(p => ({
    date: p.date,
    utilization:
      p.gpuUtilization === null
        ? null
        : Math.round(p.gpuUtilization * 1000) / 10,
    memoryGiB:
      p.memoryUsedMiB === null
        ? null
        : Math.round(p.memoryUsedMiB / 102.4) / 10,
    idle: p.idleShare === null ? null : Math.round(p.idleShare * 1000) / 10,
  }));
}

/** GPU utilization and idle share (%) with GPU memory used (GiB). */
export const UtilizationChart = (props: {
  report: UtilizationReport;
  height?: number;
}) => {
  const theme = useTheme();
  const { report } = props;
  return (
    <Figure
      label={`GPU utilization and memory per ${
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
        <XAxis dataKey="date" tickFormatter={shortDay} />
        <YAxis
          yAxisId="percent"
          domain={[0, 100]}
          tickFormatter={v => `${v}%`}
          width={48}
        />
        <YAxis
          yAxisId="memory"
          orientation="right"
          tickFormatter={v => `${v} GiB`}
          width={64}
        />
        <ChartTooltip />
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
          name="GPU memory used (GiB)"
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
  const height = Math.max(120, props.items.length * 32 + 48);
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
          name="Used"
          stackId="cost"
          fill={theme.palette.primary.main}
          isAnimationActive={false}
        />
        <Bar
          dataKey="idle"
          name="Idle"
          stackId="cost"
          fill={theme.palette.warning.main}
          isAnimationActive={false}
        />
      </BarChart>
    </Figure>
  );
};
