import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ActuatorChangeOptions,
  ActuatorError,
  ActuatorErrorCode,
  NodePoolApi,
  NodePoolRef,
  NodePoolSize,
} from '@modelfleet/plugin-modelfleet-node';

/** A simulated cluster whose node pools the demo's API manages. */
export interface DemoNodePoolCluster {
  /** Its name in `kubernetes.clusterLocatorMethods`. */
  name: string;
  /** Its API server, which serves `/_sim/pools`. */
  url: string;
  /** The bearer token of its `/_sim/` paths. */
  token: string;
}

/** Options of {@link DemoNodePoolApi}. */
export interface DemoNodePoolApiOptions {
  clusters: DemoNodePoolCluster[];
  logger: LoggerService;
  /** How long a call may take; 10 s by default. */
  timeoutMs?: number;
}

/** A pool in messages: `cluster <cluster>, node pool <pool>`. */
const describePool = (ref: NodePoolRef) =>
  `cluster ${ref.cluster}, node pool ${ref.pool}`;

/** A pool as `/_sim/pools` tells it. */
interface SimPool {
  name: string;
  min: number;
  max: number;
  nodes: number;
  provisioning: number;
}

/**
 * The error code of a cloud's answer (HTTP status), as the node-pool API
 * contract has them: 404 not found, 401/403, 409 conflict, 429 and 5xx
 * unavailable, 400/422 invalid (pure).
 */
export function nodePoolErrorCode(status: number): ActuatorErrorCode {
  if (status === 404) return 'notFound';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 409) return 'conflict';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429 || status >= 500) return 'unavailable';
  return 'invalid';
}

/** The size a node-pool API reports of a simulated pool: its launches count as desired. */
export function sizeOfSimPool(pool: SimPool): NodePoolSize {
  return {
    min: pool.min,
    max: pool.max,
    desired: pool.nodes + pool.provisioning,
  };
}

/**
 * What is wrong with a minimum for a pool of `size` (pure): not an
 * integer, negative, or above the pool's maximum; undefined when it fits.
 */
export function minimumProblem(
  min: number,
  size?: NodePoolSize,
): string | undefined {
  if (typeof min !== 'number' || !Number.isInteger(min)) {
    return `the minimum ${min} is not a whole number of nodes`;
  }
  if (min < 0) return `the minimum ${min} is negative`;
  if (size && min > size.max) {
    return `the minimum ${min} is above the pool's maximum, ${size.max}`;
  }
  return undefined;
}

/**
 * The demo's node-pool API: the simulated clouds' pool sizes, as the
 * simulated clusters serve them (`GET /_sim/pools`, `PATCH
 * /_sim/pools/<pool>` `{min}` on each cluster's API server, whether the
 * module runs the simulator or `yarn sim` does). It stands in for EKS,
 * GKE and AKS node-pool APIs, as the demo's bills stand in for the
 * clouds' billing: applying an empty-capacity recommendation lowers a
 * simulated pool's minimum, and its provisioner (the cluster autoscaler)
 * then removes the idle nodes after its scale-down time.
 *
 * @public
 */
export class DemoNodePoolApi implements NodePoolApi {
  readonly id = 'demo';
  private readonly clusters: Map<string, DemoNodePoolCluster>;
  private readonly timeoutMs: number;

  constructor(private readonly options: DemoNodePoolApiOptions) {
    this.clusters = new Map(options.clusters.map(c => [c.name, c]));
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async listClusters(): Promise<string[]> {
    return [...this.clusters.keys()];
  }

  async size(ref: NodePoolRef): Promise<NodePoolSize> {
    return sizeOfSimPool(await this.get(ref));
  }

  async setMinimum(
    ref: NodePoolRef,
    min: number,
    options: ActuatorChangeOptions = {},
  ): Promise<{ previous: NodePoolSize }> {
    const what = describePool(ref);
    const early = minimumProblem(min);
    if (early) throw new ActuatorError('invalid', `${what}: ${early}`, false);
    const previous = sizeOfSimPool(await this.get(ref));
    const problem = minimumProblem(min, previous);
    if (problem) {
      throw new ActuatorError('invalid', `${what}: ${problem}`, false);
    }
    const change = `node pool ${ref.pool}: minimum ${previous.min} → ${min} (maximum ${previous.max})`;
    if (previous.min === min) return { previous };
    if (options.dryRun) {
      this.logChange(ref.cluster, change, options);
      return { previous };
    }
    await this.call<SimPool>(ref, 'PATCH', { min });
    this.logChange(ref.cluster, change, options);
    return { previous };
  }

  private get(ref: NodePoolRef): Promise<SimPool> {
    return this.call<SimPool>(ref, 'GET');
  }

  /** One call of `/_sim/pools/<pool>`, its errors as `ActuatorError`s. */
  private async call<T>(
    ref: NodePoolRef,
    method: 'GET' | 'PATCH',
    body?: unknown,
  ): Promise<T> {
    const cluster = this.clusters.get(ref.cluster);
    const what = describePool(ref);
    if (!cluster) {
      throw new ActuatorError(
        'unknownCluster',
        `the demo node-pool API has no cluster '${
          ref.cluster
        }'; its clusters are: ${[...this.clusters.keys()].join(', ')}`,
        false,
      );
    }
    let res: Response;
    try {
      res = await fetch(
        `${cluster.url}/_sim/pools/${encodeURIComponent(ref.pool)}`,
        {
          method,
          headers: {
            authorization: `Bearer ${cluster.token}`,
            ...(body !== undefined
              ? { 'content-type': 'application/json' }
              : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(this.timeoutMs),
        },
      );
    } catch (error) {
      // A DOMException, which need not be an Error of this realm.
      const name = (error as { name?: unknown } | undefined)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      throw new ActuatorError(
        timedOut ? 'timeout' : 'unavailable',
        `${what}: ${
          timedOut
            ? `no answer from ${cluster.url} within ${this.timeoutMs} ms`
            : `${cluster.url} cannot be reached: ${causeOf(error)}`
        }`,
      );
    }
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const message =
        typeof json?.message === 'string'
          ? json.message
          : text.trim() || res.statusText;
      const code = nodePoolErrorCode(res.status);
      throw new ActuatorError(
        code,
        `${what}: ${message}`,
        ['conflict', 'unavailable', 'timeout'].includes(code),
        res.status,
      );
    }
    return json as T;
  }

  private logChange(
    cluster: string,
    change: string,
    options: ActuatorChangeOptions,
  ): void {
    const step = options.actionStep
      ? ` (action step ${options.actionStep})`
      : '';
    const message = `${cluster}: ${change}${step}`;
    if (options.dryRun) this.options.logger.debug(`${message}, dry run`);
    else this.options.logger.info(message);
  }
}

/** The cause of a failed fetch (undici's `fetch failed` hides it). */
function causeOf(error: unknown): string {
  const e = error as { message?: unknown; cause?: { message?: unknown } };
  const message = e?.cause?.message ?? e?.message;
  return typeof message === 'string' ? message : String(error);
}
