import type { protos } from '@google-cloud/container';
import {
  ActuatorError,
  ActuatorErrorCode,
  NodePoolRef,
  NodePoolSize,
} from '@modelfleet/plugin-modelfleet-node';
import { describeGoogleError } from '../googleErrors';

type INodePool = protos.google.container.v1.INodePool;
type IAutoscaling = protos.google.container.v1.INodePoolAutoscaling;
type IOperation = protos.google.container.v1.IOperation;

/**
 * Where a ModelFleet cluster runs on GKE: the project, the location (a
 * region for a regional cluster, a zone for a zonal one) and the GKE
 * cluster's own name.
 *
 * @public
 */
export interface GkeClusterRef {
  project: string;
  location: string;
  gkeCluster: string;
}

/** How errors and log lines name a pool: `<cluster>: node pool <pool>`. */
export function poolLabel(ref: NodePoolRef): string {
  return `${ref.cluster}: node pool ${ref.pool}`;
}

/** `projects/{p}/locations/{l}/clusters/{c}/nodePools/{pool}`. */
export function nodePoolName(cluster: GkeClusterRef, pool: string): string {
  return `projects/${cluster.project}/locations/${cluster.location}/clusters/${cluster.gkeCluster}/nodePools/${pool}`;
}

/** The full name of an operation GKE returned by its short name. */
export function operationName(cluster: GkeClusterRef, op: string): string {
  if (op.startsWith('projects/')) return op;
  return `projects/${cluster.project}/locations/${cluster.location}/operations/${op}`;
}

/**
 * A pool's autoscaling limits as ModelFleet counts them: always in nodes of
 * the whole pool. `form` says how the pool holds them: `total` limits
 * (`totalMinNodeCount`/`totalMaxNodeCount`), or `perZone` limits
 * (`minNodeCount`/`maxNodeCount`) that apply in each of its `zones`.
 */
export interface GkePoolLimits extends NodePoolSize {
  form: 'total' | 'perZone';
  zones: number;
}

const ZONE = /^[a-z]+(?:-[a-z]+)+\d+-[a-z]$/;

/**
 * The limits of a pool as GKE returned it. A pool uses total limits when
 * either total field is set (they exclude the per-zone ones); otherwise the
 * per-zone limits are multiplied by the pool's zone count (`locations`, or
 * 1 for a pool of a zonal cluster that lists none). `desired` is left out:
 * GKE's `initialNodeCount` is the size at creation, not the live count.
 * Throws `invalid` for a pool whose autoscaling is off.
 */
export function poolLimits(
  pool: INodePool,
  ref: NodePoolRef,
  location: string,
): GkePoolLimits {
  const a = pool.autoscaling;
  if (!a?.enabled) {
    throw new ActuatorError(
      'invalid',
      `${ref.cluster}: autoscaling is off for node pool ${ref.pool}: a fixed-size pool has no minimum to lower; resize it with gcloud container clusters resize`,
      false,
    );
  }
  if (a.totalMinNodeCount || a.totalMaxNodeCount) {
    return {
      form: 'total',
      zones: pool.locations?.length || 1,
      min: a.totalMinNodeCount ?? 0,
      max: a.totalMaxNodeCount ?? 0,
    };
  }
  let zones = pool.locations?.length ?? 0;
  if (zones === 0) {
    if (!ZONE.test(location)) {
      throw new ActuatorError(
        'invalid',
        `${poolLabel(
          ref,
        )}: GKE lists no zones (locations) for the node pool, so its per-zone limits cannot be counted for the whole pool`,
        false,
      );
    }
    zones = 1;
  }
  return {
    form: 'perZone',
    zones,
    min: (a.minNodeCount ?? 0) * zones,
    max: (a.maxNodeCount ?? 0) * zones,
  };
}

/** Throws `invalid` unless `min` is a whole number from 0 to the pool's max. */
export function checkMinimum(
  min: number,
  limits: NodePoolSize | undefined,
  where: string,
): void {
  if (!Number.isInteger(min) || min < 0) {
    throw new ActuatorError(
      'invalid',
      `${where}: the minimum ${min} is not a whole number of nodes of 0 or more`,
      false,
    );
  }
  if (limits && min > limits.max) {
    throw new ActuatorError(
      'invalid',
      `${where}: the minimum ${min} is above the pool's maximum ${limits.max}`,
      false,
    );
  }
}

/**
 * The pool's autoscaling with its minimum set to `min` nodes of the whole
 * pool, in the form the pool uses; everything else (maximum, location
 * policy, autoprovisioning) as it is. For per-zone limits, `min` must be a
 * multiple of the zone count (the per-zone minimum is `min / zones`):
 * rounding up would keep more nodes than asked, so another `min` is
 * refused as `invalid`.
 */
export function autoscalingWithMinimum(
  current: IAutoscaling,
  limits: GkePoolLimits,
  min: number,
  where: string,
): IAutoscaling {
  const kept: IAutoscaling = {
    enabled: true,
    ...(current.autoprovisioned ? { autoprovisioned: true } : {}),
    ...(current.locationPolicy
      ? { locationPolicy: current.locationPolicy }
      : {}),
  };
  if (limits.form === 'total') {
    return {
      ...kept,
      totalMinNodeCount: min,
      totalMaxNodeCount: current.totalMaxNodeCount ?? 0,
    };
  }
  if (min % limits.zones !== 0) {
    throw new ActuatorError(
      'invalid',
      `${where}: the pool has per-zone limits in ${
        limits.zones
      } zones, and a minimum of ${min} nodes is not a multiple of ${
        limits.zones
      } (use ${Math.floor(min / limits.zones) * limits.zones} or ${
        Math.ceil(min / limits.zones) * limits.zones
      })`,
      false,
    );
  }
  return {
    ...kept,
    minNodeCount: min / limits.zones,
    maxNodeCount: current.maxNodeCount ?? 0,
  };
}

/** How a change reads in the log: whole-pool numbers, per zone if so. */
export function describeChange(
  pool: string,
  before: GkePoolLimits,
  min: number,
): string {
  const perZone =
    before.form === 'perZone'
      ? ` (per zone ${before.min / before.zones} → ${min / before.zones} in ${
          before.zones
        } zones)`
      : '';
  return `GKE node pool ${pool}: minimum ${before.min} → ${min}${perZone}, maximum ${before.max}`;
}

const STATUS_DONE = new Set<unknown>(['DONE', 3]);
const STATUS_NAMES = ['', 'PENDING', 'RUNNING', 'DONE', 'ABORTING'];

/** Whether GKE says the operation finished. */
export function operationDone(op: IOperation): boolean {
  return STATUS_DONE.has(op.status);
}

/** The operation's status by name. */
export function operationStatus(op: IOperation): string {
  const s = op.status;
  return typeof s === 'number' ? STATUS_NAMES[s] || String(s) : String(s);
}

/** The error of a finished operation, as an error of the client library. */
export function operationError(op: IOperation): unknown | undefined {
  if (op.error && (op.error.code || op.error.message)) {
    return Object.assign(new Error(op.error.message ?? ''), {
      code: op.error.code ?? 2,
    });
  }
  return undefined;
}

/** gRPC codes (as the REST transport maps HTTP statuses) to our codes. */
const BY_GRPC: Record<number, [ActuatorErrorCode, number]> = {
  1: ['timeout', 499],
  2: ['unavailable', 500],
  3: ['invalid', 400],
  4: ['timeout', 504],
  5: ['notFound', 404],
  6: ['conflict', 409],
  7: ['forbidden', 403],
  8: ['unavailable', 429],
  9: ['invalid', 400],
  10: ['conflict', 409],
  11: ['invalid', 400],
  12: ['invalid', 501],
  13: ['unavailable', 500],
  14: ['unavailable', 503],
  15: ['unavailable', 500],
  16: ['unauthorized', 401],
};

/** GKE refuses a change while another operation runs on the cluster. */
const BUSY = /incompatible operation|operation .*(in progress|running)/i;
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/**
 * An error of the client library as an `ActuatorError`, its message
 * prefixed with `where` (the cluster and pool): not found, forbidden and
 * unauthorized are final, throttling, server errors, timeouts and
 * connection errors retryable, a request GKE refuses `invalid` (a
 * cluster busy with another operation is a retryable `conflict`).
 */
export function actuatorErrorOf(error: unknown, where: string): ActuatorError {
  if (error instanceof ActuatorError) return error;
  const e = (error ?? {}) as { code?: unknown; message?: string };
  const message = `${where}: ${describeGoogleError(error)}`;
  if (typeof e.code === 'number' && BY_GRPC[e.code]) {
    let [code, status] = BY_GRPC[e.code];
    if (code === 'invalid' && BUSY.test(e.message ?? '')) {
      [code, status] = ['conflict', 409];
    }
    return new ActuatorError(code, message, undefined, status);
  }
  if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) {
    return new ActuatorError(
      TIMEOUT_CODES.has(e.code) ? 'timeout' : 'unavailable',
      message,
    );
  }
  if (/credentials/i.test(e.message ?? '')) {
    return new ActuatorError('unauthorized', message, false, 401);
  }
  return new ActuatorError('unavailable', message);
}
