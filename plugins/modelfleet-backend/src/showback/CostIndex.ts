import {
  CostBreakdownItem,
  CostPoint,
  CostProvenance,
} from '@modelfleet/plugin-modelfleet-common';
import { ShowbackStore } from '../database/ShowbackStore';
import { IndexData, key } from './costIndexData';
import { addDays, CostRow } from '../engines/showback';
import {
  BLOCK,
  CostSeries,
  dayNumber,
  dayString,
  DEMO,
  FIELDS,
} from './CostSeries';

type Scope = CostRow['scope'];

/** Options of a {@link CostIndex}. */
export interface CostIndexOptions {
  /**
   * Days of roll-ups held, back from the newest: 430 by default, a 400-day
   * period (the longest the API serves) ending up to a month ago.
   */
  windowDays?: number;
  /**
   * Roll-up rows held at most (about 53 bytes each); the window shrinks to
   * fit, from the rows of the newest day. 4,000,000 by default.
   */
  maxRows?: number;
}

/** What a breakdown sums, and by what. */
export interface IndexBreakdownQuery {
  scope: Scope;
  from: string;
  to: string;
  teamRef?: string;
  poolRef?: string;
  entityRef?: string;
  by?: 'entity_ref' | 'pool_ref';
  limit?: number;
}

/** A line of a breakdown: an entity (or pool) and its sums. */
export type IndexBreakdownItem = CostBreakdownItem;

/** The figures of a {@link CostSeries} at `at` of `v`, by name. */
const figuresAt = (v: Float64Array, at: number) => ({
  costUsd: v[at],
  idleUsd: v[at + 1],
  gpuHours: v[at + 2],
  savedGpuHours: v[at + 3],
  savedUsd: v[at + 4],
  unusedUsd: v[at + 5],
});

/** Whether `a` comes before `b` in a breakdown: costlier, then by ref. */
const before = (a: IndexBreakdownItem, b: IndexBreakdownItem) =>
  a.costUsd > b.costUsd ||
  (a.costUsd === b.costUsd && a.entityRef < b.entityRef);

/** Keeps the `limit` first items of a breakdown, in order. */
function keep(
  items: IndexBreakdownItem[],
  item: IndexBreakdownItem,
  limit: number,
) {
  if (items.length === limit && !before(item, items[limit - 1])) return;
  let i = items.length === limit ? limit - 1 : items.length;
  while (i > 0 && before(item, items[i - 1])) {
    items[i] = items[i - 1];
    i -= 1;
  }
  items[i] = item;
}

const yieldToRequests = () => new Promise<void>(r => setImmediate(r));

/**
 * The daily roll-ups of the last months in memory, for the figures that
 * sum many entities over a period: the breakdowns of a report (a fleet's
 * costliest models, a team's models, a pool's models, the teams and
 * pools of the fleet), the cost of an entity's days, and their prices and
 * demo flags. Each day holds the running sums of its 32-day block (see
 * {@link CostSeries}), so a breakdown over any period costs a step per
 * entity and block, not a row per entity and day; about 53 bytes a row.
 *
 * It follows the roll-up version: {@link CostIndex.sync} reads it (one
 * small query) and, when it moved, reloads just the days replaced since,
 * whichever backend replica replaced them. The first sync loads the
 * window day by day, letting requests run in between.
 *
 * @internal
 */
export class CostIndex {
  private data?: IndexData;
  private version?: string;
  private pending?: Promise<void>;
  private versionRead?: { replaced: number; version: Promise<string> };
  private sums = { values: new Float64Array(0), state: new Uint8Array(0) };

  constructor(
    private readonly store: ShowbackStore,
    private readonly options: CostIndexOptions = {},
  ) {}

  /**
   * Brings the index up to the stored roll-ups; returns the roll-up version
   * read, which the index now holds (or a newer one).
   */
  async sync(): Promise<string> {
    const version = await this.readVersion();
    if (this.version === version) return version;
    do {
      this.pending ??= this.refresh().finally(() => {
        this.pending = undefined;
      });
      await this.pending;
    } while (
      this.version === undefined ||
      BigInt(this.version) < BigInt(version)
    );
    return version;
  }

  /** Whether the index holds every roll-up row of [from, to). */
  covers(from: string, to: string): boolean {
    return (
      Boolean(this.data) && from < to && dayNumber(from) >= this.data!.from
    );
  }

  /**
   * The entities (or pools) of a scope summed over [from, to), costliest
   * first, as {@link ShowbackStore.breakdown} sums them; undefined when the
   * period is not held.
   */
  breakdown(q: IndexBreakdownQuery): IndexBreakdownItem[] | undefined {
    if (!this.covers(q.from, q.to)) return undefined;
    const data = this.data!;
    let candidates: CostSeries[];
    if (q.entityRef !== undefined) {
      candidates = data.byEntity.get(key(q.scope, q.entityRef)) ?? [];
    } else if (q.teamRef !== undefined && q.scope === 'model') {
      candidates = data.byTeam.get(q.teamRef) ?? [];
    } else if (q.poolRef !== undefined && q.scope === 'model') {
      candidates = data.byPool.get(q.poolRef) ?? [];
    } else {
      candidates = data.byScope.get(q.scope) ?? [];
    }
    const from = dayNumber(q.from);
    const to = dayNumber(q.to);
    const byPool = q.by === 'pool_ref';
    const names = byPool ? data.pools.names : data.entities.names;
    // Sums per group, in arrays indexed by group id; only touched ids are
    // read (and cleared) afterwards.
    const sums = this.scratch(names.length);
    const touched: number[] = [];
    for (const s of candidates) {
      if (s.scope !== q.scope || s.end <= from || s.start >= to) continue;
      if (q.teamRef !== undefined && s.teamRef !== q.teamRef) continue;
      if (q.poolRef !== undefined && s.poolRef !== q.poolRef) continue;
      if (q.entityRef !== undefined && s.entityRef !== q.entityRef) continue;
      const g = byPool ? s.poolId : s.entityId;
      if (sums.state[g] === 0) {
        sums.state[g] = 1;
        touched.push(g);
      }
      if (s.addTo(from, to, sums.values, g * FIELDS)) sums.state[g] = 2;
    }
    const limit = q.limit || Infinity;
    const items: IndexBreakdownItem[] = [];
    for (const g of touched) {
      const v = sums.values;
      if (sums.state[g] === 2) {
        const name = names[g];
        const item = {
          entityRef: byPool ? name : name.slice(name.indexOf('\u0000') + 1),
          ...figuresAt(v, g * FIELDS),
        };
        if (limit === Infinity) items.push(item);
        else keep(items, item, limit);
      }
      sums.state[g] = 0;
      v.fill(0, g * FIELDS, g * FIELDS + FIELDS);
    }
    if (limit === Infinity) {
      items.sort((a, b) => {
        if (before(a, b)) return -1;
        return before(b, a) ? 1 : 0;
      });
    }
    return items;
  }

  /**
   * Daily cost, idle cost, GPU-hours and savings of an entity (or the fleet), summed
   * over its pools, on the days of [from, to) that have rows, as
   * {@link ShowbackStore.daily} reads them; undefined when not held.
   */
  daily(
    scope: Scope,
    entityRef: string,
    from: string,
    to: string,
  ): CostPoint[] | undefined {
    if (!this.covers(from, to)) return undefined;
    const first = dayNumber(from);
    const days = dayNumber(to) - first;
    const values = new Float64Array(days * FIELDS);
    const rows = new Uint8Array(days);
    for (const s of this.data!.byEntity.get(key(scope, entityRef)) ?? []) {
      s.addDaily(first, first + days, values, rows);
    }
    const out: CostPoint[] = [];
    for (let d = 0; d < days; d++) {
      if (!rows[d]) continue;
      out.push({
        date: dayString(first + d),
        ...figuresAt(values, d * FIELDS),
      });
    }
    return out;
  }

  /**
   * The distinct prices behind an entity's days in [from, to), as
   * {@link ShowbackStore.provenance} reads them; undefined when not held.
   */
  provenance(
    scope: Scope,
    entityRef: string,
    from: string,
    to: string,
  ): CostProvenance[] | undefined {
    if (!this.covers(from, to)) return undefined;
    const data = this.data!;
    const ids = new Set<number>();
    for (const s of data.byEntity.get(key(scope, entityRef)) ?? []) {
      s.eachTag(dayNumber(from), dayNumber(to), tag => {
        if (ids.size < 50) ids.add(tag & ~DEMO);
      });
    }
    const out = new Map<string, CostProvenance>();
    for (const id of ids) {
      data.parsed[id] ??= JSON.parse(
        data.provenance.names[id],
      ) as CostProvenance[];
      for (const p of data.parsed[id]!) {
        out.set(`${p.source}|${p.subject}|${p.observedAt}`, { ...p });
      }
    }
    return [...out.values()];
  }

  /** Whether any of an entity's days in [from, to) is demo data; undefined when not held. */
  isDemo(
    scope: Scope,
    entityRef: string,
    from: string,
    to: string,
  ): boolean | undefined {
    if (!this.covers(from, to)) return undefined;
    return (this.data!.byEntity.get(key(scope, entityRef)) ?? []).some(s =>
      s.anyTag(dayNumber(from), dayNumber(to), DEMO),
    );
  }

  /** Series held and bytes they take, for logs and benchmarks. */
  stats(): { series: number; bytes: number; from?: string } {
    const data = this.data;
    if (!data) return { series: 0, bytes: 0 };
    return {
      series: data.series.size,
      bytes: data.bytes,
      ...(Number.isFinite(data.from) ? { from: dayString(data.from) } : {}),
    };
  }

  /**
   * The roll-up version. Requests that arrive while a read is on its way
   * share it, unless this process replaced a day since it started: under
   * load, one small query serves many requests, and a change made here is
   * seen by every request that starts after it.
   */
  private readVersion(): Promise<string> {
    const replaced = this.store.replacedDays;
    if (this.versionRead?.replaced === replaced) {
      return this.versionRead.version;
    }
    const version = this.store.rollupVersion().finally(() => {
      if (this.versionRead?.version === version) this.versionRead = undefined;
    });
    this.versionRead = { replaced, version };
    return version;
  }

  private async refresh(): Promise<void> {
    const version = await this.store.rollupVersion();
    const data = this.data;
    if (
      !data ||
      this.version === undefined ||
      BigInt(version) < BigInt(this.version)
    ) {
      // First load, or the roll-ups were reset: load the window afresh.
      this.data = await this.load();
      this.version = version;
      return;
    }
    if (version === this.version) return;
    for (const day of await this.store.daysChangedSince(this.version)) {
      if (dayNumber(day) < data.from) continue;
      data.apply(dayNumber(day), await this.store.rowsForIndex(day));
      await yieldToRequests();
    }
    this.version = version;
    const range = await this.store.dayRange();
    if (
      range &&
      dayNumber(range.last) - data.start > this.windowDays() + BLOCK
    ) {
      // The window moved on by a block: load it afresh, which also lets go
      // of prices no day points to any more.
      this.data = await this.load();
    }
  }

  /** Zeroed arrays for `n` groups' sums (0: untouched, 1: touched, 2: has rows). */
  private scratch(n: number) {
    if (this.sums.state.length < n) {
      this.sums = {
        values: new Float64Array(n * 2 * FIELDS),
        state: new Uint8Array(n * 2),
      };
    }
    return this.sums;
  }

  private windowDays() {
    return this.options.windowDays ?? 430;
  }

  /** Loads the window, day by day. */
  private async load(): Promise<IndexData> {
    const range = await this.store.dayRange();
    if (!range) return new IndexData(Infinity, -Infinity);
    const perDay = Math.max(1, await this.store.rowsOfDay(range.last));
    const days = Math.max(
      1,
      Math.min(
        this.windowDays(),
        Math.floor((this.options.maxRows ?? 4_000_000) / perDay),
      ),
    );
    let first = addDays(range.last, -days + 1);
    const all = first <= range.first;
    if (all) first = range.first;
    const data = new IndexData(
      dayNumber(first),
      all ? -Infinity : dayNumber(first),
    );
    for (let day = first; day <= range.last; day = addDays(day, 1)) {
      data.apply(dayNumber(day), await this.store.rowsForIndex(day));
      await yieldToRequests();
    }
    return data;
  }
}
