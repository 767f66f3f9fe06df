import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';

const FIGURES =
  "These figures come from ModelFleet's simulated demo fleet, not from a real cluster or bill.";

/**
 * Marks figures that come from the simulated demo fleet; `label` and
 * `title` say what else is simulated, when it is not figures.
 */
export const DemoChip = (props: { label?: string; title?: string }) => (
  <Tooltip title={props.title ?? FIGURES}>
    <Chip
      label={props.label ?? 'Demo data'}
      size="small"
      color="secondary"
      variant="outlined"
      data-testid="modelfleet-demo-chip"
    />
  </Tooltip>
);
