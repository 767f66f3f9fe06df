import { CostProvenance } from '@modelfleet/plugin-modelfleet-common';
import { IndexRow } from '../database/ShowbackStore';
import { CostRow } from '../engines/showback';
import { CostSeries, DEMO } from './CostSeries';

type Scope = CostRow['scope'];

/** A key of parts that hold no NUL. */
export const key = (...parts: string[]) => parts.join('\u0000');

function push<K>(map: Map<K, CostSeries[]>, k: K, s: CostSeries) {
  const list = map.get(k);
  if (list) list.push(s);
  else map.set(k, [s]);
}

/** Ids for names: the index of each in `names`. */
class Names {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }
}

/**
 * The series of a {@link CostIndex} and the provenance their days point to.
 *
 * @internal
 */
export class IndexData {
  readonly series = new Map<string, CostSeries>();
  readonly byScope = new Map<Scope, CostSeries[]>();
  readonly byEntity = new Map<string, CostSeries[]>();
  readonly byTeam = new Map<string, CostSeries[]>();
  readonly byPool = new Map<string, CostSeries[]>();
  /** Entity refs by entity id (one id per scope and entity). */
  readonly entities = new Names();
  readonly pools = new Names();
  /** Provenance JSON by id, as stored, and parsed when first read. */
  readonly provenance = new Names();
  readonly parsed: Array<CostProvenance[] | undefined> = [];

  /**
   * @param start - the first day loaded (it moves back with older days)
   * @param from - the index holds every row of the days from this one on:
   *   `start`, or -Infinity when no row is older than `start`
   */
  constructor(public start: number, readonly from: number) {}

  /** Replaces the rows of a day. */
  apply(day: number, rows: IndexRow[]) {
    if (rows.length) this.start = Math.min(this.start, day);
    for (const s of this.series.values()) {
      if (day >= s.start && day < s.end) s.clear(day);
    }
    for (const r of rows) {
      const k = key(r.scope, r.entityRef, r.teamRef, r.poolRef);
      let s = this.series.get(k);
      if (!s) {
        s = new CostSeries(
          r.scope,
          r.entityRef,
          r.teamRef,
          r.poolRef,
          this.entities.id(key(r.scope, r.entityRef)),
          this.pools.id(r.poolRef),
          day,
        );
        this.series.set(k, s);
        push(this.byScope, r.scope, s);
        push(this.byEntity, key(r.scope, r.entityRef), s);
        if (r.scope === 'model') {
          push(this.byTeam, r.teamRef, s);
          push(this.byPool, r.poolRef, s);
        }
      }
      const id = this.provenance.id(r.provenance);
      s.set(
        day,
        [
          r.costUsd,
          r.idleUsd,
          r.gpuHours,
          r.savedGpuHours,
          r.savedUsd,
          r.unusedUsd,
        ],
        r.demo ? id | DEMO : id,
      );
    }
  }

  get bytes(): number {
    let n = 0;
    for (const s of this.series.values()) n += s.bytes;
    for (const p of this.provenance.names) n += p.length * 2;
    return n;
  }
}
