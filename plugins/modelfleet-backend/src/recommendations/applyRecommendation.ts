import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import { ActionService } from '../actions/ActionService';
import { ModelTargets, ResolvedModel } from '../actions/ModelTargets';
import { supersededByPerson } from '../actions/supersede';
import { Migrations } from '../arbitrage/Migrations';
import { StoredAction } from '../database/ActionStore';
import { FleetStateStore } from '../database/FleetStateStore';
import { planModelAction } from '../engines/actions/modelPlans';
import { PolicyService } from '../policy/PolicyService';
import { applyConsolidation } from './applyConsolidation';
import { applyPoolMinimum } from './applyPoolMinimum';
import { Finding } from './fromActions';
import { ACTIVE_STATES } from './poolActions';

/** What applying a recommendation needs: the action path's services. */
export interface RecommendationApplier {
  actions: ActionService;
  targets: ModelTargets;
  policies: PolicyService;
  /** Moves, as `POST /models/:namespace/:name/migrations` makes them. */
  migrations: Pick<Migrations, 'request'>;
  /** Where the model pods run now, for a consolidation's steps. */
  fleet: Pick<FleetStateStore, 'listModelPods' | 'listWorkloads' | 'listPools'>;
}

/** Who applies, and when. */
export interface ApplyContext {
  actor: string;
  credentials: BackstageCredentials;
  /** `YYYY-MM-DD`: the same recommendation applied twice a day is one action. */
  day: string;
  /** Throws when the caller may not apply recommendations to the entity. */
  authorize: (entityRef: string) => Promise<void>;
}

/** The action an apply made, approved, or found made today. */
export interface Applied {
  action: StoredAction;
  /** True when the apply approved a loop's action waiting for approval. */
  approved: boolean;
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
 * - a rightsizing option on another pool (a smaller GPU, or a MIG or
 *   time-sliced share of one, for a replica asking for one GPU: one slice
 *   there) becomes a `migrate` action, as **Move here** makes it
 *   (`POST /models/:namespace/:name/migrations`): the same plan, steps,
 *   permission and dry-run;
 * - a consolidation becomes a `consolidate` action on its pool: cordon the
 *   nodes that go, drain them, wait for the moved models
 *   (`applyConsolidation`);
 * - empty capacity whose pool's minimum keeps the idle nodes becomes a
 *   `poolMinimum` action: the minimum lowered through the cloud's
 *   node-pool API (`applyPoolMinimum`);
 * - anything else is a ConflictError saying, in words, why and what to do
 *   instead.
 *
 * The caller has checked `modelfleet.recommendation.apply`.
 */
export async function applyRecommendation(
  applier: RecommendationApplier,
  finding: Finding,
  context: ApplyContext,
): Promise<Applied> {
  const { source } = finding;
  if (!finding.applicable.allowed) {
    throw new ConflictError(
      finding.applicable.reason ?? `“${finding.title}” cannot be applied`,
    );
  }
  if (source.type === 'action') {
    return {
      action: await applier.actions.approve(source.actionId, context.actor),
      approved: true,
    };
  }
  if (source.type === 'consolidation') {
    return {
      action: await applyConsolidation(applier, finding, context),
      approved: false,
    };
  }
  if (source.type === 'showback' && source.minimum) {
    return {
      action: await applyPoolMinimum(applier, finding, context),
      approved: false,
    };
  }
  if (source.type !== 'rightsizing' || !finding.subject.modelRef) {
    throw new ConflictError(`“${finding.title}” cannot be applied`);
  }
  // The same recommendation applied twice the same day is one action.
  const key = `recommendation:${finding.id}:${source.replicas}:${context.day}`;
  const stored = await applier.actions.byKey(key);
  if (stored) return { action: stored, approved: false };
  const { namespace, name } = parseEntityRef(finding.subject.modelRef);
  const model = await applier.targets.resolve(
    namespace,
    name,
    context.credentials,
  );
  if (!model.target) throw new ConflictError(`${model.missing}`);
  const active = await activeAction(applier, model);
  if (source.option === 'fewer-replicas') {
    return {
      action: await scale(applier, finding, model, active, key, context),
      approved: false,
    };
  }
  const gpu = model.entity.spec?.gpu as { count?: unknown } | undefined;
  const asks = Number(gpu?.count) || 1;
  // On a pool that shares its GPUs, one GPU asked for is one slice.
  const needs = source.option === 'gpu-share' ? 1 : source.gpusPerReplica;
  if (asks !== needs) {
    throw new ConflictError(
      `Its Model asks for ${asks} GPU(s) per replica (spec.gpu.count) and a move keeps that, where this option runs ${source.gpusPerReplica}: set spec.gpu.count to ${source.gpusPerReplica} and deploy it again on the pool instead`,
    );
  }
  let moved: StoredAction;
  try {
    ({ action: moved } = await applier.migrations.request(
      namespace,
      name,
      {
        pool: source.pool,
        dryRun: false,
        requestedBy: context.actor,
        reason: `recommendation ${finding.id} (${finding.title})`,
        idempotencyKey: key,
      },
      context.credentials,
      context.authorize,
    ));
  } catch (e) {
    // The caller gave only the id: a refused move is a conflict, in words.
    if (e instanceof InputError) {
      throw new ConflictError(
        `It cannot move there now: ${e.message.replace(/^pool: /, '')}`,
      );
    }
    throw e;
  }
  // A policy's proposal still planned gives way, as it does to a Scale.
  if (active) await applier.actions.cancel(active.id, context.actor);
  return {
    action: (await applier.actions.get(moved.id)) ?? moved,
    approved: false,
  };
}

/**
 * The action in flight on the model, if a person's or one not to be
 * superseded: a ConflictError naming it. A policy's proposal still
 * planned gives way (the caller cancels it in the person's name).
 */
async function activeAction(
  applier: RecommendationApplier,
  model: ResolvedModel,
): Promise<StoredAction | undefined> {
  const [active] = await applier.actions.list({
    entityRef: model.entityRef,
    states: [...ACTIVE_STATES],
    limit: 1,
  });
  if (active && !supersededByPerson(active)) {
    throw new ConflictError(
      `Another action on this model (${active.kind}) is ${active.state}; approve, cancel or wait for it first on the Model page`,
    );
  }
  return active;
}

/** Fewer replicas: a `scale` action, as the Scale button makes it. */
async function scale(
  applier: RecommendationApplier,
  finding: Finding,
  model: ResolvedModel,
  active: StoredAction | undefined,
  key: string,
  context: ApplyContext,
): Promise<StoredAction> {
  if (finding.source.type !== 'rightsizing') throw new Error('rightsizing');
  const plan = planModelAction(model.target!, {
    kind: 'scale',
    replicas: finding.source.replicas,
  });
  if (!plan.ok) throw new ConflictError(`Not now: ${plan.reason}`);
  if (active) await applier.actions.cancel(active.id, context.actor);
  const { action } = await applier.actions.request({
    idempotencyKey: key,
    kind: plan.kind,
    entityRef: model.entityRef,
    cluster: plan.cluster,
    steps: plan.steps,
    dryRun: applier.policies.dryRunOf(model.teamRef),
    requestedBy: context.actor,
    reason: `${plan.summary}: recommendation ${finding.id} (${finding.title})`,
  });
  return (await applier.actions.get(action.id)) ?? action;
}
