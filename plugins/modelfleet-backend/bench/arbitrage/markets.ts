/**
 * Spot traces + price catalog (+ optional spot price history) → the pools
 * a model can run on, for `yarn bench:arbitrage`.
 */
import { PriceQuote } from '@modelfleet/plugin-modelfleet-node';
import fs from 'node:fs';
import path from 'node:path';
import { BundledPriceSource } from '../../src/prices/BundledPriceSource';
import {
  gcpGpuMemory,
  isCheapestEligible,
  parseGcpDerived,
  parseGpuPrices,
} from '../../src/prices/bundledCatalog';
import { SpotMarket } from '../../src/engines/arbitrage/spotSim';
import {
  availabilityOf,
  parseSpotTrace,
  SpotPricePoint,
  SpotTraceFile,
  SpotTraceReading,
} from '../../src/engines/arbitrage/spotTrace';
import { seededRandom } from '../../src/engines/random';

/**
 * The price catalog: a folder in the bundled layout (gpu_prices.csv and
 * gcp_host_plus_gpu_DERIVED.csv), or one file of either format.
 */
export async function loadQuotes(where: string): Promise<PriceQuote[]> {
  if (!fs.existsSync(where)) throw new Error(`--prices ${where}: not found`);
  const wrap = (file: string, f: () => PriceQuote[]) => {
    try {
      return f();
    } catch (e) {
      throw new Error(`${file}: ${e instanceof Error ? e.message : e}`);
    }
  };
  if (fs.statSync(where).isDirectory()) {
    try {
      return await new BundledPriceSource(where).listPrices();
    } catch (e) {
      throw new Error(
        `--prices ${where}: ${e instanceof Error ? e.message : e}`,
      );
    }
  }
  const csv = fs.readFileSync(where, 'utf8');
  const header = csv.slice(0, csv.indexOf('\n'));
  if (header.includes('sum_on_demand_DERIVED')) {
    const prices = path.join(path.dirname(where), 'gpu_prices.csv');
    return wrap(where, () =>
      parseGcpDerived(
        csv,
        fs.existsSync(prices)
          ? gcpGpuMemory(fs.readFileSync(prices, 'utf8'))
          : new Map(),
      ),
    );
  }
  return wrap(where, () => parseGpuPrices(csv));
}

/** Every `*.json` of the folder, parsed; an error names the bad file. */
export function loadTraces(dir: string): SpotTraceFile[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new Error(`--spot-trace ${dir}: not a folder`);
  const files = fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.json'))
    .sort();
  if (!files.length)
    throw new Error(`--spot-trace ${dir}: no .json trace in the folder`);
  return files.map(f =>
    parseSpotTrace(f, fs.readFileSync(path.join(dir, f), 'utf8')),
  );
}

export const rng = seededRandom;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export interface Markets {
  /** Spot pools (one per trace zone) and on-demand pools (one per region). */
  markets: SpotMarket[];
  instanceType: string;
  /** What was assumed or left out, in words. */
  notes: string[];
}

export interface MarketInputs {
  traces: SpotTraceFile[];
  quotes: PriceQuote[];
  reading: SpotTraceReading;
  /** First tick and number of seconds replayed. */
  startTick: number;
  horizonSeconds: number;
  seed: number;
  history?: SpotPricePoint[];
}

/**
 * The pools a replica of `gpus` GPUs runs on: in every trace zone, the
 * smallest instance type of the trace's GPU with at least that many GPUs
 * (the cheapest of those), at the zone's spot price; in every region, the
 * same type on demand. Zone names (us-east-1a) are mapped to the catalog's
 * zone ids (use1-az1) by a seeded shuffle per region, as AWS maps them per
 * account.
 */
export function buildMarkets(gpus: number, x: MarketInputs): Markets {
  const notes: string[] = [];
  // One GPU and cloud per run: the priced one with the most trace files.
  const kinds = new Map<string, SpotTraceFile[]>();
  for (const t of x.traces)
    kinds.set(`${t.cloud} ${t.gpu}`, [
      ...(kinds.get(`${t.cloud} ${t.gpu}`) ?? []),
      t,
    ]);
  const priced = [...kinds.entries()]
    .filter(([, ts]) =>
      x.quotes.some(
        q =>
          q.provider === ts[0].cloud &&
          q.gpu?.product === ts[0].gpu &&
          q.capacityType === 'spot' &&
          isCheapestEligible(q),
      ),
    )
    .sort((a, b) => b[1].length - a[1].length);
  if (!priced.length)
    throw new Error(
      `no trace's GPU has a spot price in the price catalog (${[
        ...kinds.keys(),
      ].join(', ')})`,
    );
  const traces = priced[0][1];
  const { gpu, cloud } = traces[0];
  for (const [kind, ts] of kinds)
    if (ts !== traces)
      notes.push(
        `${kind} traces left out (one GPU per run${
          priced.some(p => p[1] === ts) ? '' : '; no spot price for it'
        }): ${ts.map(t => t.file).join(', ')}`,
      );
  const eligible = x.quotes.filter(
    q =>
      q.provider === cloud &&
      q.gpu?.product === gpu &&
      Number.isInteger(q.gpu.count) &&
      q.gpu.count >= gpus,
  );
  const regions = [...new Set(traces.map(t => t.region))].sort();
  // The instance type: fewest GPUs ≥ gpus, then the lowest median spot price.
  const types = new Map<string, { count: number; spot: number[] }>();
  for (const q of eligible) {
    if (!regions.includes(q.region)) continue;
    const e = types.get(q.instanceType) ?? { count: q.gpu!.count, spot: [] };
    if (q.capacityType === 'spot' && isCheapestEligible(q))
      e.spot.push(q.usdPerHour!);
    types.set(q.instanceType, e);
  }
  const type = [...types.entries()]
    .filter(([, e]) => e.spot.length)
    .sort(
      ([, a], [, b]) => a.count - b.count || median(a.spot) - median(b.spot),
    )[0]?.[0];
  if (!type)
    throw new Error(
      `no ${cloud} ${gpu} instance with ≥ ${gpus} GPUs has a spot price in ${regions.join(
        ', ',
      )} in the price catalog`,
    );
  const count = types.get(type)!.count;
  const random = rng(x.seed);
  const standIns: string[] = [];
  const zoneIds: string[] = [];
  const markets: SpotMarket[] = [];
  const endTick = (t: SpotTraceFile) =>
    x.startTick + Math.ceil(x.horizonSeconds / t.gapSeconds) + 2;
  for (const region of regions) {
    const quotes = eligible.filter(
      q => q.instanceType === type && q.region === region,
    );
    const od = quotes
      .filter(q => q.capacityType === 'on-demand' && isCheapestEligible(q))
      .map(q => q.usdPerHour!);
    const spot = quotes.filter(
      q => q.capacityType === 'spot' && isCheapestEligible(q),
    );
    if (!spot.length || !od.length) {
      notes.push(
        `${region}: no trusted ${
          spot.length ? 'on-demand' : 'spot'
        } price for ${type}, region left out`,
      );
      continue;
    }
    // Zone names → the catalog's zone ids where the GPU is sold, shuffled per region.
    const ids = [
      ...new Set(
        x.quotes
          .filter(
            q =>
              q.provider === cloud &&
              q.region === region &&
              q.gpu?.product === gpu &&
              q.zone,
          )
          .map(q => q.zone!),
      ),
    ].sort();
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    const zones = [
      ...new Set(traces.filter(t => t.region === region).map(t => t.zone)),
    ].sort();
    zones.forEach((zone, i) => {
      const id = ids[i % Math.max(1, ids.length)];
      const own = traces.filter(t => t.zone === zone);
      const exact = own.find(t => t.gpusPerInstance === count);
      const trace =
        exact ??
        [...own].sort(
          (a, b) =>
            Math.abs(a.gpusPerInstance - count) -
            Math.abs(b.gpusPerInstance - count),
        )[0];
      if (!exact) standIns.push(`${zone} (${trace.file})`);
      const q = spot.find(s => s.zone === id);
      const price = q ? q.usdPerHour! : median(spot.map(s => s.usdPerHour!));
      if (!q)
        notes.push(
          `${zone} → ${id}: no ${type} spot price there; the region's median $${price.toFixed(
            4,
          )}/h`,
        );
      zoneIds.push(`${zone} → ${id}`);
      const raw = trace.values.subarray(
        Math.min(x.startTick, trace.values.length - 1),
        Math.min(endTick(trace), trace.values.length),
      );
      const series = x.history && pricesOf(x.history, type, zone);
      markets.push({
        pool: {
          id: `spot/${zone}/${type}`,
          cloud,
          region,
          zone,
          capacity: 'spot',
          usdPerHour: price,
        },
        available: availabilityOf(raw, x.reading),
        gapSeconds: trace.gapSeconds,
        ...(series ? { prices: series } : {}),
      });
    });
    markets.push({
      pool: {
        id: `on-demand/${region}/${type}`,
        cloud,
        region,
        capacity: 'on-demand',
        usdPerHour: Math.min(...od),
      },
    });
  }
  if (!markets.some(m => m.pool.capacity === 'on-demand'))
    throw new Error(`no region has trusted ${type} prices`);
  if (standIns.length)
    notes.unshift(
      `no trace of ${count}-GPU instances: the zone's trace of another size stands in for ${type} in ${standIns.join(
        ', ',
      )}`,
    );
  notes.unshift(`zone ids (seed ${x.seed}): ${zoneIds.join(', ')}`);
  return { markets, instanceType: type, notes };
}

/**
 * A pool's spot price history, in seconds from the history's first point
 * (which the replay's start is aligned with); undefined without points.
 */
function pricesOf(history: SpotPricePoint[], type: string, zone: string) {
  const t0 = history[0].at;
  const own = history.filter(p => p.instanceType === type && p.zone === zone);
  if (!own.length) return undefined;
  return {
    times: own.map(p => p.at - t0),
    usdPerHour: own.map(p => p.usdPerHour),
  };
}
