import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { CostReport } from '@modelfleet/plugin-modelfleet-common';
import { ReactNode } from 'react';
import {
  EntityReportCard,
  AnomaliesList,
  ChangeAgainstPrevious,
  CostBarChart,
  CostTableRow,
  Figure,
  Figures,
  formatGpuHours,
  formatPeriod,
  formatShare,
  formatUsd,
  hasUnallocated,
  idleColumns,
  IdleFigures,
  NO_WRAP,
  NoData,
  ProvenanceCaption,
  rowsWithUnallocated,
  SAVED_TOOLTIP,
  SavingsFigure,
  SummaryRowLabel,
  UnallocatedNote,
} from '../CostCommon';
import { BudgetBurn } from './BudgetBurn';

const Section = (props: { title: string; children: ReactNode }) => (
  <Box mt={3}>
    <Typography variant="subtitle2" component="h3" gutterBottom>
      {props.title}
    </Typography>
    {props.children}
  </Box>
);

/** The entity name of a ref, for chart labels. */
function nameOf(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1).replace(/^[^:]*:/, '');
}

/** A model's name may wrap between words, never inside one. */
const NAME_CELL = {
  minWidth: 120,
  wordBreak: 'normal',
  overflowWrap: 'normal',
} as const;

/**
 * The model table fits a half-width card: its share of the team cost and
 * its GPU time sit under the cost, and no figure is broken across lines.
 */
function modelColumns(
  total: number,
  paidBy?: string,
): TableColumn<CostTableRow>[] {
  return [
    {
      title: 'Model',
      field: 'entityRef',
      cellStyle: NAME_CELL,
      render: m =>
        m.row ? (
          <SummaryRowLabel row={m.row} paidBy={paidBy} />
        ) : (
          <EntityRefLink entityRef={m.entityRef} defaultKind="model" />
        ),
    },
    {
      title: 'Cost',
      tooltip: "The model's cost, its share of the team cost and its GPU time",
      field: 'costUsd',
      type: 'numeric',
      // The figures never break; the line under the cost may, between them.
      render: m => (
        <>
          <span style={NO_WRAP}>{formatUsd(m.costUsd)}</span>
          <Typography
            component="div"
            variant="caption"
            color="textSecondary"
            data-testid="team-model-share"
          >
            <span style={NO_WRAP}>
              {total > 0 ? formatShare(m.costUsd / total) : '—'}
            </span>{' '}
            · <span style={NO_WRAP}>{formatGpuHours(m.gpuHours)}</span>
          </Typography>
        </>
      ),
    },
    ...idleColumns<CostTableRow>(),
    {
      title: 'Saved',
      tooltip: SAVED_TOOLTIP,
      field: 'savedUsd',
      type: 'numeric',
      cellStyle: NO_WRAP,
      render: m => formatUsd(m.savedUsd),
    },
  ];
}

/** A team's showback: totals, budget, cost by model, anomalies, sources. */
export const TeamShowbackReport = ({ report }: { report: CostReport }) => {
  const { total, breakdown } = report;
  const period = formatPeriod(report.from, report.to);
  const models = breakdown.models;
  // The models plus what the policy charges the team beyond them.
  const unallocated = hasUnallocated(breakdown.unallocated)
    ? breakdown.unallocated
    : undefined;
  return (
    <>
      <Figures>
        <Figure
          label={`Team cost, ${period}`}
          value={
            <span data-testid="team-showback-total">
              {formatUsd(total.costUsd)}
            </span>
          }
          detail={<ChangeAgainstPrevious report={report} />}
        />
        <IdleFigures total={total} testId="team" of="the team cost" />
        <Figure label="GPU time" value={formatGpuHours(total.gpuHours)} />
        <Figure label="Models with cost" value={models.length} />
        <SavingsFigure total={total} testId="team-hibernation-saved" />
      </Figures>
      {total.daysWithData === 0 ? (
        <NoData>
          ModelFleet recorded no cost for this team&apos;s models in {period}. A
          team&apos;s cost is the sum of the models it owns (spec.owner of its
          Model entities), each priced by the GPU-hours it requests on its pool;
          it appears once one of its models runs on a pool of a connected
          cluster and the daily roll-up has run.
        </NoData>
      ) : (
        <>
          <Section title="Budget">
            {report.budget ? (
              <BudgetBurn budget={report.budget} />
            ) : (
              <Typography variant="body2" color="textSecondary">
                No monthly budget is set for this team. The platform team sets
                one in modelfleet.policies.teams.&lt;group&gt;.monthlyBudgetUsd
                (or for every team in modelfleet.policies.defaults).
              </Typography>
            )}
          </Section>
          <Section title="Cost by model">
            {models.length === 0 ? (
              <Typography variant="body2" color="textSecondary">
                No model of this team had a cost in this period.
              </Typography>
            ) : (
              <>
                <CostBarChart
                  label={`Cost by model, ${period}, top ${Math.min(
                    10,
                    models.length,
                  )}`}
                  items={models.slice(0, 10).map(m => ({
                    name: nameOf(m.entityRef),
                    cost: m.costUsd,
                    idle: m.idleUsd,
                  }))}
                />
                <Table<CostTableRow>
                  options={{
                    paging: models.length > 10,
                    pageSize: unallocated ? 12 : 10,
                    search: false,
                    toolbar: false,
                    padding: 'dense',
                    sorting: !unallocated,
                  }}
                  columns={modelColumns(total.costUsd, unallocated?.paidBy)}
                  data={rowsWithUnallocated(models, unallocated, total)}
                  style={{ boxShadow: 'none' }}
                />
                {unallocated && <UnallocatedNote unallocated={unallocated} />}
              </>
            )}
          </Section>
          <Section title="Anomalies">
            <AnomaliesList anomalies={report.anomalies} />
          </Section>
        </>
      )}
      <ProvenanceCaption
        provenance={report.provenance}
        idleCostPolicy={report.idleCostPolicy}
      />
    </>
  );
};

/**
 * Showback for a Group entity: what the team's models cost in the period,
 * by model, against the budget and its month-end forecast, with idle cost
 * and cost anomalies.
 */
export const EntityTeamShowbackCard = () => (
  <EntityReportCard
    title="GPU cost showback"
    kind="group"
    load={(api, ref, query) => api.getEntityCost(ref, query)}
    periodOf={v => v}
    demoOf={v => v.demo}
  >
    {report => <TeamShowbackReport report={report} />}
  </EntityReportCard>
);
