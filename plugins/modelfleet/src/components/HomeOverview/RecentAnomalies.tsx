import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { CostAnomaly } from '@modelfleet/plugin-modelfleet-common';
import useAsync from 'react-use/esm/useAsync';
import { modelfleetApiRef } from '../../api';
import { formatDate, formatUsd } from '../CostCommon';
import { AnomalyIcon, newestFirst } from '../CostCommon/AnomaliesList';
import { DayPeriod } from './period';

/** How many anomalies the home page lists. */
export const ANOMALIES_SHOWN = 5;

/** How a day's cost compares with its usual cost, in words. */
export function anomalyText(a: CostAnomaly): string {
  const usual = `its usual ${formatUsd(a.baselineUsd)} a day`;
  if (a.baselineUsd <= 0) return `Up from ${usual}`;
  const ratio = a.costUsd / a.baselineUsd;
  if (a.direction === 'spike') {
    return `${ratio.toFixed(1)} × ${usual}`;
  }
  return ratio < 0.05
    ? `Down from ${usual}`
    : `Down to ${Math.round(ratio * 100)} % of ${usual}`;
}

/** The newest days whose cost was far from usual, on what the user may see. */
export const RecentAnomalies = (props: { period: DayPeriod; days: number }) => {
  const api = useApi(modelfleetApiRef);
  const { period } = props;
  const { loading, error, value } = useAsync(
    () => api.getCostAnomalies(period),
    [api, period.from, period.to],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const items = newestFirst(value?.items ?? []).slice(0, ANOMALIES_SHOWN);
  if (items.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No cost anomalies on your teams&apos; models in the last {props.days}{' '}
        days.
      </Typography>
    );
  }
  return (
    <List dense disablePadding aria-label="Recent cost anomalies">
      {items.map(a => (
        <ListItem
          key={`${a.day}:${a.scope}:${a.entityRef}`}
          disableGutters
          data-testid="home-anomaly"
        >
          <AnomalyIcon anomaly={a} />
          <ListItemText
            // The theme keeps list text on one line; these lines wrap.
            style={{ whiteSpace: 'normal' }}
            primary={
              <>
                {a.scope === 'fleet' ? (
                  'The fleet'
                ) : (
                  <EntityRefLink entityRef={a.entityRef} hideIcon />
                )}{' '}
                cost <strong>{formatUsd(a.costUsd)}</strong> on{' '}
                {formatDate(a.day)}
              </>
            }
            secondary={anomalyText(a)}
          />
        </ListItem>
      ))}
    </List>
  );
};
