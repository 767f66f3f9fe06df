import { adaptivePolicy, AdaptiveOptions } from './adaptive';
import { IdleDecision, ModelWakeCost } from './types';

/** A model's busy time, seconds since the epoch: [start, end). */
export interface BusyInterval {
  start: number;
  end: number;
}

/**
 * A model's busy intervals from its request rate (points `[unix seconds,
 * requests per second]`, each the mean over the `stepSeconds` before it):
 * a step with any request is busy for the whole step, consecutive busy
 * steps make one interval. The resolution is the step; a gap shorter than
 * one step is not seen, which is below the shortest keep-alive ModelFleet
 * sets (60 s) at a one-minute step. Points out of order or not finite are
 * ignored.
 */
export function busyIntervalsOf(
  points: Array<[number, number]>,
  stepSeconds: number,
): BusyInterval[] {
  const sorted = points
    .filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v))
    .sort((a, b) => a[0] - b[0]);
  const out: BusyInterval[] = [];
  for (const [t, rps] of sorted) {
    if (rps <= 0) continue;
    const start = t - stepSeconds;
    const last = out[out.length - 1];
    if (last && start <= last.end + 1e-6) {
      last.end = Math.max(last.end, t);
    } else {
      out.push({ start, end: t });
    }
  }
  return out;
}

/**
 * A model's busy intervals from exact busy spans (each request from its
 * arrival for its execution time): sorted, and merged across gaps shorter
 * than `bridgeSeconds`; spans not finite or empty are ignored. The loop
 * acts at most once a pass and sets no keep-alive under a minute, so a
 * model stays warm through a shorter gap whatever it decides: bridged at
 * the history's step, the gaps it learns from are those it can act on (a
 * batch of requests seconds apart is one busy interval, not sixty), with
 * their edges exact.
 */
export function mergeBusySpans(
  spans: BusyInterval[],
  bridgeSeconds = 0,
): BusyInterval[] {
  const sorted = spans
    .filter(
      x =>
        Number.isFinite(x.start) && Number.isFinite(x.end) && x.end > x.start,
    )
    .sort((a, b) => a.start - b.start);
  const out: BusyInterval[] = [];
  for (const { start, end } of sorted) {
    const last = out[out.length - 1];
    if (last && start - last.end < bridgeSeconds + 1e-9) {
      last.end = Math.max(last.end, end);
    } else out.push({ start, end });
  }
  return out;
}

/** What the engine knows of one model, to learn its keep-alive. */
export interface ModelHistory {
  model: string;
  intervals: BusyInterval[];
  cost: ModelWakeCost;
}

/** The learned keep-alive of a model now, and how idle it is. */
export interface LearnedIdle {
  /** The end of its last busy interval (ms), when it is idle now. */
  idleSince?: number;
  /** What the policy decided at the end of its last busy interval. */
  decision?: IdleDecision;
  /** Busy intervals it learned from. */
  intervals: number;
}

/**
 * Replays every model's busy intervals through the adaptive keep-alive
 * policy, in time order across the fleet (the policy learns each model's
 * gaps and, as their prior, the fleet's), and returns for each model what
 * the policy decided when its last busy interval ended. A model whose last
 * interval reaches `now` (less two steps: metrics lag) is busy: no `idleSince`.
 */
export function learnKeepAlives(
  histories: ModelHistory[],
  /** ms */
  now: number,
  stepSeconds: number,
  options: AdaptiveOptions = {},
): Map<string, LearnedIdle> {
  const policy = adaptivePolicy(options);
  const events: Array<{ t: number; kind: 0 | 1; h: ModelHistory }> = [];
  for (const h of histories) {
    for (const i of h.intervals) {
      events.push({ t: i.start, kind: 0, h }, { t: i.end, kind: 1, h });
    }
  }
  // Starts before ends at the same time; a model's own events stay in order.
  events.sort((a, b) => a.t - b.t || a.kind - b.kind);
  const out = new Map<string, LearnedIdle>();
  for (const h of histories)
    out.set(h.model, { intervals: h.intervals.length });
  for (const e of events) {
    const learned = out.get(e.h.model)!;
    if (e.kind === 0) {
      policy.observeBusyStart(e.h.model, e.t, e.h.cost);
    } else {
      learned.decision = policy.decide(e.h.model, e.t, e.h.cost);
      learned.idleSince = e.t * 1000;
    }
  }
  for (const learned of out.values()) {
    const since = learned.idleSince;
    if (since !== undefined && since / 1000 >= now / 1000 - 2 * stepSeconds) {
      // Its last step had requests: it is busy now.
      delete learned.idleSince;
    }
  }
  return out;
}
