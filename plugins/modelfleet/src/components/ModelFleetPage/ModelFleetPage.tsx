import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { modelfleetApiRef } from '../../api';
import { BackendDetails } from '../BackendStatus';
import { CARD_STATE_ATTRIBUTE, CardBody, formatDateTime } from '../CostCommon';
import { DemoBanner } from '../DemoBanner';
import { FleetCostSection } from '../FleetCost';
import { ConsolidationsCard, MovesCard } from '../FleetMoves';
import { FleetRecommendationsCard } from '../Recommendations';
import { FleetSavingsCard } from '../Savings';
import { ClustersTable, PoolsTable, WorkloadsTable } from '../FleetTables';

const Figure = (props: { label: string; value: string | number }) => (
  <Grid item xs={6} md={3}>
    <Typography variant="h4" component="p">
      {props.value}
    </Typography>
    <Typography variant="body2" color="textSecondary">
      {props.label}
    </Typography>
  </Grid>
);

/**
 * The fleet at a glance: clusters, GPU pools, the fleet's cost (totals, cost
 * over time, top costs, anomalies, bill reconciliation), the realised
 * savings of applied actions and hibernation, the recommendations
 * (sorted by saving, with Apply / Dismiss / Snooze), right under them the
 * node consolidations their Apply made (with Approve / Cancel for those
 * waiting), the moves of models between pools (with Approve / Cancel for
 * those waiting), model workloads, and
 * in a closed panel for platform engineers the state of the ModelFleet
 * backend (database, connectors, background loops). Data of the simulated demo fleet is labelled.
 */
export const FleetOverview = () => {
  const api = useApi(modelfleetApiRef);
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const [status, clusters, pools, workloads] = await Promise.all([
      api.getStatus(),
      api.getClusters(),
      api.getPools(),
      api.getWorkloads(),
    ]);
    return {
      status,
      clusters: clusters.items,
      pools: pools.items,
      workloads: workloads.items,
    };
  }, [api]);

  const header = (
    <ContentHeader title="Fleet">
      <Button
        variant="outlined"
        startIcon={<RefreshIcon />}
        onClick={retry}
        disabled={loading}
      >
        Refresh
      </Button>
    </ContentHeader>
  );

  if (error) {
    return (
      <>
        {header}
        <CardBody state="error">
          <ResponseErrorPanel error={error} />
        </CardBody>
      </>
    );
  }
  if (!value) {
    return (
      <>
        {header}
        <CardBody state="loading">
          <Progress />
        </CardBody>
      </>
    );
  }

  const { status, clusters, pools, workloads } = value;
  const gpus = pools.reduce(
    (sum, p) => ({
      allocated: sum.allocated + p.gpus.allocated,
      allocatable: sum.allocatable + p.gpus.allocatable,
    }),
    { allocated: 0, allocatable: 0 },
  );
  const stale = clusters.filter(c => c.stale).length;

  return (
    <>
      {header}
      <Grid container spacing={3}>
        {status.demo && (
          <Grid item xs={12}>
            <DemoBanner />
          </Grid>
        )}
        <Grid item xs={12} data-testid="modelfleet-at-a-glance">
          <InfoCard title="At a glance">
            <Grid
              container
              spacing={2}
              {...{ [CARD_STATE_ATTRIBUTE]: 'ready' }}
            >
              <Figure
                label={stale ? `Clusters (${stale} stale)` : 'Clusters'}
                value={clusters.length}
              />
              <Figure label="GPU pools" value={pools.length} />
              <Figure
                label="GPUs allocated"
                value={`${gpus.allocated} / ${gpus.allocatable}`}
              />
              <Figure label="Model workloads" value={workloads.length} />
            </Grid>
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <FleetCostSection />
        </Grid>
        <Grid item xs={12}>
          <FleetSavingsCard />
        </Grid>
        <Grid item xs={12}>
          <FleetRecommendationsCard />
        </Grid>
        <Grid item xs={12}>
          <ConsolidationsCard />
        </Grid>
        <Grid item xs={12}>
          <MovesCard />
        </Grid>
        <Grid item xs={12}>
          <ClustersTable clusters={clusters} />
        </Grid>
        <Grid item xs={12}>
          <PoolsTable pools={pools} />
        </Grid>
        <Grid item xs={12}>
          <WorkloadsTable workloads={workloads} />
        </Grid>
        <Grid item xs={12}>
          <BackendDetails
            status={status}
            readAt={
              <time dateTime={status.generatedAt} title={status.generatedAt}>
                {formatDateTime(status.generatedAt)}
              </time>
            }
          />
        </Grid>
      </Grid>
    </>
  );
};

/**
 * The ModelFleet page: header and {@link FleetOverview}. Both frontend
 * systems render it: the legacy routable extension and the alpha page.
 */
export const ModelFleetPage = () => (
  <Page themeId="tool">
    <Header
      title="ModelFleet"
      subtitle="GPU fleet for AI models: cost, placement, hibernation"
    />
    <Content>
      <FleetOverview />
    </Content>
  </Page>
);
