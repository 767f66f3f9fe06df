import { CostReport } from '@modelfleet/plugin-modelfleet-common';
import {
  EntityReportCard,
  ChangeAgainstPrevious,
  CostOverTimeChart,
  Figure,
  Figures,
  formatGpuHours,
  formatPeriod,
  formatUnitUsd,
  formatUsd,
  IdleFigures,
  NoData,
  ProjectionFigures,
  ProvenanceCaption,
} from '../CostCommon';
import { PlacementEstimate } from './PlacementEstimate';
import { WhereItRuns } from './WhereItRuns';

/** The figures, chart and sources of a model's cost report. */
export const ModelCostReport = ({ report }: { report: CostReport }) => {
  const period = formatPeriod(report.from, report.to);
  if (report.total.daysWithData === 0) {
    return (
      <>
        <PlacementEstimate />
        <NoData>
          ModelFleet recorded no cost for this model in {period}. A model's cost
          is the GPU-hours it requests times the price of the GPU pool it runs
          on, rolled up by day: it appears once the model runs on a pool of a
          connected cluster (or of the demo fleet) and the daily roll-up has
          run.
        </NoData>
      </>
    );
  }
  const { total, unitCosts } = report;
  return (
    <>
      <Figures>
        <Figure
          label={`Total cost, ${period}`}
          value={formatUsd(total.costUsd)}
          testId="model-cost-total"
          detail={<ChangeAgainstPrevious report={report} />}
        />
        <IdleFigures
          total={total}
          testId="model-cost"
          of="the model's cost"
          unallocatedDetail={
            report.idleCostPolicy === 'shared-proportionally'
              ? "the pool's share charged to this model, included in its cost"
              : 'none is charged to models under the idle-cost policy'
          }
        />
        <Figure label="GPU time" value={formatGpuHours(total.gpuHours)} />
        {report.projection && (
          <ProjectionFigures projection={report.projection} testId="model" />
        )}
        {unitCosts?.usdPer1MTokens !== undefined && (
          <Figure
            label="Cost per 1M tokens"
            value={formatUnitUsd(unitCosts.usdPer1MTokens)}
            testId="model-cost-per-1m-tokens"
            detail={
              unitCosts.tokens !== undefined
                ? `${unitCosts.tokens.toLocaleString('en-US')} tokens`
                : undefined
            }
          />
        )}
        {unitCosts?.usdPer1kRequests !== undefined && (
          <Figure
            label="Cost per 1k requests"
            value={formatUnitUsd(unitCosts.usdPer1kRequests)}
            testId="model-cost-per-1k-requests"
            detail={
              unitCosts.requests !== undefined
                ? `${unitCosts.requests.toLocaleString('en-US')} requests`
                : undefined
            }
          />
        )}
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
 * Cost of a Model entity over the chosen period against the previous one:
 * total, change, idle share, unit costs and the daily series, under a line
 * that links the pool it runs on and its GitOps repository.
 */
export const EntityModelCostCard = () => (
  <div data-testid="modelfleet-cost-card">
    <EntityReportCard
      title="Model cost"
      kind="model"
      load={(api, ref, query) => api.getEntityCost(ref, query)}
      periodOf={v => v}
      demoOf={v => v.demo}
      intro={<WhereItRuns />}
    >
      {report => <ModelCostReport report={report} />}
    </EntityReportCard>
  </div>
);
