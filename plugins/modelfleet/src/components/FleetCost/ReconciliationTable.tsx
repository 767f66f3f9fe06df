import { Table, TableColumn } from '@backstage/core-components';
import Tooltip from '@material-ui/core/Tooltip';
import { ReconciliationItem } from '@modelfleet/plugin-modelfleet-common';
import { formatPeriod, formatShare, formatUsd } from '../CostCommon';

const DIRECTION: Record<ReconciliationItem['direction'], string> = {
  'above-bill': 'Showback above the bill',
  'below-bill': 'Showback below the bill',
  matches: 'Agrees with the bill',
};

const COLUMNS: TableColumn<ReconciliationItem>[] = [
  { title: 'Bill source', field: 'source' },
  { title: 'Cloud', field: 'provider' },
  { title: 'Account', field: 'account' },
  { title: 'Period', render: r => formatPeriod(r.from, r.to) },
  {
    title: 'Billed',
    field: 'billedUsd',
    type: 'numeric',
    render: r => formatUsd(r.billedUsd),
  },
  {
    title: 'Showback',
    field: 'showbackUsd',
    type: 'numeric',
    render: r => formatUsd(r.showbackUsd),
  },
  {
    title: 'Difference',
    field: 'differenceUsd',
    type: 'numeric',
    render: r =>
      `${formatUsd(r.differenceUsd)}${
        r.differenceShare === null ? '' : ` (${formatShare(r.differenceShare)})`
      }`,
  },
  {
    title: 'Which way',
    field: 'direction',
    render: r => (
      <Tooltip title={r.explanation}>
        <span
          aria-label={r.explanation}
          data-testid="modelfleet-reconciliation-direction"
          style={{ borderBottom: '1px dotted', cursor: 'help' }}
        >
          {DIRECTION[r.direction]}
        </span>
      </Tooltip>
    ),
  },
  { title: 'Bill lines', field: 'billLines', type: 'numeric' },
];

/** Bills compared with what showback charged for the same period. */
export const ReconciliationTable = (props: { items: ReconciliationItem[] }) => (
  <Table<ReconciliationItem>
    title="Bill reconciliation"
    subtitle="What the clouds billed against what ModelFleet's showback charged"
    options={{ paging: false, search: false, padding: 'dense' }}
    columns={COLUMNS}
    data={props.items}
  />
);
