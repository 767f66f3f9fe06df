import {
  DEMO_CLUSTERS,
  DEMO_POOLS,
  DemoCluster,
  DemoPool,
} from '../definition';
import { SimTimer } from './clock';
import { reclaimSpotPool, SpotPoolReclaim } from './spotReclaims';
import type { SimulatedCluster } from './SimulatedCluster';

/**
 * A scripted spot reclaim of one simulated cluster, some time after it
 * starts (`modelfleet.demo.simulator.spot.firstReclaim`, `yarn sim
 * --first-reclaim`): the demo shows a spot preemption soon after its first
 * start, however the traces fall.
 *
 * @public
 */
export interface FirstReclaim {
  /** A spot pool of the cluster. */
  pool: string;
  /** One of the cluster's zones; every zone of the cluster by default. */
  zone?: string;
  /** Simulated seconds after the cluster starts; 240 by default. */
  afterSeconds?: number;
  /** How long the pool's spot capacity stays away, in seconds; 900 by default. */
  seconds?: number;
}

/**
 * A {@link FirstReclaim} of a simulated fleet: of which cluster.
 *
 * @public
 */
export interface FleetFirstReclaim extends FirstReclaim {
  cluster: string;
}

/** The fields of a {@link FleetFirstReclaim}. */
export type FirstReclaimField = keyof FleetFirstReclaim;

export const FIRST_RECLAIM_AFTER_SECONDS = 240;
export const FIRST_RECLAIM_SECONDS = 900;
/** The largest `afterSeconds` and `seconds`: a day. */
export const FIRST_RECLAIM_MAX_SECONDS = 86_400;

/**
 * What is wrong with a first reclaim: the field, and a message that follows
 * its name (`<field> is 'x', and must be …`).
 */
export interface FirstReclaimProblem {
  field: FirstReclaimField;
  message: string;
}

const list = (names: string[]) => (names.length ? names.join(', ') : 'none');

function checkSeconds(
  field: 'afterSeconds' | 'seconds',
  value: unknown,
): FirstReclaimProblem | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    value > FIRST_RECLAIM_MAX_SECONDS
  ) {
    return {
      field,
      message: `is ${JSON.stringify(
        value,
      )}, and must be a number of seconds from 0 to ${FIRST_RECLAIM_MAX_SECONDS}`,
    };
  }
  return undefined;
}

/** What is wrong with a first reclaim of a cluster of these pools, if anything. */
export function checkFirstReclaimOf(
  cluster: DemoCluster,
  pools: DemoPool[],
  spec: FirstReclaim,
): FirstReclaimProblem | undefined {
  const spot = pools
    .filter(p => p.cluster === cluster.name && p.capacityType === 'spot')
    .map(p => p.name);
  if (!spec.pool) {
    return {
      field: 'pool',
      message: `is missing, and must be a spot pool of ${
        cluster.name
      }: one of ${list(spot)}`,
    };
  }
  if (!spot.includes(spec.pool)) {
    const other = pools.find(
      p => p.cluster === cluster.name && p.name === spec.pool,
    );
    const what = other
      ? `an ${other.capacityType} pool of ${cluster.name}`
      : `not a pool of ${cluster.name}`;
    return {
      field: 'pool',
      message: `is '${
        spec.pool
      }', ${what}, and must be one of its spot pools: ${list(spot)}`,
    };
  }
  if (spec.zone !== undefined && !cluster.zones.includes(spec.zone)) {
    return {
      field: 'zone',
      message: `is '${spec.zone}', and must be a zone of ${
        cluster.name
      }: one of ${cluster.zones.join(', ')} (or left out, for every zone)`,
    };
  }
  return (
    checkSeconds('afterSeconds', spec.afterSeconds) ??
    checkSeconds('seconds', spec.seconds)
  );
}

/** What is wrong with a first reclaim of a cluster of the fleet (the demo's by default), if anything. */
export function checkFirstReclaim(
  spec: FleetFirstReclaim,
  clusters: DemoCluster[] = DEMO_CLUSTERS,
  pools: DemoPool[] = DEMO_POOLS,
): FirstReclaimProblem | undefined {
  const cluster = clusters.find(c => c.name === spec.cluster);
  if (!cluster) {
    return {
      field: 'cluster',
      message: `${
        spec.cluster ? `is '${spec.cluster}'` : 'is missing'
      }, and must be a demo cluster: one of ${list(clusters.map(c => c.name))}`,
    };
  }
  return checkFirstReclaimOf(cluster, pools, spec);
}

/**
 * The first reclaim of a simulated cluster, for `GET /_sim/stats`: when it
 * is due, and what it did once done (simulated ISO times).
 *
 * @public
 */
export interface FirstReclaimReport {
  pool: string;
  zones: string[];
  at: string;
  done: boolean;
  /** The nodes it reclaimed. */
  reclaimed?: string[];
  failedLaunches?: number;
  capacityBackAt?: string;
}

/**
 * Runs a {@link FirstReclaim} on a simulated cluster's clock: `afterSeconds`
 * after {@link FirstReclaimScript.start}, the pool is preempted in its
 * zones as `POST /_sim/spot/reclaims` does ({@link reclaimSpotPool}).
 * The spec must have been checked ({@link checkFirstReclaimOf}).
 */
export class FirstReclaimScript {
  private timer?: SimTimer;
  private due?: number;
  private done?: SpotPoolReclaim;
  private readonly pool: DemoPool;
  private readonly zones: string[];

  constructor(
    private readonly sim: SimulatedCluster,
    private readonly spec: FirstReclaim,
    private readonly log: (message: string) => void = () => {},
  ) {
    const { cluster, pools } = sim.options;
    this.pool = pools.find(p => p.name === spec.pool)!;
    this.zones = spec.zone ? [spec.zone] : [...cluster.zones];
  }

  private get seconds(): number {
    return this.spec.seconds ?? FIRST_RECLAIM_SECONDS;
  }

  /** Schedules the reclaim, `afterSeconds` of simulated time from now. */
  start(): void {
    const clock = this.sim.ctx.clock;
    const after = this.spec.afterSeconds ?? FIRST_RECLAIM_AFTER_SECONDS;
    const due = clock.now() + after * 1000;
    this.due = due;
    this.timer = clock.at(due, () => {
      this.timer = undefined;
      this.run();
    });
    this.log(
      `${
        this.sim.name
      }: scripted first spot reclaim (spot.firstReclaim) of pool ${
        this.pool.name
      } in ${this.zones.join(', ')} at ${new Date(
        due,
      ).toISOString()}, ${after} s after the start (simulated time); its spot capacity stays away ${
        this.seconds
      } s`,
    );
  }

  private run(): void {
    const done = reclaimSpotPool(this.sim, this.pool, this.zones, this.seconds);
    this.done = done;
    const nodes = done.reclaimed.map(r => r.node);
    this.log(
      `${
        this.sim.name
      }: scripted first spot reclaim (spot.firstReclaim) of pool ${
        done.pool
      } in ${done.zones.join(', ')}: ${
        nodes.length
          ? `reclaimed ${nodes.join(', ')} (deleted after the cloud's notice)`
          : 'no node of the pool was running there'
      }, ${
        done.failedLaunches
      } launch(es) failed; spot capacity back at ${new Date(
        done.capacityBackAt,
      ).toISOString()}`,
    );
  }

  report(): FirstReclaimReport | undefined {
    if (this.due === undefined) return undefined;
    const base = {
      pool: this.pool.name,
      zones: this.zones,
      at: new Date(this.due).toISOString(),
    };
    if (!this.done) return { ...base, done: false };
    return {
      ...base,
      done: true,
      reclaimed: this.done.reclaimed.map(r => r.node),
      failedLaunches: this.done.failedLaunches,
      capacityBackAt: new Date(this.done.capacityBackAt).toISOString(),
    };
  }

  stop(): void {
    this.sim.ctx.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** `--first-reclaim` of `yarn sim`: `<cluster>/<pool>[@<zone>][:<afterSeconds>[:<seconds>]]`. */
export const FIRST_RECLAIM_ARG =
  '<cluster>/<pool>[@<zone>][:<afterSeconds>[:<seconds>]]';

/** A first reclaim as `--first-reclaim` takes it. */
export function formatFirstReclaimArg(spec: FleetFirstReclaim): string {
  const zone = spec.zone ? `@${spec.zone}` : '';
  const after = spec.afterSeconds ?? FIRST_RECLAIM_AFTER_SECONDS;
  const seconds = spec.seconds === undefined ? '' : `:${spec.seconds}`;
  return `${spec.cluster}/${spec.pool}${zone}:${after}${seconds}`;
}

/**
 * Reads `--first-reclaim` (see {@link FIRST_RECLAIM_ARG}) and checks it
 * against the demo's clusters and pools; throws a message naming the
 * option and the field.
 */
export function parseFirstReclaimArg(arg: string): FleetFirstReclaim {
  const m =
    /^([^/@:]+)\/([^/@:]+)(?:@([^/@:]+))?(?::([^:]*))?(?::([^:]*))?$/.exec(arg);
  if (!m) {
    throw new Error(
      `--first-reclaim ${arg}: give ${FIRST_RECLAIM_ARG}, e.g. demo-aws-use1/g6-l4-spot@us-east-1a:240`,
    );
  }
  const [, cluster, pool, zone, after, seconds] = m;
  const num = (v: string) => (/^\d+(\.\d+)?$/.test(v) ? Number(v) : v);
  const spec = {
    cluster,
    pool,
    ...(zone !== undefined ? { zone } : {}),
    ...(after !== undefined ? { afterSeconds: num(after) } : {}),
    ...(seconds !== undefined ? { seconds: num(seconds) } : {}),
  } as FleetFirstReclaim;
  const problem = checkFirstReclaim(spec);
  if (problem) {
    throw new Error(
      `--first-reclaim ${arg}: ${problem.field} ${problem.message}`,
    );
  }
  return spec;
}
