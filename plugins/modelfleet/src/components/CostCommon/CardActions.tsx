import Box from '@material-ui/core/Box';
import { DemoChip } from './DemoChip';
import { PeriodDays, PeriodSelect } from './period';

/** The top-right of a cost card: the demo label and the period select. */
export const CardActions = (props: {
  demo?: boolean;
  days: PeriodDays;
  onDaysChange: (days: PeriodDays) => void;
}) => (
  <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 8 }}>
    {props.demo && <DemoChip />}
    <PeriodSelect value={props.days} onChange={props.onDaysChange} />
  </Box>
);
