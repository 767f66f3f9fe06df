/**
 * The counterfactual of a node consolidation over one pool's day: without
 * it, the pool would have kept the nodes it emptied. Pure: no I/O, no
 * clock (docs/savings.md).
 */

/** A sample of the pool, as the roll-up reads it. */
export interface PoolLedgerSample {
  /** Epoch milliseconds; the sample stands for `seconds` from then on. */
  sampledAt: number;
  seconds: number;
  nodes: number;
}

/** A consolidation that succeeded. */
export interface PoolChainAction {
  id: string;
  /** Epoch milliseconds: from then on it counts. */
  finishedAt: number;
  /** The pool's nodes when it was planned. */
  nodesBefore: number;
  /** The nodes it emptied. */
  nodesEmptied: number;
}

/** What one consolidation saved over the pool's day. */
export interface PoolDayFigures {
  actionId: string;
  /** Hours of the day it held (the pool ran fewer nodes than before). */
  hours: number;
  /** The pool's nodes in those hours, at the day's node price. */
  afterUsd: number;
  savedUsd: number;
  /** `afterUsd + savedUsd`. */
  beforeUsd: number;
}

const MS_PER_HOUR = 3_600_000;

/**
 * Each consolidation's figures over a day of the pool. In each sampled
 * interval after it finished, the nodes it saved are those the pool runs
 * fewer than before it, at most the nodes it emptied (more gone is the
 * autoscaler's doing, fewer is work come back); the hours it held are
 * those with a node saved. Several consolidations of one pool count in
 * the order they finished, each against the nodes the ones before left.
 * Without a node price (`usdPerNodeHour` undefined) nothing is counted.
 */
export function ledgerOfPoolDay(input: {
  dayStart: number;
  dayEnd: number;
  samples: PoolLedgerSample[];
  actions: PoolChainAction[];
  usdPerNodeHour: number | undefined;
}): PoolDayFigures[] {
  const price = input.usdPerNodeHour;
  if (price === undefined || !Number.isFinite(price)) return [];
  const actions = [...input.actions].sort(
    (a, b) => a.finishedAt - b.finishedAt || a.id.localeCompare(b.id),
  );
  const out = new Map<string, PoolDayFigures>();
  for (const s of input.samples) {
    const from = Math.max(s.sampledAt, input.dayStart);
    const to = Math.min(s.sampledAt + s.seconds * 1000, input.dayEnd);
    if (to <= from) continue;
    // Those that finished by then, in order; one finishing inside the
    // interval counts from its end.
    let unexplained = Number.POSITIVE_INFINITY;
    for (const a of actions) {
      const start = Math.max(from, a.finishedAt);
      if (start >= to) continue;
      const hours = (to - start) / MS_PER_HOUR;
      const gone = Math.max(0, a.nodesBefore - s.nodes);
      const saved = Math.max(0, Math.min(a.nodesEmptied, gone, unexplained));
      unexplained = Math.min(unexplained, gone) - saved;
      if (saved <= 0) continue;
      const f = out.get(a.id) ?? {
        actionId: a.id,
        hours: 0,
        afterUsd: 0,
        savedUsd: 0,
        beforeUsd: 0,
      };
      f.hours += hours;
      f.afterUsd += s.nodes * price * hours;
      f.savedUsd += saved * price * hours;
      f.beforeUsd = f.afterUsd + f.savedUsd;
      out.set(a.id, f);
    }
  }
  return [...out.values()];
}
