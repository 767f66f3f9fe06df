import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { ACTION_KINDS } from '@modelfleet/plugin-modelfleet-common';
import useAsync from 'react-use/esm/useAsync';
import { modelfleetApiRef } from '../../api';
import {
  ActionStateChip,
  Actor,
  RelativeTime,
} from '../EntityModelActivityCard/ActionParts';
import { actionTitle } from '../EntityModelActivityCard/format';

/** How many actions the home page lists. */
export const RECENT_ACTIONS = 6;

/**
 * The newest actions on the user's models (scale, hibernate, wake, moves,
 * spot fallbacks, deployments), with their state; those waiting for an
 * approval say so.
 */
export const RecentActions = () => {
  const api = useApi(modelfleetApiRef);
  const { loading, error, value } = useAsync(
    () => api.listActions({ kind: [...ACTION_KINDS], limit: RECENT_ACTIONS }),
    [api],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const actions = value?.actions ?? [];
  if (actions.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No actions on your teams&apos; models yet. ModelFleet records every
        scale, hibernation, wake, move and deployment here, with who asked.
      </Typography>
    );
  }
  return (
    <List dense disablePadding aria-label="Recent actions">
      {actions.map(action => (
        <ListItem
          key={action.id}
          disableGutters
          data-testid="home-action"
          style={{ gap: 16 }}
        >
          <ListItemText
            // The theme keeps list text on one line; these lines wrap.
            style={{ whiteSpace: 'normal' }}
            primary={
              <>
                <EntityRefLink entityRef={action.entityRef} hideIcon />:{' '}
                {actionTitle(action)}
              </>
            }
            secondary={
              <>
                Asked by <Actor actor={action.requestedBy} />,{' '}
                <RelativeTime iso={action.createdAt} />
              </>
            }
          />
          <ActionStateChip action={action} />
        </ListItem>
      ))}
    </List>
  );
};
