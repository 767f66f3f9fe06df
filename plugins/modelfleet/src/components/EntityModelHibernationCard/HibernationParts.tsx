import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import {
  HibernationDecisionView,
  HibernationState,
  ModelHibernationReport,
} from '@modelfleet/plugin-modelfleet-common';
import { ReactNode } from 'react';
import { formatGpuHours, formatUsd, formatDateTime } from '../CostCommon';
import {
  autoscalerKeepAliveLine,
  decisionTitle,
  formatDuration,
  formatKeepAlive,
  MODE_TEXT,
  STATE_LABELS,
} from './format';

/** A titled part of the card. */
export const Section = (props: {
  title: string;
  testId?: string;
  children: ReactNode;
}) => (
  <Box mb={2} data-testid={props.testId}>
    <Typography variant="subtitle2" component="h3" gutterBottom>
      {props.title}
    </Typography>
    {props.children}
  </Box>
);

/** Warm, At zero or Waking…, as a chip. */
export const StateChip = (props: { state: HibernationState }) => (
  <Chip
    label={STATE_LABELS[props.state]}
    size="small"
    color={props.state === 'atZero' ? 'default' : 'primary'}
    variant={props.state === 'warm' ? 'default' : 'outlined'}
    data-testid="hibernation-state"
  />
);

/**
 * The top of the card: the state and replicas, what the team's mode lets
 * ModelFleet do, and the dry-run note.
 */
export const HibernationHeader = (props: {
  report: Pick<
    ModelHibernationReport,
    'state' | 'replicas' | 'mode' | 'dryRun'
  >;
}) => {
  const { state, replicas, mode, dryRun } = props.report;
  return (
    <Box mb={2}>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        {state && <StateChip state={state} />}
        {replicas && (
          <Typography variant="body2" color="textSecondary">
            {replicas.ready} of {replicas.desired}{' '}
            {replicas.desired === 1 ? 'replica' : 'replicas'} ready
          </Typography>
        )}
      </Box>
      <Typography
        variant="body2"
        data-testid="hibernation-mode"
        style={{ marginTop: 8 }}
      >
        {MODE_TEXT[mode]}.
      </Typography>
      {dryRun && (
        <Typography
          variant="caption"
          color="textSecondary"
          component="p"
          data-testid="hibernation-dry-run"
        >
          Dry run: the team&apos;s actions stop at planned, and nothing changes
          on the cluster until someone approves them in Model activity.
        </Typography>
      )}
    </Box>
  );
};

/** Why the workload could not be read now, as an info line. */
export const MissingWorkload = (props: { missing: string }) => (
  <Box mb={2}>
    <Alert severity="info" data-testid="hibernation-missing">
      ModelFleet cannot read this model&apos;s workload now: {props.missing}.
      The wakes and savings below are from what it recorded.
    </Alert>
  </Box>
);

/**
 * The keep-alive ModelFleet learned and why, and the one set on the
 * autoscaler now when it differs (e.g. `Set on ScaledObject llama-chat: 5 min`).
 */
export const KeepAlive = (props: {
  report: Pick<ModelHibernationReport, 'keepAlive' | 'autoscaler' | 'idleTier'>;
}) => {
  const { keepAlive } = props.report;
  const set = autoscalerKeepAliveLine(props.report);
  return (
    <Section title="Keep-alive">
      {keepAlive ? (
        <>
          <Typography
            variant="h5"
            component="p"
            data-testid="hibernation-keep-alive"
          >
            {formatKeepAlive(
              keepAlive.seconds,
              props.report.idleTier === 'sleep',
            )}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {keepAlive.reason}
          </Typography>
        </>
      ) : (
        <Typography variant="body2" color="textSecondary">
          ModelFleet has not learned a keep-alive for this model yet: it learns
          one from the gaps between the model&apos;s requests.
        </Typography>
      )}
      {set && (
        <Typography
          variant="body2"
          data-testid="hibernation-keep-alive-set"
          style={{ marginTop: 4 }}
        >
          Set on {set}
        </Typography>
      )}
    </Section>
  );
};

/** The hibernation loop's last decision: what, why, when. */
export const LastDecision = (props: { decision: HibernationDecisionView }) => {
  const { decision } = props;
  return (
    <Section title="Last decision" testId="hibernation-decision">
      <Typography variant="body2">
        <b>{decisionTitle(decision)}</b>: {decision.reason}
      </Typography>
      <Typography variant="caption" color="textSecondary" component="p">
        {formatDateTime(decision.at)}
        {decision.actionId &&
          ` · became action ${decision.actionId}, listed in Model activity`}
      </Typography>
    </Section>
  );
};

/** The next change ModelFleet expects, and when. */
export const NextChange = (props: {
  nextChange: NonNullable<ModelHibernationReport['nextChange']>;
}) => (
  <Section title="Next change" testId="hibernation-next-change">
    <Typography variant="body2">
      {props.nextChange.what} at {formatDateTime(props.nextChange.at)}
    </Typography>
  </Section>
);

/**
 * How a model of the sleep idle tier rests: its engine sleeps between
 * bursts and the wake gate wakes it on the next request.
 */
export const SleepTier = (props: { wakeSeconds?: number }) => (
  <Section title="Sleeps between bursts">
    <Typography variant="body2" data-testid="hibernation-sleep-tier">
      Deployed with the sleep idle tier: when idle, its vLLM engine sleeps
      (weights to host memory, GPU memory released) instead of going to zero,
      and its wake gate wakes it on the next request
      {props.wakeSeconds === undefined
        ? '.'
        : `, in about ${formatDuration(props.wakeSeconds)}.`}
    </Typography>
  </Section>
);

/**
 * What being at zero saved over the period against one replica always on.
 * The dollar and GPU-hour figures carry stable test ids for the e2e test,
 * formatted with `formatUsd` and `formatGpuHours` as the cost cards do.
 */
export const Savings = (props: {
  savings: ModelHibernationReport['savings'];
  /** True for a model of the sleep idle tier, which never goes to zero. */
  sleeps?: boolean;
}) => (
  <Typography variant="body1" data-testid="hibernation-saving">
    Saved{' '}
    <b data-testid="hibernation-saving-usd">{formatUsd(props.savings.usd)}</b> (
    <span data-testid="hibernation-saving-gpu-hours">
      {formatGpuHours(props.savings.gpuHours)}
    </span>
    ) against one replica always on, at the showback price.
    {props.sleeps &&
      ' Its engine sleeps instead of going to zero: it keeps its share of the GPU, so showback charges it as before, and the GPU memory it frees serves the models that share its GPU.'}
  </Typography>
);
