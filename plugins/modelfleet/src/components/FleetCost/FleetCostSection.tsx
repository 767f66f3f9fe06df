import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import {
  CostAnomaly,
  CostReport,
  ReconciliationItem,
} from '@modelfleet/plugin-modelfleet-common';
import useAsync from 'react-use/esm/useAsync';
import { modelfleetApiRef } from '../../api';
import {
  AnomaliesList,
  AsyncBody,
  CardActions,
  ChangeAgainstPrevious,
  CostOverTimeChart,
  Figure,
  Figures,
  formatGpuHours,
  formatPeriod,
  formatShare,
  formatUsd,
  NoData,
  periodQuery,
  ProvenanceCaption,
  usePeriod,
} from '../CostCommon';
import { ReconciliationTable } from './ReconciliationTable';
import { TopCostsTable } from './TopCostsTable';

const HEADING = { component: 'h2' };

interface FleetCost {
  report: CostReport;
  anomalies: CostAnomaly[];
  reconciliation: ReconciliationItem[];
}

const FleetCostContent = ({ value }: { value: FleetCost }) => {
  const { report, anomalies, reconciliation } = value;
  const { total, breakdown } = report;
  const period = formatPeriod(report.from, report.to);
  const reconciliationGrid = reconciliation.length > 0 && (
    <Grid item xs={12} data-testid="modelfleet-reconciliation">
      <ReconciliationTable items={reconciliation} />
    </Grid>
  );
  if (total.daysWithData === 0) {
    return (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <InfoCard title="Fleet cost" titleTypographyProps={HEADING}>
            <NoData>
              ModelFleet recorded no cost for the fleet in {period}. Cost is the
              GPU-hours of each pool times its price, rolled up by day: it
              appears once a connected cluster (or the demo fleet) has GPU pools
              with nodes, a price source has priced them and the daily roll-up
              has run.
            </NoData>
          </InfoCard>
        </Grid>
        {reconciliationGrid}
      </Grid>
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Fleet cost" titleTypographyProps={HEADING}>
          <Figures>
            <Figure
              label={`Fleet cost, ${period}`}
              value={formatUsd(total.costUsd)}
              testId="fleet-cost-total"
              detail={<ChangeAgainstPrevious report={report} />}
            />
            <Figure
              label="Idle cost"
              value={formatUsd(total.idleUsd)}
              testId="fleet-idle-cost"
              detail={
                total.costUsd > 0
                  ? `${formatShare(
                      total.idleUsd / total.costUsd,
                    )} of the fleet cost`
                  : undefined
              }
            />
            <Figure label="GPU time" value={formatGpuHours(total.gpuHours)} />
            <Figure label="Days with cost data" value={total.daysWithData} />
          </Figures>
          <CostOverTimeChart report={report} height={260} />
          <ProvenanceCaption
            provenance={report.provenance}
            idleCostPolicy={report.idleCostPolicy}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4} data-testid="modelfleet-top-models">
        <TopCostsTable
          title="Top models"
          column="Model"
          items={breakdown.models}
          defaultKind="model"
        />
      </Grid>
      <Grid item xs={12} md={4} data-testid="modelfleet-top-teams">
        <TopCostsTable
          title="Top teams"
          column="Team"
          items={breakdown.teams}
          defaultKind="group"
        />
      </Grid>
      <Grid item xs={12} md={4} data-testid="modelfleet-top-pools">
        <TopCostsTable
          title="Top pools"
          column="Pool"
          items={breakdown.pools}
          defaultKind="gpupool"
        />
      </Grid>
      <Grid item xs={12} data-testid="modelfleet-anomalies">
        <InfoCard title="Cost anomalies" titleTypographyProps={HEADING}>
          <AnomaliesList anomalies={anomalies} />
        </InfoCard>
      </Grid>
      {reconciliationGrid}
    </Grid>
  );
};

/**
 * The fleet's cost: totals against the previous period, cost over time, the
 * top models, teams and pools, cost anomalies and, when bills are connected,
 * the bill reconciliation.
 */
export const FleetCostSection = () => {
  const api = useApi(modelfleetApiRef);
  const [days, setDays] = usePeriod();
  const { value, loading, error } = useAsync(async (): Promise<FleetCost> => {
    const query = periodQuery(days);
    const range = query ? { from: query.from, to: query.to } : undefined;
    const [report, anomalies, reconciliation] = await Promise.all([
      api.getFleetCost(query),
      api.getCostAnomalies(range),
      api.getBillReconciliation(range),
    ]);
    return {
      report,
      anomalies: anomalies.items,
      reconciliation: reconciliation.items,
    };
  }, [api, days]);
  return (
    <div data-testid="modelfleet-fleet-cost">
      <Grid container spacing={1} justifyContent="flex-end">
        <Grid item>
          <CardActions
            demo={value?.report.demo}
            days={days}
            onDaysChange={setDays}
          />
        </Grid>
      </Grid>
      <AsyncBody
        loading={loading}
        error={error}
        value={value}
        subject="the fleet"
      >
        {v => <FleetCostContent value={v} />}
      </AsyncBody>
    </div>
  );
};
