import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { CostBreakdownItem } from '@modelfleet/plugin-modelfleet-common';
import { formatUsd, SAVED_TOOLTIP } from '../CostCommon';

/** The ten largest costs of one kind (models, teams or pools). */
export const TopCostsTable = (props: {
  title: string;
  /** Title of the first column, e.g. `Model`. */
  column: string;
  items: CostBreakdownItem[];
  defaultKind: string;
}) => {
  const columns: TableColumn<CostBreakdownItem>[] = [
    {
      title: props.column,
      field: 'entityRef',
      render: i => (
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
      render: i => formatUsd(i.costUsd),
    },
    {
      title: 'Idle',
      field: 'idleUsd',
      type: 'numeric',
      render: i => formatUsd(i.idleUsd),
    },
    {
      title: 'Saved',
      tooltip: SAVED_TOOLTIP,
      field: 'savedUsd',
      type: 'numeric',
      render: i => formatUsd(i.savedUsd),
    },
  ];
  return (
    <Table<CostBreakdownItem>
      title={props.title}
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columns}
      data={props.items.slice(0, 10)}
      emptyContent={
        <Typography style={{ padding: 16 }} variant="body2">
          Nothing with a cost in this period.
        </Typography>
      }
    />
  );
};
