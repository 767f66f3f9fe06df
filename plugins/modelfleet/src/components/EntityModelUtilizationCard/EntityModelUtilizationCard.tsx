import Typography from '@material-ui/core/Typography';
import {
  COST_IDEAS,
  UtilizationReport,
} from '@modelfleet/plugin-modelfleet-common';
import {
  EntityReportCard,
  Figure,
  Figures,
  formatMiB,
  formatPeriod,
  formatShare,
  formatUsd,
  IdeaLabel,
  NoData,
  replicaMemoryOf,
  UtilizationChart,
} from '../CostCommon';

/** Whether a utilization report has any GPU metric at all. */
export function hasUtilizationData(report: UtilizationReport): boolean {
  return report.series.some(
    p =>
      p.gpuUtilization !== null ||
      p.memoryUsedMiB !== null ||
      p.idleShare !== null,
  );
}

/** The figures and chart of a model's utilization report. */
export const ModelUtilizationReport = ({
  report,
}: {
  report: UtilizationReport;
}) => {
  const period = formatPeriod(report.from, report.to);
  if (!hasUtilizationData(report)) {
    return (
      <NoData title="No utilization data yet">
        No GPU metrics were found for this model in {period}. Utilization and
        memory come from dcgm-exporter (DCGM_FI_DEV_GPU_UTIL and
        DCGM_FI_DEV_FB_USED) through a Prometheus metrics source: check that one
        is configured for the model's cluster and that the model&apos;s pods run
        on GPU nodes that export these metrics.
      </NoData>
    );
  }
  let memory = '—';
  let memoryLabel = 'GPU memory used';
  let memoryDetail: string | undefined;
  const replica = replicaMemoryOf(report);
  if (replica && report.memoryPerGpuMiB !== null) {
    // Per replica, against what one replica's GPUs hold: a sum over
    // replicas would read as more than a GPU has.
    const m = report.model!;
    memoryLabel = 'GPU memory per replica';
    memory = `${formatMiB(
      report.memoryPerGpuMiB * replica.gpusPerReplica,
    )} of ${formatMiB(replica.capacityMiB)}`;
    const gpus = Math.round(m.gpusPerReplica * 100) / 100;
    memoryDetail = `${m.replicas} replica${
      m.replicas === 1 ? '' : 's'
    } now, ${gpus} ${m.gpu ?? 'GPU'} GPU${gpus === 1 ? '' : 's'} each${
      report.memoryUsedMiB !== null
        ? `; ${formatMiB(report.memoryUsedMiB)} over all replicas`
        : ''
    }`;
  } else if (report.memoryUsedMiB !== null) {
    memory =
      report.memoryTotalMiB !== null
        ? `${formatMiB(report.memoryUsedMiB)} of ${formatMiB(
            report.memoryTotalMiB,
          )}`
        : formatMiB(report.memoryUsedMiB);
  }
  return (
    <>
      <Figures>
        <Figure
          label="Mean GPU utilization"
          value={
            report.gpuUtilization === null
              ? '—'
              : formatShare(report.gpuUtilization)
          }
          testId="model-gpu-utilization"
        />
        <Figure
          label={memoryLabel}
          value={memory}
          testId="model-gpu-memory"
          detail={memoryDetail}
        />
        <Figure
          label="Requested GPU time that did no work"
          value={
            report.idleShare === null ? '—' : formatShare(report.idleShare)
          }
          testId="model-idle-share"
        />
        <Figure
          label={<IdeaLabel idea="unused" />}
          value={formatUsd(report.unusedUsd)}
          testId="model-unused-cost"
        />
      </Figures>
      <UtilizationChart report={report} />
      <Typography
        variant="caption"
        color="textSecondary"
        component="p"
        data-testid="modelfleet-provenance"
        style={{ marginTop: 8 }}
      >
        Means of the GPU metrics (dcgm-exporter through Prometheus) per{' '}
        {report.granularity}, {period}. {COST_IDEAS.unused.name}:{' '}
        {COST_IDEAS.unused.definition}
      </Typography>
    </>
  );
};

/**
 * GPU utilization and memory of a Model entity over the chosen period, with
 * its idle share and what that idle time cost.
 */
export const EntityModelUtilizationCard = () => (
  <div data-testid="modelfleet-utilization-card">
    <EntityReportCard
      title="GPU utilization"
      kind="model"
      load={(api, ref, query) => api.getEntityUtilization(ref, query)}
      periodOf={v => v}
      demoOf={v => v.demo}
    >
      {report => <ModelUtilizationReport report={report} />}
    </EntityReportCard>
  </div>
);
