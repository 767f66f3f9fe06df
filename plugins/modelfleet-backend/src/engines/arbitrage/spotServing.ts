/**
 * The engine's spot-serving policy for one model: how many replicas to run
 * in each pool now, with the reason in words. Pure and deterministic: what
 * runs, what the model saw (preemption notices, failed launches) and the
 * time come in; targets come out.
 *
 * The model needs `required` replicas Ready at all times. The policy's
 * base of on-demand replicas (clipped by `maxOnDemandShare`, the ceiling
 * of the steady state) always runs; the rest is served on spot:
 *
 * - Hazard. A spot zone is reclaimed at a rate that falls with the time
 *   since it last was (spot markets that just came back are the likeliest
 *   to go again) and rises with the share of zones known to be without
 *   capacity (markets are reclaimed together):
 *   base × (1 + youngSeconds / age) × (1 + scarcity × share down).
 * - Worth. A required replica missing for an hour is worth `valueHours`
 *   hours of the on-demand price. When a zone is reclaimed, what it held
 *   beyond the spares elsewhere is missing for startup − notice (the
 *   replacement launched at the notice is Ready that much after the
 *   reclaim). A spot spare covers the loss of every zone but its own, an
 *   on-demand replica any loss; each is worth its hazard-weighted share of
 *   those losses per hour.
 * - Moves. Every launch costs warm-up, and every reclaim forces one: a
 *   move is weighed as `moveWeight` uncovered losses, so a spot replica
 *   costs its price plus its zone's hazard × that (a flapping or just
 *   recovered zone is dear: its replicas would be relaunched again and
 *   again). A replica already running pays no move to stay.
 * - Placement. Serving replicas go where price plus expected loss and
 *   moves is least, water-filling the zones (so no zone holds more than it
 *   must, and the spread is over two zones or more where capacity allows);
 *   then spares and on-demand insurance, one at a time, the best first,
 *   while worth more than they cost (moves included). A pool whose launch
 *   just failed is skipped.
 * - On-demand fallback. Spot replicas that cannot be launched anywhere are
 *   replaced on on-demand at once (on a notice, the replacement is
 *   launched then); a spot replica that is merely starting is not, as an
 *   on-demand one would be Ready no sooner. On-demand serving while spot is
 *   not Ready is kept until it is (make before break).
 * - Hysteresis. On-demand comes down only when its worth falls below
 *   `keepShare` of its price, never while one is starting, and not within
 *   `holdSeconds` of one turning Ready; spot spares are trimmed only below
 *   `keepShare` of their price, and not while others are being launched.
 *   So a market flapping between capacity and none does not flap the
 *   model between spot and on-demand.
 *
 * @internal
 */
import {
  alive,
  baseOnDemand,
  compareIds,
  placeOnDemand,
  PoolRun,
  ServingPolicy,
  ServingPool,
  SpotServingDecision,
  SpotServingInput,
} from './spotTypes';

export interface SpotServingOptions {
  /** What a required replica missing for an hour is worth, in hours of the on-demand price. */
  valueHours: number;
  /** Preemptions per hour of a spot zone long without one, markets wide open. */
  baseHazardPerHour: number;
  /** A zone `age` seconds after its last preemption or failed launch is reclaimed (1 + youngSeconds / age) times as often. */
  youngSeconds: number;
  /** Shortest age the hazard is computed at. */
  minAgeSeconds: number;
  /** The hazard is multiplied by 1 + scarcity × the share of zones known to be without capacity. */
  scarcity: number;
  /** A zone is known to be without capacity for this long after a preemption or failed launch there (nothing of the model running there). */
  downSeconds: number;
  /** Spares and insurance are kept until their worth falls below this share of their price. */
  keepShare: number;
  /**
   * On-demand replicas are kept at least this long after one turned Ready,
   * and on-demand fallback until the spot replacing it runs in zones this
   * long past their last preemption or failed launch.
   */
  holdSeconds: number;
  /**
   * What one launch (a move) is weighed as, in losses of a required
   * replica for startup − notice (the warm-up a replacement cannot hide),
   * at `valueHours`: a spot replica costs its price plus its zone's
   * hazard × this, as each reclaim there is a relaunch.
   */
  moveWeight: number;
  /** Start-up and notice when the input does not say. */
  startupSeconds: number;
  noticeSeconds: number;
  /** While insurance runs or a zone is young, ask again this often (hazards fall with age). */
  reviewSeconds: number;
}

export const SPOT_SERVING_DEFAULTS: SpotServingOptions = {
  valueHours: 16,
  baseHazardPerHour: 0.2,
  youngSeconds: 3600,
  minAgeSeconds: 600,
  scarcity: 3,
  downSeconds: 900,
  keepShare: 0.5,
  holdSeconds: 1200,
  moveWeight: 1,
  startupSeconds: 270,
  noticeSeconds: 120,
  reviewSeconds: 300,
};

const last = (xs: readonly number[]) =>
  xs.length ? xs[xs.length - 1] : -Infinity;

interface Zone {
  key: string;
  /** Its pools, cheapest first. */
  pools: Array<{ pool: ServingPool; run?: PoolRun; failedNow: boolean }>;
  /** Seconds since its last preemption or failed launch. */
  age: number;
  /** Expected preemptions per hour now. */
  hazard: number;
  /** Spot replicas planned here. */
  k: number;
}

/** Spot zones of the input, with what runs there and their hazards. */
function zonesOf(input: SpotServingInput, o: SpotServingOptions): Zone[] {
  const { now, runs } = input;
  const zones = new Map<string, Zone>();
  for (const pool of input.pools) {
    if (pool.capacity !== 'spot') continue;
    const run = runs[pool.id];
    const key = `${pool.cloud}/${pool.region}/${pool.zone ?? pool.id}`;
    const z = zones.get(key) ?? {
      key,
      pools: [],
      age: Infinity,
      hazard: 0,
      k: 0,
    };
    const failed = last(run?.failures ?? []);
    z.age = Math.min(
      z.age,
      now - Math.max(last(run?.preemptions ?? []), failed),
    );
    // A pool refusing launches now, or being reclaimed, takes none.
    z.pools.push({
      pool,
      run,
      failedNow: failed === now || (run?.noticed ?? 0) > 0,
    });
    z.k += alive(run);
    zones.set(key, z);
  }
  const zs = [...zones.values()];
  const down = zs.filter(
    z =>
      z.age < o.downSeconds &&
      z.k === 0 &&
      z.pools.every(p => (p.run?.lastReadyAt ?? -Infinity) <= now - z.age),
  ).length;
  const scarcity = 1 + (o.scarcity * down) / Math.max(1, zs.length);
  for (const z of zs) {
    z.hazard =
      o.baseHazardPerHour *
      scarcity *
      (1 + o.youngSeconds / Math.max(z.age, o.minAgeSeconds));
    z.pools.sort(
      (a, b) =>
        a.pool.usdPerHour - b.pool.usdPerHour ||
        compareIds(a.pool.id, b.pool.id),
    );
  }
  return zs;
}

export function decideSpotServing(
  input: SpotServingInput,
  options: Partial<SpotServingOptions> = {},
): SpotServingDecision {
  const o = { ...SPOT_SERVING_DEFAULTS, ...options };
  const { now, required: R, runs } = input;
  const base = baseOnDemand(input.policy, R);
  const n = R - base;
  const onDemand = input.pools
    .filter(p => p.capacity === 'on-demand')
    .sort((a, b) => a.usdPerHour - b.usdPerHour || compareIds(a.id, b.id));
  const odPrice = onDemand[0]?.usdPerHour ?? Infinity;
  const mayOnDemand = input.policy.maxOnDemandShare > 0 && !!onDemand.length;
  const startup = input.startupSeconds ?? o.startupSeconds;
  const notice = input.noticeSeconds ?? o.noticeSeconds;
  const gapHours = Math.max(0, startup - notice) / 3600;
  const value = o.valueHours * (Number.isFinite(odPrice) ? odPrice : 1);
  const zs = zonesOf(input, o);
  /** What one reclaim costs uncovered (a replica missing startup − notice), and one move. */
  const loss = value * gapHours;
  const move = o.moveWeight * loss;

  let odAlive = 0;
  let odStarting = 0;
  let odReadyAt = -Infinity;
  for (const p of onDemand) {
    odAlive += alive(runs[p.id]);
    odStarting += runs[p.id]?.starting ?? 0;
    odReadyAt = Math.max(odReadyAt, runs[p.id]?.lastReadyAt ?? -Infinity);
  }
  let readySpot = 0;
  let readyStable = 0;
  let stableAt = Infinity;
  for (const z of zs)
    for (const p of z.pools) {
      const ready = p.run?.ready ?? 0;
      readySpot += ready;
      if (z.age >= o.holdSeconds) readyStable += ready;
      else if (ready)
        stableAt = Math.min(stableAt, now - z.age + o.holdSeconds);
    }
  const total = () => zs.reduce((s, z) => s + z.k, 0);
  /** Whether losing the zone leaves less than the need. */
  const short = (z: Zone, T: number, od: number) =>
    z.k > 0 && n - (T - z.k) - od > 0;
  /** Hazard per hour of the zones whose loss leaves less than the need. */
  const exposed = (od: number) => {
    const T = total();
    let hazard = 0;
    for (const z of zs) if (short(z, T, od)) hazard += z.hazard;
    return hazard;
  };
  /** Worth per hour of one more replica that survives the loss of any zone but `except`. */
  const worth = (od: number, except?: Zone) => {
    const T = total();
    let hazard = exposed(od);
    if (except && short(except, T, od)) hazard -= except.hazard;
    return value * gapHours * hazard;
  };
  const open = (z: Zone) => z.pools.find(p => !p.failedNow);
  const price = (z: Zone) => open(z)?.pool.usdPerHour ?? Infinity;
  const launched: string[] = [];
  const plan = (z: Zone) => {
    z.k++;
    launched.push(open(z)!.pool.id);
  };

  // Serving replicas: least price plus expected loss, water-filled.
  while (n > 0 && total() < n) {
    let best: Zone | undefined;
    let bestKey = Infinity;
    for (const z of zs) {
      if (!open(z)) continue;
      const key = (price(z) + (loss + move) * z.hazard) * (1 + z.k);
      if (key < bestKey) {
        best = z;
        bestKey = key;
      }
    }
    if (!best) break;
    plan(best);
  }
  // At least two zones where capacity allows: a lone zone gets a spare
  // elsewhere, unless spot there costs more than on-demand (then on-demand
  // insurance, below, is the better hedge).
  const floor = (z: Zone) => price(z) < odPrice;
  if (n > 0 && zs.filter(z => z.k > 0).length === 1) {
    let best: Zone | undefined;
    for (const z of zs)
      if (z.k === 0 && open(z) && (!best || price(z) < price(best))) best = z;
    if (best && floor(best)) plan(best);
  }
  // On-demand for what spot cannot serve, kept until the spot replacing it
  // is Ready in zones stable for holdSeconds (hysteresis).
  const fallback = mayOnDemand ? Math.max(0, n - total()) : 0;
  const kept = mayOnDemand
    ? Math.min(Math.max(0, odAlive - base), Math.max(0, n - readyStable))
    : 0;
  let od = Math.max(fallback, kept);
  // Spares and insurance while worth more than they cost.
  let insurance = 0;
  for (let guard = 0; n > 0 && guard < 4 * (n + zs.length); guard++) {
    // A spare helps against every zone's loss but its own; ties go to the
    // emptier, the steadier, the cheaper zone.
    let spare: Zone | undefined;
    let spareGain = -Infinity;
    const T = total();
    const all = exposed(od);
    for (const z of zs) {
      if (!open(z)) continue;
      const gain =
        value * gapHours * (all - (short(z, T, od) ? z.hazard : 0)) -
        price(z) * (1 + 0.01 * z.k) -
        move * z.hazard -
        0.001 * value * gapHours * z.hazard;
      if (gain > spareGain) {
        spare = z;
        spareGain = gain;
      }
    }
    const odGain = mayOnDemand ? value * gapHours * all - odPrice : -Infinity;
    if (odGain > spareGain && odGain > 0) {
      od++;
      insurance++;
    } else if (spare && spareGain > 0) plan(spare);
    else break;
  }
  // Hysteresis on the way down.
  const holding = now - odReadyAt < o.holdSeconds;
  let held = 0;
  while (
    mayOnDemand &&
    odAlive - base > od &&
    (holding || od < odStarting || worth(od) >= o.keepShare * odPrice)
  ) {
    od++;
    held++;
  }
  const trimmed: string[] = [];
  while (!launched.length) {
    let worst: Zone | undefined;
    let worstGain = Infinity;
    const spread = zs.filter(z => z.k > 0).length;
    for (const z of zs) {
      if (z.k === 0 || total() <= n) continue;
      // The spread over two zones is a floor (the rule above adds it back).
      if (z.k === 1 && spread === 2 && floor(z)) continue;
      z.k--;
      const w = worth(od, z);
      z.k++;
      const p = z.pools.find(x => alive(x.run) > 0)?.pool.usdPerHour ?? 0;
      if (w < o.keepShare * p && w - p < worstGain) {
        worst = z;
        worstGain = w - p;
      }
    }
    if (!worst) break;
    worst.k--;
    trimmed.push(worst.key);
  }

  const targets: Record<string, number> = {};
  for (const z of zs) {
    // Keep replicas where they run, add on the zone's cheapest open pool.
    let left = z.k;
    for (const p of z.pools) {
      const keep = Math.min(left, alive(p.run));
      targets[p.pool.id] = keep;
      left -= keep;
    }
    if (left > 0) targets[(open(z) ?? z.pools[0]).pool.id] += left;
  }
  placeOnDemand(onDemand, runs, base + od, targets);

  const words = [
    `${readySpot} of ${n} spot replicas Ready, ${total()} on spot in ${
      zs.filter(z => z.k > 0).length
    } zone(s); on-demand ${base + od}: base ${base}, fallback ${Math.max(
      fallback,
      kept,
    )}, insurance ${insurance}${held ? `, held ${held}` : ''}`,
  ];
  if (launched.length) words.push(`launch spot on ${launched.join(', ')}`);
  if (trimmed.length) words.push(`spares no longer worth it in ${trimmed}`);
  if (!mayOnDemand && n > total())
    words.push('no on-demand allowed (maxOnDemandShare 0)');
  const young = zs.some(z => z.k > 0 && z.age < 4 * o.youngSeconds);
  const review =
    insurance + held > 0 || young || kept > fallback
      ? Math.min(
          now + o.reviewSeconds,
          holding ? odReadyAt + o.holdSeconds : Infinity,
          kept > fallback ? stableAt : Infinity,
        )
      : undefined;
  return {
    targets,
    reason: words.join('; '),
    ...(review !== undefined ? { reviewAt: review } : {}),
  };
}

/** The engine as a policy the replay drives. */
export function spotServingPolicy(
  options: Partial<SpotServingOptions> = {},
  name = 'engine',
): ServingPolicy {
  return { name, decide: input => decideSpotServing(input, options) };
}
