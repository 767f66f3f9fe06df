import Skeleton from '@material-ui/lab/Skeleton';
import { ComponentProps, lazy, Suspense } from 'react';
import { costBarChartHeight } from './chartData';
import type * as Charts from './charts';

/*
 * The charts, loaded when a card first draws one. The chart library is the
 * biggest part of a card's code: loaded with the card, it is downloaded and
 * run before the card can even ask for its figures. Loaded here, it comes
 * while the figures are on their way, and the card shows its figures as
 * soon as they are there, the chart a moment later in a placeholder of its
 * own size, so nothing below it moves.
 */

const charts = () => import('./charts');

const LazyCostOverTime = lazy(() =>
  charts().then(m => ({ default: m.CostOverTimeChart })),
);
const LazyUtilization = lazy(() =>
  charts().then(m => ({ default: m.UtilizationChart })),
);
const LazyCostBar = lazy(() =>
  charts().then(m => ({ default: m.CostBarChart })),
);

/** The height of the cost and utilization charts unless given. */
const DEFAULT_HEIGHT = 220;

/** Where a chart will be, while its code loads. */
const Placeholder = (props: { label: string; height: number }) => (
  <Skeleton
    variant="rect"
    height={props.height}
    aria-label={`${props.label}: loading the chart`}
    data-testid="modelfleet-chart-loading"
  />
);

/** {@link Charts.CostOverTimeChart}, loaded on first use. */
export const CostOverTimeChart = (
  props: ComponentProps<typeof Charts.CostOverTimeChart>,
) => (
  <Suspense
    fallback={
      <Placeholder
        label="Cost over time"
        height={props.height ?? DEFAULT_HEIGHT}
      />
    }
  >
    <LazyCostOverTime {...props} />
  </Suspense>
);

/** {@link Charts.UtilizationChart}, loaded on first use. */
export const UtilizationChart = (
  props: ComponentProps<typeof Charts.UtilizationChart>,
) => (
  <Suspense
    fallback={
      <Placeholder
        label="GPU utilization and memory"
        height={props.height ?? DEFAULT_HEIGHT}
      />
    }
  >
    <LazyUtilization {...props} />
  </Suspense>
);

/** {@link Charts.CostBarChart}, loaded on first use. */
export const CostBarChart = (
  props: ComponentProps<typeof Charts.CostBarChart>,
) => (
  <Suspense
    fallback={
      <Placeholder
        label={props.label}
        height={costBarChartHeight(props.items)}
      />
    }
  >
    <LazyCostBar {...props} />
  </Suspense>
);
