export { AnomaliesList } from './AnomaliesList';
export {
  CostBarChart,
  CostOverTimeChart,
  UtilizationChart,
} from './LazyCharts';
export {
  costChartData,
  replicaMemoryOf,
  utilizationChartData,
} from './chartData';
export { CardActions } from './CardActions';
export { ScrollX, WRAPPING_HEADER } from './layout';
export { CARD_STATE_ATTRIBUTE, CardBody, cardStateOf } from './cardState';
export type { CardState } from './cardState';
export { AsyncBody, CostErrorPanel, NoData, statusOf } from './CostStates';
export { DemoChip } from './DemoChip';
export { EntityReportCard } from './EntityReportCard';
export { costRefOf, subjectOf } from './entityRefs';
export {
  ChangeAgainstPrevious,
  ChangeLabel,
  Figure,
  Figures,
  SAVED_TOOLTIP,
  SavingsFigure,
} from './Figures';
export {
  changeOf,
  daysBetween,
  formatDate,
  formatDateTime,
  formatMonth,
  formatShortDate,
  formatGpuHours,
  formatMiB,
  formatPeriod,
  formatShare,
  formatUnitUsd,
  formatUsd,
} from './format';
export {
  hasUnallocated,
  IdeaLabel,
  IdleFigures,
  idleColumns,
  NO_WRAP,
  rowsWithUnallocated,
  SummaryRowLabel,
  UnallocatedNote,
} from './ideas';
export type { CostTableRow, IdleIdea } from './ideas';
export { PeriodSelect, periodQuery, usePeriod } from './period';
export { ProjectionFigures, projectionMethod } from './Projection';
export type { PeriodDays } from './period';
export { ProvenanceCaption, provenanceText } from './Provenance';
