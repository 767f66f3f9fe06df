import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { ModelActionsCapabilities } from '@modelfleet/plugin-modelfleet-common';
import { useState } from 'react';
import { ScaleDialog } from './ScaleDialog';

/** The model's replicas now, e.g. `Replicas now: 2 desired, 1 ready`. */
export function replicasLine(capabilities?: ModelActionsCapabilities): string {
  const replicas = capabilities?.replicas;
  if (!replicas) return 'Replicas now: not reported by the cluster';
  return `Replicas now: ${replicas.desired} desired, ${replicas.ready} ready`;
}

/** Where the model runs: its workload and autoscaler. */
export function workloadLine(
  capabilities: ModelActionsCapabilities,
): string | undefined {
  const { workload, autoscaler } = capabilities;
  if (!workload) return undefined;
  const runs = `Runs as ${workload.kind} ${workload.namespace}/${workload.name} on cluster ${workload.cluster}`;
  return autoscaler
    ? `${runs}, scaled by KEDA ${autoscaler.kind} ${autoscaler.name}`
    : runs;
}

type ButtonKind = 'scale' | 'hibernate' | 'wake' | 'sleep';

const LABELS: Record<ButtonKind, string> = {
  scale: 'Scale',
  hibernate: 'Hibernate now',
  wake: 'Wake now',
  sleep: 'Sleep now',
};

/**
 * A button offered when the capabilities allow it, else disabled with the
 * reason as its tooltip (the reasons also show as captions below).
 */
const CapabilityButton = (props: {
  kind: ButtonKind;
  capability: { allowed: boolean; reason?: string };
  busy: boolean;
  onClick: () => void;
}) => {
  const { allowed, reason } = props.capability;
  const button = (
    <Button
      variant={props.kind === 'scale' ? 'contained' : 'outlined'}
      color="primary"
      size="small"
      disabled={!allowed || props.busy}
      onClick={props.onClick}
    >
      {LABELS[props.kind]}
    </Button>
  );
  if (allowed) return button;
  // A disabled button gets no mouse events: the tooltip needs a wrapper.
  return (
    <Tooltip title={reason ?? 'Not allowed'}>
      <span>{button}</span>
    </Tooltip>
  );
};

/**
 * The model's replicas, the Scale / Hibernate now / Wake now buttons, why
 * any is unavailable, and the dry-run note of the team's policy. Without
 * `mayAct` (the permission framework said no) only where the model runs:
 * no buttons, no reasons, no dialog.
 */
export const ModelControls = (props: {
  model: string;
  capabilities: ModelActionsCapabilities;
  /** Whether the caller may scale, hibernate and wake the model at all. */
  mayAct: boolean;
  /** The button whose request is being posted. */
  busy?: string;
  onHibernate: () => void;
  onWake: () => void;
  /** Put the engine to sleep; offered for a model of the sleep idle tier. */
  onSleep?: () => void;
  onScale: (replicas: number, reason: string) => Promise<void>;
}) => {
  const { capabilities, mayAct } = props;
  const [scaling, setScaling] = useState(false);
  const kinds: ButtonKind[] = ['scale', 'hibernate', 'wake'];
  if (capabilities.sleep) kinds.push('sleep');
  const reasons = kinds.filter(k => !capabilities[k]?.allowed);
  const where = workloadLine(capabilities);
  const whereLine = where && (
    <Typography variant="body2" color="textSecondary" gutterBottom>
      {where}
    </Typography>
  );
  if (!mayAct) {
    return (
      <Box mb={2} data-testid="modelfleet-model-controls">
        {whereLine}
      </Box>
    );
  }
  return (
    <Box mb={2} data-testid="modelfleet-model-controls">
      {whereLine}
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        <CapabilityButton
          kind="scale"
          capability={capabilities.scale}
          busy={!!props.busy}
          onClick={() => setScaling(true)}
        />
        <CapabilityButton
          kind="hibernate"
          capability={capabilities.hibernate}
          busy={!!props.busy}
          onClick={props.onHibernate}
        />
        <CapabilityButton
          kind="wake"
          capability={capabilities.wake}
          busy={!!props.busy}
          onClick={props.onWake}
        />
        {capabilities.sleep && props.onSleep && (
          <CapabilityButton
            kind="sleep"
            capability={capabilities.sleep}
            busy={!!props.busy}
            onClick={props.onSleep}
          />
        )}
      </Box>
      {reasons.map(k => (
        <Typography
          key={k}
          variant="caption"
          color="textSecondary"
          component="p"
          data-testid={`modelfleet-${k}-reason`}
        >
          {LABELS[k]}: {capabilities[k]?.reason ?? 'not allowed'}
        </Typography>
      ))}
      {capabilities.dryRun && (
        <Box mt={1}>
          <Alert severity="info" data-testid="modelfleet-dry-run">
            This team&apos;s policy is dry-run: every action stops at planned
            and runs only once someone allowed to approve it does.
          </Alert>
        </Box>
      )}
      {scaling && (
        <ScaleDialog
          open
          model={props.model}
          current={capabilities.replicas?.desired}
          onClose={() => setScaling(false)}
          onScale={props.onScale}
        />
      )}
    </Box>
  );
};
