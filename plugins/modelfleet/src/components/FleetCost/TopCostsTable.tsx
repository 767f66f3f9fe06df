import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import {
  CostBreakdownItem,
  CostTotals,
  CostUnallocated,
} from '@modelfleet/plugin-modelfleet-common';
import {
  CostTableRow,
  formatUsd,
  idleColumns,
  NO_WRAP,
  rowsWithUnallocated,
  SAVED_TOOLTIP,
  SummaryRowLabel,
  UnallocatedNote,
} from '../CostCommon';

/**
 * The ten largest costs of one kind (models, teams or pools). Given the
 * report's Unallocated figure and total, it lists every item, then an
 * Unallocated row and a Total row, so the rows add up to the total.
 */
export const TopCostsTable = (props: {
  title: string;
  /** Title of the first column, e.g. `Model`. */
  column: string;
  items: CostBreakdownItem[];
  defaultKind: string;
  unallocated?: CostUnallocated;
  total?: CostTotals;
}) => {
  const { unallocated, total } = props;
  const summed = unallocated !== undefined && total !== undefined;
  const columns: TableColumn<CostTableRow>[] = [
    {
      title: props.column,
      field: 'entityRef',
      render: i =>
        i.row ? (
          <SummaryRowLabel row={i.row} paidBy={unallocated?.paidBy} />
        ) : (
          <EntityRefLink
            entityRef={i.entityRef}
            defaultKind={props.defaultKind}
          />
        ),
    },
    {
      title: 'Cost',
      field: 'costUsd',
      type: 'numeric',
      cellStyle: NO_WRAP,
      render: i => formatUsd(i.costUsd),
    },
    ...idleColumns<CostTableRow>(),
    {
      title: 'Saved',
      tooltip: SAVED_TOOLTIP,
      field: 'savedUsd',
      type: 'numeric',
      cellStyle: NO_WRAP,
      render: i => formatUsd(i.savedUsd),
    },
  ];
  return (
    <>
      <Table<CostTableRow>
        title={props.title}
        options={{
          paging: false,
          search: false,
          padding: 'dense',
          sorting: !summed,
        }}
        columns={columns}
        data={
          summed
            ? rowsWithUnallocated(props.items, unallocated, total)
            : props.items.slice(0, 10)
        }
        emptyContent={
          <Typography style={{ padding: 16 }} variant="body2">
            Nothing with a cost in this period.
          </Typography>
        }
      />
      {summed && <UnallocatedNote unallocated={unallocated} />}
    </>
  );
};
