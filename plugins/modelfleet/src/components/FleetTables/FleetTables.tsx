import {
  LinearGauge,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import {
  clusterEntityName,
  ClusterStatus,
  GpuPoolStatus,
  ModelWorkloadsResponse,
  poolEntityName,
} from '@modelfleet/plugin-modelfleet-common';
import { formatDateTime } from '../CostCommon/format';

type Workload = ModelWorkloadsResponse['items'][number];

const PROVIDER_NAMES: Record<string, string> = {
  aws: 'AWS',
  gcp: 'GCP',
  azure: 'Azure',
  other: 'Other',
};

function when(iso?: string): string {
  return iso ? formatDateTime(iso) : 'never';
}

const DemoChip = () => <Chip label="demo" size="small" variant="outlined" />;

const ClusterState = ({ cluster }: { cluster: ClusterStatus }) =>
  cluster.stale ? (
    <Tooltip title={`${cluster.error ?? ''} (at ${when(cluster.errorAt)})`}>
      <span>
        <StatusError>Stale: {cluster.error}</StatusError>
      </span>
    </Tooltip>
  ) : (
    <StatusOK>Synced {when(cluster.observedAt)}</StatusOK>
  );

/** The connected clusters and whether each answered its last sync. */
export const ClustersTable = ({ clusters }: { clusters: ClusterStatus[] }) => {
  const columns: TableColumn<ClusterStatus>[] = [
    {
      title: 'Cluster',
      field: 'name',
      render: c => (
        <>
          <EntityRefLink
            entityRef={{
              kind: 'resource',
              namespace: 'default',
              name: clusterEntityName(c.name),
            }}
            title={c.name}
          />{' '}
          {c.demo && <DemoChip />}
        </>
      ),
    },
    {
      title: 'Cloud',
      field: 'provider',
      render: c => PROVIDER_NAMES[c.provider] ?? c.provider,
    },
    { title: 'Region', field: 'region' },
    { title: 'Connector', field: 'connectorId' },
    { title: 'State', render: c => <ClusterState cluster={c} /> },
  ];
  return (
    <Table<ClusterStatus>
      title="Clusters"
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columns}
      data={clusters}
      emptyContent={
        <Typography style={{ padding: 16 }}>
          No clusters connected. Add them to kubernetes.clusterLocatorMethods,
          or turn on the demo fleet with modelfleet.demo.enabled.
        </Typography>
      }
    />
  );
};

/** GPU pools with their GPUs, capacity type and how much is allocated. */
export const PoolsTable = ({ pools }: { pools: GpuPoolStatus[] }) => {
  const columns: TableColumn<GpuPoolStatus>[] = [
    {
      title: 'Pool',
      field: 'name',
      render: p => (
        <>
          <EntityRefLink
            entityRef={{
              kind: 'gpupool',
              namespace: 'default',
              name: poolEntityName(p.cluster, p.name),
            }}
            title={p.name}
          />
          {p.stale && (
            <Tooltip title="Its cluster did not answer the last sync: this is the last state seen">
              <span>
                {' '}
                <StatusWarning>stale</StatusWarning>
              </span>
            </Tooltip>
          )}
        </>
      ),
    },
    { title: 'Cluster', field: 'cluster' },
    {
      title: 'Cloud',
      render: p =>
        `${PROVIDER_NAMES[p.provider] ?? p.provider} ${p.region ?? ''}`,
    },
    { title: 'Instance type', field: 'instanceType' },
    {
      title: 'GPU',
      render: p =>
        `${p.gpu.perNode}× ${p.gpu.product}${
          p.gpu.memoryMiB ? ` ${Math.round(p.gpu.memoryMiB / 1024)} GiB` : ''
        }${
          p.gpu.sharing !== 'whole'
            ? ` (${p.gpu.sharing}${
                p.gpu.replicasPerGpu ? ` ×${p.gpu.replicasPerGpu}` : ''
              })`
            : ''
        }`,
    },
    { title: 'Capacity', field: 'capacityType' },
    {
      title: 'Nodes',
      render: p =>
        `${p.nodes.current} (${p.nodes.min ?? 0}–${p.nodes.max ?? '∞'})`,
    },
    {
      title: 'GPUs allocated',
      render: p =>
        p.gpus.allocatable > 0 ? (
          <div style={{ minWidth: 120 }}>
            {p.gpus.allocated} of {p.gpus.allocatable}
            <LinearGauge value={p.gpus.allocated / p.gpus.allocatable} />
          </div>
        ) : (
          'scaled to zero'
        ),
    },
  ];
  return (
    <Table<GpuPoolStatus>
      title="GPU pools"
      options={{ paging: false, search: true, padding: 'dense' }}
      columns={columns}
      data={pools}
      emptyContent={
        <Typography style={{ padding: 16 }}>
          No GPU pools found in the connected clusters.
        </Typography>
      }
    />
  );
};

/** Model workloads found in the clusters. */
export const WorkloadsTable = ({ workloads }: { workloads: Workload[] }) => {
  const columns: TableColumn<Workload>[] = [
    {
      title: 'Model',
      field: 'modelId',
      render: w => (
        <EntityRefLink
          entityRef={{ kind: 'model', namespace: 'default', name: w.modelId }}
          title={w.modelId}
        />
      ),
    },
    { title: 'Where', render: w => `${w.cluster} / ${w.namespace}` },
    { title: 'Kind', field: 'kind' },
    {
      title: 'Replicas',
      render: w =>
        w.replicas.ready >= w.replicas.desired ? (
          <StatusOK>{`${w.replicas.ready}/${w.replicas.desired}`}</StatusOK>
        ) : (
          <StatusPending>{`${w.replicas.ready}/${w.replicas.desired}`}</StatusPending>
        ),
    },
    { title: 'GPUs', render: w => w.replicas.desired * w.gpusPerReplica },
    { title: 'Pool', field: 'pool' },
  ];
  return (
    <Table<Workload>
      title="Model workloads"
      options={{ paging: false, search: true, padding: 'dense' }}
      columns={columns}
      data={workloads}
      emptyContent={
        <Typography style={{ padding: 16 }}>
          No model workloads found.
        </Typography>
      }
    />
  );
};
