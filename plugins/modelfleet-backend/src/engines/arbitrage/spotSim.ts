/**
 * Replay of spot markets for one serving model, the accounting every
 * spot-serving policy is scored with (`yarn bench:arbitrage`). Pure: the
 * markets come in as arrays, time is simulated, a clock is only read when
 * one is passed (to time the policy's decisions).
 *
 * - A spot pool has capacity at a tick when its trace says so (the whole
 *   pool: every replica there is reclaimed together). An outage starting at
 *   time s is announced `noticeSeconds` before: the pool's replicas get a
 *   notice then (they serve, if Ready, until s, and are gone at s), and a
 *   launch there fails from the notice until the outage ends. A launch
 *   into a pool with capacity succeeds; the replica is Ready
 *   `provisionSeconds + loadSeconds` later. On-demand pools always have
 *   capacity and are never reclaimed.
 * - The policy is asked at the start, at every change it can see (a notice
 *   or reclaim of its replicas, a replica turning Ready), when it asked to
 *   be (`reviewAt`), and, while a launch it wanted has failed, every
 *   `retrySeconds` (a controller's loop). A failed launch is recorded in the
 *   pool's history and the policy is asked again at once (up to one round
 *   per pool), as a controller trying the next zone would.
 * - At the start the policy's first placement is Ready at once (a running
 *   fleet); it is not counted as moves.
 * - Cost: every replica from its launch to its stop, reclaim or the end,
 *   at its pool's price (per second; a price history is followed).
 * - Availability: the time-weighted share of required replicas Ready,
 *   ∫ min(Ready, required) dt ÷ (required × horizon); a replica under
 *   notice counts while it still serves.
 * - Moves: replicas launched after the start (each successful launch,
 *   wherever and whyever); failed launch attempts are counted apart.
 *
 * @internal
 */
import {
  PoolRun,
  ServingPolicy,
  ServingPool,
  SpotServingDecision,
  SpotServingPolicy,
} from './spotTypes';

/** A piecewise-constant price: `usdPerHour[i]` from `times[i]` (seconds) on. */
export interface PriceSeries {
  times: readonly number[];
  usdPerHour: readonly number[];
}

export interface SpotMarket {
  pool: ServingPool;
  /** Spot pools: per tick, 1 = capacity, 0 = none (past the end: the last value). */
  available?: Uint8Array;
  gapSeconds?: number;
  /** A price history; before its first point, and without one, `pool.usdPerHour`. */
  prices?: PriceSeries;
}

export interface ReplayOptions {
  horizonSeconds: number;
  provisionSeconds: number;
  loadSeconds: number;
  noticeSeconds: number;
  /** How often a failed launch is retried; default the smallest trace gap. */
  retrySeconds?: number;
  policy: SpotServingPolicy;
  /** Reads a clock around each decision when given (nanoseconds). */
  clock?: () => bigint;
}

export interface ReplayResult {
  required: number;
  horizonSeconds: number;
  costUsd: number;
  spotCostUsd: number;
  onDemandCostUsd: number;
  /** ∫ min(Ready, required) dt. */
  readyReplicaSeconds: number;
  /** Billed replica-seconds by capacity type. */
  spotReplicaSeconds: number;
  onDemandReplicaSeconds: number;
  /** Replicas launched after the start. */
  launches: number;
  onDemandLaunches: number;
  failedLaunches: number;
  /** Replicas reclaimed (after a notice). */
  reclaimed: number;
  /** Replicas stopped by the policy. */
  stopped: number;
  /** Times Ready fell below required. */
  shortfalls: number;
  decisions: number;
  decideNanos: number[];
  lastReason: string;
}

interface Replica {
  launchedAt: number;
  readyAt: number;
}

/** A market's outages as times, and its events, once per horizon and notice. */
export interface PreparedMarkets {
  markets: SpotMarket[];
  noticeSeconds: number;
  horizonSeconds: number;
  /** Sorted: notices (kind 0) before reclaims (kind 1) at one time. */
  events: Array<{ at: number; market: number; kind: 0 | 1 }>;
  minGap: number;
}

export function prepareMarkets(
  markets: SpotMarket[],
  noticeSeconds: number,
  horizonSeconds: number,
): PreparedMarkets {
  const events: PreparedMarkets['events'] = [];
  let minGap = Infinity;
  markets.forEach((m, i) => {
    if (m.pool.capacity !== 'spot' || !m.available) return;
    const gap = m.gapSeconds ?? 0;
    if (!(gap > 0)) throw new Error(`${m.pool.id}: a spot market needs a gap`);
    minGap = Math.min(minGap, gap);
    const a = m.available;
    for (let k = 1; k < a.length; k++) {
      if (a[k - 1] === 1 && a[k] === 0) {
        const at = k * gap;
        if (at >= horizonSeconds) break;
        events.push({
          at: Math.max(0, at - noticeSeconds),
          market: i,
          kind: 0,
        });
        events.push({ at, market: i, kind: 1 });
      }
    }
  });
  events.sort((x, y) => x.at - y.at || x.kind - y.kind || x.market - y.market);
  return {
    markets,
    noticeSeconds,
    horizonSeconds,
    events,
    minGap: Number.isFinite(minGap) ? minGap : 3600,
  };
}

/** Whether a launch into the market succeeds at t: capacity from t until a notice would come. */
export function launchable(m: SpotMarket, t: number, noticeSeconds: number) {
  if (m.pool.capacity !== 'spot' || !m.available) return true;
  const a = m.available;
  const gap = m.gapSeconds!;
  const last = a.length - 1;
  const from = Math.min(last, Math.floor(t / gap));
  const to = Math.min(last, Math.floor((t + noticeSeconds) / gap));
  for (let k = from; k <= to; k++) if (a[k] === 0) return false;
  return true;
}

/** The market's price at t, USD per hour. */
export function priceAt(m: SpotMarket, t: number): number {
  const s = m.prices;
  let price = m.pool.usdPerHour;
  if (!s) return price;
  let lo = 0;
  let hi = s.times.length - 1;
  if (hi < 0 || s.times[0] > t) return price;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (s.times[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  price = s.usdPerHour[lo];
  return price;
}

/** USD of one replica in the market from a to b (seconds). */
function costFn(m: SpotMarket): (a: number, b: number) => number {
  const base = m.pool.usdPerHour;
  const s = m.prices;
  if (!s || !s.times.length) return (a, b) => ((b - a) * base) / 3600;
  // F(t) = ∫_0^t price; pieces start at 0 (base until the first point).
  const starts = [0];
  const prices = [base];
  s.times.forEach((t, i) => {
    if (t <= 0) prices[0] = s.usdPerHour[i];
    else {
      starts.push(t);
      prices.push(s.usdPerHour[i]);
    }
  });
  const cum = [0];
  for (let i = 1; i < starts.length; i++)
    cum.push(cum[i - 1] + (starts[i] - starts[i - 1]) * prices[i - 1]);
  const F = (t: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    return cum[lo] + (t - starts[lo]) * prices[lo];
  };
  return (a, b) => (F(b) - F(a)) / 3600;
}

interface MarketRun {
  starting: Replica[];
  ready: Replica[];
  noticed: Replica[];
  /** Noticed replicas that were Ready (they serve until the reclaim). */
  noticedReady: number;
  preemptions: number[];
  failures: number[];
  lastReadyAt?: number;
  cost: (a: number, b: number) => number;
}

/** Replays one model of `required` replicas under `policy`. */
export function replay(
  policy: ServingPolicy,
  required: number,
  prepared: PreparedMarkets,
  o: ReplayOptions,
): ReplayResult {
  const { markets, events } = prepared;
  const horizon = Math.min(o.horizonSeconds, prepared.horizonSeconds);
  const notice = prepared.noticeSeconds;
  const delay = o.provisionSeconds + o.loadSeconds;
  const retry = o.retrySeconds ?? prepared.minGap;
  const runs: MarketRun[] = markets.map(m => ({
    starting: [],
    ready: [],
    noticed: [],
    noticedReady: 0,
    preemptions: [],
    failures: [],
    cost: costFn(m),
  }));
  const r: ReplayResult = {
    required,
    horizonSeconds: horizon,
    costUsd: 0,
    spotCostUsd: 0,
    onDemandCostUsd: 0,
    readyReplicaSeconds: 0,
    spotReplicaSeconds: 0,
    onDemandReplicaSeconds: 0,
    launches: 0,
    onDemandLaunches: 0,
    failedLaunches: 0,
    reclaimed: 0,
    stopped: 0,
    shortfalls: 0,
    decisions: 0,
    decideNanos: [],
    lastReason: '',
  };
  let serving = 0;
  const bill = (i: number, x: Replica, end: number) => {
    const usd = runs[i].cost(x.launchedAt, end);
    const secs = end - x.launchedAt;
    r.costUsd += usd;
    if (markets[i].pool.capacity === 'spot') {
      r.spotCostUsd += usd;
      r.spotReplicaSeconds += secs;
    } else {
      r.onDemandCostUsd += usd;
      r.onDemandReplicaSeconds += secs;
    }
  };
  const setServing = (n: number) => {
    if (serving >= required && n < required) r.shortfalls++;
    serving = n;
  };

  let reviewAt = Infinity;
  let retryAt = Infinity;
  const view = (now: number) => {
    const byId: Record<string, PoolRun> = {};
    markets.forEach((m, i) => {
      const x = runs[i];
      byId[m.pool.id] = {
        ready: x.ready.length,
        starting: x.starting.length,
        noticed: x.noticed.length,
        preemptions: x.preemptions,
        failures: x.failures,
        lastReadyAt: x.lastReadyAt,
      };
    });
    return {
      now,
      required,
      // A pool with a price history is shown at its price now.
      pools: markets.map(m =>
        m.prices ? { ...m.pool, usdPerHour: priceAt(m, now) } : m.pool,
      ),
      runs: byId,
      policy: o.policy,
      startupSeconds: delay,
      noticeSeconds: notice,
    };
  };
  const ask = (now: number): SpotServingDecision => {
    const input = view(now);
    r.decisions++;
    if (!o.clock) return policy.decide(input);
    const t0 = o.clock();
    const d = policy.decide(input);
    r.decideNanos.push(Number(o.clock() - t0));
    return d;
  };
  const decideAndApply = (now: number, warm: boolean) => {
    let failed = false;
    let anyFailed = false;
    for (let round = 0; round <= markets.length; round++) {
      const d = ask(now);
      r.lastReason = d.reason;
      reviewAt =
        d.reviewAt !== undefined && d.reviewAt > now ? d.reviewAt : Infinity;
      failed = false;
      for (let i = 0; i < markets.length; i++) {
        const m = markets[i];
        const x = runs[i];
        const want = Math.max(0, Math.floor(d.targets[m.pool.id] ?? 0));
        let have = x.starting.length + x.ready.length;
        while (have > want) {
          let victim: Replica;
          if (x.starting.length) victim = x.starting.pop()!;
          else {
            victim = x.ready.pop()!;
            setServing(serving - 1);
          }
          bill(i, victim, now);
          r.stopped++;
          have--;
        }
        if (want > have) {
          if (!launchable(m, now, notice)) {
            x.failures.push(now);
            r.failedLaunches += want - have;
            failed = true;
            continue;
          }
          for (; have < want; have++) {
            if (warm) {
              x.ready.push({ launchedAt: now, readyAt: now });
              x.lastReadyAt = now;
              setServing(serving + 1);
            } else {
              x.starting.push({ launchedAt: now, readyAt: now + delay });
              r.launches++;
              if (m.pool.capacity !== 'spot') r.onDemandLaunches++;
            }
          }
        }
      }
      if (!failed) break;
      anyFailed = true;
    }
    retryAt = anyFailed ? (Math.floor(now / retry) + 1) * retry : Infinity;
  };

  let t = 0;
  decideAndApply(0, true);
  // The policy sees its first placement Ready (warm) and may settle it.
  decideAndApply(0, false);
  let ptr = 0;
  for (;;) {
    let next = Math.min(horizon, reviewAt, retryAt);
    if (ptr < events.length) next = Math.min(next, events[ptr].at);
    for (const x of runs)
      if (x.starting.length) next = Math.min(next, x.starting[0].readyAt);
    r.readyReplicaSeconds += Math.min(serving, required) * (next - t);
    t = next;
    if (t >= horizon) break;
    let changed = false;
    while (ptr < events.length && events[ptr].at <= t) {
      const e = events[ptr++];
      const x = runs[e.market];
      if (e.kind === 0) {
        if (!x.starting.length && !x.ready.length) continue;
        x.preemptions.push(e.at);
        x.noticedReady += x.ready.length;
        x.noticed.push(...x.ready, ...x.starting);
        x.ready = [];
        x.starting = [];
        changed = true;
      } else if (x.noticed.length) {
        for (const victim of x.noticed) bill(e.market, victim, e.at);
        r.reclaimed += x.noticed.length;
        setServing(serving - x.noticedReady);
        x.noticed = [];
        x.noticedReady = 0;
        changed = true;
      }
    }
    for (const x of runs) {
      while (x.starting.length && x.starting[0].readyAt <= t) {
        x.ready.push(x.starting.shift()!);
        x.lastReadyAt = t;
        setServing(serving + 1);
        changed = true;
      }
    }
    if (reviewAt <= t || retryAt <= t) changed = true;
    if (changed) decideAndApply(t, false);
  }
  runs.forEach((x, i) => {
    for (const rep of [...x.starting, ...x.ready, ...x.noticed])
      bill(i, rep, horizon);
  });
  return r;
}
