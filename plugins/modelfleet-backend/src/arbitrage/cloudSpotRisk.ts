import { LoggerService } from '@backstage/backend-plugin-api';
import {
  formatDate,
  type GpuPoolStatus,
} from '@modelfleet/plugin-modelfleet-common';
import type {
  SpotRiskQuery,
  SpotRiskSignal,
  SpotRiskSource,
} from '@modelfleet/plugin-modelfleet-node';
import type { PoolRisk } from './ArbitrageReports';

/** What a pool is matched to the clouds' signals by. */
export interface SignalPool {
  provider: string;
  region: string;
  instanceType?: string;
  zones?: string[];
}

/**
 * The upper end of an open band (`20+`) taken as this many points above
 * its lower end.
 */
const OPEN_BAND_SPAN = 10;

const bandText = (b: { min: number; max?: number }) =>
  b.max === undefined ? `${b.min}+ %` : `${b.min}–${b.max} %`;

/**
 * A spot pool's prior from what its cloud says of its instance type there,
 * on top of the traces' prior (`base`):
 *
 * - an eviction-rate band (Azure) is read as the share of that size's spot
 *   VMs evicted in a month, its upper end taken (an open band `20+` as
 *   30 %): the pool's preemptions per node-month become −ln(1 − share);
 * - a placement score (AWS, 1–10, the lowest of the pool's zones) is read
 *   as the chance in ten that a launch finds capacity: the pool's
 *   availability becomes score ÷ 10.
 *
 * What the cloud does not say stays the traces'. Undefined when neither
 * has anything.
 */
export function cloudSpotPrior(
  base: PoolRisk | undefined,
  signals: SpotRiskSignal[],
): PoolRisk | undefined {
  const bands = signals.filter(s => s.evictionRatePercent);
  const scores = signals.filter(s => s.placementScore !== undefined);
  if (!bands.length && !scores.length) return base;
  const words: string[] = [];
  let preemptionsPerNodeMonth = base?.preemptionsPerNodeMonth;
  let availability = base?.availability;
  if (bands.length) {
    // The worst band said of the pool's size and region.
    const worst = bands
      .map(s => s.evictionRatePercent!)
      .reduce((a, b) =>
        (a.max ?? a.min + OPEN_BAND_SPAN) >= (b.max ?? b.min + OPEN_BAND_SPAN)
          ? a
          : b,
      );
    const share = Math.min(
      0.99,
      (worst.max ?? worst.min + OPEN_BAND_SPAN) / 100,
    );
    preemptionsPerNodeMonth = -Math.log(1 - share);
    const s = bands[0];
    words.push(
      `${
        s.provider === 'azure' ? 'Azure' : s.provider
      }'s eviction rate ${bandText(worst)} a month for ${s.instanceType} in ${
        s.region
      } (read ${formatDate(s.observedAt)})`,
    );
  }
  if (scores.length) {
    const low = scores.reduce((a, b) =>
      b.placementScore! < a.placementScore! ? b : a,
    );
    availability = low.placementScore! / 10;
    words.push(
      `${
        low.provider === 'aws' ? 'AWS' : low.provider
      }'s spot placement score ${low.placementScore} of 10 for ${
        low.instanceType
      } in ${low.zone ?? low.region} (read ${formatDate(low.observedAt)})`,
    );
  }
  const rest =
    base && (!bands.length || !scores.length)
      ? `; ${!bands.length ? 'preemptions' : 'availability'} from ${
          base.source
        }`
      : '';
  return {
    preemptionsPerNodeMonth: preemptionsPerNodeMonth ?? 0,
    availability: availability ?? 1,
    source: `${words.join(' and ')}${rest}`,
  };
}

const keyOf = (provider: string, region: string, instanceType: string) =>
  `${provider}|${region.toLowerCase()}|${instanceType.toLowerCase()}`;

/**
 * The clouds' signals of the fleet's spot pools, asked of every
 * {@link SpotRiskSource} at most once per `maxAgeMs` (a day: AWS allows
 * few placement-score configurations a day), and again when a spot pool
 * of a new type appears (at most once per `retryMs`). A source that fails
 * keeps its last answer; its error is logged.
 */
export class SpotSignalBook {
  private signals = new Map<string, SpotRiskSignal[]>();
  private askedAt = -Infinity;
  private asked = new Set<string>();
  private reading?: Promise<void>;

  constructor(
    private readonly options: {
      sources: SpotRiskSource[];
      listPools: () => Promise<GpuPoolStatus[]>;
      logger: LoggerService;
      maxAgeMs?: number;
      retryMs?: number;
      now?: () => number;
    },
  ) {}

  /** The signals of a pool's instance type in its region, its own zones' first. */
  signalsFor(pool: SignalPool): SpotRiskSignal[] {
    if (!pool.instanceType) return [];
    const all =
      this.signals.get(keyOf(pool.provider, pool.region, pool.instanceType)) ??
      [];
    const zones = new Set(pool.zones ?? []);
    const own = all.filter(s => s.zone && zones.has(s.zone));
    return own.length ? own : all.filter(s => !s.zone);
  }

  /** Asks the sources again when the last answer is old or a new type appeared. */
  async refresh(): Promise<void> {
    if (this.options.sources.length === 0) return;
    this.reading ??= this.read()
      .catch(e =>
        this.options.logger.warn(
          `The clouds' spot risk not read: ${
            e instanceof Error ? e.message : e
          }`,
        ),
      )
      .finally(() => {
        this.reading = undefined;
      });
    await this.reading;
  }

  private async read(): Promise<void> {
    const now = this.options.now?.() ?? Date.now();
    const age = now - this.askedAt;
    const pools = await this.options.listPools();
    const queries = new Map<string, SpotRiskQuery>();
    for (const p of pools) {
      if (p.capacityType !== 'spot' || !p.instanceType || !p.region) continue;
      queries.set(keyOf(p.provider, p.region, p.instanceType), {
        provider: p.provider,
        region: p.region,
        instanceType: p.instanceType,
      });
    }
    const fresh = [...queries.keys()].some(k => !this.asked.has(k));
    if (
      age < (this.options.maxAgeMs ?? 86_400_000) &&
      !(fresh && age >= (this.options.retryMs ?? 3_600_000))
    )
      return;
    this.askedAt = now;
    if (queries.size === 0) return;
    const next = new Map<string, SpotRiskSignal[]>();
    for (const source of this.options.sources) {
      try {
        const { signals, issues } = await source.listSpotRisk([
          ...queries.values(),
        ]);
        for (const issue of issues) {
          this.options.logger.warn(`Spot risk from ${source.id}: ${issue}`);
        }
        for (const s of signals) {
          const k = keyOf(s.provider, s.region, s.instanceType);
          next.set(k, [...(next.get(k) ?? []), s]);
        }
      } catch (e) {
        this.options.logger.warn(
          `Spot risk from ${source.id} not read (its last answer stands): ${
            e instanceof Error ? e.message : e
          }`,
        );
        for (const [k, list] of this.signals) {
          const kept = list.filter(s => s.source === source.id);
          if (kept.length) next.set(k, [...(next.get(k) ?? []), ...kept]);
        }
      }
    }
    this.signals = next;
    this.asked = new Set(queries.keys());
  }
}
