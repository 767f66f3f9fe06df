import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';

/** Marks figures that come from the simulated demo fleet. */
export const DemoChip = () => (
  <Tooltip title="These figures come from ModelFleet's simulated demo fleet, not from a real cluster or bill.">
    <Chip
      label="Demo data"
      size="small"
      color="secondary"
      variant="outlined"
      data-testid="modelfleet-demo-chip"
    />
  </Tooltip>
);
