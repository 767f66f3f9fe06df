import {
  CostBreakdownItem,
  CostGranularity,
  CostPoint,
  CostReport,
  CostScope,
  IdleCostPolicy,
  ReconciliationResponse,
  UtilizationReport,
} from '@modelfleet/plugin-modelfleet-common';
import { BillStore } from '../database/BillStore';
import { AnomalyRow, CostSums, ShowbackStore } from '../database/ShowbackStore';
import {
  addDays,
  bucketOf,
  budgetStatus,
  bucketSeries,
  daysBetween,
  dayOf,
  eachDay,
  reconcile,
  totalsOf,
} from '../engines/showback';
import { PolicyService } from '../policy/PolicyService';

/** A period asked for: [from, to) in UTC days, and the bucket size. */
export interface CostQuery {
  from: string;
  to: string;
  granularity: CostGranularity;
}

const ENTITY: Record<Exclude<CostScope, 'fleet'>, string> = {
  model: 'model',
  team: 'team',
  pool: 'pool',
};

const toItem = (r: { entityRef: string } & CostSums): CostBreakdownItem => ({
  entityRef: r.entityRef,
  costUsd: r.costUsd,
  idleUsd: r.idleUsd,
  gpuHours: r.gpuHours,
});

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
 * Reads only: the figures are what the showback loop stored.
 *
 * @internal
 */
export class CostReportService {
  constructor(
    private readonly options: {
      store: ShowbackStore;
      bills: BillStore;
      policies: PolicyService;
      idleCostPolicy: IdleCostPolicy;
      clock?: () => Date;
    },
  ) {}

  private today() {
    return dayOf((this.options.clock ?? (() => new Date()))());
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
    const { store } = this.options;
    const ref = entityRef ?? '';
    const scopeKey = scope === 'fleet' ? 'fleet' : ENTITY[scope];
    const length = daysBetween(q.from, q.to);
    const prevFrom = addDays(q.from, -length);
    const [daily, prevDaily] = await Promise.all([
      store.daily(scopeKey as any, ref, q.from, q.to),
      store.daily(scopeKey as any, ref, prevFrom, q.from),
    ]);
    const points = (d: CostSums[]): CostPoint[] =>
      d.map(x => ({
        date: x.date,
        costUsd: x.costUsd,
        idleUsd: x.idleUsd,
        gpuHours: x.gpuHours,
      }));

    const breakdown: CostReport['breakdown'] = {
      models: [],
      pools: [],
      teams: [],
    };
    type BreakdownFilter = Omit<
      Parameters<ShowbackStore['breakdown']>[0],
      'from' | 'to'
    >;
    const items = async (filter: BreakdownFilter) =>
      (await store.breakdown({ ...filter, from: q.from, to: q.to })).map(
        toItem,
      );
    if (scope === 'model') {
      breakdown.pools = await items({
        scope: 'model',
        entityRef: ref,
        by: 'pool_ref',
      });
    } else if (scope === 'team') {
      breakdown.models = await items({ scope: 'model', teamRef: ref });
      breakdown.pools = await items({
        scope: 'model',
        teamRef: ref,
        by: 'pool_ref',
      });
    } else if (scope === 'pool') {
      breakdown.models = await items({ scope: 'model', poolRef: ref });
    } else {
      breakdown.models = await this.fleetTopModels(q);
      breakdown.teams = await items({ scope: 'team' });
      breakdown.pools = await items({ scope: 'pool', limit: 20 });
    }

    const report: CostReport = {
      scope,
      entityRef,
      from: q.from,
      to: q.to,
      granularity: q.granularity,
      currency: 'USD',
      idleCostPolicy: this.options.idleCostPolicy,
      total: totalsOf(points(daily)),
      series: bucketSeries(points(daily), q.granularity, q.from, q.to),
      previous: {
        from: prevFrom,
        to: q.from,
        total: totalsOf(points(prevDaily)),
        series: bucketSeries(
          points(prevDaily),
          q.granularity,
          prevFrom,
          q.from,
        ),
      },
      breakdown,
      anomalies: (
        await store.anomalies({
          from: q.from,
          to: q.to,
          ...anomalyFilter(scope, ref),
        })
      ).map(toAnomaly),
      provenance: await store.provenance(scopeKey as any, ref, q.from, q.to),
      demo: await store.isDemo(scopeKey as any, ref, q.from, q.to),
    };

    if (scope === 'model') {
      const sums = daily.reduce(
        (a, d) => ({
          tokens: a.tokens + (d.tokens ?? 0),
          requests: a.requests + (d.requests ?? 0),
          has: a.has || d.tokens !== null || d.requests !== null,
        }),
        { tokens: 0, requests: 0, has: false },
      );
      if (sums.has) {
        const cost = report.total.costUsd;
        report.unitCosts = {
          tokens: sums.tokens,
          requests: sums.requests,
          ...(sums.tokens > 0
            ? { usdPer1MTokens: (cost / sums.tokens) * 1e6 }
            : {}),
          ...(sums.requests > 0
            ? { usdPer1kRequests: (cost / sums.requests) * 1e3 }
            : {}),
        };
      }
    }

    if (scope === 'team' && entityRef) {
      const budget =
        this.options.policies.effective(entityRef).policy.monthlyBudgetUsd;
      if (budget !== null) {
        // A period up to today reads the current month, today's spend included.
        const today = this.today();
        const asOf = q.to >= today ? today : addDays(q.to, -1);
        const monthStart = bucketOf(asOf, 'month');
        const monthDaily = await store.daily(
          'team',
          ref,
          monthStart,
          addDays(asOf, 1),
        );
        report.budget = budgetStatus({
          monthlyBudgetUsd: budget,
          today: asOf,
          daily: monthDaily.map(d => ({ day: d.date, costUsd: d.costUsd })),
        });
      }
    }
    return report;
  }

  /**
   * The fleet's ten costliest models over a period. It takes a scan of every
   * model row of the period, so the showback loop computes it for the
   * periods the cards offer after each roll-up ({@link precomputeFleetTop});
   * other periods, or a roll-up newer than what is stored, are computed here.
   */
  private async fleetTopModels(q: CostQuery): Promise<CostBreakdownItem[]> {
    const { store } = this.options;
    const [stored, version] = await Promise.all([
      store.storedTop(q.from, q.to),
      store.rollupVersion(),
    ]);
    if (stored && stored.version === version) return stored.items;
    return this.computeFleetTop(q);
  }

  private async computeFleetTop(q: CostQuery): Promise<CostBreakdownItem[]> {
    return (
      await this.options.store.breakdown({
        scope: 'model',
        from: q.from,
        to: q.to,
        limit: 10,
      })
    ).map(toItem);
  }

  /**
   * Computes and stores the fleet's costliest models for the last 7, 30 and
   * 90 complete days, the periods the cards offer. Called after a roll-up.
   */
  async precomputeFleetTop(): Promise<void> {
    const { store } = this.options;
    const version = await store.rollupVersion();
    const to = this.today();
    for (const days of [7, 30, 90]) {
      const q: CostQuery = { from: addDays(to, -days), to, granularity: 'day' };
      await store.storeTop(
        q.from,
        q.to,
        version,
        await this.computeFleetTop(q),
      );
    }
  }

  async utilization(
    scope: CostScope,
    entityRef: string | null,
    q: CostQuery,
    pool?: {
      nodes: number;
      gpusAllocatable: number;
      gpusAllocated: number;
      capacityType: string;
      gpusPerNode: number;
    },
  ): Promise<UtilizationReport> {
    const { store } = this.options;
    const ref = entityRef ?? '';
    const scopeKey = (scope === 'fleet' ? 'fleet' : ENTITY[scope]) as any;
    const daily = await store.daily(scopeKey, ref, q.from, q.to);
    const buckets = new Map<string, CostSums[]>();
    for (const day of eachDay(q.from, q.to)) {
      const b = bucketOf(day, q.granularity);
      buckets.set(b < q.from ? q.from : b, []);
    }
    for (const d of daily) {
      const b = bucketOf(d.date, q.granularity);
      buckets.get(b < q.from ? q.from : b)?.push(d);
    }
    const summarize = (rows: CostSums[]) => {
      const gpuHours = rows.reduce((s, r) => s + r.gpuHours, 0);
      const cost = rows.reduce((s, r) => s + r.costUsd, 0);
      const withUtil = rows.filter(r => r.busyGpuHours !== null);
      const busy = withUtil.reduce((s, r) => s + (r.busyGpuHours ?? 0), 0);
      const utilGpuHours = withUtil.reduce((s, r) => s + r.gpuHours, 0);
      const withMem = rows.filter(
        r => r.memUsedMiBHours !== null && r.metricHours,
      );
      const memHours = withMem.reduce((s, r) => s + (r.metricHours ?? 0), 0);
      const mem = memHours
        ? withMem.reduce((s, r) => s + (r.memUsedMiBHours ?? 0), 0) / memHours
        : null;
      const util =
        utilGpuHours > 0
          ? busy /
            (scope === 'pool' || scope === 'fleet' ? gpuHours : utilGpuHours)
          : null;
      const idleShare =
        util === null ? null : Math.max(0, Math.min(1, 1 - util));
      return {
        gpuUtilization: util,
        memoryUsedMiB: mem,
        idleShare,
        idleCostUsd:
          idleShare === null
            ? rows.reduce((s, r) => s + r.idleUsd, 0)
            : cost * idleShare,
      };
    };
    const all = summarize(daily);
    const spot = daily.reduce((s, r) => s + r.spotNodeHours, 0);
    const nodeHours = daily.reduce((s, r) => s + r.nodeHours, 0);
    const report: UtilizationReport = {
      scope,
      entityRef,
      from: q.from,
      to: q.to,
      granularity: q.granularity,
      gpuUtilization: all.gpuUtilization,
      memoryUsedMiB: all.memoryUsedMiB,
      memoryTotalMiB: null,
      idleShare: all.idleShare,
      idleCostUsd: all.idleCostUsd,
      series: [...buckets.entries()].map(([date, rows]) => {
        const s = summarize(rows);
        return {
          date,
          gpuUtilization: s.gpuUtilization,
          memoryUsedMiB: s.memoryUsedMiB,
          idleShare: s.idleShare,
          idleCostUsd: s.idleCostUsd,
        };
      }),
      demo: await store.isDemo(scopeKey, ref, q.from, q.to),
    };
    if (scope === 'pool' && pool) {
      const prov = await store.provenance(
        'pool',
        ref,
        addDays(this.today(), -1),
        addDays(this.today(), 1),
      );
      const latest = prov
        .filter(p => p.usdPerHour !== undefined)
        .sort((a, b) => b.observedAt.localeCompare(a.observedAt))[0];
      let spotShare = pool.capacityType === 'spot' ? 1 : 0;
      if (nodeHours > 0) spotShare = spot / nodeHours;
      report.pool = {
        nodes: pool.nodes,
        gpusAllocatable: pool.gpusAllocatable,
        gpusAllocated: pool.gpusAllocated,
        allocation:
          pool.gpusAllocatable > 0
            ? pool.gpusAllocated / pool.gpusAllocatable
            : 0,
        capacityType: pool.capacityType,
        usdPerNodeHour: latest?.usdPerHour ?? null,
        usdPerGpuHour:
          latest?.usdPerHour !== undefined && pool.gpusPerNode > 0
            ? latest.usdPerHour / pool.gpusPerNode
            : null,
        capacityMix: { spot: spotShare, onDemand: 1 - spotShare },
        ...(latest ? { price: latest } : {}),
      };
    }
    return report;
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
    const { store, bills } = this.options;
    const totals = await bills.totals(q.from, q.to);
    // Showback per provider: the pools' cost, pool refs carry no provider,
    // so sum the pool rows whose provenance names the provider.
    const pools = await store.breakdown({
      scope: 'pool',
      from: q.from,
      to: q.to,
    });
    const byProvider = new Map<string, number>();
    for (const p of pools) {
      const prov = await store.provenance('pool', p.entityRef, q.from, q.to);
      const provider = prov[0]?.subject.split(' ')[0] ?? 'other';
      byProvider.set(provider, (byProvider.get(provider) ?? 0) + p.costUsd);
    }
    // Several accounts of one provider share its showback: compare the sum.
    const grouped = new Map<
      string,
      {
        source: string;
        provider: string;
        accounts: string[];
        billedUsd: number;
        billLines: number;
      }
    >();
    for (const t of totals) {
      const key = `${t.source}|${t.provider}`;
      const g = grouped.get(key) ?? {
        source: t.source,
        provider: t.provider,
        accounts: [],
        billedUsd: 0,
        billLines: 0,
      };
      g.accounts.push(t.account);
      g.billedUsd += t.costUsd;
      g.billLines += t.lines;
      grouped.set(key, g);
    }
    return {
      items: reconcile(
        [...grouped.values()].map(g => ({
          source: g.source,
          provider: g.provider,
          account: g.accounts.join(', '),
          from: q.from,
          to: q.to,
          billedUsd: g.billedUsd,
          billLines: g.billLines,
        })),
        provider => byProvider.get(provider) ?? 0,
      ),
    };
  }
}
