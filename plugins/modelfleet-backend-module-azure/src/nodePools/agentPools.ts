import type { AgentPool } from '@azure/arm-containerservice';
import {
  ActuatorError,
  NodePoolSize,
} from '@modelfleet/plugin-modelfleet-node';

/**
 * The Azure tag a changed agent pool carries: the action step that set its
 * minimum last (`<idempotency key>#<step index>`), like the
 * `modelfleet.io/action-step` annotation of Kubernetes objects (Azure tag
 * names cannot hold `/`).
 *
 * @public
 */
export const AKS_ACTION_STEP_TAG = 'modelfleet.io-action-step';

/** AKS agent pool names: a lowercase letter, then lowercase letters and digits, 12 at most. */
const POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;

/** Where an agent pool is, for messages: `<cluster>: agent pool <pool>`. */
export function poolLabel(cluster: string, pool: string): string {
  return `${cluster}: agent pool ${pool}`;
}

/** Throws `invalid` for a name AKS cannot have, before it reaches a URL. */
export function checkPoolName(cluster: string, pool: string): void {
  if (!POOL_NAME.test(pool)) {
    throw new ActuatorError(
      'invalid',
      `${poolLabel(
        cluster,
        pool,
      )}: is not an AKS agent pool name (a lowercase letter, then lowercase letters and digits, 12 at most)`,
      false,
    );
  }
}

/**
 * The size bounds of an agent pool as ARM returned it. A pool without the
 * cluster autoscaler has no minimum: `invalid`, saying how to resize it.
 */
export function agentPoolSize(
  cluster: string,
  aksCluster: string,
  pool: string,
  agentPool: AgentPool,
): NodePoolSize {
  const at = poolLabel(cluster, pool);
  if (!agentPool.enableAutoScaling) {
    throw new ActuatorError(
      'invalid',
      `${cluster}: autoscaling is off for agent pool ${pool} of AKS cluster ${aksCluster}: a fixed-size pool has no minimum to lower; scale it with az aks nodepool scale`,
      false,
    );
  }
  const { minCount, maxCount, count } = agentPool;
  if (typeof minCount !== 'number' || typeof maxCount !== 'number') {
    throw new ActuatorError(
      'invalid',
      `${at}: AKS gives autoscaling on but no ${
        typeof minCount !== 'number' ? 'minCount' : 'maxCount'
      }`,
      false,
    );
  }
  return {
    min: minCount,
    max: maxCount,
    ...(typeof count === 'number' ? { desired: count } : {}),
  };
}

/**
 * Checks a new minimum against the pool as read: a whole number from 0
 * (1 for a `System` pool, which AKS keeps at least one node of) up to the
 * pool's maximum.
 */
export function checkMinimum(
  cluster: string,
  pool: string,
  min: number,
  size: NodePoolSize,
  mode?: string,
): void {
  const at = poolLabel(cluster, pool);
  const invalid = (why: string) =>
    new ActuatorError('invalid', `${at}: ${why}`, false);
  if (!Number.isInteger(min) || min < 0) {
    throw invalid(`minimum ${min} is not a whole number of nodes from 0`);
  }
  if (min > size.max) {
    throw invalid(`minimum ${min} is above the pool's maximum ${size.max}`);
  }
  if (mode === 'System' && min < 1) {
    throw invalid(
      'a System agent pool keeps at least 1 node; its minimum cannot be 0',
    );
  }
}

/**
 * The agent pool to PUT: the pool as read with `minCount` set, `count`
 * raised to the minimum only if below it (AKS requires minCount ≤ count),
 * and, given an action step, the {@link AKS_ACTION_STEP_TAG} tag.
 * Everything else is sent as read.
 */
export function withMinimum(
  agentPool: AgentPool,
  min: number,
  actionStep?: string,
): AgentPool {
  const count =
    typeof agentPool.count === 'number' && agentPool.count < min
      ? min
      : agentPool.count;
  return {
    ...agentPool,
    minCount: min,
    count,
    ...(actionStep
      ? { tags: { ...agentPool.tags, [AKS_ACTION_STEP_TAG]: actionStep } }
      : {}),
  };
}

/** Node.js codes of connection errors that are worth retrying. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'REQUEST_SEND_ERROR',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/**
 * An error of the ARM client (a `RestError` with the HTTP status and ARM's
 * `error.code`/`error.message`, or a connection error) as an
 * `ActuatorError` prefixed with `at`.
 */
export function armError(e: unknown, at: string): ActuatorError {
  if (e instanceof ActuatorError) return e;
  const err = e as {
    statusCode?: number;
    code?: string;
    message?: string;
    name?: string;
  };
  const status = err.statusCode;
  const message = `${at}: ${[status ? `HTTP ${status}` : undefined, err.code]
    .filter(Boolean)
    .join(' ')}${status || err.code ? ': ' : ''}${err.message ?? String(e)}`;
  const make = (code: ConstructorParameters<typeof ActuatorError>[0]) =>
    new ActuatorError(code, message, undefined, status);
  if (status === 404) return make('notFound');
  if (status === 401) return make('unauthorized');
  if (status === 403) return make('forbidden');
  if (status === 409 || status === 412) return make('conflict');
  if (status === 408) return make('timeout');
  if (status === 429 || (status !== undefined && status >= 500)) {
    return make('unavailable');
  }
  if (status === 400 || status === 422) return make('invalid');
  if (status !== undefined) {
    return new ActuatorError('invalid', message, false, status);
  }
  if (err.name === 'AbortError' || TIMEOUT_CODES.has(err.code ?? '')) {
    return make('timeout');
  }
  if (CONNECTION_CODES.has(err.code ?? '')) return make('unavailable');
  // Neither an HTTP answer nor a known network error: fail the step.
  return new ActuatorError('invalid', message, false);
}
