import { AuditorService } from '@backstage/backend-plugin-api';
import {
  ActionEvent,
  ModelFleetAction,
} from '@modelfleet/plugin-modelfleet-common';

/**
 * Records a transition of an action as an auditor event
 * (`action-transition`): who moved it (a person, a policy or a backend
 * replica), the model, the cluster, the step and the outcome. A failed
 * outcome is recorded as a failed event with the cluster's message.
 */
export async function auditTransition(
  auditor: AuditorService | undefined,
  action: Pick<
    ModelFleetAction,
    | 'id'
    | 'idempotencyKey'
    | 'kind'
    | 'entityRef'
    | 'cluster'
    | 'requestedBy'
    | 'steps'
  >,
  event: ActionEvent,
): Promise<void> {
  if (!auditor) return;
  const meta = {
    actionId: action.id,
    idempotencyKey: action.idempotencyKey,
    kind: action.kind,
    entityRef: action.entityRef,
    cluster: action.cluster,
    requestedBy: action.requestedBy,
    actor: event.actor,
    from: event.from,
    to: event.to,
    ...(event.step !== undefined
      ? {
          step: event.step,
          stepDescription: action.steps[event.step]?.description ?? null,
        }
      : {}),
    outcome: event.outcome,
    message: event.message,
  };
  const audit = await auditor.createEvent({
    eventId: 'action-transition',
    severityLevel: 'medium',
    meta,
  });
  if (event.outcome === 'failed') {
    await audit.fail({ error: new Error(event.message) });
  } else {
    await audit.success();
  }
}
