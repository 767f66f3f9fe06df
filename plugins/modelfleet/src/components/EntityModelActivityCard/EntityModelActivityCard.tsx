import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import {
  ModelFleetAction,
  modelfleetModelHibernatePermission,
  modelfleetRecommendationApplyPermission,
} from '@modelfleet/plugin-modelfleet-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ModelActionInput, modelfleetApiRef } from '../../api';
import { ActionsNotAllowed, entityRefOf, ownerRefOf } from '../Access';
import { CardBody, costRefOf, DemoChip, WRAPPING_HEADER } from '../CostCommon';
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
 *
 * It first asks the permission framework (`usePermission` on the model's
 * entity ref) whether the caller may scale, hibernate and wake
 * (`modelfleet.model.hibernate`) and approve, cancel and list actions
 * (`modelfleet.recommendation.apply`), and reads nothing until both answers
 * are in. It then renders only the buttons the caller may use, so nobody
 * meets a button that only fails: where one is allowed but cannot be used
 * now, the backend's reason says why; where the caller may not act, one line
 * says who may.
 */
export const EntityModelActivityCard = (
  props: EntityModelActivityCardProps,
) => {
  const { entity } = useEntity();
  const api = useApi(modelfleetApiRef);
  const { namespace, name } = costRefOf(entity, 'model');
  const entityRef = entityRefOf({ kind: 'model', namespace, name });
  const owner = ownerRefOf(entity);
  const act = usePermission({
    permission: modelfleetModelHibernatePermission,
    resourceRef: entityRef,
  });
  const approve = usePermission({
    permission: modelfleetRecommendationApplyPermission,
    resourceRef: entityRef,
  });
  const permissionsKnown = !act.loading && !approve.loading;
  const permissionError = act.error ?? approve.error;
  // A 403 on a post (the permission answer raced a policy change) hides
  // what it denied, like a "no" from usePermission.
  const [deniedAct, setDeniedAct] = useState(false);
  const [deniedApprove, setDeniedApprove] = useState(false);
  const intervals = { ...DEFAULT_POLL_INTERVALS, ...props.pollIntervals };
  const { activity, refresh } = useModelActivity({
    model: { namespace, name },
    entityRef,
    intervals,
    enabled: permissionsKnown,
    listActions: approve.allowed,
  });
  const mayAct = act.allowed && !deniedAct;
  const mayApprove =
    approve.allowed &&
    !deniedApprove &&
    statusOf(activity.actionsError) !== 403;
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
    deny: () => void,
    call: () => Promise<unknown>,
  ) => {
    setBusy(key);
    setFailure(undefined);
    try {
      await call();
      await refresh();
    } catch (e) {
      if (statusOf(e as Error) === 403) deny();
      else setFailure(`Could not ${what}: ${errorMessage(e as Error)}`);
    } finally {
      setBusy(undefined);
    }
  };
  const denyAct = () => setDeniedAct(true);
  const request = (input: Omit<ModelActionInput, 'namespace' | 'name'>) =>
    api.requestModelAction({ namespace, name, ...input });
  const decide = (action: ModelFleetAction, decision: ActionDecision) =>
    post(
      `${decision}:${action.id}`,
      `${decision} "${actionTitle(action)}"`,
      () => setDeniedApprove(true),
      () =>
        decision === 'approve'
          ? api.approveAction(action.id)
          : api.cancelAction(action.id),
    );

  const subject = `the model ${namespace}/${name}`;
  let body;
  if (!permissionsKnown || !activity.loaded) {
    body = <Progress />;
  } else {
    let controls;
    if (capabilities) {
      controls = (
        <ModelControls
          model={name}
          capabilities={capabilities}
          mayAct={mayAct}
          busy={busy}
          onHibernate={() =>
            post('hibernate', 'hibernate the model', denyAct, () =>
              request({ action: 'hibernate' }),
            )
          }
          onWake={() =>
            post('wake', 'wake the model', denyAct, () =>
              request({ action: 'wake' }),
            )
          }
          onSleep={() =>
            post('sleep', "put the model's engine to sleep", denyAct, () =>
              request({ action: 'sleep' }),
            )
          }
          onScale={async (replicas, reason) => {
            try {
              await request({ action: 'scale', replicas, reason });
            } catch (e) {
              if (statusOf(e as Error) !== 403) throw e;
              denyAct();
            }
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
    if (actions) {
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
        {permissionError ? (
          <Typography variant="body2" color="textSecondary" gutterBottom>
            Could not ask whether you may act on this model, so its buttons are
            hidden: {errorMessage(permissionError)}
          </Typography>
        ) : (
          <ActionsNotAllowed
            owner={owner}
            mayAct={mayAct}
            mayApprove={mayApprove}
          />
        )}
        {failure && (
          <Box mb={2}>
            <Alert severity="error" onClose={() => setFailure(undefined)}>
              {failure}
            </Alert>
          </Box>
        )}
        {controls}
        {/* Otherwise the line above says who may see and decide on them. */}
        {mayApprove && (
          <>
            <Typography variant="h6" component="h3">
              Actions
            </Typography>
            {list}
          </>
        )}
      </>
    );
  }

  return (
    <InfoCard
      title="Model activity"
      subheader={capabilities ? replicasLine(capabilities) : undefined}
      headerStyle={WRAPPING_HEADER}
      action={
        demo ? (
          <DemoChip
            label="Demo cluster"
            title="This model runs on ModelFleet's simulated demo fleet: its actions change the simulated cluster, not a real one."
          />
        ) : undefined
      }
    >
      <div data-testid="modelfleet-activity-card">
        <CardBody
          state={permissionsKnown && activity.loaded ? 'ready' : 'loading'}
        >
          {body}
        </CardBody>
      </div>
    </InfoCard>
  );
};
