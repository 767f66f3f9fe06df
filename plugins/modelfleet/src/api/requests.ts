/* The checks and the paths, queries and bodies of the client's requests. */
import { InputError } from '@backstage/errors';
import {
  ACTION_KINDS,
  ACTION_STATES,
  ActionKind,
  ModelActionRequest,
  RECOMMENDATION_STATES,
  RecommendationState,
} from '@modelfleet/plugin-modelfleet-common';
import {
  ActionsQuery,
  CostEntityKind,
  CostEntityRef,
  CostQuery,
  MAX_ACTIONS_LIMIT,
  MAX_SCALE_REPLICAS,
  MAX_SNOOZE_DAYS,
  MigrationInput,
  ModelActionInput,
  RecommendationSnooze,
  RecommendationsQuery,
  MAX_SAVINGS_DAYS,
  SavingsQuery,
} from './ModelFleetApi';

export const MODEL_ACTIONS: ReadonlyArray<ModelActionInput['action']> = [
  'scale',
  'hibernate',
  'wake',
  'sleep',
];

export const COST_KINDS: ReadonlyArray<CostEntityKind> = [
  'model',
  'gpupool',
  'group',
];
export const UTILIZATION_KINDS: ReadonlyArray<CostEntityKind> = [
  'model',
  'gpupool',
];
export const GRANULARITIES = ['day', 'week', 'month'];

export function checkDay(field: string, value: string | undefined) {
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
export function queryString(query: CostQuery = {}): string {
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

export function entityPath(
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
export function modelPath(model: { namespace: string; name: string }): string {
  for (const field of ['namespace', 'name'] as const) {
    if (!model[field]) {
      throw new InputError(`${field} of the model must not be empty`);
    }
  }
  return `${encodeURIComponent(model.namespace)}/${encodeURIComponent(
    model.name,
  )}`;
}

export function actionId(id: string): string {
  if (!id) throw new InputError('id of the action must not be empty');
  return encodeURIComponent(id);
}

/** The body of a scale, hibernate or wake request, checked before it is sent. */
export function modelActionBody(input: ModelActionInput): ModelActionRequest {
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
export const MAX_REASON = 500;

/** What the backend takes as an `Idempotency-Key`. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,200}$/;

/** The query string of an actions query, checked before it is sent. */
export function actionsParams(query: ActionsQuery): URLSearchParams {
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
export function migrationBody(input: MigrationInput): MigrationInput {
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

/** The query string of a recommendations query, checked before it is sent. */
export function recommendationsParams(
  query: RecommendationsQuery = {},
): string {
  for (const field of ['entity', 'team'] as const) {
    const value = query[field];
    if (value !== undefined && (typeof value !== 'string' || !value.trim())) {
      throw new InputError(
        `${field} of the recommendations must be an entity ref, got ${JSON.stringify(
          value,
        )}`,
      );
    }
  }
  let states: RecommendationState[] = [];
  if (Array.isArray(query.state)) states = query.state;
  else if (query.state !== undefined) states = [query.state];
  for (const state of states) {
    if (!RECOMMENDATION_STATES.includes(state)) {
      throw new InputError(
        `state must be one of ${RECOMMENDATION_STATES.join(
          ', ',
        )}, got ${JSON.stringify(state)}`,
      );
    }
  }
  const params = new URLSearchParams();
  if (query.entity) params.set('entity', query.entity.trim());
  if (query.team) params.set('team', query.team.trim());
  if (states.length) params.set('state', states.join(','));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function recommendationId(id: string): string {
  if (!id) throw new InputError('id of the recommendation must not be empty');
  return encodeURIComponent(id);
}

/** The body of a snooze request, checked before it is sent. */
export function snoozeBody(snooze: RecommendationSnooze): RecommendationSnooze {
  if ('days' in snooze) {
    const { days } = snooze;
    if (!Number.isInteger(days) || days < 1 || days > MAX_SNOOZE_DAYS) {
      throw new InputError(
        `days must be a whole number from 1 to ${MAX_SNOOZE_DAYS}, got ${JSON.stringify(
          days,
        )}`,
      );
    }
    return { days };
  }
  const until = (snooze as { until?: unknown }).until;
  if (typeof until !== 'string' || !Number.isFinite(Date.parse(until))) {
    throw new InputError(
      `until must be an ISO 8601 time, got ${JSON.stringify(until)}`,
    );
  }
  return { until };
}

/** The query string of a savings query, checked before it is sent. */
export function savingsParams(query: SavingsQuery = {}): string {
  checkDay('from', query.from);
  checkDay('to', query.to);
  if (query.from && query.to) {
    const days =
      (Date.parse(`${query.to}T00:00:00Z`) -
        Date.parse(`${query.from}T00:00:00Z`)) /
        86_400_000 +
      1;
    if (days < 1) {
      throw new InputError(
        `from (${query.from}) must not be after to (${query.to}), which is inclusive`,
      );
    }
    if (days > MAX_SAVINGS_DAYS) {
      throw new InputError(
        `to must be within ${MAX_SAVINGS_DAYS} days of from, both inclusive, got ${days} days`,
      );
    }
  }
  for (const field of ['team', 'entity'] as const) {
    const value = query[field];
    if (value !== undefined && (typeof value !== 'string' || !value.trim())) {
      throw new InputError(
        `${field} of the savings must be an entity ref, got ${JSON.stringify(
          value,
        )}`,
      );
    }
  }
  const params = new URLSearchParams();
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (query.team) params.set('team', query.team.trim());
  if (query.entity) params.set('entity', query.entity.trim());
  const text = params.toString();
  return text ? `?${text}` : '';
}
