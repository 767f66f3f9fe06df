import type { DemoPool } from '../definition';
import { ApiError } from './status';
import type { AdminRoute } from './SimulatedApiServer';
import type { SimulatedCluster } from './SimulatedCluster';

/** How long the capacity stays away by default, in seconds. */
export const DEFAULT_OUTAGE_SECONDS = 1800;

type AdminInput = Parameters<AdminRoute>[0];

/** What {@link reclaimSpotPool} did; times in simulated ms since the epoch. */
export interface SpotPoolReclaim {
  cluster: string;
  pool: string;
  zones: string[];
  /** The nodes reclaimed (not those under reclaim already), deleted at `deleteAt`. */
  reclaimed: Array<{ node: string; zone: string; deleteAt: number }>;
  /** Launches of the pool's nodes under way in the zones, failed. */
  failedLaunches: number;
  /** When the pool's spot capacity is back in the zones. */
  capacityBackAt: number;
}

/**
 * A spot preemption of a pool in some zones of its cluster, now: the core
 * of `POST /_sim/spot/reclaims` and of the scripted first reclaim
 * (firstReclaim.ts). It keeps the pool's spot capacity in the zones away
 * for `seconds` (an outage under way that lasts longer is kept), fails
 * the launches of its nodes under way there, reclaims its spot nodes
 * there with the cloud's notice (taint, drain, then the node deleted), and
 * kicks the controllers. The pool must be a spot pool of the cluster and
 * the zones its zones (the callers check).
 */
export function reclaimSpotPool(
  sim: SimulatedCluster,
  pool: DemoPool,
  zones: string[],
  seconds: number,
): SpotPoolReclaim {
  const until = sim.ctx.clock.now() + seconds * 1000;
  // Capacity first, so the drained pods' replacements do not launch there.
  const back = Math.max(
    ...zones.map(zone => sim.spot.holdCapacity(pool, zone, until)),
  );
  const failedLaunches = zones.reduce(
    (n, zone) => n + sim.provisioner.failLaunches(pool.name, zone),
    0,
  );
  const reclaimed = zones.flatMap(zone => sim.spot.reclaimZone(pool, zone));
  sim.manager.kick();
  return {
    cluster: sim.options.cluster.name,
    pool: pool.name,
    zones,
    reclaimed,
    failedLaunches,
    capacityBackAt: back,
  };
}

/**
 * Only a cluster administrator may take capacity away: the `/_sim/` token
 * when the server has one, otherwise a bearer token of `system:masters`
 * (`sim-admin-token` by default). ModelFleet's service account may not.
 */
function requireAdmin(input: AdminInput): void {
  if (input.simToken) return;
  if (!input.who) throw new ApiError(401, 'Unauthorized');
  if (!input.who.groups.includes('system:masters')) {
    throw new ApiError(
      403,
      `User "${input.who.username}" cannot reclaim spot capacity: ${input.path} needs a cluster admin's token`,
    );
  }
}

const bad = (field: string, message: string) =>
  new ApiError(400, `${field}: ${message}`, 'BadRequest', {
    causes: [{ reason: 'FieldValueInvalid', message, field }],
  });

/**
 * `POST /_sim/spot/reclaims` `{pool, zone?, seconds?}`: a spot preemption
 * on demand. The pool's spot nodes (in `zone`, or in every zone of the
 * cluster) are reclaimed now, as the market's reclaims are (the cloud's
 * notice, taint, drain, then the node deleted), launches of its nodes
 * under way there fail, and no new node of the pool comes up there for
 * `seconds` (1800 by default). `GET` lists the outages under way.
 */
export function spotReclaimsRoute(sim: SimulatedCluster, input: AdminInput) {
  const { method } = input;
  if (method === 'GET') {
    return {
      body: {
        outages: sim.spot.outages.map(o => ({
          ...o,
          until: new Date(o.until).toISOString(),
        })),
      },
    };
  }
  if (method !== 'POST')
    throw new ApiError(405, 'GET or POST /_sim/spot/reclaims');
  requireAdmin(input);
  const b = input.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b))
    throw new ApiError(400, 'the body must be {pool, zone?, seconds?}');
  const body = b as Record<string, unknown>;
  const { cluster, pools } = sim.options;
  if (typeof body.pool !== 'string' || !body.pool)
    throw bad('pool', 'Required value: the name of a spot pool');
  const pool = pools.find(p => p.name === body.pool);
  if (!pool) {
    throw bad(
      'pool',
      `Unsupported value: "${body.pool}": cluster ${
        cluster.name
      } has no such pool (its pools: ${pools.map(p => p.name).join(', ')})`,
    );
  }
  if (pool.capacityType !== 'spot') {
    throw bad(
      'pool',
      `Invalid value: "${pool.name}": an ${pool.capacityType} pool; only spot capacity is reclaimed`,
    );
  }
  if (
    body.zone !== undefined &&
    (typeof body.zone !== 'string' || !cluster.zones.includes(body.zone))
  ) {
    throw bad(
      'zone',
      `Unsupported value: ${JSON.stringify(body.zone)}: cluster ${
        cluster.name
      } has zones ${cluster.zones.join(', ')}`,
    );
  }
  const seconds = body.seconds ?? DEFAULT_OUTAGE_SECONDS;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw bad(
      'seconds',
      `Invalid value: ${JSON.stringify(
        body.seconds,
      )}: the outage's length in seconds, a number >= 0`,
    );
  }
  const zones =
    typeof body.zone === 'string' ? [body.zone] : [...cluster.zones];
  const done = reclaimSpotPool(sim, pool, zones, seconds);
  return {
    body: {
      ...done,
      reclaimed: done.reclaimed.map(r => ({
        ...r,
        deleteAt: new Date(r.deleteAt).toISOString(),
      })),
      capacityBackAt: new Date(done.capacityBackAt).toISOString(),
    },
  };
}
