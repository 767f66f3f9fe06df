import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import { ActionService } from '../actions/ActionService';
import { ModelTargets } from '../actions/ModelTargets';
import { supersededByPerson } from '../actions/supersede';
import { StoredAction } from '../database/ActionStore';
import { planModelAction } from '../engines/actions/modelPlans';
import { PolicyService } from '../policy/PolicyService';
import { Finding } from './fromActions';

const ACTIVE_STATES = [
  'planned',
  'applying',
  'verifying',
  'rollingBack',
] as const;

/** What applying a recommendation needs: the action path's services. */
export interface RecommendationApplier {
  actions: ActionService;
  targets: ModelTargets;
  policies: PolicyService;
}

/**
 * Applies a recommendation through the action path, as `actor`:
 *
 * - a stored action waiting for approval is approved, as
 *   `POST /actions/:id/approve` does;
 * - a rightsizing "fewer replicas" option becomes a `scale` action, as the
 *   Scale button's `POST /models/:namespace/:name/scale` makes it (the
 *   owner team's policy decides whether it waits for approval; a policy's
 *   planned proposal on the model gives way to it);
 * - anything else is a ConflictError saying why it cannot be applied yet.
 *
 * The caller has checked `modelfleet.recommendation.apply`.
 */
export async function applyRecommendation(
  applier: RecommendationApplier,
  finding: Finding,
  options: { actor: string; credentials: BackstageCredentials; day: string },
): Promise<StoredAction> {
  const { source } = finding;
  if (!finding.applicable.allowed) {
    throw new ConflictError(
      `${finding.id}: ${finding.applicable.reason ?? 'it cannot be applied'}`,
    );
  }
  if (source.type === 'action') {
    return applier.actions.approve(source.actionId, options.actor);
  }
  if (source.type !== 'rightsizing' || source.option !== 'fewer-replicas') {
    throw new ConflictError(`${finding.id}: it cannot be applied yet`);
  }
  const modelRef = finding.subject.modelRef!;
  const { namespace, name } = parseEntityRef(modelRef);
  const model = await applier.targets.resolve(
    namespace,
    name,
    options.credentials,
  );
  if (!model.target) {
    throw new ConflictError(`${finding.id}: ${model.missing}`);
  }
  // The same recommendation applied twice the same day is one action.
  const key = `recommendation:${finding.id}:${source.replicas}:${options.day}`;
  const stored = await applier.actions.byKey(key);
  if (stored) return stored;
  const [active] = await applier.actions.list({
    entityRef: model.entityRef,
    states: [...ACTIVE_STATES],
    limit: 1,
  });
  if (active && !supersededByPerson(active)) {
    throw new ConflictError(
      `${finding.id}: another action on this model (${active.kind}, ${active.id}) is ${active.state}; approve, cancel or wait for it first`,
    );
  }
  const plan = planModelAction(model.target, {
    kind: 'scale',
    replicas: source.replicas,
  });
  if (!plan.ok) {
    throw new ConflictError(`${finding.id}: not now, ${plan.reason}`);
  }
  if (active) await applier.actions.cancel(active.id, options.actor);
  const dryRun = applier.policies.dryRunOf(model.teamRef);
  const { action } = await applier.actions.request({
    idempotencyKey: key,
    kind: plan.kind,
    entityRef: model.entityRef,
    cluster: plan.cluster,
    steps: plan.steps,
    dryRun,
    requestedBy: options.actor,
    reason: `${plan.summary}: recommendation ${finding.id} (${finding.title})`,
  });
  return (await applier.actions.get(action.id)) ?? action;
}
