import { createApiRef } from '@backstage/core-plugin-api';
import {
  ActionKind,
  ActionsResponse,
  ActionState,
  ClustersResponse,
  CostAnomaly,
  CostGranularity,
  CostReport,
  EffectivePolicyResponse,
  FleetStatusResponse,
  GpuPoolsResponse,
  HealthResponse,
  ModelActionsCapabilities,
  ModelFleetAction,
  ModelArbitrageReport,
  ModelHibernationReport,
  ModelWorkloadsResponse,
  PlacementRequestBody,
  PlacementResponse,
  Recommendation,
  RecommendationApplyResponse,
  RecommendationsResponse,
  RecommendationState,
  ReconciliationResponse,
  SavingsLedgerResponse,
  UtilizationReport,
} from '@modelfleet/plugin-modelfleet-common';

/**
 * The period and bucket size of a cost or utilization query. Every field is
 * optional: the backend defaults to the last 30 days up to and including
 * today, by day.
 *
 * @public
 */
export interface CostQuery {
  /** First day, `YYYY-MM-DD` (UTC), inclusive. */
  from?: string;
  /** Day after the last, `YYYY-MM-DD` (UTC), exclusive. */
  to?: string;
  granularity?: CostGranularity;
}

/**
 * The catalog kinds the cost routes know, lowercase as in the REST paths.
 *
 * @public
 */
export type CostEntityKind = 'model' | 'gpupool' | 'group';

/**
 * A catalog entity whose cost or utilization is read: kind (lowercase),
 * namespace and name.
 *
 * @public
 */
export interface CostEntityRef<K extends CostEntityKind = CostEntityKind> {
  kind: K;
  namespace: string;
  name: string;
}

/**
 * Body of `GET /api/modelfleet/cost/anomalies`.
 *
 * @public
 */
export interface CostAnomaliesResponse {
  items: CostAnomaly[];
}

/**
 * Which actions to list (`GET /actions`): those of one Model entity, or of
 * one or more kinds across the models the caller may apply recommendations
 * to (at least one of `entityRef` and `kind`), optionally in one state, at
 * most `limit` of them (1 to {@link MAX_ACTIONS_LIMIT}; the backend's
 * default is 50).
 *
 * @public
 */
export interface ActionsQuery {
  /** The Model entity, e.g. `model:default/chat-assistant`. */
  entityRef?: string;
  state?: ActionState;
  kind?: ActionKind | ActionKind[];
  limit?: number;
}

/**
 * The most actions one `GET /actions` returns.
 *
 * @public
 */
export const MAX_ACTIONS_LIMIT = 200;

/**
 * A request to move a model to another pool
 * (`POST /models/:namespace/:name/migrations`).
 *
 * @public
 */
export interface MigrationInput {
  /** The GpuPool entity ref, e.g. `gpupool:default/demo-gcp-usc1.g2-l4`. */
  pool: string;
  /** Why, in words (at most 500 characters). */
  reason?: string;
  /** Stop at planned, waiting for someone to approve it. */
  dryRun?: boolean;
}

/**
 * The most replicas the Model page's Scale dialog (and the client) accepts.
 *
 * @public
 */
export const MAX_SCALE_REPLICAS = 64;

/**
 * What a person asks of a model from its page
 * (`POST /models/:namespace/:name/{scale,hibernate,wake}`). `replicas` is
 * required for `scale` (0 to {@link MAX_SCALE_REPLICAS}) and not sent
 * otherwise.
 *
 * @public
 */
export interface ModelActionInput {
  namespace: string;
  name: string;
  action: 'scale' | 'hibernate' | 'wake' | 'sleep';
  replicas?: number;
  reason?: string;
}

/**
 * Which recommendations to list (`GET /recommendations`): those of one
 * Model or GpuPool entity, or of one team (a Group ref), in some states
 * (the backend lists only `open` ones by default).
 *
 * @public
 */
export interface RecommendationsQuery {
  /** A Model or GpuPool entity, e.g. `model:default/search-reranker`. */
  entity?: string;
  /** A Group, e.g. `group:default/search-team`. */
  team?: string;
  state?: RecommendationState | RecommendationState[];
}

/**
 * How long to snooze a recommendation: whole days from now (1 to
 * {@link MAX_SNOOZE_DAYS}) or until a time (ISO 8601, in the future).
 *
 * @public
 */
export type RecommendationSnooze = { days: number } | { until: string };

/**
 * The longest snooze the backend takes, in days.
 *
 * @public
 */
export const MAX_SNOOZE_DAYS = 365;

/**
 * Which part of the savings ledger to read (`GET /savings`): whole UTC days
 * from `from` to `to`, both inclusive (`YYYY-MM-DD`, at most
 * {@link MAX_SAVINGS_DAYS} of them), of one team (a Group ref) or one Model
 * entity. Without dates the backend reads from the first day of the month
 * two months ago through today; without `team` or `entity`, every model the
 * caller may see the costs of.
 *
 * @public
 */
export interface SavingsQuery {
  from?: string;
  to?: string;
  /** A Group, e.g. `group:default/search-team`. */
  team?: string;
  /** A Model entity, e.g. `model:default/search-reranker`. */
  entity?: string;
}

/**
 * The most days one `GET /savings` covers.
 *
 * @public
 */
export const MAX_SAVINGS_DAYS = 400;

/**
 * The ModelFleet backend, as the frontend sees it.
 *
 * @public
 */
export interface ModelFleetApi {
  getHealth(): Promise<HealthResponse>;
  getStatus(): Promise<FleetStatusResponse>;
  getClusters(): Promise<ClustersResponse>;
  getPools(): Promise<GpuPoolsResponse>;
  getWorkloads(): Promise<ModelWorkloadsResponse>;
  /** The policy in force for a team (Group name or ref), or the defaults. */
  getEffectivePolicy(team?: string): Promise<EffectivePolicyResponse>;
  /** Cost of the whole fleet (`GET /cost/fleet`). */
  getFleetCost(query?: CostQuery): Promise<CostReport>;
  /** Cost of one Model, GpuPool or Group (`GET /cost/entity/:kind/:namespace/:name`). */
  getEntityCost(entity: CostEntityRef, query?: CostQuery): Promise<CostReport>;
  /** GPU utilization of the whole fleet (`GET /utilization/fleet`). */
  getFleetUtilization(query?: CostQuery): Promise<UtilizationReport>;
  /** GPU utilization of one Model or GpuPool (`GET /utilization/entity/:kind/:namespace/:name`). */
  getEntityUtilization(
    entity: CostEntityRef<'model' | 'gpupool'>,
    query?: CostQuery,
  ): Promise<UtilizationReport>;
  /** Days whose cost was far from its baseline (`GET /cost/anomalies`); only `from` and `to` apply. */
  getCostAnomalies(
    query?: Pick<CostQuery, 'from' | 'to'>,
  ): Promise<CostAnomaliesResponse>;
  /** Bills compared with showback (`GET /bills/reconciliation`); only `from` and `to` apply. */
  getBillReconciliation(
    query?: Pick<CostQuery, 'from' | 'to'>,
  ): Promise<ReconciliationResponse>;
  /**
   * The GPU pools that fit a model, ranked by monthly cost, with the owner
   * team's policy applied (`POST /placement`).
   */
  placement(body: PlacementRequestBody): Promise<PlacementResponse>;
  /**
   * The actions of a model, or of some kinds across the caller's models,
   * newest first, with steps, events and diff (`GET /actions`).
   */
  listActions(query: ActionsQuery): Promise<ActionsResponse>;
  /** Approve a planned dry-run action (`POST /actions/:id/approve`). */
  approveAction(id: string): Promise<ModelFleetAction>;
  /** Cancel a planned action (`POST /actions/:id/cancel`). */
  cancelAction(id: string): Promise<ModelFleetAction>;
  /**
   * What the caller may do with a model, its workload, autoscaler and
   * replicas (`GET /models/:namespace/:name/capabilities`).
   */
  getModelCapabilities(model: {
    namespace: string;
    name: string;
  }): Promise<ModelActionsCapabilities>;
  /**
   * Scale, hibernate or wake a model. Returns the created action, or the
   * one already in flight for the same request.
   */
  requestModelAction(input: ModelActionInput): Promise<ModelFleetAction>;
  /**
   * Move a model to another pool, make-before-break, as a `migrate` action
   * (`POST /models/:namespace/:name/migrations`). The same
   * `idempotencyKey` again answers the action it made.
   */
  requestMigration(
    model: { namespace: string; name: string },
    input: MigrationInput,
    idempotencyKey?: string,
  ): Promise<ModelFleetAction>;
  /**
   * A model's hibernation over a period: its state, the keep-alive in use
   * and why, its wakes and cold starts, the next change and what being at
   * zero saved (`GET /models/:namespace/:name/hibernation`). Only `from`
   * and `to` apply, as in the cost queries; without them the backend's
   * default period (the last 30 days) applies.
   */
  getModelHibernation(
    model: { namespace: string; name: string },
    query?: Pick<CostQuery, 'from' | 'to'>,
  ): Promise<ModelHibernationReport>;
  /**
   * What a model would cost on each pool it may run on now, what moving
   * there costs once, and the best move under its team's arbitrage policy
   * (`GET /models/:namespace/:name/arbitrage`).
   */
  getModelArbitrage(model: {
    namespace: string;
    name: string;
  }): Promise<ModelArbitrageReport>;
  /**
   * What would save money, as the caller sees it, sorted by monthly saving
   * (`GET /recommendations`).
   */
  listRecommendations(
    query?: RecommendationsQuery,
  ): Promise<RecommendationsResponse>;
  /** Hide a recommendation for the caller (`POST /recommendations/:id/dismiss`): the caller's view of it after. */
  dismissRecommendation(id: string): Promise<Recommendation>;
  /** Hide a recommendation for the caller for a while (`POST /recommendations/:id/snooze`). */
  snoozeRecommendation(
    id: string,
    snooze: RecommendationSnooze,
  ): Promise<Recommendation>;
  /** Show a dismissed or snoozed recommendation again (`POST /recommendations/:id/restore`). */
  restoreRecommendation(id: string): Promise<Recommendation>;
  /**
   * Apply a recommendation through the action path
   * (`POST /recommendations/:id/apply`): the action it became. A 409 says
   * why it cannot be applied.
   */
  applyRecommendation(id: string): Promise<RecommendationApplyResponse>;
  /**
   * What applied actions and hibernation saved over whole days, against
   * what the models would have cost without them (`GET /savings`).
   */
  getSavings(query?: SavingsQuery): Promise<SavingsLedgerResponse>;
}

/**
 * ApiRef of {@link ModelFleetApi}.
 *
 * @public
 */
export const modelfleetApiRef = createApiRef<ModelFleetApi>({
  id: 'plugin.modelfleet.service',
});
