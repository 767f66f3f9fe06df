import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Divider from '@material-ui/core/Divider';
import Grid from '@material-ui/core/Grid';
import {
  ModelHibernationReport,
  modelfleetCostReadPermission,
} from '@modelfleet/plugin-modelfleet-common';
import useAsync from 'react-use/esm/useAsync';
import { modelfleetApiRef } from '../../api';
import { CostsNotYours, entityRefOf, ownerRefOf } from '../Access';
import {
  AsyncBody,
  CostErrorPanel,
  costRefOf,
  DemoChip,
  formatPeriod,
} from '../CostCommon';
import {
  HibernationHeader,
  KeepAlive,
  LastDecision,
  MissingWorkload,
  NextChange,
  Savings,
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
      <Wakes report={report} />
      <Divider style={{ marginBottom: 16 }} />
      <Savings savings={report.savings} />
    </>
  );
};

/**
 * The Model page's hibernation: whether the model is warm, at zero or
 * waking, what the owner team's mode lets ModelFleet do, the keep-alive in
 * use and why, the loop's last decision, wakes and cold starts with the
 * wake time (p50, p95) over the period, the next change, and the GPU-hours
 * and dollars saved against one replica always on.
 *
 * Like the cost cards, it first asks whether the caller may read the
 * model's costs (`modelfleet.cost.read` on the model) and reads nothing
 * until it may; someone outside the owning team sees whose costs these
 * are. It reads the cost cards' default period (no dates: the backend's
 * last 30 days) and offers no period select.
 */
export const EntityModelHibernationCard = () => {
  const { entity } = useEntity();
  const api = useApi(modelfleetApiRef);
  const ref = costRefOf(entity, 'model');
  const { namespace, name } = ref;
  const owner = ownerRefOf(entity);
  const permission = usePermission({
    permission: modelfleetCostReadPermission,
    resourceRef: entityRefOf(ref),
  });
  const { allowed } = permission;
  const { value, loading, error } = useAsync(
    async () =>
      allowed ? api.getModelHibernation({ namespace, name }) : undefined,
    [api, namespace, name, allowed],
  );
  // A model of the simulated demo fleet is labelled like demo figures, by
  // its autoscaler's cluster; a failed read only leaves the label out.
  const cluster = value?.autoscaler?.cluster;
  const { value: demo } = useAsync(async () => {
    if (!cluster) return false;
    const { items } = await api.getClusters();
    return items.some(c => c.demo && c.name === cluster);
  }, [api, cluster]);

  const subject = `the model ${namespace}/${name}`;
  let body;
  if (allowed) {
    body = (
      <AsyncBody
        loading={loading}
        error={error}
        value={value}
        subject={subject}
        owner={owner}
      >
        {report => <ModelHibernationReportView report={report} />}
      </AsyncBody>
    );
  } else if (permission.loading) {
    body = <Progress />;
  } else if (permission.error) {
    body = (
      <CostErrorPanel
        error={permission.error}
        subject={subject}
        owner={owner}
      />
    );
  } else {
    body = <CostsNotYours owner={owner} />;
  }
  return (
    <InfoCard
      title="Model hibernation"
      subheader={
        allowed && value ? formatPeriod(value.from, value.to) : undefined
      }
      action={allowed && demo ? <DemoChip /> : undefined}
    >
      <div data-testid="modelfleet-hibernation-card">{body}</div>
    </InfoCard>
  );
};
