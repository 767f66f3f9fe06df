import {
  CostBreakdownItem,
  CostGranularity,
  CostReport,
  CostScope,
  IdleCostPolicy,
  ReconciliationResponse,
  UtilizationReport,
} from '@modelfleet/plugin-modelfleet-common';
import { BillStore } from '../database/BillStore';
import { AnomalyRow, ShowbackStore } from '../database/ShowbackStore';
import {
  addDays,
  bucketOf,
  budgetStatus,
  bucketSeries,
  daysBetween,
  dayOf,
  monthProjection,
  totalsOf,
  unallocatedOf,
} from '../engines/showback';
import { PolicyService } from '../policy/PolicyService';
import { CostIndex, CostIndexOptions, IndexBreakdownQuery } from './CostIndex';
import { CostReader } from './CostReader';
import { reconciliationReport } from './reconciliationReport';
import { holdsPoolCapacity, unallocatedPools } from './unallocatedPools';
import { ModelNow, PoolNow, utilizationReport } from './utilizationReport';

/** A period asked for: [from, to) in UTC days, and the bucket size. */
export interface CostQuery {
  from: string;
  to: string;
  granularity: CostGranularity;
}

/** Fleet top-model lists remembered per roll-up version, by period. */
const TOPS_KEPT = 1_000;

const toAnomaly = (a: AnomalyRow) => ({
  day: a.day,
  scope: a.scope,
  entityRef: a.entityRef,
  ...(a.teamRef ? { team: a.teamRef } : {}),
  costUsd: a.costUsd,
  baselineUsd: a.baselineUsd,
  score: a.score,
  direction: a.direction,
  ...(a.notifiedAt ? { notifiedAt: a.notifiedAt } : {}),
});

/** Which anomalies a report of a scope lists. */
function anomalyFilter(scope: CostScope, ref: string) {
  if (scope === 'team') return { teamRef: ref };
  if (scope === 'fleet') return {};
  return { entityRef: ref };
}

/**
 * Cost, utilization and reconciliation reports from the daily roll-ups.
 * Reads only: the figures are what the showback loop stored. Figures over
 * many entities come from an in-memory {@link CostIndex} of the roll-ups,
 * kept in step with the roll-up version; pass `index: false` to read
 * everything from SQL.
 *
 * @internal
 */
export class CostReportService {
  private readonly index: CostIndex | undefined;
  /** The fleet's top models by period, for one roll-up version. */
  private tops: { version: string; items: Map<string, CostBreakdownItem[]> } = {
    version: '',
    items: new Map(),
  };

  constructor(
    private readonly options: {
      store: ShowbackStore;
      bills: BillStore;
      policies: PolicyService;
      idleCostPolicy: IdleCostPolicy;
      /** The Group that pays unallocated capacity under `platform-team`. */
      platformTeamRef?: string;
      clock?: () => Date;
      index?: CostIndex | CostIndexOptions | false;
    },
  ) {
    const index = options.index ?? {};
    if (index === false) this.index = undefined;
    else if (index instanceof CostIndex) this.index = index;
    else this.index = new CostIndex(options.store, index);
  }

  private today() {
    return dayOf((this.options.clock ?? (() => new Date()))());
  }

  /** A reader of the roll-ups as stored now. */
  private reader(): Promise<CostReader> {
    return CostReader.open(this.options.store, this.index);
  }

  /**
   * Loads the cost index now (a replica calls it when it starts), so the
   * first report does not wait for a year of roll-ups to be read.
   */
  async warm(): Promise<void> {
    await this.index?.sync();
  }

  /**
   * The default period: the last 30 complete days, up to yesterday. Today is
   * still running; a partial day would read as a drop in cost.
   */
  defaultQuery(): CostQuery {
    const to = this.today();
    return { from: addDays(to, -30), to, granularity: 'day' };
  }

  async cost(
    scope: CostScope,
    entityRef: string | null,
    q: CostQuery,
  ): Promise<CostReport> {
    const reader = await this.reader();
    const ref = entityRef ?? '';
    const length = daysBetween(q.from, q.to);
    const prevFrom = addDays(q.from, -length);
    const items = (filter: Omit<IndexBreakdownQuery, 'from' | 'to'>) =>
      reader.breakdown({ ...filter, from: q.from, to: q.to });
    const [daily, prevDaily, breakdown, anomalies, provenance, demo, units] =
      await Promise.all([
        reader.costDaily(scope, ref, q.from, q.to),
        reader.costDaily(scope, ref, prevFrom, q.from),
        this.breakdown(reader, scope, ref, q, items),
        this.options.store.anomalies({
          from: q.from,
          to: q.to,
          ...anomalyFilter(scope, ref),
        }),
        reader.provenance(scope, ref, q.from, q.to),
        reader.isDemo(scope, ref, q.from, q.to),
        scope === 'model'
          ? this.options.store.total('model', ref, q.from, q.to)
          : undefined,
      ]);

    const report: CostReport = {
      scope,
      entityRef,
      from: q.from,
      to: q.to,
      granularity: q.granularity,
      currency: 'USD',
      idleCostPolicy: this.options.idleCostPolicy,
      total: totalsOf(daily),
      series: bucketSeries(daily, q.granularity, q.from, q.to),
      previous: {
        from: prevFrom,
        to: q.from,
        total: totalsOf(prevDaily),
        series: bucketSeries(prevDaily, q.granularity, prevFrom, q.from),
      },
      breakdown,
      anomalies: anomalies.map(toAnomaly),
      provenance,
      demo,
    };
    // Rows plus Unallocated equal the total wherever rows are summed.
    if (scope === 'fleet' || scope === 'team') {
      report.breakdown.unallocated = unallocatedOf({
        scope,
        total: report.total,
        rows: scope === 'fleet' ? breakdown.teams : breakdown.models,
        idleCostPolicy: this.options.idleCostPolicy,
        platformTeamRef: this.options.platformTeamRef,
      });
      // The pools whose capacity nobody used, where this row holds it.
      const holds = holdsPoolCapacity({
        scope,
        entityRef,
        idleCostPolicy: this.options.idleCostPolicy,
        platformTeamRef: this.options.platformTeamRef,
      });
      if (holds) {
        const [pools, modelsByPool] = await Promise.all([
          items({ scope: 'pool' }),
          items({ scope: 'model', by: 'pool_ref' }),
        ]);
        report.breakdown.unallocated.pools = unallocatedPools(
          pools,
          modelsByPool,
        );
      } else {
        report.breakdown.unallocated.pools = [];
      }
    }

    if (units && (units.tokens !== null || units.requests !== null)) {
      const cost = report.total.costUsd;
      const tokens = units.tokens ?? 0;
      const requests = units.requests ?? 0;
      report.unitCosts = {
        tokens,
        requests,
        ...(tokens > 0 ? { usdPer1MTokens: (cost / tokens) * 1e6 } : {}),
        ...(requests > 0 ? { usdPer1kRequests: (cost / requests) * 1e3 } : {}),
      };
    }

    if ((scope === 'team' || scope === 'model') && entityRef) {
      // A period up to today reads the current month, today's running
      // spend included; the week before the month gives a run rate on its
      // first days.
      const today = this.today();
      const asOf = q.to >= today ? today : addDays(q.to, -1);
      const monthStart = bucketOf(asOf, 'month');
      const monthDaily = (
        await reader.costDaily(
          scope,
          ref,
          addDays(monthStart, -7),
          addDays(asOf, 1),
        )
      ).map(d => ({ day: d.date, costUsd: d.costUsd }));
      const month = {
        today: asOf,
        daily: monthDaily,
        partialToday: asOf === today,
      };
      report.projection = monthProjection(month);
      const budget =
        scope === 'team'
          ? this.options.policies.effective(entityRef).policy.monthlyBudgetUsd
          : null;
      if (budget !== null) {
        report.budget = budgetStatus({ monthlyBudgetUsd: budget, ...month });
      }
    }
    return report;
  }

  /** The breakdown of a report: what its entity is made of. */
  private async breakdown(
    reader: CostReader,
    scope: CostScope,
    ref: string,
    q: CostQuery,
    items: (
      filter: Omit<IndexBreakdownQuery, 'from' | 'to'>,
    ) => Promise<CostBreakdownItem[]>,
  ): Promise<CostReport['breakdown']> {
    if (scope === 'model') {
      return {
        models: [],
        pools: await items({ scope: 'model', entityRef: ref, by: 'pool_ref' }),
        teams: [],
      };
    }
    if (scope === 'team') {
      const [models, pools] = await Promise.all([
        items({ scope: 'model', teamRef: ref }),
        items({ scope: 'model', teamRef: ref, by: 'pool_ref' }),
      ]);
      return { models, pools, teams: [] };
    }
    if (scope === 'pool') {
      return {
        models: await items({ scope: 'model', poolRef: ref }),
        pools: [],
        teams: [],
      };
    }
    const [models, teams, pools] = await Promise.all([
      this.fleetTopModels(reader, q),
      items({ scope: 'team' }),
      items({ scope: 'pool', limit: 20 }),
    ]);
    return { models, pools, teams };
  }

  /**
   * The fleet's ten costliest models over a period. The showback loop
   * stores them for the periods the cards offer after each roll-up
   * ({@link precomputeFleetTop}); other periods, or a roll-up newer than
   * what is stored, are summed here (from the index: one step per model).
   */
  private async fleetTopModels(
    reader: CostReader,
    q: CostQuery,
  ): Promise<CostBreakdownItem[]> {
    const version = await reader.rollupVersion();
    const key = `${q.from}|${q.to}`;
    if (this.tops.version !== version) {
      this.tops = { version, items: new Map() };
    }
    const known = this.tops.items.get(key);
    if (known) return known;
    const stored = await this.options.store.storedTop(q.from, q.to);
    const items =
      stored && stored.version === version
        ? stored.items
        : await this.computeFleetTop(reader, q);
    // Remembered for this roll-up version (a newer one starts afresh).
    if (this.tops.version === version && this.tops.items.size < TOPS_KEPT) {
      this.tops.items.set(key, items);
    }
    return items;
  }

  private computeFleetTop(
    reader: CostReader,
    q: CostQuery,
  ): Promise<CostBreakdownItem[]> {
    return reader.breakdown({
      scope: 'model',
      from: q.from,
      to: q.to,
      limit: 10,
    });
  }

  /**
   * Computes and stores the fleet's costliest models for the last 7, 30 and
   * 90 complete days, the periods the cards offer. Called after a roll-up;
   * it also brings the index up to the roll-up.
   */
  async precomputeFleetTop(): Promise<void> {
    const { store } = this.options;
    const version = await store.rollupVersion();
    const reader = await this.reader();
    const to = this.today();
    for (const days of [7, 30, 90]) {
      const q: CostQuery = { from: addDays(to, -days), to, granularity: 'day' };
      await store.storeTop(
        q.from,
        q.to,
        version,
        await this.computeFleetTop(reader, q),
      );
    }
  }

  async utilization(
    scope: CostScope,
    entityRef: string | null,
    q: CostQuery,
    pool?: PoolNow,
    model?: ModelNow,
  ): Promise<UtilizationReport> {
    return utilizationReport({
      reader: await this.reader(),
      scope,
      entityRef,
      q,
      pool,
      model,
      today: this.today(),
    });
  }

  async anomalies(q: CostQuery) {
    return {
      items: (
        await this.options.store.anomalies({ from: q.from, to: q.to })
      ).map(toAnomaly),
    };
  }

  /** Billed cost per source, provider and account against showback of the provider's pools. */
  async reconciliation(q: CostQuery): Promise<ReconciliationResponse> {
    return reconciliationReport({
      reader: await this.reader(),
      bills: this.options.bills,
      q,
    });
  }
}
