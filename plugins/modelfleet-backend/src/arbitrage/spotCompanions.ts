/**
 * What the spot fallback loop reads of a model's companions (its
 * on-demand stand-in and its spot companions on the cluster's other spot
 * pools): the fleet's view of their pods and the cluster's own view of
 * their replicas, and the words and figures an action keeps.
 *
 * @internal
 */
import {
  FINAL_ACTION_STATES,
  GpuPoolStatus,
  ModelArbitrageOption,
  ModelWorkloadObservation,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-common';
import { ActuatorDirectory } from '../actions/types';
import { StoredAction } from '../database/ActionStore';
import { fallbackName, spreadName } from '../engines/arbitrage/fallbackPlan';
import { SpotSide } from '../engines/arbitrage/fallback';
import { ServingPool } from '../engines/arbitrage/spotTypes';
import { poolRefOf } from './serving';

/** A Deployment's replicas as its cluster has them now. */
export interface LiveReplicas {
  desired: number;
  ready: number;
}

/**
 * A Deployment's replicas as its cluster has them now (the fleet's view
 * is as old as the last cluster sync: a change made a pass ago may not be
 * in it yet); nothing when it does not exist.
 */
export async function deploymentNow(
  actuators: ActuatorDirectory,
  ref: WorkloadRef,
): Promise<LiveReplicas | undefined> {
  const actuator = await actuators.forCluster(ref.cluster);
  const object = await actuator.get(ref.cluster, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: ref.namespace,
    name: ref.name,
  });
  if (!object) return undefined;
  const spec = (object.spec ?? {}) as { replicas?: number };
  const status = (object.status ?? {}) as { readyReplicas?: number };
  return {
    desired: Number(spec.replicas ?? 1),
    ready: Number(status.readyReplicas ?? 0),
  };
}

/**
 * When the latest pod of each of the model's Deployments turned Ready
 * (ms), by Deployment name, where the actuator tells. The model's
 * selector takes its companions' pods too: they are told apart by name.
 */
export async function readyTimes(
  actuators: ActuatorDirectory,
  workload: WorkloadRef,
  companions: readonly string[],
): Promise<Map<string, number>> {
  const actuator = await actuators.forCluster(workload.cluster);
  const out = new Map<string, number>();
  if (!actuator.podStarts) return out;
  // Longest names first: `chat-on-demand-…` before `chat-…`.
  const names = [...companions, workload.name].sort(
    (a, b) => b.length - a.length,
  );
  for (const p of await actuator.podStarts(workload)) {
    if (!p.readyAt) continue;
    const owner = names.find(n => p.name.startsWith(`${n}-`));
    if (!owner) continue;
    const t = Date.parse(p.readyAt);
    out.set(owner, Math.max(out.get(owner) ?? t, t));
  }
  return out;
}

/** The cluster-local name of a pool of the cluster, by its entity ref. */
export function poolByRef(
  pools: readonly GpuPoolStatus[],
  cluster: string,
  ref: string,
): GpuPoolStatus | undefined {
  return pools.find(
    p => p.cluster === cluster && poolRefOf(cluster, p.name) === ref,
  );
}

/** A spot Deployment's side of the engine's input. */
export function spotSide(input: {
  pool: ServingPool;
  live: LiveReplicas | undefined;
  observed: ModelWorkloadObservation | undefined;
  poolNoticedAt?: string;
  lastReadyAt?: number;
  pastTrouble?: readonly number[];
}): SpotSide {
  const ms = (iso?: string) => (iso ? Date.parse(iso) : undefined);
  const o = input.observed;
  return {
    pool: input.pool,
    desired: input.live?.desired ?? o?.replicas.desired ?? 0,
    ready: input.live?.ready ?? o?.replicas.ready ?? 0,
    noticed: o?.reclaim?.replicas ?? 0,
    ...(o?.reclaim ? { noticedAt: ms(o.reclaim.noticedAt) } : {}),
    ...(input.poolNoticedAt ? { poolNoticedAt: ms(input.poolNoticedAt) } : {}),
    unscheduled: o?.unscheduled?.pods ?? 0,
    ...(o?.unscheduled ? { unscheduledSince: ms(o.unscheduled.since) } : {}),
    ...(input.lastReadyAt !== undefined
      ? { lastReadyAt: input.lastReadyAt }
      : {}),
    ...(input.pastTrouble ? { pastTrouble: input.pastTrouble } : {}),
  };
}

/** A companion of the model: its Deployment, its pool, its replicas now and wanted. */
export interface Companion {
  name: string;
  /** Its cluster: the model's, or another's for a spot companion. */
  cluster: string;
  capacity: 'on-demand' | 'spot';
  pool: string;
  title: string;
  usdPerHour: number;
  from: number;
  to: number;
}

/** The names of a model's possible companions on the given pools. */
export const companionNames = (workload: string, spotPools: string[]) => [
  fallbackName(workload),
  ...spotPools.map(p => spreadName(workload, p)),
];

/** A pool of the what-if as the spot-serving engine sees it: one replica's price. */
export const servingPool = (
  o: ModelArbitrageOption,
  replicas: number,
): ServingPool => ({
  id: o.pool,
  cloud: o.provider,
  region: o.region,
  capacity: o.capacityType === 'spot' ? 'spot' : 'on-demand',
  usdPerHour: o.monthlyUsd / 730 / Math.max(1, replicas),
});

/** A spot pool the model's spot replicas may spread to, and its companion's name there. */
export interface SpreadCandidate {
  option: ModelArbitrageOption;
  pool: GpuPoolStatus;
  /** The companion's Deployment: `<workload>-on-<pool>`. */
  name: string;
  /** Its cluster: the model's, or another's. */
  cluster: string;
}

/**
 * The spot pools the model may spread its spot replicas over (the
 * what-if's eligible spot options other than its own pool), at most
 * `max`, each a market of its own: the other spot pools of its own
 * cluster first, cheapest first (no traffic leaves the cluster, no weights
 * cross a border), then, while fewer than `max` and `acrossClusters`
 * (the team's `arbitrage.spreadAcrossClusters`), the spot pools of other
 * clusters, cheapest first, one a cluster.
 */
export function spreadCandidates(
  options: readonly ModelArbitrageOption[],
  pools: readonly GpuPoolStatus[],
  workload: WorkloadRef,
  max: number,
  acrossClusters = true,
): SpreadCandidate[] {
  const all: SpreadCandidate[] = [];
  for (const option of options) {
    if (option.capacityType !== 'spot' || option.current) continue;
    const pool = poolByRef(pools, option.cluster, option.pool);
    if (pool)
      all.push({
        option,
        pool,
        name: spreadName(workload.name, pool.name),
        cluster: option.cluster,
      });
  }
  all.sort((a, b) => a.option.monthlyUsd - b.option.monthlyUsd);
  const own = all.filter(c => c.cluster === workload.cluster).slice(0, max);
  const elsewhere = new Map<string, SpreadCandidate>();
  for (const c of acrossClusters ? all : [])
    if (c.cluster !== workload.cluster && !elsewhere.has(c.cluster))
      elsewhere.set(c.cluster, c);
  return [...own, ...elsewhere.values()].slice(0, max);
}

/**
 * When the latest pod of a spot companion on another cluster turned Ready
 * (ms), where the actuator tells; nothing when it does not exist there.
 */
export async function remoteReadyTime(
  actuators: ActuatorDirectory,
  companion: WorkloadRef,
): Promise<number | undefined> {
  const actuator = await actuators.forCluster(companion.cluster);
  if (!actuator.podStarts) return undefined;
  let latest: number | undefined;
  for (const p of await actuator.podStarts(companion)) {
    if (!p.readyAt) continue;
    const t = Date.parse(p.readyAt);
    latest = Math.max(latest ?? t, t);
  }
  return latest;
}

/** Times (ms) of the model's reclaim notices and failed launches its stored fallbacks of the last `hours` answered. */
export function pastTrouble(
  past: readonly StoredAction[],
  now: number,
  hours: number,
): number[] {
  const ms = (iso?: string) => (iso ? Date.parse(iso) : undefined);
  return past
    .filter(
      a =>
        a.kind === 'spot-fallback' &&
        Date.parse(a.createdAt) >= now - hours * 3600_000,
    )
    .flatMap(a =>
      [a.fallback?.noticedAt, a.fallback?.unscheduledSince]
        .map(ms)
        .filter((t): t is number => t !== undefined),
    );
}

/** How long before its reclaim each cloud announces it, in seconds. */
const NOTICE_SECONDS: Record<string, number> = {
  aws: 120,
  gcp: 30,
  azure: 30,
};

/** How long before its reclaim a cloud announces it (30 s where not known). */
export const noticeSecondsOf = (provider: string) =>
  NOTICE_SECONDS[provider] ?? 30;

/**
 * Whether an action on the model holds the fallback back: one under way,
 * or stored to run, or a fallback waiting for its approval. Another
 * loop's recommendation waiting for a person (a dry-run hibernation or
 * move) does not: a preemption is answered now.
 */
export function holdsFallback(a: StoredAction): boolean {
  if (FINAL_ACTION_STATES.includes(a.state)) return false;
  return a.state !== 'planned' || !a.dryRun || a.kind === 'spot-fallback';
}
