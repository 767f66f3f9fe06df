import {
  CostBreakdownItem,
  CostPoint,
  CostProvenance,
} from '@modelfleet/plugin-modelfleet-common';
import { ShowbackStore } from '../database/ShowbackStore';
import { CostRow } from '../engines/showback';
import { CostIndex, IndexBreakdownQuery } from './CostIndex';

type Scope = CostRow['scope'];

/**
 * What a report reads of the roll-ups: breakdowns, an entity's daily cost,
 * prices and demo flags from the in-memory {@link CostIndex} where it
 * holds the period, from SQL where it does not (or when there is no
 * index); every figure of an entity's days (utilization) from SQL, through
 * the covering index of the daily table.
 *
 * @internal
 */
export class CostReader {
  private constructor(
    readonly store: ShowbackStore,
    private readonly index: CostIndex | undefined,
    private version: string | undefined,
  ) {}

  /** A reader over the roll-ups as stored now: the index is synced first. */
  static async open(
    store: ShowbackStore,
    index: CostIndex | undefined,
  ): Promise<CostReader> {
    return new CostReader(store, index, await index?.sync());
  }

  /** The roll-up version the reader started from. */
  async rollupVersion(): Promise<string> {
    this.version ??= await this.store.rollupVersion();
    return this.version;
  }

  /** Every figure of an entity's days (utilization): from SQL. */
  daily(scope: Scope, entityRef: string, from: string, to: string) {
    return this.store.daily(scope, entityRef, from, to);
  }

  /** Cost, idle cost, GPU-hours and savings of an entity's days. */
  async costDaily(
    scope: Scope,
    entityRef: string,
    from: string,
    to: string,
  ): Promise<CostPoint[]> {
    const held = this.index?.daily(scope, entityRef, from, to);
    if (held) return held;
    return (await this.store.daily(scope, entityRef, from, to)).map(d => ({
      date: d.date,
      costUsd: d.costUsd,
      idleUsd: d.idleUsd,
      unusedUsd: d.unusedUsd,
      gpuHours: d.gpuHours,
      savedGpuHours: d.savedGpuHours,
      savedUsd: d.savedUsd,
    }));
  }

  async breakdown(q: IndexBreakdownQuery): Promise<CostBreakdownItem[]> {
    const held = this.index?.breakdown(q);
    if (held) return held;
    return (await this.store.breakdown(q)).map(r => ({
      entityRef: r.entityRef,
      costUsd: r.costUsd,
      idleUsd: r.idleUsd,
      unusedUsd: r.unusedUsd,
      gpuHours: r.gpuHours,
      savedGpuHours: r.savedGpuHours,
      savedUsd: r.savedUsd,
    }));
  }

  async provenance(
    scope: Scope,
    entityRef: string,
    from: string,
    to: string,
  ): Promise<CostProvenance[]> {
    return (
      this.index?.provenance(scope, entityRef, from, to) ??
      (await this.store.provenance(scope, entityRef, from, to))
    );
  }

  async isDemo(
    scope: Scope,
    entityRef: string,
    from: string,
    to: string,
  ): Promise<boolean> {
    return (
      this.index?.isDemo(scope, entityRef, from, to) ??
      (await this.store.isDemo(scope, entityRef, from, to))
    );
  }
}
