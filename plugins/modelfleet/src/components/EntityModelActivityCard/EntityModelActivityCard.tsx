import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { ModelFleetAction } from '@modelfleet/plugin-modelfleet-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ModelActionInput, modelfleetApiRef } from '../../api';
import { costRefOf, DemoChip } from '../CostCommon';
import { ActionDecision, ActionList } from './ActionList';
import { actionTitle, errorMessage, statusOf } from './format';
import { ModelControls, replicasLine } from './ModelControls';
import {
  DEFAULT_POLL_INTERVALS,
  PollIntervals,
  useModelActivity,
} from './useModelActivity';

/** A failed read: a note for an unknown model, the error panel otherwise. */
const ReadError = (props: { error: Error; subject: string }) =>
  statusOf(props.error) === 404 ? (
    <WarningPanel
      severity="info"
      title={`ModelFleet has no record of ${props.subject}`}
      message={errorMessage(props.error)}
    />
  ) : (
    <ResponseErrorPanel error={props.error} />
  );

/** Why the caller sees no actions: listing them is not allowed. */
const NotAllowedToList = (props: { error: Error }) => (
  <WarningPanel
    severity="info"
    title="You may not see this model's actions"
    message={`Listing them needs the permission modelfleet.recommendation.apply (${errorMessage(
      props.error,
    )}). The buttons above still work when you may use them.`}
  />
);

/** Props of {@link EntityModelActivityCard}. */
export interface EntityModelActivityCardProps {
  /** How often to read the actions again (defaults: 2 s while one runs, else 15 s). */
  pollIntervals?: Partial<PollIntervals>;
}

/**
 * The Model page's activity: the replicas now, the Scale / Hibernate now /
 * Wake now buttons the caller may use, and the model's actions, newest
 * first, live while one runs, with their steps, events and planned changes,
 * and Approve / Cancel for planned ones.
 */
export const EntityModelActivityCard = (
  props: EntityModelActivityCardProps,
) => {
  const { entity } = useEntity();
  const api = useApi(modelfleetApiRef);
  const { namespace, name } = costRefOf(entity, 'model');
  const entityRef = `model:${namespace}/${name}`;
  const intervals = { ...DEFAULT_POLL_INTERVALS, ...props.pollIntervals };
  const { activity, refresh } = useModelActivity({
    model: { namespace, name },
    entityRef,
    intervals,
  });
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<string>();

  // Demo clusters are labelled like demo figures; a failed read only
  // leaves the label out.
  const { value: demoClusters } = useAsync(async () => {
    const { items } = await api.getClusters();
    return new Set(items.filter(c => c.demo).map(c => c.name));
  }, [api]);
  const { capabilities, actions } = activity;
  const clusters = [
    capabilities?.workload?.cluster,
    ...(actions ?? []).map(a => a.cluster),
  ];
  const demo = clusters.some(c => c && demoClusters?.has(c));

  const post = async (
    key: string,
    what: string,
    call: () => Promise<unknown>,
  ) => {
    setBusy(key);
    setFailure(undefined);
    try {
      await call();
      await refresh();
    } catch (e) {
      setFailure(`Could not ${what}: ${errorMessage(e as Error)}`);
    } finally {
      setBusy(undefined);
    }
  };
  const request = (input: Omit<ModelActionInput, 'namespace' | 'name'>) =>
    api.requestModelAction({ namespace, name, ...input });
  const decide = (action: ModelFleetAction, decision: ActionDecision) =>
    post(
      `${decision}:${action.id}`,
      `${decision} "${actionTitle(action)}"`,
      () =>
        decision === 'approve'
          ? api.approveAction(action.id)
          : api.cancelAction(action.id),
    );

  const subject = `the model ${namespace}/${name}`;
  let body;
  if (!activity.loaded) {
    body = <Progress />;
  } else {
    let controls;
    if (capabilities) {
      controls = (
        <ModelControls
          model={name}
          capabilities={capabilities}
          busy={busy}
          onHibernate={() =>
            post('hibernate', 'hibernate the model', () =>
              request({ action: 'hibernate' }),
            )
          }
          onWake={() =>
            post('wake', 'wake the model', () => request({ action: 'wake' }))
          }
          onScale={async (replicas, reason) => {
            await request({ action: 'scale', replicas, reason });
            await refresh();
          }}
        />
      );
    } else if (activity.capabilitiesError) {
      controls = (
        <ReadError error={activity.capabilitiesError} subject={subject} />
      );
    }
    let list;
    if (statusOf(activity.actionsError) === 403) {
      list = <NotAllowedToList error={activity.actionsError!} />;
    } else if (actions) {
      list = (
        <>
          {activity.actionsError && (
            <Typography variant="caption" color="error" component="p">
              Could not refresh the actions, retrying:{' '}
              {errorMessage(activity.actionsError)}
            </Typography>
          )}
          <ActionList
            actions={actions}
            approve={capabilities?.approve}
            busy={busy}
            onDecide={decide}
          />
        </>
      );
    } else if (activity.actionsError) {
      list = <ReadError error={activity.actionsError} subject={subject} />;
    }
    body = (
      <>
        {failure && (
          <Box mb={2}>
            <Alert severity="error" onClose={() => setFailure(undefined)}>
              {failure}
            </Alert>
          </Box>
        )}
        {controls}
        <Typography variant="h6" component="h3">
          Actions
        </Typography>
        {list}
      </>
    );
  }

  return (
    <InfoCard
      title="Model activity"
      subheader={capabilities ? replicasLine(capabilities) : undefined}
      action={
        demo ? (
          <DemoChip
            label="Demo cluster"
            title="This model runs on ModelFleet's simulated demo fleet: its actions change the simulated cluster, not a real one."
          />
        ) : undefined
      }
    >
      <div data-testid="modelfleet-activity-card">{body}</div>
    </InfoCard>
  );
};
