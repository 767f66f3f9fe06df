import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import {
  COST_IDEAS,
  CostBreakdownItem,
  UtilizationReport,
} from '@modelfleet/plugin-modelfleet-common';
import useAsync from 'react-use/esm/useAsync';
import { ModelFleetApi, modelfleetApiRef } from '../../api';
import { formatShare, formatUsd } from '../CostCommon';
import { DayPeriod } from './period';

/** How many of the most expensive models are read for their idle time. */
export const IDLE_CANDIDATES = 12;

/** What the card lists: the models with the most idle cost. */
export const IDLE_SHOWN = 5;

/** What the card's figures mean, once. */
export const IDLE_WASTE_TOOLTIP = `${COST_IDEAS.unused.name}: ${COST_IDEAS.unused.definition} The same figure as on each Model page.`;

/** A model's idle waste over the month. */
export interface ModelIdleWaste {
  entityRef: string;
  idleCostUsd: number;
  idleShare: number | null;
}

function modelRefParts(ref: string): { namespace: string; name: string } {
  const match = /^model:(?:([^/]+)\/)?(.+)$/i.exec(ref);
  return {
    namespace: match?.[1] ?? 'default',
    name: match?.[2] ?? ref,
  };
}

/**
 * The idle waste of the most expensive models (at most
 * {@link IDLE_CANDIDATES}), largest first; models with none are left out.
 */
export async function loadIdleWaste(
  api: ModelFleetApi,
  models: CostBreakdownItem[],
  period: DayPeriod,
): Promise<ModelIdleWaste[]> {
  const candidates = [...models]
    .filter(m => m.entityRef.toLocaleLowerCase('en-US').startsWith('model:'))
    .sort((a, b) => b.costUsd - a.costUsd)
    .slice(0, IDLE_CANDIDATES);
  const reports = await Promise.all(
    candidates.map(async m => {
      const report: UtilizationReport = await api.getEntityUtilization(
        { kind: 'model', ...modelRefParts(m.entityRef) },
        { ...period, granularity: 'month' },
      );
      return {
        entityRef: m.entityRef,
        idleCostUsd: report.unusedUsd,
        idleShare: report.idleShare,
      };
    }),
  );
  return reports
    .filter(r => r.idleCostUsd >= 0.005)
    .sort((a, b) => b.idleCostUsd - a.idleCostUsd);
}

/** The models whose GPUs sat idle the most this month, in dollars. */
export const IdleWaste = (props: {
  models: CostBreakdownItem[];
  period: DayPeriod;
}) => {
  const api = useApi(modelfleetApiRef);
  const { models, period } = props;
  const { loading, error, value } = useAsync(
    () => loadIdleWaste(api, models, period),
    [api, models, period.from, period.to],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const waste = value ?? [];
  if (waste.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {models.length === 0
          ? 'No model of your teams ran this month.'
          : 'No idle GPU time this month: every paid GPU-hour did work.'}
      </Typography>
    );
  }
  const shown = waste.slice(0, IDLE_SHOWN);
  const total = shown.reduce((s, w) => s + w.idleCostUsd, 0);
  return (
    <>
      <Typography variant="h5" component="p" data-testid="home-idle-total">
        {formatUsd(total)}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        paid this month for GPU time{' '}
        {shown.length === 1 ? 'this model' : `these ${shown.length} models`} did
        not use
      </Typography>
      <List
        dense
        disablePadding
        aria-label="Models with the most idle GPU time"
      >
        {shown.map(w => (
          <ListItem
            key={w.entityRef}
            disableGutters
            data-testid="home-idle-model"
          >
            <ListItemText
              // The theme keeps list text on one line; these lines wrap.
              style={{ whiteSpace: 'normal' }}
              primary={
                <>
                  <EntityRefLink entityRef={w.entityRef} hideIcon />:{' '}
                  <strong>{formatUsd(w.idleCostUsd)}</strong> idle
                </>
              }
              secondary={
                w.idleShare === null
                  ? 'No GPU metrics; idle share unknown'
                  : `GPUs idle ${formatShare(w.idleShare, 0)} of the time`
              }
            />
          </ListItem>
        ))}
      </List>
    </>
  );
};
