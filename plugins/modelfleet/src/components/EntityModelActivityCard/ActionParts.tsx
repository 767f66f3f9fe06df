import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { ModelFleetAction } from '@modelfleet/plugin-modelfleet-common';
import { formatDateTime } from '../CostCommon';
import {
  formatActor,
  formatRelative,
  stateLabel,
  stateTone,
  STEP_STATUS_LABELS,
  StepStatus,
  StateTone,
} from './format';

const tone = (
  theme: Theme,
  colour: 'info' | 'primary' | 'success' | 'warning' | 'error',
) => ({
  backgroundColor: theme.palette[colour].main,
  color: theme.palette[colour].contrastText,
});

const useStyles = makeStyles((theme: Theme) => ({
  info: tone(theme, 'info'),
  progress: tone(theme, 'primary'),
  success: tone(theme, 'success'),
  warning: tone(theme, 'warning'),
  error: tone(theme, 'error'),
}));

/** An ISO time as `2 min ago`, with the exact time (UTC) as its title. */
export const RelativeTime = (props: { iso: string }) => (
  <time dateTime={props.iso} title={formatDateTime(props.iso)}>
    {formatRelative(props.iso)}
  </time>
);

/** Who asked, in words, with the full reference as its title. */
export const Actor = (props: { actor: string }) => (
  <span title={props.actor}>{formatActor(props.actor)}</span>
);

/**
 * An action's state as a coloured chip, e.g. `Applying step 2 of 3`, or
 * the `label` given.
 */
export const ActionStateChip = (props: {
  action: ModelFleetAction;
  label?: string;
}) => {
  const classes = useStyles();
  const t = stateTone(props.action.state);
  return (
    <Chip
      size="small"
      label={props.label ?? stateLabel(props.action)}
      className={t ? classes[t] : undefined}
      data-testid="modelfleet-action-state"
      data-state={props.action.state}
    />
  );
};

const STEP_TONES: Partial<Record<StepStatus, StateTone>> = {
  done: 'success',
  current: 'progress',
  rolledBack: 'warning',
  undoFailed: 'error',
};

/** A step's status as a small chip. */
export const StepStatusChip = (props: { status: StepStatus }) => {
  const classes = useStyles();
  const t = STEP_TONES[props.status];
  return (
    <Chip
      size="small"
      variant={t ? 'default' : 'outlined'}
      label={STEP_STATUS_LABELS[props.status]}
      className={t ? classes[t] : undefined}
    />
  );
};
