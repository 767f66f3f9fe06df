/** The shape of the demo fleet: its clusters, pools, models, traffic and schedules, and helpers over them. */
import {
  CapacityType,
  CloudProvider,
  GpuSharingMode,
  ModelPrecision,
} from '@modelfleet/plugin-modelfleet-common';

/** A cluster of the demo fleet. */
export interface DemoCluster {
  name: string;
  provider: CloudProvider;
  region: string;
  zones: string[];
}

/**
 * A pool of the demo fleet. Instance types, GPUs and regions are real: the
 * tests check each against the bundled price catalog.
 */
export interface DemoPool {
  cluster: string;
  name: string;
  instanceType: string;
  capacityType: CapacityType;
  gpu: {
    product: string;
    memoryMiB: number;
    perNode: number;
    sharing: GpuSharingMode;
    replicasPerGpu?: number;
  };
  nodes: { min: number; max: number };
  /** Nodes running beyond what the workloads need (idle capacity). */
  idleNodes: number;
  /**
   * What the demo's bill charges per node-hour: the catalog's list price,
   * less the discounts a real account has on on-demand capacity (5 % AWS
   * enterprise discount, 10 % GCP committed use, 3 % Azure), so the bills
   * reconcile with showback to within a few percent.
   */
  billedUsdPerNodeHour: number;
}

/** Where a demo model's requests come from. */
export type DemoTraffic =
  | {
      /** One of the Azure LLM inference traces (one hour, replayed in a loop). */
      trace: 'azure-conv' | 'azure-code';
      /** Fraction of the trace's requests this model receives (0–1). */
      share: number;
      /** Shift into the trace, in seconds. */
      offsetSeconds: number;
      /** Tokens per second one GPU of this model serves at 100 % utilization. */
      tokensPerGpuSecond: number;
    }
  | {
      /** A base model of the Alibaba GenAI trace (12 days, replayed in a loop). */
      trace: 'alibaba-gentd26';
      baseModel: string;
      offsetSeconds: number;
    }
  | {
      /**
       * A scheduled batch client, such as a job that embeds a catalogue's
       * new items: `requests` requests `spacingSeconds` apart at the start
       * of every `everySeconds` (aligned to the epoch, as a cron job is).
       */
      trace: 'batch';
      everySeconds: number;
      requests: number;
      spacingSeconds: number;
      /** GPU-busy seconds of one request. */
      execSeconds: number;
      offsetSeconds: number;
    };

/**
 * Whether a model's traffic is one of the LLM traces, whose request weights
 * are tokens; the others weigh a request by its GPU-busy seconds and leave
 * their model idle between bursts.
 */
export function isLlmTraffic(
  traffic: DemoTraffic,
): traffic is Extract<DemoTraffic, { tokensPerGpuSecond: number }> {
  return traffic.trace === 'azure-conv' || traffic.trace === 'azure-code';
}

/**
 * How long one request of a model's trace keeps a replica busy, from its
 * weight: an LLM's tokens at its replica's serving rate, or the execution
 * seconds the trace has; at least 1 s, as the hibernation benchmark counts.
 */
export function busySecondsOf(model: DemoModel): (weight: number) => number {
  const traffic = model.traffic;
  const gpus = model.deployment?.gpusPerReplica ?? 1;
  const perSecond =
    traffic && isLlmTraffic(traffic) ? traffic.tokensPerGpuSecond * gpus : 1;
  return weight => Math.max(1, weight / perSecond);
}

/**
 * How a demo model's replicas change over time, as autoscalers and jobs in a
 * real fleet would change them.
 */
export interface DemoSchedule {
  /**
   * Replicas outside business hours (08:00–20:00 UTC, Monday to Friday),
   * like a KEDA cron scaler.
   */
  offHoursReplicas?: number;
  /**
   * A recurring day of extra load (e.g. re-embedding a corpus): every
   * `everyDays` days counted from 1970-01-01 plus `offsetDays`, the whole
   * UTC day runs `replicas` replicas.
   */
  burst?: { everyDays: number; offsetDays: number; replicas: number };
}

/** Replicas of a deployed demo model at a time. */
export function replicasAt(
  deployment: { replicas: number; schedule?: DemoSchedule },
  at: Date,
): number {
  const s = deployment.schedule;
  if (!s) return deployment.replicas;
  const day = Math.floor(at.getTime() / 86_400_000);
  if (s.burst && (day - s.burst.offsetDays) % s.burst.everyDays === 0) {
    return s.burst.replicas;
  }
  const weekday = at.getUTCDay();
  const hour = at.getUTCHours();
  const business = weekday >= 1 && weekday <= 5 && hour >= 8 && hour < 20;
  if (!business && s.offHoursReplicas !== undefined) return s.offHoursReplicas;
  return deployment.replicas;
}

/** A model served by the demo fleet. */
export interface DemoModel {
  /** The Model entity's name and the workload's `modelfleet.io/model` label. */
  id: string;
  team: string;
  namespace: string;
  parametersBillions: number;
  precision: ModelPrecision;
  runtime: 'vllm' | 'tgi' | 'triton' | 'generic';
  /** Where it runs; absent for a model that is deployable but not deployed. */
  deployment?: {
    cluster: string;
    pool: string;
    replicas: number;
    gpusPerReplica: number;
    /** How the replicas change over time; constant when absent. */
    schedule?: DemoSchedule;
    /**
     * `sleep`: deployed with the sleep idle tier (vLLM sleep mode behind a
     * wake gate, on a pool that shares GPUs): it keeps its replicas and
     * its engine sleeps between bursts. Absent: the zero tier.
     */
    idleTier?: 'sleep';
  };
  traffic?: DemoTraffic;
}
