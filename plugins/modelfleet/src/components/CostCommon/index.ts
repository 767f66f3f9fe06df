export { AnomaliesList } from './AnomaliesList';
export {
  CostBarChart,
  CostOverTimeChart,
  UtilizationChart,
  costChartData,
  utilizationChartData,
} from './charts';
export { CardActions } from './CardActions';
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
  formatGpuHours,
  formatMiB,
  formatPeriod,
  formatShare,
  formatUnitUsd,
  formatUsd,
  formatUtcTime,
} from './format';
export { PeriodSelect, periodQuery, usePeriod } from './period';
export type { PeriodDays } from './period';
export { ProvenanceCaption, provenanceText } from './Provenance';
