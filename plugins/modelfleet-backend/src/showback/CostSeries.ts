import { CostRow, dayOfNumber } from '../engines/showback';

/** Days per block of precomputed sums. */
export const BLOCK = 32;
/**
 * Figures kept per day, in this order: cost, unallocated capacity (idle),
 * GPU-hours, saved GPU-hours, saved USD, allocated but unused.
 */
export const FIELDS = 6;
/** Tag of a day without a row. */
export const NONE = -1;
/** Bit of a tag set when the day's row is demo data. */
export const DEMO = 0x40000000;

const DAY_MS = 86_400_000;
const ZERO = new Float64Array(FIELDS);

/** Days since 1970-01-01 of a `YYYY-MM-DD` day. */
export const dayNumber = (day: string) =>
  Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);

/** The `YYYY-MM-DD` day of a day number (remembered: reports ask again). */
export const dayString = (n: number): string => dayOfNumber(n);

/**
 * The daily figures of one roll-up series (one scope, entity, team and
 * pool) over a span of days. Days are grouped in blocks of {@link BLOCK}
 * days, and each day holds the sums from the start of its block to it
 * (and the count of rows so far), so a sum over any period takes a step
 * per block it touches, whatever its length and alignment. A sum over
 * days without rows is exactly 0. Each day also keeps a tag: the id of
 * its provenance, with the {@link DEMO} bit, or {@link NONE} without a row.
 *
 * Days are numbers (see {@link dayNumber}); slot 0 is day `start`, a
 * multiple of {@link BLOCK}, so blocks are aligned across series.
 *
 * @internal
 */
export class CostSeries {
  start: number;
  private length = 0;
  /** Per slot and field: the sum over the slots of its block up to it. */
  private sums: Float64Array;
  /** Per slot: rows in the slots of its block up to it. */
  private rows: Uint8Array;
  private tags: Int32Array;
  /** Per block, side by side: the sums and rows of its last slot. */
  private totals: Float64Array;
  private blockRows: Uint8Array;

  /**
   * @param entityId - index of (scope, entity) among the index's entities
   * @param poolId - index of the pool among the index's pools
   */
  constructor(
    readonly scope: CostRow['scope'],
    readonly entityRef: string,
    readonly teamRef: string,
    readonly poolRef: string,
    readonly entityId: number,
    readonly poolId: number,
    day: number,
  ) {
    this.start = Math.floor(day / BLOCK) * BLOCK;
    this.sums = new Float64Array(FIELDS * BLOCK);
    this.rows = new Uint8Array(BLOCK);
    this.tags = new Int32Array(BLOCK).fill(NONE);
    this.totals = new Float64Array(FIELDS);
    this.blockRows = new Uint8Array(1);
  }

  /** The first day after the series' last slot. */
  get end(): number {
    return this.start + this.length;
  }

  /** Sets the figures of a day ({@link FIELDS} of them, in order). */
  set(day: number, figures: ArrayLike<number>, tag: number) {
    const slot = this.slotOf(day);
    const fresh = this.tags[slot] === NONE;
    this.shift(slot, figures, fresh ? 1 : 0);
    this.tags[slot] = tag;
  }

  /** Removes the row of a day, if any. */
  clear(day: number) {
    const slot = day - this.start;
    if (slot < 0 || slot >= this.length || this.tags[slot] === NONE) return;
    this.shift(slot, ZERO, -1);
    this.tags[slot] = NONE;
  }

  /**
   * Adds the figures of days [from, to) into `out` at `at` ({@link FIELDS}
   * of them); returns whether any of those days has a row.
   */
  addTo(from: number, to: number, out: Float64Array, at: number): boolean {
    let lo = Math.max(from, this.start) - this.start;
    const hi = Math.min(to, this.end) - this.start;
    const { sums, rows, totals, blockRows } = this;
    let any = false;
    while (lo < hi) {
      const b = Math.floor(lo / BLOCK);
      // [lo, last] lies in block b.
      const last = Math.min(hi, (b + 1) * BLOCK) - 1;
      if (
        lo === b * BLOCK &&
        (last === (b + 1) * BLOCK - 1 || last === this.length - 1)
      ) {
        // The whole block as held: its totals, next to those of the others.
        if (blockRows[b] > 0) {
          any = true;
          for (let f = 0; f < FIELDS; f++)
            out[at + f] += totals[b * FIELDS + f];
        }
      } else {
        const first = lo !== b * BLOCK;
        if (rows[last] - (first ? rows[lo - 1] : 0) > 0) {
          any = true;
          for (let f = 0; f < FIELDS; f++) {
            out[at + f] +=
              sums[last * FIELDS + f] -
              (first ? sums[(lo - 1) * FIELDS + f] : 0);
          }
        }
      }
      lo = last + 1;
    }
    return any;
  }

  /**
   * Adds the figures of each day of [from, to) into `out` ({@link FIELDS}
   * per day, from `from` on) and marks the days with a row in `marks`.
   */
  addDaily(from: number, to: number, out: Float64Array, marks: Uint8Array) {
    const lo = Math.max(from, this.start) - this.start;
    const hi = Math.min(to, this.end) - this.start;
    const offset = this.start - from;
    for (let s = lo; s < hi; s++) {
      if (this.tags[s] === NONE) continue;
      const d = s + offset;
      for (let f = 0; f < FIELDS; f++)
        out[d * FIELDS + f] += this.valueOf(s, f);
      marks[d] = 1;
    }
  }

  /** Calls `f` with the tag of each day of [from, to) that has a row. */
  eachTag(from: number, to: number, f: (tag: number) => void) {
    const lo = Math.max(from, this.start) - this.start;
    const hi = Math.min(to, this.end) - this.start;
    for (let s = lo; s < hi; s++) {
      if (this.tags[s] !== NONE) f(this.tags[s]);
    }
  }

  /** Whether a day of [from, to) has a row whose tag has a bit of `mask`. */
  anyTag(from: number, to: number, mask: number): boolean {
    const lo = Math.max(from, this.start) - this.start;
    const hi = Math.min(to, this.end) - this.start;
    for (let s = lo; s < hi; s++) {
      if (this.tags[s] !== NONE && (this.tags[s] & mask) !== 0) return true;
    }
    return false;
  }

  /** Bytes held. */
  get bytes(): number {
    return (
      this.sums.byteLength +
      this.rows.byteLength +
      this.tags.byteLength +
      this.totals.byteLength +
      this.blockRows.byteLength
    );
  }

  /** The figure of a slot: its block sum less the one before it. */
  private valueOf(slot: number, f: number): number {
    const up = this.sums[slot * FIELDS + f];
    return slot % BLOCK === 0 ? up : up - this.sums[(slot - 1) * FIELDS + f];
  }

  /**
   * Sets the figures of a slot and moves the sums of the slots after it in
   * its block by the difference; `rows` is the change in its row count.
   */
  private shift(slot: number, figures: ArrayLike<number>, rows: number) {
    const end = Math.min((Math.floor(slot / BLOCK) + 1) * BLOCK, this.length);
    for (let f = 0; f < FIELDS; f++) this.move(slot, end, f, figures[f]);
    if (rows !== 0) {
      for (let s = slot; s < end; s++) this.rows[s] += rows;
    }
    const b = Math.floor(slot / BLOCK);
    for (let f = 0; f < FIELDS; f++) {
      this.totals[b * FIELDS + f] = this.sums[(end - 1) * FIELDS + f];
    }
    this.blockRows[b] = this.rows[end - 1];
  }

  private move(slot: number, end: number, f: number, value: number) {
    const delta = value - this.valueOf(slot, f);
    if (delta === 0) return;
    for (let s = slot; s < end; s++) this.sums[s * FIELDS + f] += delta;
  }

  /** The slot of a day, growing the arrays to hold it. */
  private slotOf(day: number): number {
    if (day < this.start) {
      const start = Math.floor(day / BLOCK) * BLOCK;
      this.resize(this.length + (this.start - start), this.start - start);
      this.length += this.start - start;
      this.start = start;
    }
    const slot = day - this.start;
    if (slot >= this.tags.length) {
      this.resize(Math.max(slot + 1, this.tags.length + 2 * BLOCK), 0);
    }
    // New slots carry the sums of the slot before them in their block.
    for (let s = this.length; s <= slot; s++) {
      const carry = s % BLOCK !== 0;
      for (let f = 0; f < FIELDS; f++) {
        this.sums[s * FIELDS + f] = carry ? this.sums[(s - 1) * FIELDS + f] : 0;
      }
      this.rows[s] = carry ? this.rows[s - 1] : 0;
      this.tags[s] = NONE;
    }
    if (slot >= this.length) this.length = slot + 1;
    return slot;
  }

  /** Reallocates for `slots` slots (whole blocks), the old ones moved by `shift` (whole blocks). */
  private resize(slots: number, shift: number) {
    const capacity = Math.ceil(slots / BLOCK) * BLOCK;
    const sums = new Float64Array(capacity * FIELDS);
    sums.set(this.sums.subarray(0, this.length * FIELDS), shift * FIELDS);
    const rows = new Uint8Array(capacity);
    rows.set(this.rows.subarray(0, this.length), shift);
    const tags = new Int32Array(capacity).fill(NONE);
    tags.set(this.tags.subarray(0, this.length), shift);
    const blocks = Math.ceil(this.length / BLOCK);
    const totals = new Float64Array((capacity / BLOCK) * FIELDS);
    totals.set(
      this.totals.subarray(0, blocks * FIELDS),
      (shift / BLOCK) * FIELDS,
    );
    const blockRows = new Uint8Array(capacity / BLOCK);
    blockRows.set(this.blockRows.subarray(0, blocks), shift / BLOCK);
    this.sums = sums;
    this.rows = rows;
    this.tags = tags;
    this.totals = totals;
    this.blockRows = blockRows;
  }
}
