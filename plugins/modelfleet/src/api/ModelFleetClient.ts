import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';
import {
  ACTION_KINDS,
  ACTION_STATES,
  ActionKind,
  ActionsResponse,
  ClustersResponse,
  CostReport,
  EffectivePolicyResponse,
  FleetStatusResponse,
  GpuPoolsResponse,
  HealthResponse,
  ModelActionRequest,
  ModelActionsCapabilities,
  ModelFleetAction,
  ModelArbitrageReport,
  ModelHibernationReport,
  ModelWorkloadsResponse,
  PlacementRequestBody,
  PlacementResponse,
  ReconciliationResponse,
  UtilizationReport,
} from '@modelfleet/plugin-modelfleet-common';
import {
  ActionsQuery,
  CostAnomaliesResponse,
  CostEntityKind,
  CostEntityRef,
  CostQuery,
  MAX_ACTIONS_LIMIT,
  MAX_SCALE_REPLICAS,
  MigrationInput,
  ModelActionInput,
  ModelFleetApi,
} from './ModelFleetApi';

const MODEL_ACTIONS: ReadonlyArray<ModelActionInput['action']> = [
  'scale',
  'hibernate',
  'wake',
  'sleep',
];

const COST_KINDS: ReadonlyArray<CostEntityKind> = ['model', 'gpupool', 'group'];
const UTILIZATION_KINDS: ReadonlyArray<CostEntityKind> = ['model', 'gpupool'];
const GRANULARITIES = ['day', 'week', 'month'];

function checkDay(field: string, value: string | undefined) {
  if (value === undefined) return;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const valid =
    match &&
    new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]))
      .toISOString()
      .startsWith(value);
  if (!valid) {
    throw new InputError(
      `${field} must be a day as YYYY-MM-DD, got ${JSON.stringify(value)}`,
    );
  }
}

/** The query string of a cost query, checked before it is sent. */
function queryString(query: CostQuery = {}): string {
  checkDay('from', query.from);
  checkDay('to', query.to);
  if (query.from && query.to && query.from >= query.to) {
    throw new InputError(
      `from (${query.from}) must be before to (${query.to}), which is exclusive`,
    );
  }
  if (
    query.granularity !== undefined &&
    !GRANULARITIES.includes(query.granularity)
  ) {
    throw new InputError(
      `granularity must be one of ${GRANULARITIES.join(
        ', ',
      )}, got ${JSON.stringify(query.granularity)}`,
    );
  }
  const params = new URLSearchParams();
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (query.granularity) params.set('granularity', query.granularity);
  const text = params.toString();
  return text ? `?${text}` : '';
}

function entityPath(
  entity: CostEntityRef,
  kinds: ReadonlyArray<CostEntityKind>,
): string {
  const kind = String(entity.kind).toLocaleLowerCase('en-US');
  if (!kinds.includes(kind as CostEntityKind)) {
    throw new InputError(
      `kind must be one of ${kinds.join(', ')}, got ${JSON.stringify(
        entity.kind,
      )}`,
    );
  }
  for (const field of ['namespace', 'name'] as const) {
    if (!entity[field]) {
      throw new InputError(`${field} of the ${kind} must not be empty`);
    }
  }
  return `${kind}/${encodeURIComponent(entity.namespace)}/${encodeURIComponent(
    entity.name,
  )}`;
}

/** `<namespace>/<name>` of a model, encoded, after checking neither is empty. */
function modelPath(model: { namespace: string; name: string }): string {
  for (const field of ['namespace', 'name'] as const) {
    if (!model[field]) {
      throw new InputError(`${field} of the model must not be empty`);
    }
  }
  return `${encodeURIComponent(model.namespace)}/${encodeURIComponent(
    model.name,
  )}`;
}

function actionId(id: string): string {
  if (!id) throw new InputError('id of the action must not be empty');
  return encodeURIComponent(id);
}

/** The body of a scale, hibernate or wake request, checked before it is sent. */
function modelActionBody(input: ModelActionInput): ModelActionRequest {
  if (!MODEL_ACTIONS.includes(input.action)) {
    throw new InputError(
      `action must be one of ${MODEL_ACTIONS.join(', ')}, got ${JSON.stringify(
        input.action,
      )}`,
    );
  }
  const body: ModelActionRequest = {};
  if (input.action === 'scale') {
    const { replicas } = input;
    if (
      typeof replicas !== 'number' ||
      !Number.isInteger(replicas) ||
      replicas < 0 ||
      replicas > MAX_SCALE_REPLICAS
    ) {
      throw new InputError(
        `replicas must be a whole number from 0 to ${MAX_SCALE_REPLICAS}, got ${JSON.stringify(
          replicas,
        )}`,
      );
    }
    body.replicas = replicas;
  }
  const reason = input.reason?.trim();
  if (reason) body.reason = reason;
  return body;
}

/** The longest reason the backend takes. */
const MAX_REASON = 500;

/** What the backend takes as an `Idempotency-Key`. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,200}$/;

/** The query string of an actions query, checked before it is sent. */
function actionsParams(query: ActionsQuery): URLSearchParams {
  let kinds: ActionKind[] = [];
  if (Array.isArray(query.kind)) kinds = query.kind;
  else if (query.kind !== undefined) kinds = [query.kind];
  if (query.entityRef !== undefined ? !query.entityRef : kinds.length === 0) {
    throw new InputError(
      query.entityRef === undefined
        ? 'entityRef of the actions must be given unless kind is'
        : 'entityRef of the actions must not be empty',
    );
  }
  if (query.state !== undefined && !ACTION_STATES.includes(query.state)) {
    throw new InputError(
      `state must be one of ${ACTION_STATES.join(', ')}, got ${JSON.stringify(
        query.state,
      )}`,
    );
  }
  for (const kind of kinds) {
    if (!ACTION_KINDS.includes(kind)) {
      throw new InputError(
        `kind must be one of ${ACTION_KINDS.join(', ')}, got ${JSON.stringify(
          kind,
        )}`,
      );
    }
  }
  const { limit } = query;
  if (
    limit !== undefined &&
    (!Number.isInteger(limit) || limit < 1 || limit > MAX_ACTIONS_LIMIT)
  ) {
    throw new InputError(
      `limit must be a whole number from 1 to ${MAX_ACTIONS_LIMIT}, got ${JSON.stringify(
        limit,
      )}`,
    );
  }
  const params = new URLSearchParams();
  if (query.entityRef) params.set('entity', query.entityRef);
  if (query.state) params.set('state', query.state);
  for (const kind of kinds) params.append('kind', kind);
  if (limit !== undefined) params.set('limit', String(limit));
  return params;
}

/** The body of a move request, checked before it is sent. */
function migrationBody(input: MigrationInput): MigrationInput {
  const pool = typeof input.pool === 'string' ? input.pool.trim() : '';
  if (!pool) {
    throw new InputError(
      'pool must be a GpuPool entity ref, e.g. gpupool:default/demo-gcp-usc1.g2-l4',
    );
  }
  if (input.dryRun !== undefined && typeof input.dryRun !== 'boolean') {
    throw new InputError(
      `dryRun must be true or false, got ${JSON.stringify(input.dryRun)}`,
    );
  }
  const body: MigrationInput = { pool };
  const reason = input.reason?.trim();
  if (reason && reason.length > MAX_REASON) {
    throw new InputError(
      `reason must be at most ${MAX_REASON} characters, got ${reason.length}`,
    );
  }
  if (reason) body.reason = reason;
  if (input.dryRun !== undefined) body.dryRun = input.dryRun;
  return body;
}

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

  private async get<T>(path: string): Promise<T> {
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
}
