import { EntityRefLink } from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import TrendingDownIcon from '@material-ui/icons/TrendingDown';
import TrendingUpIcon from '@material-ui/icons/TrendingUp';
import { CostAnomaly } from '@modelfleet/plugin-modelfleet-common';
import { formatDate, formatDateTime, formatUsd } from './format';

/** Anomalies newest first, the strongest first within a day. */
export const newestFirst = (anomalies: readonly CostAnomaly[]) =>
  [...anomalies].sort(
    (a, b) => b.day.localeCompare(a.day) || b.score - a.score,
  );

/** A spike's or a drop's icon, for a list item. */
export const AnomalyIcon = ({ anomaly }: { anomaly: CostAnomaly }) => (
  <ListItemIcon style={{ minWidth: 32 }}>
    {anomaly.direction === 'spike' ? (
      <TrendingUpIcon color="error" titleAccess="Spike" />
    ) : (
      <TrendingDownIcon color="primary" titleAccess="Drop" />
    )}
  </ListItemIcon>
);

/** Days whose cost was far from its baseline, newest first. */
export const AnomaliesList = (props: {
  anomalies: CostAnomaly[];
  emptyText?: string;
}) => {
  if (props.anomalies.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {props.emptyText ?? 'No cost anomalies in this period.'}
      </Typography>
    );
  }
  const sorted = newestFirst(props.anomalies);
  return (
    <List dense disablePadding aria-label="Cost anomalies">
      {sorted.map(a => (
        <ListItem
          key={`${a.day}:${a.scope}:${a.entityRef}`}
          disableGutters
          data-testid="modelfleet-anomaly"
        >
          <AnomalyIcon anomaly={a} />
          <ListItemText
            // Wraps on a narrow card (entity pages set list items nowrap).
            style={{ whiteSpace: 'normal' }}
            primary={
              <>
                {formatDate(a.day)}: {a.scope === 'fleet' ? 'the fleet' : null}
                {a.scope !== 'fleet' && (
                  <EntityRefLink entityRef={a.entityRef} hideIcon />
                )}{' '}
                cost {formatUsd(a.costUsd)} against a baseline of{' '}
                {formatUsd(a.baselineUsd)}
              </>
            }
            secondary={`${
              a.direction === 'spike' ? 'Spike' : 'Drop'
            }, robust z-score ${a.score.toFixed(1)}${
              a.notifiedAt ? `; notified ${formatDateTime(a.notifiedAt)}` : ''
            }`}
          />
        </ListItem>
      ))}
    </List>
  );
};
