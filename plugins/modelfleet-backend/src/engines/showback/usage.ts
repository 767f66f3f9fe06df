import {
  CapacityType,
  CostProvenance,
} from '@modelfleet/plugin-modelfleet-common';
import { PriceQuote } from '@modelfleet/plugin-modelfleet-node';
import { parseDay } from './days';
import { WorkloadDayUsage } from './types';

/** The parts of a pool sample the roll-up needs. */
export interface PoolSampleLike {
  sampledAt: Date;
  seconds: number;
  poolRef: string;
  provider: string;
  region: string;
  zone: string;
  instanceType: string;
  capacityType: CapacityType;
  nodes: number;
  gpusPerNode: number;
  unitsPerNode: number;
  demo: boolean;
}

/** The parts of a workload sample the roll-up needs. */
export interface WorkloadSampleLike {
  sampledAt: Date;
  seconds: number;
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  modelId: string;
  poolRef: string;
  replicas: number;
  unitsPerReplica: number;
}

/** A pool's usage over a day, before pricing. */
export interface PoolDayAggregate {
  poolRef: string;
  provider: string;
  region: string;
  zone: string;
  instanceType: string;
  capacityType: CapacityType;
  nodeHours: number;
  gpuHours: number;
  unitHours: number;
  /** GPUs and GPU units of one node, from the day's last sample. */
  gpusPerNode: number;
  unitsPerNode: number;
  demo: boolean;
}

const hoursIn = (s: { sampledAt: Date; seconds: number }, dayEnd: number) =>
  Math.max(0, Math.min(s.seconds * 1000, dayEnd - s.sampledAt.getTime())) /
  3_600_000;

/**
 * Sums one day's samples into pool and workload usage. A sample stands for
 * `seconds` from its time on, cut at midnight. Workloads are mapped to their
 * Model entity and team by `modelOf`. Time in which none of a model's
 * workloads had a (desired) replica is time the model was at zero: its
 * hours × GPU units per replica add to `savedUnitHours`, one replica it did
 * not hold (see `zeroUnitHours`).
 */
export function aggregateSamples(
  day: string,
  pools: PoolSampleLike[],
  workloads: WorkloadSampleLike[],
  modelOf: (w: WorkloadSampleLike) => { modelRef: string; teamRef: string },
): { pools: PoolDayAggregate[]; workloads: WorkloadDayUsage[] } {
  const dayEnd = parseDay(day).getTime() + 86_400_000;
  const poolAgg = new Map<string, PoolDayAggregate>();
  const lastAt = new Map<string, number>();
  for (const s of pools) {
    const h = hoursIn(s, dayEnd);
    let a = poolAgg.get(s.poolRef);
    if (!a) {
      a = {
        poolRef: s.poolRef,
        provider: s.provider,
        region: s.region,
        zone: s.zone,
        instanceType: s.instanceType,
        capacityType: s.capacityType,
        nodeHours: 0,
        gpuHours: 0,
        unitHours: 0,
        gpusPerNode: s.gpusPerNode,
        unitsPerNode: s.unitsPerNode,
        demo: s.demo,
      };
      poolAgg.set(s.poolRef, a);
    }
    const t = s.sampledAt.getTime();
    if (t >= (lastAt.get(s.poolRef) ?? -Infinity)) {
      lastAt.set(s.poolRef, t);
      a.gpusPerNode = s.gpusPerNode;
      a.unitsPerNode = s.unitsPerNode;
    }
    a.nodeHours += s.nodes * h;
    a.gpuHours += s.nodes * s.gpusPerNode * h;
    a.unitHours += s.nodes * s.unitsPerNode * h;
  }
  const wAgg = new Map<string, WorkloadDayUsage>();
  for (const s of workloads) {
    const { modelRef, teamRef } = modelOf(s);
    const key = `${modelRef}\u0000${s.poolRef}`;
    let a = wAgg.get(key);
    if (!a) {
      a = {
        modelRef,
        teamRef,
        poolRef: s.poolRef,
        unitHours: 0,
        savedUnitHours: 0,
      };
      wAgg.set(key, a);
    }
    const h = hoursIn(s, dayEnd);
    a.unitHours += s.replicas * s.unitsPerReplica * h;
  }
  for (const [key, hours] of zeroUnitHours(workloads, dayEnd, modelOf)) {
    wAgg.get(key)!.savedUnitHours = hours;
  }
  return { pools: [...poolAgg.values()], workloads: [...wAgg.values()] };
}

const workloadKey = (s: WorkloadSampleLike) =>
  `${s.cluster}/${s.namespace}/${s.kind}/${s.name}`;

/**
 * The unit-hours of one replica a model did not hold, per model and pool
 * (`model\0pool`): the time in which none of its workloads had a replica,
 * counted once. A model's other workloads at zero while one of them runs
 * (the source a move left parked, an on-demand stand-in or a spot
 * companion at rest) are not hibernation; and while all are at zero, the
 * one replica is the one of the workload with the most GPU units per
 * replica (ties: the first by cluster, namespace, kind and name), on its
 * pool.
 */
function zeroUnitHours(
  samples: WorkloadSampleLike[],
  dayEnd: number,
  modelOf: (w: WorkloadSampleLike) => { modelRef: string; teamRef: string },
): Map<string, number> {
  const byModel = new Map<string, WorkloadSampleLike[]>();
  for (const s of samples) {
    const ref = modelOf(s).modelRef;
    byModel.set(ref, [...(byModel.get(ref) ?? []), s]);
  }
  const out = new Map<string, number>();
  for (const [modelRef, mine] of byModel) {
    if (!mine.some(s => s.replicas === 0)) continue;
    // Sweep the model's samples' intervals: +1/−1 at their start and end.
    const events: Array<{ at: number; s: WorkloadSampleLike; open: boolean }> =
      [];
    for (const s of mine) {
      const start = s.sampledAt.getTime();
      const end = Math.min(start + s.seconds * 1000, dayEnd);
      if (end <= start) continue;
      events.push({ at: start, s, open: true }, { at: end, s, open: false });
    }
    events.sort((x, y) => x.at - y.at || Number(x.open) - Number(y.open));
    let running = 0;
    const atZero = new Set<WorkloadSampleLike>();
    let last = events[0]?.at ?? 0;
    for (const e of events) {
      if (e.at > last && running === 0 && atZero.size) {
        const one = [...atZero].sort(
          (x, y) =>
            y.unitsPerReplica - x.unitsPerReplica ||
            workloadKey(x).localeCompare(workloadKey(y)),
        )[0];
        const key = `${modelRef}\u0000${one.poolRef}`;
        out.set(
          key,
          (out.get(key) ?? 0) +
            (one.unitsPerReplica * (e.at - last)) / 3_600_000,
        );
      }
      last = e.at;
      if (e.s.replicas > 0) running += e.open ? 1 : -1;
      else if (e.open) atZero.add(e.s);
      else atZero.delete(e.s);
    }
  }
  return out;
}

const UNUSABLE = new Set(['zero-placeholder']);

/**
 * The price of one node of a pool on a day, from the price book's history
 * of its machine in its region: of each source, the newest price published
 * by the end of the day (or its oldest, for days before the book began).
 * A live source wins over the bundled catalog; a price in the pool's zone
 * over others. Reserved capacity is priced on demand, saying so. Unknown
 * prices and 0.0 placeholders are never used.
 */
export function resolvePoolPrice(
  pool: Pick<
    PoolDayAggregate,
    'poolRef' | 'provider' | 'region' | 'zone' | 'instanceType' | 'capacityType'
  >,
  quotes: PriceQuote[],
  dayEnd: Date,
  options: { bundledSource: string; liveSources: string[] },
): { usdPerNodeHour: number | null; provenance: CostProvenance[] } {
  const subject = `${pool.provider} ${
    pool.instanceType || '(no instance type)'
  } ${pool.region}${pool.zone ? ` ${pool.zone}` : ''} ${pool.capacityType}`;
  const wanted =
    pool.capacityType === 'reserved' ? 'on-demand' : pool.capacityType;
  const regional = quotes.filter(
    q =>
      q.provider === pool.provider &&
      q.instanceType === pool.instanceType &&
      q.region === pool.region &&
      q.capacityType === wanted &&
      q.usdPerHour !== null &&
      q.usdPerHour > 0 &&
      !(q.flags ?? []).some(f => UNUSABLE.has(f)),
  );
  const inZone = regional.filter(
    q => !pool.zone || !q.zone || q.zone === pool.zone,
  );
  // Quotes may name zones another way than nodes do: AWS prices by zone ID
  // (`use1-az1`), nodes carry the account's zone name (`us-east-1a`), and
  // only the account knows which is which. Then the region's quotes stand.
  const otherZoneNames = !inZone.length && regional.length > 0;
  const usable = otherZoneNames ? regional : inZone;
  const end = dayEnd.getTime();
  const bySource = new Map<string, PriceQuote[]>();
  for (const q of usable) {
    bySource.set(q.source, [...(bySource.get(q.source) ?? []), q]);
  }
  const pick = (list: PriceQuote[]) => {
    const times = list.map(q => Date.parse(q.observedAt));
    const past = times.filter(t => t <= end);
    const t = past.length ? Math.max(...past) : Math.min(...times);
    const at = list.filter(q => Date.parse(q.observedAt) === t);
    const exact = at.filter(q => pool.zone && q.zone === pool.zone);
    return (exact.length ? exact : at).reduce((a, b) =>
      a.usdPerHour! <= b.usdPerHour! ? a : b,
    );
  };
  // The bundled catalog names its rows `bundled-catalog (<data set>)`.
  const isBundled = (id: string) =>
    id === options.bundledSource || id.startsWith(`${options.bundledSource} (`);
  const sources = [...bySource.keys()].sort();
  const source = sources.find(id => !isBundled(id)) ?? sources.find(isBundled);
  if (!source) {
    return {
      usdPerNodeHour: null,
      provenance: [
        {
          kind: 'price',
          source: 'none',
          observedAt: dayEnd.toISOString(),
          subject,
          note: 'no price source knows this machine',
        },
      ],
    };
  }
  const q = pick(bySource.get(source)!);
  const notes: string[] = [];
  if (pool.capacityType === 'reserved')
    notes.push('reserved capacity priced at the on-demand rate');
  if (otherZoneNames) {
    notes.push(
      `no quote names zone ${pool.zone}: the cheapest of the region's zones (${[
        ...new Set(regional.map(r => r.zone).filter(Boolean)),
      ]
        .sort()
        .join(', ')})`,
    );
  }
  if (isBundled(source) && options.liveSources.length) {
    notes.push(
      `bundled catalog: no price from the live source(s) ${options.liveSources.join(
        ', ',
      )}`,
    );
  }
  return {
    usdPerNodeHour: q.usdPerHour,
    provenance: [
      {
        kind: 'price',
        source: q.source,
        observedAt: q.observedAt,
        subject,
        usdPerHour: q.usdPerHour!,
        ...(notes.length ? { note: notes.join('; ') } : {}),
      },
    ],
  };
}

/**
 * The mean over time of series of one metric, one series per pod: at each
 * step the pods' values are summed (rates) or averaged (gauges). Undefined
 * when no step has a finite value; `hours` counts the steps with one.
 */
export function meanPerStep(
  series: Array<{ points: Array<[number, number]> }>,
  combine: 'sum' | 'mean',
): { mean: number; hours: number } | undefined {
  const perStep = new Map<number, number[]>();
  for (const s of series) {
    for (const [t, v] of s.points) {
      if (Number.isFinite(v)) perStep.set(t, [...(perStep.get(t) ?? []), v]);
    }
  }
  if (!perStep.size) return undefined;
  const values = [...perStep.values()].map(vs => {
    const total = vs.reduce((a, b) => a + b, 0);
    return combine === 'sum' ? total : total / vs.length;
  });
  return {
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    hours: values.length,
  };
}
