import { Table, TableColumn } from '@backstage/core-components';
import { ReconciliationItem } from '@modelfleet/plugin-modelfleet-common';
import { formatPeriod, formatShare, formatUsd } from '../CostCommon';

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
