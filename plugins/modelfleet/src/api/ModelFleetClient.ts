import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';
import {
  ActionsResponse,
  ClustersResponse,
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
  ReconciliationResponse,
  SavingsLedgerResponse,
  UtilizationReport,
} from '@modelfleet/plugin-modelfleet-common';
import {
  ActionsQuery,
  CostAnomaliesResponse,
  CostEntityRef,
  CostQuery,
  MigrationInput,
  ModelActionInput,
  ModelFleetApi,
  RecommendationSnooze,
  RecommendationsQuery,
  SavingsQuery,
} from './ModelFleetApi';

import {
  COST_KINDS,
  UTILIZATION_KINDS,
  queryString,
  entityPath,
  modelPath,
  actionId,
  modelActionBody,
  IDEMPOTENCY_KEY,
  actionsParams,
  migrationBody,
  recommendationId,
  recommendationsParams,
  savingsParams,
  snoozeBody,
} from './requests';

/**
 * {@link ModelFleetApi} over the backend's REST API.
 *
 * @public
 */
export class ModelFleetClient implements ModelFleetApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /**
   * GETs in flight by path: cards that ask for the same report at the same
   * time (the Model page's "where it could run" and spot cards both read
   * its what-if) share one request. Nothing is kept once it is answered.
   */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  private get<T>(path: string): Promise<T> {
    const pending = this.inFlight.get(path);
    if (pending) return pending as Promise<T>;
    const request = this.fetchJson<T>(path).finally(() =>
      this.inFlight.delete(path),
    );
    this.inFlight.set(path, request);
    return request;
  }

  private async fetchJson<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('modelfleet');
    const res = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }

  /** A POST, with a JSON body when one is given, and any extra headers. */
  private async post<T>(
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('modelfleet');
    const res = await this.fetchApi.fetch(
      `${baseUrl}${path}`,
      body === undefined
        ? { method: 'POST' }
        : {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', ...headers },
            body: JSON.stringify(body),
          },
    );
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }

  getHealth(): Promise<HealthResponse> {
    return this.get('/health');
  }

  getStatus(): Promise<FleetStatusResponse> {
    return this.get('/status');
  }

  getClusters(): Promise<ClustersResponse> {
    return this.get('/clusters');
  }

  getPools(): Promise<GpuPoolsResponse> {
    return this.get('/pools');
  }

  getWorkloads(): Promise<ModelWorkloadsResponse> {
    return this.get('/workloads');
  }

  getEffectivePolicy(team?: string): Promise<EffectivePolicyResponse> {
    const query = team ? `?team=${encodeURIComponent(team)}` : '';
    return this.get(`/policies/effective${query}`);
  }

  async getFleetCost(query?: CostQuery): Promise<CostReport> {
    return this.get(`/cost/fleet${queryString(query)}`);
  }

  async getEntityCost(
    entity: CostEntityRef,
    query?: CostQuery,
  ): Promise<CostReport> {
    const path = entityPath(entity, COST_KINDS);
    return this.get(`/cost/entity/${path}${queryString(query)}`);
  }

  async getFleetUtilization(query?: CostQuery): Promise<UtilizationReport> {
    return this.get(`/utilization/fleet${queryString(query)}`);
  }

  async getEntityUtilization(
    entity: CostEntityRef<'model' | 'gpupool'>,
    query?: CostQuery,
  ): Promise<UtilizationReport> {
    const path = entityPath(entity, UTILIZATION_KINDS);
    return this.get(`/utilization/entity/${path}${queryString(query)}`);
  }

  async getCostAnomalies(
    query?: Pick<CostQuery, 'from' | 'to'>,
  ): Promise<CostAnomaliesResponse> {
    return this.get(
      `/cost/anomalies${queryString({ from: query?.from, to: query?.to })}`,
    );
  }

  async getBillReconciliation(
    query?: Pick<CostQuery, 'from' | 'to'>,
  ): Promise<ReconciliationResponse> {
    return this.get(
      `/bills/reconciliation${queryString({
        from: query?.from,
        to: query?.to,
      })}`,
    );
  }

  async placement(body: PlacementRequestBody): Promise<PlacementResponse> {
    return this.post('/placement', body);
  }

  async listActions(query: ActionsQuery): Promise<ActionsResponse> {
    return this.get(`/actions?${actionsParams(query)}`);
  }

  async approveAction(id: string): Promise<ModelFleetAction> {
    return this.post(`/actions/${actionId(id)}/approve`);
  }

  async cancelAction(id: string): Promise<ModelFleetAction> {
    return this.post(`/actions/${actionId(id)}/cancel`);
  }

  async getModelCapabilities(model: {
    namespace: string;
    name: string;
  }): Promise<ModelActionsCapabilities> {
    return this.get(`/models/${modelPath(model)}/capabilities`);
  }

  async requestModelAction(input: ModelActionInput): Promise<ModelFleetAction> {
    const path = modelPath(input);
    const body = modelActionBody(input);
    return this.post(`/models/${path}/${input.action}`, body);
  }

  async requestMigration(
    model: { namespace: string; name: string },
    input: MigrationInput,
    idempotencyKey?: string,
  ): Promise<ModelFleetAction> {
    const path = modelPath(model);
    const body = migrationBody(input);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new InputError(
        'idempotencyKey must be 1 to 200 letters, digits, or . _ : -',
      );
    }
    return this.post(
      `/models/${path}/migrations`,
      body,
      idempotencyKey !== undefined
        ? { 'Idempotency-Key': idempotencyKey }
        : undefined,
    );
  }

  async getModelHibernation(
    model: { namespace: string; name: string },
    query?: Pick<CostQuery, 'from' | 'to'>,
  ): Promise<ModelHibernationReport> {
    const path = modelPath(model);
    const params = queryString({ from: query?.from, to: query?.to });
    return this.get(`/models/${path}/hibernation${params}`);
  }

  async getModelArbitrage(model: {
    namespace: string;
    name: string;
  }): Promise<ModelArbitrageReport> {
    return this.get(`/models/${modelPath(model)}/arbitrage`);
  }

  async listRecommendations(
    query?: RecommendationsQuery,
  ): Promise<RecommendationsResponse> {
    return this.get(`/recommendations${recommendationsParams(query)}`);
  }

  async dismissRecommendation(id: string): Promise<Recommendation> {
    return this.post(`/recommendations/${recommendationId(id)}/dismiss`);
  }

  async snoozeRecommendation(
    id: string,
    snooze: RecommendationSnooze,
  ): Promise<Recommendation> {
    const path = `/recommendations/${recommendationId(id)}/snooze`;
    return this.post(path, snoozeBody(snooze));
  }

  async restoreRecommendation(id: string): Promise<Recommendation> {
    return this.post(`/recommendations/${recommendationId(id)}/restore`);
  }

  async applyRecommendation(id: string): Promise<RecommendationApplyResponse> {
    return this.post(`/recommendations/${recommendationId(id)}/apply`);
  }

  async getSavings(query?: SavingsQuery): Promise<SavingsLedgerResponse> {
    return this.get(`/savings${savingsParams(query)}`);
  }
}
