import { LoggerService } from '@backstage/backend-plugin-api';
import { IdleCostPolicy } from '@modelfleet/plugin-modelfleet-common';
import {
  ClusterConnector,
  ClusterHistorySource,
  MetricsSource,
  ModelMetric,
} from '@modelfleet/plugin-modelfleet-node';
import { PriceBookStore } from '../database/PriceBookStore';
import { AnomalyRow, ShowbackStore } from '../database/ShowbackStore';
import {
  addDays,
  aggregateSamples,
  allocateDay,
  dayOf,
  detectAnomalies,
  eachDay,
  meanPerStep,
  ModelDayMetrics,
  parseDay,
  PoolDayUsage,
  resolvePoolPrice,
} from '../engines/showback';
import { ModelDirectory } from './ModelDirectory';
import type { SavingsLedger } from '../savings/SavingsLedger';

/** Settings of the showback roll-up. */
export interface ShowbackSettings {
  idleCostPolicy: IdleCostPolicy;
  platformTeamRef?: string;
  /** Days of history a connector that can replay its past (the demo) fills in. */
  backfillDays: number;
  /** Days before today rolled up again on every run (late samples, late prices). */
  rerollDays: number;
  /** Days kept of raw samples. */
  sampleRetentionDays: number;
}

/** What a connector that can look into its past offers (the simulated demo fleet). */
export interface ReplayableConnector extends ClusterConnector {
  snapshotAt(
    cluster: string,
    at: Date,
  ): ReturnType<ClusterConnector['snapshot']>;
}

const isReplayable = (c: ClusterConnector): c is ReplayableConnector =>
  typeof (c as Partial<ReplayableConnector>).snapshotAt === 'function';

const BUNDLED = 'bundled-catalog';

/**
 * Turns usage samples into daily cost roll-ups: per day, it sums the
 * samples, prices each pool from the price book as of that day, reads the
 * models' metrics, allocates with the pure engine and replaces the day's
 * rows. Then it looks for cost anomalies in the days rolled up.
 *
 * @internal
 */
export class ShowbackRollup {
  constructor(
    private readonly options: {
      store: ShowbackStore;
      prices: PriceBookStore;
      directory: ModelDirectory;
      connectors: () => ClusterConnector[];
      /** Sources of the clusters' past, read by the backfill only. */
      history?: () => ClusterHistorySource[];
      metrics: () => MetricsSource[];
      priceSources: () => Array<{ id: string }>;
      settings: ShowbackSettings;
      logger: LoggerService;
      /** The savings ledger, written with each day it rolls up (docs/savings.md). */
      savings?: SavingsLedger;
      /** Clock of the ledger's `written_at`. */
      clock?: () => Date;
      /** Called after every roll-up, e.g. to precompute figures over many rows. */
      afterRollup?: () => Promise<void>;
      /** Called with anomalies found for the first time. */
      onAnomalies?: (
        anomalies: Awaited<ReturnType<ShowbackStore['recordAnomalies']>>,
      ) => Promise<void>;
    },
  ) {}

  /** Fills in the past of replayable connectors' and history sources' clusters, hour by hour. */
  async backfill(now: Date): Promise<number> {
    const { store, settings } = this.options;
    if (settings.backfillDays <= 0) return 0;
    let recorded = 0;
    const start = parseDay(addDays(dayOf(now), -settings.backfillDays));
    const sources: Array<ReplayableConnector | ClusterHistorySource> = [
      ...this.options.connectors().filter(isReplayable),
      ...(this.options.history?.() ?? []),
    ];
    for (const connector of sources) {
      for (const cluster of await connector.listClusters()) {
        for (let t = start.getTime(); t < now.getTime(); t += 3_600_000) {
          const hourStart = new Date(t);
          const hourEnd = new Date(t + 3_600_000);
          if (await store.hasSamples(cluster.name, hourStart, hourEnd)) {
            continue;
          }
          const snapshot = await connector.snapshotAt(cluster.name, hourStart);
          await store.recordSnapshot(
            { ...snapshot, cluster: { ...cluster, ...snapshot.cluster } },
            Math.min(3600, Math.round((now.getTime() - t) / 1000)),
          );
          recorded += 1;
        }
      }
    }
    return recorded;
  }

  /** Rolls up the days that need it; returns a one-line summary. */
  async run(now: Date): Promise<string> {
    const { store, settings, logger } = this.options;
    const backfilled = await this.backfill(now);
    const range = await store.sampleRange();
    if (!range) return 'No usage samples yet';
    const today = dayOf(now);
    const first = dayOf(range.first);
    const rolled = new Set(await store.rolledDays(first, addDays(today, 1)));
    const rerollFrom = addDays(today, -settings.rerollDays);
    const days = eachDay(first, addDays(today, 1)).filter(
      d => d >= rerollFrom || !rolled.has(d),
    );
    const lookup = await this.options.directory.lookup({
      expectModels: await store.hasWorkloadSamples(),
    });
    const warnings: string[] = [];
    for (const day of days) {
      warnings.push(...(await this.rollDay(day, lookup)));
      // A turn of the event loop: on SQLite a day's queries would
      // otherwise run back to back, with requests waiting.
      await new Promise(resolve => setImmediate(resolve));
    }
    for (const w of warnings.slice(0, 20)) logger.warn(`Showback: ${w}`);
    if (days.length && this.options.afterRollup) {
      await this.options.afterRollup();
    }
    const anomalies = days.length
      ? await this.anomalies(days[0], today, now)
      : 0;
    const pruned = await store.pruneSamples(
      parseDay(addDays(today, -settings.sampleRetentionDays)),
    );
    return `Rolled up ${days.length} day(s)${
      backfilled ? `, backfilled ${backfilled} snapshot(s)` : ''
    }; ${
      warnings.length
    } warning(s); ${anomalies} new anomaly(ies); pruned ${pruned} sample(s)`;
  }

  /** Rolls up one day; returns the engine's warnings. */
  async rollDay(
    day: string,
    lookup: Awaited<ReturnType<ModelDirectory['lookup']>>,
  ): Promise<string[]> {
    const { store, prices, settings } = this.options;
    const dayStart = parseDay(day);
    const dayEnd = new Date(dayStart.getTime() + 86_400_000);
    const samples = await store.samples(dayStart, dayEnd);
    const agg = aggregateSamples(day, samples.pools, samples.workloads, lookup);

    const liveSources = this.options
      .priceSources()
      .map(s => s.id)
      .filter(id => id !== BUNDLED);
    const pools: PoolDayUsage[] = [];
    const byMachine = new Map<string, typeof agg.pools>();
    for (const p of agg.pools) {
      const key = `${p.provider}|${p.region}`;
      byMachine.set(key, [...(byMachine.get(key) ?? []), p]);
    }
    for (const [key, list] of byMachine) {
      const [provider, region] = key.split('|');
      const quotes = await prices.historyOf(provider, region, [
        ...new Set(list.map(p => p.instanceType)),
      ]);
      for (const p of list) {
        const price = resolvePoolPrice(p, quotes, dayEnd, {
          bundledSource: BUNDLED,
          liveSources,
        });
        pools.push({
          poolRef: p.poolRef,
          capacityType: p.capacityType,
          nodeHours: p.nodeHours,
          gpuHours: p.gpuHours,
          unitHours: p.unitHours,
          gpusPerNode: p.gpusPerNode,
          unitsPerNode: p.unitsPerNode,
          usdPerNodeHour: price.usdPerNodeHour,
          provenance: price.provenance,
          demo: p.demo,
        });
      }
    }

    // Metrics of each model, where a source has them.
    const sources = this.options.metrics();
    if (sources.length) {
      const seen = new Map<string, (typeof samples.workloads)[number]>();
      for (const w of samples.workloads) seen.set(lookup(w).modelRef, w);
      // Busy time is counted in GPU-hours, as the rows' gpu_hours are: a
      // MIG slice or a time-slice is a fraction of a GPU.
      const gpusPerUnit = new Map(
        pools.map(p => {
          if (p.unitHours > 0) return [p.poolRef, p.gpuHours / p.unitHours];
          const units = p.unitsPerNode ?? 0;
          return [p.poolRef, units > 0 ? (p.gpusPerNode ?? 0) / units : 1];
        }),
      );
      for (const usage of agg.workloads) {
        const w = seen.get(usage.modelRef);
        if (!w) continue;
        usage.metrics = await this.metricsOf(
          sources,
          w,
          dayStart,
          dayEnd,
          usage.unitHours * (gpusPerUnit.get(usage.poolRef) ?? 1),
        );
      }
    }

    const { rows, warnings } = allocateDay({
      day,
      pools,
      workloads: agg.workloads,
      idleCostPolicy: settings.idleCostPolicy,
      platformTeamRef: settings.platformTeamRef,
    });
    const ledger = this.options.savings;
    if (!ledger) {
      await store.replaceDay(day, rows);
      return warnings;
    }
    // The ledger of the day, from the same samples and prices, replaced
    // with the day's cost rows.
    const savings = await ledger.rowsOfDay({
      day,
      samples,
      pools,
      lookup,
      liveSources,
    });
    const at = this.options.clock?.() ?? new Date();
    await store.replaceDay(day, rows, tx =>
      ledger.writeDay(tx, day, savings.rows, at),
    );
    return [...warnings, ...savings.warnings];
  }

  private async metricsOf(
    sources: MetricsSource[],
    w: { modelId: string; cluster: string; namespace: string },
    start: Date,
    end: Date,
    gpuHours: number,
  ): Promise<ModelDayMetrics | undefined> {
    // A range query answers a point at each step from start to end, both
    // included, each point (a rate over the step) covering the step before
    // it: the day's hours are the points after its start, 24 and not 25.
    const window = {
      start: new Date(start.getTime() + 3600_000),
      end,
      stepSeconds: 3600,
    };
    const mean = async (metric: ModelMetric) => {
      for (const source of sources) {
        try {
          const series = await source.query(metric, w, window);
          const step = meanPerStep(
            series,
            metric === 'requestsPerSecond' || metric === 'tokensPerSecond'
              ? 'sum'
              : 'mean',
          );
          if (step) return step;
        } catch (e) {
          this.options.logger.debug(
            `Showback: ${source.id} has no ${metric} for ${w.modelId}: ${e}`,
          );
        }
      }
      return undefined;
    };
    const util = await mean('gpuUtilization');
    const mem = await mean('gpuMemoryUsedMiB');
    const rps = await mean('requestsPerSecond');
    const tps = await mean('tokensPerSecond');
    if (!util && !mem && !rps && !tps) return undefined;
    return {
      ...(util
        ? {
            busyGpuHours: (util.mean / 100) * gpuHours,
            metricHours: util.hours,
          }
        : {}),
      ...(mem
        ? {
            memUsedMiBHours: mem.mean * mem.hours,
            metricHours: util?.hours ?? mem.hours,
          }
        : {}),
      ...(rps ? { requests: rps.mean * rps.hours * 3600 } : {}),
      ...(tps ? { tokens: tps.mean * tps.hours * 3600 } : {}),
    };
  }

  /** Records anomalies of model and team daily costs in [from, today]. */
  private async anomalies(
    from: string,
    today: string,
    now: Date,
  ): Promise<number> {
    const { store } = this.options;
    const baselineFrom = addDays(from, -29);
    const end = addDays(today, 1);
    const found: AnomalyRow[] = [];
    // Today is still running: judge complete days only.
    const complete = eachDay(baselineFrom, today);
    const byScope = await store.costsByDay(
      ['model', 'team'],
      baselineFrom,
      end,
    );
    for (const scope of ['model', 'team'] as const) {
      const costs = byScope.get(scope)!;
      // Costliest first, the order anomalies are recorded and notified in.
      const entities = [...costs.entries()]
        .map(([entityRef, byDay]) => {
          let total = 0;
          for (const c of byDay.values()) total += c;
          return { entityRef, byDay, total };
        })
        .sort((a, b) => b.total - a.total);
      for (const [i, e] of entities.entries()) {
        if (i % 500 === 499) await new Promise(r => setImmediate(r));
        const firstData = [...e.byDay.keys()].sort()[0] ?? today;
        const series = complete
          .filter(day => day >= firstData)
          .map(day => ({ day, costUsd: e.byDay.get(day) ?? 0 }));
        for (const a of detectAnomalies(series)) {
          if (a.day < from) continue;
          const teamRef =
            scope === 'team'
              ? e.entityRef
              : await store.teamOfModel(e.entityRef, a.day);
          found.push({ ...a, scope, entityRef: e.entityRef, teamRef });
        }
      }
    }
    const fresh = await store.recordAnomalies(found, now);
    if (fresh.length && this.options.onAnomalies) {
      await this.options.onAnomalies(fresh);
    }
    return fresh.length;
  }
}
