import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { Alert } from '@material-ui/lab';
import {
  CostAnomaly,
  CostReport,
  ReconciliationItem,
} from '@modelfleet/plugin-modelfleet-common';
import useAsync from 'react-use/esm/useAsync';
import { modelfleetApiRef } from '../../api';
import { displayRef, listOf } from '../Access';
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
  formatUsd,
  IdleFigures,
  NoData,
  periodQuery,
  ProvenanceCaption,
  SavingsFigure,
  statusOf,
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

/**
 * Above the figures of a fleet report limited to the caller's teams: whose
 * costs these are, so the smaller total is not read as the fleet's.
 */
export const RestrictedNote = ({ teams }: { teams: string[] }) => (
  <Box mb={2}>
    <Alert severity="info" data-testid="modelfleet-fleet-cost-restricted">
      {teams.length > 0
        ? `Showing the costs of ${listOf(
            teams.map(displayRef),
          )} — the teams you belong to.`
        : "ModelFleet has no costs in this period for a team you belong to (before the first daily roll-up, or when your teams run no models), so there are no figures to show. The whole fleet's costs are for the platform team."}
    </Alert>
  </Box>
);

const FleetCostContent = ({ value }: { value: FleetCost }) => {
  const { report, anomalies, reconciliation } = value;
  const { total, breakdown, restrictedTo } = report;
  const restricted = restrictedTo !== undefined;
  const period = formatPeriod(report.from, report.to);
  const note = restrictedTo && (
    <Grid item xs={12}>
      <RestrictedNote teams={restrictedTo} />
    </Grid>
  );
  const reconciliationGrid = reconciliation.length > 0 && (
    <Grid item xs={12} data-testid="modelfleet-reconciliation">
      <ReconciliationTable items={reconciliation} />
    </Grid>
  );
  if (total.daysWithData === 0) {
    return (
      <Grid container spacing={3}>
        {note}
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
  // Pools are capacity every team shares: a view of some teams lists none.
  const md = restricted ? 12 : 6;
  return (
    <Grid container spacing={3}>
      {note}
      <Grid item xs={12}>
        <InfoCard title="Fleet cost" titleTypographyProps={HEADING}>
          <Figures>
            <Figure
              label={`${
                restricted ? "Your teams' cost" : 'Fleet cost'
              }, ${period}`}
              value={formatUsd(total.costUsd)}
              testId="fleet-cost-total"
              detail={<ChangeAgainstPrevious report={report} />}
            />
            <IdleFigures
              total={total}
              testId="fleet"
              of={restricted ? "the teams' cost" : 'the fleet cost'}
            />
            <Figure label="GPU time" value={formatGpuHours(total.gpuHours)} />
            <Figure label="Days with cost data" value={total.daysWithData} />
            <SavingsFigure total={total} testId="fleet-hibernation-saved" />
          </Figures>
          <CostOverTimeChart report={report} height={260} />
          <ProvenanceCaption
            provenance={report.provenance}
            idleCostPolicy={report.idleCostPolicy}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} data-testid="modelfleet-top-teams">
        <TopCostsTable
          title={breakdown.unallocated ? 'Teams' : 'Top teams'}
          column="Team"
          items={breakdown.teams}
          defaultKind="group"
          unallocated={breakdown.unallocated}
          total={total}
        />
      </Grid>
      <Grid item xs={12} md={md} data-testid="modelfleet-top-models">
        <TopCostsTable
          title="Top models"
          column="Model"
          items={breakdown.models}
          defaultKind="model"
        />
      </Grid>
      {!restricted && (
        <Grid item xs={12} md={6} data-testid="modelfleet-top-pools">
          <TopCostsTable
            title="Top pools"
            column="Pool"
            items={breakdown.pools}
            defaultKind="gpupool"
          />
        </Grid>
      )}
      <Grid item xs={12} data-testid="modelfleet-anomalies">
        <InfoCard title="Cost anomalies" titleTypographyProps={HEADING}>
          <AnomaliesList anomalies={anomalies} />
        </InfoCard>
      </Grid>
      {reconciliationGrid}
    </Grid>
  );
};

/** The value of a settled read, or `fallback` when it was denied (403). */
function unlessDenied<T>(result: PromiseSettledResult<T>, fallback: T): T {
  if (result.status === 'fulfilled') return result.value;
  if (statusOf(result.reason) === 403) return fallback;
  throw result.reason;
}

/**
 * The fleet's cost: totals against the previous period, cost over time, the
 * top models, teams and pools, cost anomalies and, when bills are connected,
 * the bill reconciliation.
 *
 * The fleet is no single catalog entity, so there is no `usePermission`
 * question to ask first: the backend answers with the whole fleet, with the
 * caller's teams only (`restrictedTo`, said above the figures), or 403 (said
 * plainly). A caller who may not read the fleet-wide anomalies or bills sees
 * the anomalies of their teams' report and no bill reconciliation.
 */
export const FleetCostSection = () => {
  const api = useApi(modelfleetApiRef);
  const [days, setDays] = usePeriod();
  const { value, loading, error } = useAsync(async (): Promise<FleetCost> => {
    const query = periodQuery(days);
    const range = query ? { from: query.from, to: query.to } : undefined;
    const [report, anomalies, reconciliation] = await Promise.allSettled([
      api.getFleetCost(query),
      api.getCostAnomalies(range),
      api.getBillReconciliation(range),
    ]);
    if (report.status === 'rejected') throw report.reason;
    return {
      report: report.value,
      anomalies: unlessDenied(anomalies, { items: report.value.anomalies })
        .items,
      reconciliation: unlessDenied(reconciliation, { items: [] }).items,
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
        fleet
      >
        {v => <FleetCostContent value={v} />}
      </AsyncBody>
    </div>
  );
};
