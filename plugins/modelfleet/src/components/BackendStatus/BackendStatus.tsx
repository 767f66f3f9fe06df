import {
  InfoCard,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import {
  ConnectorCounts,
  FleetStatusResponse,
  TaskStatus,
} from '@modelfleet/plugin-modelfleet-common';
import { formatDateTime } from '../CostCommon/format';

/** Card titles are level-2 headings, below the page's level-1 title. */
const HEADING = { component: 'h2' };

function when(iso?: string): string {
  return iso ? formatDateTime(iso) : '—';
}

/** The database the backend's store runs on and its applied migrations. */
export const BackendCard = ({
  database,
}: {
  database: FleetStatusResponse['database'];
}) => (
  <InfoCard title="Backend" titleTypographyProps={HEADING}>
    <Typography variant="body1">
      Database client: <b>{database.client}</b>
    </Typography>
    <Typography variant="subtitle2" component="h3" style={{ marginTop: 16 }}>
      Applied migrations
    </Typography>
    {database.migrations.length === 0 ? (
      <Typography variant="body2" color="textSecondary">
        none applied yet
      </Typography>
    ) : (
      <List dense disablePadding aria-label="Applied migrations">
        {database.migrations.map(name => (
          <ListItem key={name} disableGutters>
            <ListItemText
              primary={name}
              primaryTypographyProps={{ variant: 'body2' }}
            />
          </ListItem>
        ))}
      </List>
    )}
  </InfoCard>
);

const CONNECTOR_LABELS: Array<[keyof ConnectorCounts, string]> = [
  ['clusters', 'Cluster connectors'],
  ['metrics', 'Metrics sources'],
  ['prices', 'Price sources'],
  ['bills', 'Bill sources'],
];

/** How many connectors of each kind the backend's modules registered. */
export const ConnectorsCard = ({
  connectors,
}: {
  connectors: ConnectorCounts;
}) => (
  <InfoCard title="Connectors" titleTypographyProps={HEADING}>
    {CONNECTOR_LABELS.map(([key, label]) => (
      <Typography variant="body2" key={key}>
        {label}:{' '}
        {connectors[key] === 0 ? 'none registered yet' : connectors[key]}
      </Typography>
    ))}
  </InfoCard>
);

const LastRunStatus = ({ task }: { task: TaskStatus }) => {
  const run = task.lastRun;
  if (!run) return <StatusPending>Not run yet</StatusPending>;
  if (run.status === 'running') return <StatusRunning>Running</StatusRunning>;
  if (run.status === 'failed') return <StatusError>Failed</StatusError>;
  return <StatusOK>Succeeded</StatusOK>;
};

const LOOP_COLUMNS: TableColumn<TaskStatus>[] = [
  { title: 'Loop id', field: 'id' },
  { title: 'Schedule', field: 'schedule' },
  { title: 'Scope', field: 'scope' },
  { title: 'Last run status', render: t => <LastRunStatus task={t} /> },
  { title: 'Started', render: t => when(t.lastRun?.startedAt) },
  { title: 'Finished', render: t => when(t.lastRun?.finishedAt) },
  { title: 'Detail', render: t => t.lastRun?.detail ?? '' },
];

/** The backend's background loops and what each last did. */
export const LoopsCard = ({ tasks }: { tasks: TaskStatus[] }) => (
  <InfoCard title="Background loops" titleTypographyProps={HEADING} noPadding>
    <Table<TaskStatus>
      options={{
        paging: false,
        search: false,
        toolbar: false,
        padding: 'dense',
      }}
      columns={LOOP_COLUMNS}
      data={tasks}
      style={{ boxShadow: 'none' }}
      emptyContent={
        <Typography style={{ padding: 16 }}>
          No background loops registered.
        </Typography>
      }
    />
  </InfoCard>
);
