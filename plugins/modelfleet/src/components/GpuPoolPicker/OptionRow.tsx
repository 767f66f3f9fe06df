/** One fitting GPU pool of the GpuPoolPicker's table, with its radio button. */
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Radio from '@material-ui/core/Radio';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { PlacementOption } from '@modelfleet/plugin-modelfleet-common';
import { formatMiB, formatUnitUsd, formatUsd } from '../CostCommon/format';
import { Caption, Figure } from './Caption';
import { plural, providerRegion } from './text';

export const OptionRow = (props: {
  option: PlacementOption;
  /** Its rank in the order the user picked. */
  rank: number;
  recommended: boolean;
  checked: boolean;
  disabled: boolean;
  name: string;
  replicas: { min: number; max: number };
  onPick: (option: PlacementOption) => void;
}) => {
  const { option, rank, recommended, checked, name, replicas, onPick } = props;
  const violated = option.violations.length > 0;
  return (
    <TableRow data-testid="gpu-pool-option" selected={checked}>
      <TableCell padding="checkbox">
        <Radio
          checked={checked}
          disabled={props.disabled || violated}
          onChange={() => onPick(option)}
          value={option.ref}
          name={name}
          inputProps={{ 'aria-label': option.title }}
        />
      </TableCell>
      <TableCell>
        {rank}
        {recommended && (
          <Box mt={0.5}>
            <Chip size="small" color="primary" label="Recommended" />
          </Box>
        )}
      </TableCell>
      <TableCell>
        <Typography variant="body2">
          <strong>{option.title}</strong>
        </Typography>
        <Caption>
          {providerRegion(option)}
          {option.instanceType ? `, ${option.instanceType}` : ''}
        </Caption>
        {option.violations.map(v => (
          <Typography
            key={`${v.code}:${v.reason}`}
            variant="caption"
            color="error"
            display="block"
          >
            Not allowed: {v.reason}
          </Typography>
        ))}
      </TableCell>
      <TableCell>
        <Figure>
          {option.gpu.product} × {option.gpu.perNode},
        </Figure>{' '}
        {option.capacityType}
        <Caption>
          <Figure>{formatMiB(option.gpu.memoryMiB)}</Figure> each,{' '}
          <Figure>{plural(option.replicasPerNode, 'replica')}/node</Figure>
        </Caption>
      </TableCell>
      <TableCell align="right" data-testid="gpu-pool-team-pays">
        <Figure>
          <strong>{formatUsd(option.chargedMonthlyUsd)}</strong>
        </Figure>
        <Caption>
          <Figure>
            {formatUsd(option.chargedMonthlyUsdAtMax)} at {replicas.max}
          </Figure>
        </Caption>
      </TableCell>
      <TableCell align="right" data-testid="gpu-pool-bill-grows">
        <Figure>
          <strong>{formatUsd(option.monthlyUsd)}</strong>
        </Figure>
        <Caption>
          <Figure>
            {formatUsd(option.monthlyUsdAtMax)} at {replicas.max}
          </Figure>
        </Caption>
      </TableCell>
      <TableCell align="right">
        <Figure>{formatUnitUsd(option.usdPerNodeHour)}</Figure>
        <Caption>
          <span title={option.priceSource}>
            {option.priceSource.split(' (')[0]}
          </span>
        </Caption>
      </TableCell>
      <TableCell>
        <Figure>{plural(option.capacity.freeUnits, 'free GPU')}</Figure>,{' '}
        <Figure>{plural(option.capacity.addableNodes, 'addable node')}</Figure>
        <Caption>{option.capacity.source}</Caption>
      </TableCell>
    </TableRow>
  );
};
