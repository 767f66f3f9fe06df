import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import { PlacementPool } from '../engines/placement';
import type { PoolRisk } from './ArbitrageReports';
import type {
  PoolHistory,
  PoolHistoryStore,
} from '../database/PoolHistoryStore';
import { formatDate } from '@modelfleet/plugin-modelfleet-common';
import { poolRefOf } from './serving';
import type { SpotRiskSignal } from '@modelfleet/plugin-modelfleet-node';
import { cloudSpotPrior, SpotSignalBook } from './cloudSpotRisk';

/** Days in an average month (730 h). */
const DAYS_PER_MONTH = 730 / 24;

/**
 * The preemption rate and availability of spot capacity from availability
 * traces (one value per tick of `gapSeconds`), read the way the paper that
 * published them reads them: 1 is a tick without spot capacity. A
 * preemption is a tick that has none after one that had it; availability
 * is the share of ticks with capacity. Pooled over the traces given.
 */
export function spotPriorOf(
  traces: Array<{ gapSeconds: number; data: number[] }>,
  source: string,
): PoolRisk | undefined {
  let ticks = 0;
  let seconds = 0;
  let down = 0;
  let preemptions = 0;
  for (const t of traces) {
    if (!(t.gapSeconds > 0) || t.data.length === 0) continue;
    ticks += t.data.length;
    seconds += t.data.length * t.gapSeconds;
    for (let i = 0; i < t.data.length; i++) {
      if (t.data[i] !== 1) continue;
      down += 1;
      if (i > 0 && t.data[i - 1] !== 1) preemptions += 1;
    }
  }
  if (ticks === 0) return undefined;
  const months = seconds / 86_400 / DAYS_PER_MONTH;
  return {
    preemptionsPerNodeMonth: preemptions / months,
    availability: 1 - down / ticks,
    source,
  };
}

/**
 * The spot prior of the traces bundled with the backend
 * (`data/spot-traces`, see its SOURCE.txt): every file of one folder;
 * undefined when none can be read.
 */
export function readBundledSpotPrior(
  dir = resolvePackagePath(
    '@modelfleet/plugin-modelfleet-backend',
    'data/spot-traces/aws-02-15-2023',
  ),
): PoolRisk | undefined {
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter(f => f.endsWith('.json'));
  } catch {
    return undefined;
  }
  const traces = files.flatMap(f => {
    try {
      const raw = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      const gapSeconds = Number(raw?.metadata?.gap_seconds);
      const data = Array.isArray(raw?.data) ? raw.data.map(Number) : [];
      return [{ gapSeconds, data }];
    } catch {
      return [];
    }
  });
  return spotPriorOf(
    traces,
    `the bundled AWS spot traces (${traces.length} zones, p3.2xlarge, Feb–Mar 2023; a tick is without capacity when its value is 1)`,
  );
}

/** Hours in an average month. */
const HOURS_PER_MONTH = 730;

const count = (n: number, one: string, many = `${one}s`) =>
  `${n} ${n === 1 ? one : many}`;
const hours = (h: number) =>
  h >= 10 ? `${Math.round(h).toLocaleString('en-US')}` : h.toFixed(1);

/**
 * A spot pool's risk from its own history and a prior, as a
 * gamma-Poisson update: the prior counts as `priorHours` node-hours of
 * history at its rate (and as many hours at its availability), the pool's
 * own node-hours and preemptions are added to it. A pool watched for long
 * is judged by what it did; a new one by the prior.
 */
export function blendPoolRisk(
  prior: PoolRisk | undefined,
  history: PoolHistory | undefined,
  priorHours: number,
): PoolRisk | undefined {
  if (!history || !(history.observedSeconds > 0)) return prior;
  const weight = prior ? Math.max(0, priorHours) : 0;
  const nodeHours = history.nodeSeconds / 3600;
  const watched = history.observedSeconds / 3600;
  const down = Math.min(watched, history.downSeconds / 3600);
  const k = history.preemptions;
  const perNodeHour =
    weight + nodeHours > 0
      ? ((prior?.preemptionsPerNodeMonth ?? 0) / HOURS_PER_MONTH) * weight + k
      : 0;
  const preemptionsPerNodeMonth =
    weight + nodeHours > 0
      ? (perNodeHour / (weight + nodeHours)) * HOURS_PER_MONTH
      : prior?.preemptionsPerNodeMonth ?? 0;
  const availability =
    ((prior?.availability ?? 1) * weight + (watched - down)) /
    (weight + watched);
  const since = formatDate(history.firstObservedAt);
  const own = `its own since ${since}: ${count(k, 'preemption')} in ${hours(
    nodeHours,
  )} node-hours, capacity ${(((watched - down) / watched) * 100).toFixed(
    2,
  )} % of ${hours(watched)} h`;
  return {
    preemptionsPerNodeMonth,
    availability,
    source: prior
      ? `${own}, weighed with the prior (worth ${hours(
          weight,
        )} node-hours) of ${prior.source}`
      : `${own}, no prior`,
  };
}

/**
 * A pool's risk: on-demand and reserved capacity is not preempted; spot
 * capacity has its own history weighed with the prior (`history`, by
 * GpuPool ref), or the prior alone. The prior is the traces', with what
 * the pool's cloud says of its instance type there (`signalsOf`) in place
 * of what the traces say of the same thing.
 */
export function createPoolRisk(
  tracesPrior: PoolRisk | undefined,
  history: ReadonlyMap<string, PoolHistory> = new Map(),
  priorHours = HOURS_PER_MONTH,
  signalsOf: (pool: PlacementPool) => SpotRiskSignal[] = () => [],
): (pool: PlacementPool) => PoolRisk {
  return pool => {
    if (pool.capacityType !== 'spot') {
      return {
        preemptionsPerNodeMonth: 0,
        availability: 1,
        source: `${pool.capacityType} capacity is not preempted`,
      };
    }
    const spotPrior =
      pool.capacityType === 'spot'
        ? cloudSpotPrior(tracesPrior, signalsOf(pool))
        : tracesPrior;
    const own = history.get(pool.ref);
    if (spotPrior && !(own && own.observedSeconds > 0)) {
      return {
        ...spotPrior,
        source: `no history of its own yet: the prior of ${spotPrior.source}`,
      };
    }
    return (
      blendPoolRisk(spotPrior, own, priorHours) ?? {
        preemptionsPerNodeMonth: 0,
        availability: 1,
        source: 'no spot history known: preemptions not counted',
      }
    );
  };
}

/**
 * The pools' risk as the stored history says, read again when older than
 * `maxAgeMs` (every replica reads what the one running the history loop
 * stored).
 */
export class PoolRiskBook {
  private risk: (pool: PlacementPool) => PoolRisk;
  private readAt = -Infinity;
  private reading?: Promise<void>;

  constructor(
    private readonly options: {
      prior: PoolRisk | undefined;
      store: Pick<PoolHistoryStore, 'list'>;
      priorHours: number;
      /** The clouds' own signals (eviction rates, placement scores). */
      signals?: Pick<SpotSignalBook, 'signalsFor' | 'refresh'>;
      maxAgeMs?: number;
      now?: () => number;
    },
  ) {
    this.risk = createPoolRisk(
      options.prior,
      new Map(),
      options.priorHours,
      this.signalsOf,
    );
  }

  /** The risk of a pool, as of the last read. */
  readonly riskOf = (pool: PlacementPool): PoolRisk => this.risk(pool);

  private readonly signalsOf = (pool: PlacementPool) =>
    this.options.signals?.signalsFor(pool) ?? [];

  /**
   * Reads the history again if it is older than its maximum age, and the
   * clouds' signals when theirs is (their failures are logged, not thrown).
   */
  async refresh(): Promise<void> {
    await this.options.signals?.refresh();
    const now = this.options.now?.() ?? Date.now();
    if (now - this.readAt < (this.options.maxAgeMs ?? 30_000)) return;
    this.reading ??= (async () => {
      try {
        const rows = await this.options.store.list();
        this.risk = createPoolRisk(
          this.options.prior,
          new Map(rows.map(h => [poolRefOf(h.cluster, h.pool), h])),
          this.options.priorHours,
          this.signalsOf,
        );
        this.readAt = now;
      } finally {
        this.reading = undefined;
      }
    })();
    await this.reading;
  }
}
