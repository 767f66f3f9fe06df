/**
 * The counterfactual of applied actions over one model's day: what the
 * model would have cost without each action, interval by interval, priced
 * at the day's prices. Pure: no I/O, no clock (docs/savings.md).
 */

/** A workload sample of the model, as the roll-up reads it. */
export interface LedgerSample {
  /** `cluster/namespace/kind/name` of the workload. */
  workload: string;
  /** Epoch milliseconds; the sample stands for `seconds` from then on. */
  sampledAt: number;
  seconds: number;
  poolRef: string;
  replicas: number;
  /** GPU units (whole GPUs, MIG slices, time-slices) per replica. */
  unitsPerReplica: number;
}

/** One workload of a model just before an action started. */
export interface PreStateWorkload {
  workload: string;
  poolRef: string;
  replicas: number;
  unitsPerReplica: number;
}

/** An applied action, with the model as it was just before it started. */
export interface ChainAction {
  id: string;
  kind: 'migrate' | 'scale';
  /** Epoch milliseconds. */
  startedAt: number;
  finishedAt: number;
  pre: PreStateWorkload[];
  /** A scale's workload and the replicas it set. */
  scale?: { workload: string; replicas: number };
}

/** What one action saved over the model's day. */
export interface ActionDayFigures {
  actionId: string;
  /** Hours of the day the action held. */
  hours: number;
  /** The model's cost in those hours (GPU units × the day's unit price). */
  afterUsd: number;
  savedUsd: number;
  /** `afterUsd + savedUsd`. */
  beforeUsd: number;
  /** The pool the model held most replica-hours on in those hours. */
  poolRef: string;
}

/** One model's day. */
export interface ModelDayInput {
  /** Epoch milliseconds of the day's start and end (UTC). */
  dayStart: number;
  dayEnd: number;
  /** The model's workload samples taken that day. */
  samples: LedgerSample[];
  /** Its applied actions that finished by the day's end. */
  actions: ChainAction[];
  /**
   * USD per GPU unit-hour of a pool that day, as showback charges it (the
   * pools of the samples and of the actions' pre-states); undefined when
   * no price is known (a pool the model runs on then costs nothing, as in
   * showback; a move from it cannot be priced).
   */
  unitPrice: (poolRef: string) => number | undefined;
}

interface Entry {
  workload: string;
  poolRef: string;
  replicas: number;
  /** USD per replica-hour. */
  usdPerReplicaHour: number;
}

const EPS = 1e-9;
const HOUR_MS = 3_600_000;

const costOf = (state: Entry[], hours: number) =>
  state.reduce((s, e) => s + e.replicas * e.usdPerReplicaHour, 0) * hours;

/** What a migrate reprices the model's replica-hours at: its pre-state's mean price of a replica-hour. */
export function preStateReplicaPrice(
  pre: PreStateWorkload[],
  unitPrice: (poolRef: string) => number | undefined,
): number | undefined {
  const prices = pre.map(w => unitPrice(w.poolRef));
  if (!pre.length || prices.some(p => p === undefined)) return undefined;
  const perReplica = pre.map((w, i) => w.unitsPerReplica * prices[i]!);
  const replicas = pre.reduce((s, w) => s + w.replicas, 0);
  if (replicas > 0) {
    return (
      pre.reduce((s, w, i) => s + w.replicas * perReplica[i], 0) / replicas
    );
  }
  return perReplica.reduce((s, p) => s + p, 0) / perReplica.length;
}

interface Transform {
  action: ChainAction;
  /** The state without the action, from the state with it; `held` false when it does not hold. */
  apply(
    state: Entry[],
    actual: Entry[],
    hours: number,
  ): { state: Entry[]; held: boolean; overlapUsd: number };
}

function migrateTransform(action: ChainAction, price: number): Transform {
  return {
    action,
    apply: state => ({
      state: state.map(e => ({ ...e, usdPerReplicaHour: price })),
      held: true,
      overlapUsd: 0,
    }),
  };
}

function scaleTransform(action: ChainAction): Transform {
  const { workload, replicas: target } = action.scale!;
  const before = action.pre.reduce((s, w) => s + w.replicas, 0);
  const own = action.pre.find(w => w.workload === workload);
  // The model's replicas the action left: its workload at the target, the
  // others as they were.
  const after = before - (own ? own.replicas : before) + target;
  return {
    action,
    apply(state, actual, hours) {
      const total = state.reduce((s, e) => s + e.replicas, 0);
      if (!state.length || Math.abs(total - after) > EPS) {
        return { state, held: false, overlapUsd: 0 };
      }
      if (after > 0) {
        const k = before / after;
        return {
          state: state.map(e => ({ ...e, replicas: e.replicas * k })),
          held: true,
          overlapUsd: 0,
        };
      }
      // At zero: the replicas come back on the scaled workload. One
      // replica of a workload at zero is hibernation's saving (showback's
      // `saved_usd`, the ledger's hibernation line): not counted twice.
      const i = Math.max(
        0,
        state.findIndex(e => e.workload === workload),
      );
      const zero = actual.find(
        e => e.workload === state[i].workload && e.replicas === 0,
      );
      return {
        state: state.map((e, j) => (j === i ? { ...e, replicas: before } : e)),
        held: true,
        overlapUsd:
          zero && before > 0
            ? zero.usdPerReplicaHour * Math.min(1, before) * hours
            : 0,
      };
    },
  };
}

/**
 * Splits the day into intervals in which the model's workloads (the
 * newest sample of each that still stands) and the actions in effect do
 * not change.
 */
function intervals(
  input: ModelDayInput,
): Array<{ start: number; end: number; entries: Entry[] }> {
  const { dayStart, dayEnd, unitPrice } = input;
  const bounds = new Set<number>();
  const byWorkload = new Map<string, LedgerSample[]>();
  for (const s of input.samples) {
    const start = Math.max(dayStart, s.sampledAt);
    const end = Math.min(dayEnd, s.sampledAt + s.seconds * 1000);
    if (end <= start) continue;
    bounds.add(start).add(end);
    byWorkload.set(s.workload, [...(byWorkload.get(s.workload) ?? []), s]);
  }
  for (const a of input.actions) {
    if (a.finishedAt > dayStart && a.finishedAt < dayEnd)
      bounds.add(a.finishedAt);
  }
  const lists = [...byWorkload.values()].map(l =>
    l.sort((a, b) => a.sampledAt - b.sampledAt),
  );
  const at = lists.map(() => -1);
  const points = [...bounds].sort((a, b) => a - b);
  const out: Array<{ start: number; end: number; entries: Entry[] }> = [];
  for (let p = 0; p + 1 < points.length; p++) {
    const start = points[p];
    const entries: Entry[] = [];
    lists.forEach((list, i) => {
      while (at[i] + 1 < list.length && list[at[i] + 1].sampledAt <= start) {
        at[i] += 1;
      }
      const s = list[at[i]];
      if (s && start < s.sampledAt + s.seconds * 1000) {
        entries.push({
          workload: s.workload,
          poolRef: s.poolRef,
          replicas: s.replicas,
          usdPerReplicaHour: s.unitsPerReplica * (unitPrice(s.poolRef) ?? 0),
        });
      }
    });
    if (entries.length) out.push({ start, end: points[p + 1], entries });
  }
  return out;
}

/**
 * What each applied action saved over one model's day.
 *
 * In each interval after an action finished, the actions in effect form a
 * chain, oldest first. Without the newest, the model is as that action
 * found it; without the one before as well, as that one found it; and so
 * on: each action's saving is the cost of the state without it (and every
 * later one) less the cost of the state without only the later ones, so
 * the savings of a model's actions add up to the cost without any of them
 * less what it cost, however many there are. Without a `migrate`, the
 * model's replica-hours are priced at its pre-state's price of a replica
 * (the pre-state's pools at the day's unit price, with its GPU units per
 * replica). Without a `scale`, while the model's replicas are those the
 * scale left, it has its pre-state's replicas on the pools it runs on;
 * when they are not, the scale does not hold and saves nothing then.
 * Actions whose pre-state is not known, or (a move's) not priced that
 * day, are left out (returned in `unknown`).
 */
export function ledgerOfModelDay(input: ModelDayInput): {
  lines: ActionDayFigures[];
  unknown: string[];
} {
  const unknown: string[] = [];
  const transforms: Transform[] = [];
  const chain = [...input.actions].sort(
    (a, b) =>
      a.startedAt - b.startedAt ||
      a.finishedAt - b.finishedAt ||
      a.id.localeCompare(b.id),
  );
  for (const action of chain) {
    if (action.kind === 'migrate') {
      const price = preStateReplicaPrice(action.pre, input.unitPrice);
      if (price === undefined) unknown.push(action.id);
      else transforms.push(migrateTransform(action, price));
    } else if (action.scale && action.pre.length) {
      transforms.push(scaleTransform(action));
    } else {
      unknown.push(action.id);
    }
  }
  const figures = new Map<
    string,
    {
      hours: number;
      afterUsd: number;
      savedUsd: number;
      pools: Map<string, number>;
    }
  >();
  for (const { start, end, entries } of intervals(input)) {
    const hours = (end - start) / HOUR_MS;
    const actualUsd = costOf(entries, hours);
    const inEffect = transforms.filter(t => t.action.finishedAt <= start);
    let state = entries;
    for (let k = inEffect.length - 1; k >= 0; k--) {
      const t = inEffect[k];
      const r = t.apply(state, entries, hours);
      let f = figures.get(t.action.id);
      if (!f) {
        f = { hours: 0, afterUsd: 0, savedUsd: 0, pools: new Map() };
        figures.set(t.action.id, f);
      }
      f.savedUsd +=
        costOf(r.state, hours) - costOf(state, hours) - r.overlapUsd;
      if (r.held) {
        f.hours += hours;
        f.afterUsd += actualUsd;
        for (const e of entries) {
          f.pools.set(
            e.poolRef,
            (f.pools.get(e.poolRef) ?? 0) + e.replicas * hours,
          );
        }
      }
      state = r.state;
    }
  }
  const lines: ActionDayFigures[] = [];
  for (const [actionId, f] of figures) {
    // A scale that never held that day saved nothing on it: no line.
    if (f.hours === 0 && Math.abs(f.savedUsd) < EPS) continue;
    const poolRef =
      [...f.pools.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    lines.push({
      actionId,
      hours: f.hours,
      afterUsd: f.afterUsd,
      savedUsd: f.savedUsd,
      beforeUsd: f.afterUsd + f.savedUsd,
      poolRef,
    });
  }
  return { lines, unknown };
}
