import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import {
  ModelFleetAction,
  modelfleetCostReadPermission,
  modelfleetRecommendationApplyPermission,
} from '@modelfleet/plugin-modelfleet-common';
import { useState } from 'react';
import { modelfleetApiRef } from '../../api';
import { displayRef, entityRefOf, ownerRefOf } from '../Access';
import { CardBody, CostErrorPanel, costRefOf } from '../CostCommon';
import { errorMessage, statusOf } from '../EntityModelActivityCard/format';
import { Decision } from '../FleetMoves/DecisionButtons';
import { ServingNow } from './ServingNow';
import { SpotHistory } from './SpotHistory';
import { SPOT_POLL_MS, useSpotData } from './useSpotData';

/** Who may see what the caller may not, in words. */
const onlyTeam = (owner: string | undefined) =>
  owner
    ? `Only members of ${displayRef(owner)} and the platform team`
    : "Only members of the model's owning team and the platform team";

/** A line in place of what the caller may not see. */
const NotShown = (props: { testId: string; children: string }) => (
  <Typography
    variant="body2"
    color="textSecondary"
    data-testid={props.testId}
    gutterBottom
  >
    {props.children}
  </Typography>
);

/** Props of {@link EntityModelSpotCard}. */
export interface EntityModelSpotCardProps {
  /** How often to read again while something is under way (default 10 s). */
  pollMs?: number;
}

/**
 * The Model page's spot and on-demand mix: how the model is served now
 * (its spot replicas Ready, those under a reclaim notice, those waiting
 * for a node, and its on-demand stand-in), a one-line status, what a
 * stand-in replica costs against a spot one, and its preemptions and
 * fallbacks (`spot-fallback` actions, newest first) with Approve / Cancel
 * for one that waits, and its moves between pools.
 *
 * The mix comes from the what-if report (`GET
 * /models/:namespace/:name/arbitrage`, behind `modelfleet.cost.read`); the
 * history from `GET /actions` (behind `modelfleet.recommendation.apply`,
 * which approving needs too). It asks both permissions first and reads
 * only what the caller may see. While something is under way (an action
 * not final, a notice, a stand-in up) it reads again every `pollMs`.
 */
export const EntityModelSpotCard = (props: EntityModelSpotCardProps) => {
  const { entity } = useEntity();
  const api = useApi(modelfleetApiRef);
  const ref = costRefOf(entity, 'model');
  const entityRef = entityRefOf(ref);
  const owner = ownerRefOf(entity);
  const read = usePermission({
    permission: modelfleetCostReadPermission,
    resourceRef: entityRef,
  });
  const apply = usePermission({
    permission: modelfleetRecommendationApplyPermission,
    resourceRef: entityRef,
  });
  const known = !read.loading && !apply.loading;
  const { data, reload } = useSpotData({
    model: { namespace: ref.namespace, name: ref.name },
    entityRef,
    enabled: known,
    readReport: read.allowed,
    readActions: apply.allowed,
    pollMs: props.pollMs ?? SPOT_POLL_MS,
  });
  // A 403 on a decision (the answer raced a policy change) hides the buttons.
  const [denied, setDenied] = useState(false);
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<string>();

  const decide = async (action: ModelFleetAction, decision: Decision) => {
    setBusy(`${decision}:${action.id}`);
    setFailure(undefined);
    try {
      await (decision === 'approve'
        ? api.approveAction(action.id)
        : api.cancelAction(action.id));
    } catch (e) {
      if (statusOf(e as Error) === 403) setDenied(true);
      else {
        setFailure(
          `Could not ${decision} the spot fallback: ${errorMessage(
            e as Error,
          )}`,
        );
      }
    } finally {
      setBusy(undefined);
    }
    await reload();
  };

  const subject = `the model ${ref.namespace}/${ref.name}`;
  const { report, fallbacks, moves } = data;
  let now;
  if (!read.allowed) {
    now = (
      <NotShown testId="modelfleet-spot-mix-not-allowed">
        {`${onlyTeam(owner)} can see how this model is served.`}
      </NotShown>
    );
  } else if (report) {
    now = <ServingNow report={report} fallbacks={fallbacks} />;
  } else if (data.reportError) {
    now = (
      <CostErrorPanel
        error={data.reportError}
        subject={subject}
        owner={owner}
      />
    );
  }

  // A read that failed for another reason than "not yours" marks the card.
  let failed =
    read.allowed &&
    !report &&
    !!data.reportError &&
    statusOf(data.reportError) !== 403;
  let history;
  if (!apply.allowed || statusOf(data.actionsError) === 403) {
    history = (
      <NotShown testId="modelfleet-spot-history-not-allowed">
        {`${onlyTeam(
          owner,
        )} can see, approve or cancel this model's spot fallbacks and moves.`}
      </NotShown>
    );
  } else if (fallbacks && moves) {
    history = (
      <SpotHistory
        fallbacks={fallbacks}
        moves={moves}
        mayDecide={!denied}
        busy={busy}
        onDecide={decide}
      />
    );
  } else if (data.actionsError) {
    history = <ResponseErrorPanel error={data.actionsError} />;
    failed = true;
  }

  const stale = [
    report && data.reportError,
    fallbacks && data.actionsError,
  ].filter((e): e is Error => !!e);
  return (
    <InfoCard title="Spot and on-demand">
      <div data-testid="modelfleet-spot-card">
        {!known || !data.loaded ? (
          <CardBody state="loading">
            <Progress />
          </CardBody>
        ) : (
          <CardBody state={failed ? 'error' : 'ready'}>
            {stale.length > 0 && (
              <Typography variant="caption" color="error" component="p">
                Could not refresh, showing the last read:{' '}
                {stale.map(errorMessage).join('; ')}
              </Typography>
            )}
            {failure && (
              <Box mb={2}>
                <Alert severity="error" onClose={() => setFailure(undefined)}>
                  {failure}
                </Alert>
              </Box>
            )}
            {now}
            <Box mt={3}>
              <Typography variant="h6" component="h3">
                Preemptions and fallbacks
              </Typography>
              {history}
            </Box>
          </CardBody>
        )}
      </div>
    </InfoCard>
  );
};
