/** The GpuPoolPicker's table of fitting pools, in the order the user picks: what the team pays or what the cloud bill grows by. */
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import type { PlacementOption } from '@modelfleet/plugin-modelfleet-common';
import { OptionRow } from './OptionRow';
import { PoolOrder, rankOptions } from './ranking';

const ORDER_LABELS: Record<PoolOrder, string> = {
  team: 'Your team pays a month',
  bill: 'The bill grows by a month',
};

export const PoolTable = (props: {
  options: PlacementOption[];
  order: PoolOrder;
  onOrder: (order: PoolOrder) => void;
  recommended: string | null;
  picked: string | undefined;
  disabled: boolean;
  name: string;
  replicas: { min: number; max: number };
  onPick: (option: PlacementOption) => void;
}) => {
  const { order, onOrder } = props;
  const sortHeader = (key: PoolOrder) => (
    <TableCell align="right" sortDirection={order === key ? 'asc' : false}>
      <TableSortLabel
        active={order === key}
        direction="asc"
        onClick={() => onOrder(key)}
        data-testid={`gpu-pool-order-${key}`}
      >
        {ORDER_LABELS[key]}
      </TableSortLabel>
    </TableCell>
  );
  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          <TableCell padding="checkbox" />
          <TableCell>Rank</TableCell>
          {/* The theme breaks words anywhere: without a width, the
              figures' nowrap would squeeze these to a letter a line. */}
          <TableCell style={{ minWidth: 180 }}>Pool</TableCell>
          <TableCell style={{ minWidth: 130 }}>GPU × per node</TableCell>
          {sortHeader('team')}
          {sortHeader('bill')}
          <TableCell align="right">$/node-hour</TableCell>
          <TableCell style={{ minWidth: 160 }}>Capacity left</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rankOptions(props.options, order).map(({ option, rank }) => (
          <OptionRow
            key={option.ref}
            option={option}
            rank={rank}
            recommended={option.ref === props.recommended}
            checked={option.ref === props.picked}
            disabled={props.disabled}
            name={props.name}
            replicas={props.replicas}
            onPick={props.onPick}
          />
        ))}
      </TableBody>
    </Table>
  );
};

/** How the table is ranked, in words, for the caption above it. */
export function orderCaption(order: PoolOrder): string {
  return order === 'team'
    ? 'Ranked by what showback charges your team a month, then by what the pool adds to the cloud bill'
    : 'Ranked by what each pool adds to the cloud bill a month (GPUs free on running nodes are paid for already), then by what showback charges your team';
}
