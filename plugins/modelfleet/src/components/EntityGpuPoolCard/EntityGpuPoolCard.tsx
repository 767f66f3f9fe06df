import { LinearGauge } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import {
  CostReport,
  UtilizationReport,
} from '@modelfleet/plugin-modelfleet-common';
import { ReactNode } from 'react';
import {
  EntityReportCard,
  ChangeAgainstPrevious,
  CostOverTimeChart,
  Figure,
  Figures,
  formatGpuHours,
  formatPeriod,
  formatShare,
  formatUnitUsd,
  formatUsd,
  IdleFigures,
  NoData,
  provenanceText,
  ProvenanceCaption,
} from '../CostCommon';

const Section = (props: { title: string; children: ReactNode }) => (
  <Box mb={2}>
    <Typography variant="subtitle2" component="h3" gutterBottom>
      {props.title}
    </Typography>
    {props.children}
  </Box>
);

/** Spot against on-demand node-hours, as a two-part bar and a sentence. */
const CapacityMix = (props: { spot: number; onDemand: number }) => {
  const theme = useTheme();
  const total = props.spot + props.onDemand;
  const spot = total > 0 ? props.spot / total : 0;
  return (
    <div data-testid="gpupool-capacity-mix">
      <Typography variant="body2">
        Spot {formatShare(spot, 0)} · On-demand {formatShare(1 - spot, 0)} of
        node-hours
      </Typography>
      <Box
        display="flex"
        height={8}
        mt={0.5}
        borderRadius={4}
        overflow="hidden"
        aria-hidden
      >
        <div
          style={{
            width: `${spot * 100}%`,
            background: theme.palette.secondary.main,
          }}
        />
        <div
          style={{
            width: `${(1 - spot) * 100}%`,
            background: theme.palette.primary.main,
          }}
        />
      </Box>
    </div>
  );
};

/** Allocation, utilization, price and capacity mix of a pool. */
const PoolState = ({ utilization }: { utilization: UtilizationReport }) => {
  const pool = utilization.pool;
  if (!pool) {
    return (
      <NoData title="Pool state not reported yet">
        The backend has not seen this pool in a cluster sync yet, so its nodes,
        allocation and price are unknown. It appears after the next sync of the
        pool&apos;s cluster.
      </NoData>
    );
  }
  return (
    <>
      <Figures>
        <Figure
          label={`GPUs allocated on ${pool.nodes} node${
            pool.nodes === 1 ? '' : 's'
          }`}
          value={`${pool.gpusAllocated} / ${pool.gpusAllocatable}`}
          testId="gpupool-allocation"
          detail={
            pool.gpusAllocatable > 0 ? (
              <LinearGauge value={pool.allocation} />
            ) : (
              'scaled to zero'
            )
          }
        />
        <Figure
          label="Mean GPU utilization"
          value={
            utilization.gpuUtilization === null
              ? '—'
              : formatShare(utilization.gpuUtilization)
          }
          detail={
            utilization.idleShare === null
              ? undefined
              : `${formatShare(
                  utilization.idleShare,
                )} of provisioned GPU time did no work`
          }
        />
        <Figure
          label="Price per node-hour"
          value={
            pool.usdPerNodeHour === null
              ? 'unknown'
              : formatUnitUsd(pool.usdPerNodeHour)
          }
          testId="gpupool-price-node-hour"
          detail={pool.capacityType}
        />
        <Figure
          label="Price per GPU-hour"
          value={
            pool.usdPerGpuHour === null
              ? 'unknown'
              : formatUnitUsd(pool.usdPerGpuHour)
          }
          testId="gpupool-price-gpu-hour"
        />
      </Figures>
      <Typography
        variant="caption"
        color="textSecondary"
        component="p"
        data-testid="gpupool-price-provenance"
      >
        {pool.price
          ? `Price of ${pool.price.subject}: ${provenanceText([pool.price])}`
          : 'No price source has priced this pool yet.'}
      </Typography>
      <Box mt={2}>
        <CapacityMix
          spot={pool.capacityMix.spot}
          onDemand={pool.capacityMix.onDemand}
        />
      </Box>
    </>
  );
};

/** Cost of the pool in the period, idle included. */
const PoolCost = ({ report }: { report: CostReport }) => {
  const period = formatPeriod(report.from, report.to);
  if (report.total.daysWithData === 0) {
    return (
      <NoData>
        ModelFleet recorded no cost for this pool in {period}. A pool&apos;s
        cost is its provisioned GPU-hours times its price, rolled up by day: it
        appears once the pool has nodes and a price source has priced its
        instance type.
      </NoData>
    );
  }
  const { total } = report;
  return (
    <>
      <Figures>
        <Figure
          label={`Pool cost, ${period}`}
          value={formatUsd(total.costUsd)}
          testId="gpupool-cost-total"
          detail={
            <ChangeAgainstPrevious report={report} withPreviousTotal={false} />
          }
        />
        <IdleFigures
          total={total}
          testId="gpupool"
          of="the pool cost"
          unallocatedDetail={
            report.idleCostPolicy === 'shared-proportionally'
              ? "shared by the pool's models, if it has any"
              : undefined
          }
        />
        <Figure
          label="GPU time provisioned"
          value={formatGpuHours(total.gpuHours)}
        />
        <Figure
          label="Models on the pool"
          value={report.breakdown.models.length}
        />
      </Figures>
      <CostOverTimeChart report={report} />
      <ProvenanceCaption
        provenance={report.provenance}
        idleCostPolicy={report.idleCostPolicy}
      />
    </>
  );
};

/**
 * A GpuPool entity: allocation, utilization, prices with their source,
 * spot/on-demand mix, and the pool's cost over the period with idle.
 */
export const EntityGpuPoolCard = () => (
  <EntityReportCard
    title="GPU pool"
    kind="gpupool"
    load={async (api, ref, query) => {
      const [utilization, cost] = await Promise.all([
        api.getEntityUtilization(ref, query),
        api.getEntityCost(ref, query),
      ]);
      return { utilization, cost };
    }}
    periodOf={v => v.cost}
    demoOf={v => v.cost.demo || v.utilization.demo}
  >
    {v => (
      <>
        <Section title="Capacity and price">
          <PoolState utilization={v.utilization} />
        </Section>
        <Section title="Cost">
          <PoolCost report={v.cost} />
        </Section>
      </>
    )}
  </EntityReportCard>
);
