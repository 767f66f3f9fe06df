/**
 * Runs every policy of `yarn bench:arbitrage` over the fleet with one
 * accounting (src/engines/arbitrage/spotSim.ts), and reads curves.
 */
import {
  PreparedMarkets,
  replay,
  ReplayResult,
} from '../../src/engines/arbitrage/spotSim';
import {
  ServingPolicy,
  SpotServingPolicy,
} from '../../src/engines/arbitrage/spotTypes';

export interface Totals {
  costUsd: number;
  readySeconds: number;
  requiredSeconds: number;
  launches: number;
  onDemandLaunches: number;
  onDemandSeconds: number;
  billedSeconds: number;
  shortfalls: number;
  failedLaunches: number;
  reclaimed: number;
  modelDays: number;
  decideNanos: number[];
}

export const emptyTotals = (): Totals => ({
  costUsd: 0,
  readySeconds: 0,
  requiredSeconds: 0,
  launches: 0,
  onDemandLaunches: 0,
  onDemandSeconds: 0,
  billedSeconds: 0,
  shortfalls: 0,
  failedLaunches: 0,
  reclaimed: 0,
  modelDays: 0,
  decideNanos: [],
});

/** Adds `weight` identical models' results. */
export function addResult(t: Totals, r: ReplayResult, weight: number) {
  t.costUsd += weight * r.costUsd;
  t.readySeconds += weight * r.readyReplicaSeconds;
  t.requiredSeconds += weight * r.required * r.horizonSeconds;
  t.launches += weight * r.launches;
  t.onDemandLaunches += weight * r.onDemandLaunches;
  t.onDemandSeconds += weight * r.onDemandReplicaSeconds;
  t.billedSeconds += weight * (r.onDemandReplicaSeconds + r.spotReplicaSeconds);
  t.shortfalls += weight * r.shortfalls;
  t.failedLaunches += weight * r.failedLaunches;
  t.reclaimed += weight * r.reclaimed;
  t.modelDays += (weight * r.horizonSeconds) / 86400;
  for (const x of r.decideNanos) t.decideNanos.push(x);
}

export interface Figures {
  costVsOnDemand: number;
  availability: number;
  movesPerModelDay: number;
  onDemandShare: number;
  shortfallsPerModelDay: number;
  failedPerModelDay: number;
  reclaimedPerModelDay: number;
}

export function figures(t: Totals, onDemandCostUsd: number): Figures {
  return {
    costVsOnDemand: t.costUsd / onDemandCostUsd,
    availability: t.readySeconds / t.requiredSeconds,
    movesPerModelDay: t.launches / t.modelDays,
    onDemandShare: t.onDemandSeconds / Math.max(1, t.billedSeconds),
    shortfallsPerModelDay: t.shortfalls / t.modelDays,
    failedPerModelDay: t.failedLaunches / t.modelDays,
    reclaimedPerModelDay: t.reclaimed / t.modelDays,
  };
}

/** A group of identical models: same replicas and GPUs (every policy is deterministic). */
export interface ModelGroup {
  replicas: number;
  gpusPerReplica: number;
  models: number;
}

export interface PolicySpec {
  key: string;
  /** A fresh policy per model (SpotHedge-like keeps state). */
  make: () => ServingPolicy;
  timed?: boolean;
}

export interface RunSetup {
  groups: ModelGroup[];
  prepared: (gpus: number) => PreparedMarkets;
  horizonSeconds: number;
  provisionSeconds: number;
  loadSeconds: number;
  noticeSeconds: number;
  policy: SpotServingPolicy;
}

/** Every policy over every group; totals by policy key. */
export function runAll(specs: PolicySpec[], s: RunSetup): Map<string, Totals> {
  const out = new Map<string, Totals>();
  for (const spec of specs) {
    const t = emptyTotals();
    for (const g of s.groups) {
      const r = replay(spec.make(), g.replicas, s.prepared(g.gpusPerReplica), {
        horizonSeconds: s.horizonSeconds,
        provisionSeconds: s.provisionSeconds,
        loadSeconds: s.loadSeconds,
        noticeSeconds: s.noticeSeconds,
        policy: s.policy,
        ...(spec.timed ? { clock: () => process.hrtime.bigint() } : {}),
      });
      addResult(t, r, g.models);
    }
    out.set(spec.key, t);
  }
  return out;
}

export interface CurvePoint {
  knob: string;
  cost: number;
  availability: number;
}

/**
 * The cost of a curve at an availability, linear between the two points
 * around it (the curve taken as its lower envelope: the cheapest point at
 * or above each availability); undefined when no point reaches it.
 */
export function costAt(points: CurvePoint[], availability: number) {
  const pts = [...points].sort((a, b) => a.availability - b.availability);
  const reach = pts.filter(p => p.availability >= availability);
  if (!reach.length) return undefined;
  const above = reach.reduce((m, p) => (p.cost < m.cost ? p : m));
  const below = pts
    .filter(p => p.availability < availability && p.cost < above.cost)
    .reduce<CurvePoint | undefined>(
      (m, p) => (!m || p.availability > m.availability ? p : m),
      undefined,
    );
  if (!below) return { cost: above.cost, between: [above] };
  const f =
    (availability - below.availability) /
    (above.availability - below.availability);
  return {
    cost: below.cost + f * (above.cost - below.cost),
    between: [below, above],
  };
}

export function percentile(xs: number[], p: number) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
