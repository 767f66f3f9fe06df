import Divider from '@material-ui/core/Divider';
import Grid from '@material-ui/core/Grid';
import { ModelHibernationReport } from '@modelfleet/plugin-modelfleet-common';
import { EntityReportCard } from '../CostCommon';
import {
  HibernationHeader,
  KeepAlive,
  LastDecision,
  MissingWorkload,
  NextChange,
  Savings,
  SleepTier,
} from './HibernationParts';
import { Wakes } from './Wakes';

/** The parts of a model's hibernation report, top to bottom. */
export const ModelHibernationReportView = (props: {
  report: ModelHibernationReport;
}) => {
  const { report } = props;
  return (
    <>
      <HibernationHeader report={report} />
      {report.missing && <MissingWorkload missing={report.missing} />}
      <Grid container spacing={2}>
        <Grid item xs={12} md={6}>
          <KeepAlive report={report} />
        </Grid>
        <Grid item xs={12} md={6}>
          {report.decision && <LastDecision decision={report.decision} />}
          {report.nextChange && <NextChange nextChange={report.nextChange} />}
        </Grid>
      </Grid>
      {report.idleTier === 'sleep' && (
        <SleepTier wakeSeconds={report.sleepWakeSeconds} />
      )}
      <Wakes report={report} sleeps={report.idleTier === 'sleep'} />
      <Divider style={{ marginBottom: 16 }} />
      <Savings savings={report.savings} sleeps={report.idleTier === 'sleep'} />
    </>
  );
};

/** The hibernation loop runs every 30 s by default: the card follows it. */
const HIBERNATION_REFRESH_SECONDS = 30;

/**
 * The Model page's hibernation: whether the model is warm, at zero or
 * waking, what the owner team's mode lets ModelFleet do, the keep-alive in
 * use and why, the loop's last decision, wakes and cold starts with the
 * wake time (p50, p95) over the period, the next change, and the GPU-hours
 * and dollars saved against one replica always on.
 *
 * It is a cost card (`EntityReportCard`): it asks first whether the caller
 * may read the model's costs (`modelfleet.cost.read` on the model), offers
 * the same periods, and its saving is the model's cost report's for the
 * period. It reloads every 30 s, so a model going to zero or waking shows
 * without a page reload.
 */
export const EntityModelHibernationCard = () => (
  <div data-testid="modelfleet-hibernation-card">
    <EntityReportCard
      title="Model hibernation"
      kind="model"
      load={(api, ref, query) =>
        api.getModelHibernation(
          { namespace: ref.namespace, name: ref.name },
          query ? { from: query.from, to: query.to } : undefined,
        )
      }
      periodOf={v => v}
      demoOf={v => v.demo}
      refreshSeconds={HIBERNATION_REFRESH_SECONDS}
    >
      {report => <ModelHibernationReportView report={report} />}
    </EntityReportCard>
  </div>
);
