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

export const DEMO_CLUSTERS: DemoCluster[] = [
  {
    name: 'demo-aws-use1',
    provider: 'aws',
    region: 'us-east-1',
    zones: ['us-east-1a', 'us-east-1b'],
  },
  {
    name: 'demo-gcp-usc1',
    provider: 'gcp',
    region: 'us-central1',
    zones: ['us-central1-a', 'us-central1-c'],
  },
  {
    name: 'demo-azure-eastus',
    provider: 'azure',
    region: 'eastus',
    zones: ['eastus-1', 'eastus-2'],
  },
];

const GIB = 1024;

export const DEMO_POOLS: DemoPool[] = [
  // AWS us-east-1: EKS managed node groups
  {
    cluster: 'demo-aws-use1',
    name: 'g6-l4-spot',
    instanceType: 'g6.xlarge',
    capacityType: 'spot',
    gpu: {
      product: 'L4',
      memoryMiB: Math.round(22.35 * GIB),
      perNode: 1,
      sharing: 'whole',
    },
    nodes: { min: 0, max: 10 },
    idleNodes: 0,
    billedUsdPerNodeHour: 0.347,
  },
  {
    cluster: 'demo-aws-use1',
    name: 'g5-a10g',
    instanceType: 'g5.2xlarge',
    capacityType: 'on-demand',
    gpu: {
      product: 'A10G',
      memoryMiB: Math.round(22.35 * GIB),
      perNode: 1,
      sharing: 'whole',
    },
    nodes: { min: 1, max: 6 },
    idleNodes: 1,
    billedUsdPerNodeHour: 1.1514,
  },
  {
    cluster: 'demo-aws-use1',
    name: 'g6-12x-l4',
    instanceType: 'g6.12xlarge',
    capacityType: 'on-demand',
    gpu: {
      product: 'L4',
      memoryMiB: Math.round(22.35 * GIB),
      perNode: 4,
      sharing: 'whole',
    },
    nodes: { min: 0, max: 4 },
    idleNodes: 0,
    billedUsdPerNodeHour: 4.37152,
  },
  {
    cluster: 'demo-aws-use1',
    name: 'g6e-l40s-spot',
    instanceType: 'g6e.2xlarge',
    capacityType: 'spot',
    gpu: {
      product: 'L40S',
      memoryMiB: Math.round(44.7 * GIB),
      perNode: 1,
      sharing: 'whole',
    },
    nodes: { min: 0, max: 6 },
    idleNodes: 0,
    billedUsdPerNodeHour: 0.8402,
  },
  // GCP us-central1: GKE node pools
  {
    cluster: 'demo-gcp-usc1',
    name: 'g2-l4-spot',
    instanceType: 'g2-standard-8',
    capacityType: 'spot',
    gpu: { product: 'L4', memoryMiB: 24 * GIB, perNode: 1, sharing: 'whole' },
    nodes: { min: 0, max: 8 },
    idleNodes: 0,
    billedUsdPerNodeHour: 0.43623,
  },
  {
    cluster: 'demo-gcp-usc1',
    name: 'g2-l4-shared',
    instanceType: 'g2-standard-8',
    capacityType: 'on-demand',
    gpu: {
      product: 'L4',
      memoryMiB: 24 * GIB,
      perNode: 1,
      sharing: 'time-slicing',
      replicasPerGpu: 4,
    },
    nodes: { min: 1, max: 4 },
    idleNodes: 0,
    billedUsdPerNodeHour: 0.76826,
  },
  {
    cluster: 'demo-gcp-usc1',
    name: 'a2-a100',
    instanceType: 'a2-highgpu-1g',
    capacityType: 'on-demand',
    gpu: { product: 'A100', memoryMiB: 40 * GIB, perNode: 1, sharing: 'whole' },
    nodes: { min: 0, max: 4 },
    idleNodes: 1,
    billedUsdPerNodeHour: 3.30605,
  },
  {
    cluster: 'demo-gcp-usc1',
    name: 'a2u-a100-80-spot',
    instanceType: 'a2-ultragpu-1g',
    capacityType: 'spot',
    gpu: {
      product: 'A100-80GB',
      memoryMiB: 80 * GIB,
      perNode: 1,
      sharing: 'whole',
    },
    nodes: { min: 0, max: 4 },
    idleNodes: 0,
    billedUsdPerNodeHour: 2.73756,
  },
  {
    cluster: 'demo-gcp-usc1',
    name: 'a3-h100',
    instanceType: 'a3-highgpu-8g',
    capacityType: 'on-demand',
    gpu: { product: 'H100', memoryMiB: 80 * GIB, perNode: 8, sharing: 'whole' },
    nodes: { min: 0, max: 2 },
    idleNodes: 0,
    billedUsdPerNodeHour: 38.75953,
  },
  // Azure eastus: AKS agent pools (names are at most 12 lowercase characters)
  {
    cluster: 'demo-azure-eastus',
    name: 'nca100',
    instanceType: 'Standard_NC24ads_A100_v4',
    capacityType: 'on-demand',
    gpu: {
      product: 'A100-80GB',
      memoryMiB: 80 * GIB,
      perNode: 1,
      sharing: 'whole',
    },
    nodes: { min: 1, max: 4 },
    idleNodes: 1,
    billedUsdPerNodeHour: 3.56281,
  },
  {
    cluster: 'demo-azure-eastus',
    name: 'nc96a100',
    instanceType: 'Standard_NC96ads_A100_v4',
    capacityType: 'on-demand',
    gpu: {
      product: 'A100-80GB',
      memoryMiB: 80 * GIB,
      perNode: 4,
      sharing: 'whole',
    },
    nodes: { min: 0, max: 2 },
    idleNodes: 0,
    billedUsdPerNodeHour: 14.25124,
  },
  {
    cluster: 'demo-azure-eastus',
    name: 'nva10spot',
    instanceType: 'Standard_NV36ads_A10_v5',
    capacityType: 'spot',
    gpu: { product: 'A10', memoryMiB: 24 * GIB, perNode: 1, sharing: 'whole' },
    nodes: { min: 0, max: 6 },
    idleNodes: 0,
    billedUsdPerNodeHour: 0.8,
  },
  {
    // On-demand A10 beside the spot pool: where the spot fallback's
    // stand-in of an A10 model runs while spot is reclaimed. One node is
    // kept (AKS's minimum count) so the pool is seen, and idle.
    cluster: 'demo-azure-eastus',
    name: 'nva10',
    instanceType: 'Standard_NV36ads_A10_v5',
    capacityType: 'on-demand',
    gpu: { product: 'A10', memoryMiB: 24 * GIB, perNode: 1, sharing: 'whole' },
    nodes: { min: 1, max: 4 },
    idleNodes: 1,
    billedUsdPerNodeHour: 3.2,
  },
  {
    cluster: 'demo-azure-eastus',
    name: 'nct4',
    instanceType: 'Standard_NC4as_T4_v3',
    capacityType: 'on-demand',
    gpu: { product: 'T4', memoryMiB: 16 * GIB, perNode: 1, sharing: 'whole' },
    nodes: { min: 0, max: 4 },
    idleNodes: 0,
    billedUsdPerNodeHour: 0.51022,
  },
];

export const DEMO_MODELS: DemoModel[] = [
  // search-team
  {
    id: 'llama-3-1-8b-chat',
    team: 'search-team',
    namespace: 'search',
    parametersBillions: 8,
    precision: 'bf16',
    runtime: 'vllm',
    deployment: {
      cluster: 'demo-aws-use1',
      pool: 'g6-l4-spot',
      replicas: 2,
      gpusPerReplica: 1,
    },
    traffic: {
      trace: 'azure-conv',
      share: 0.35,
      offsetSeconds: 0,
      tokensPerGpuSecond: 2600,
    },
  },
  {
    id: 'bge-large-embeddings',
    team: 'search-team',
    namespace: 'search',
    parametersBillions: 0.335,
    precision: 'fp16',
    runtime: 'generic',
    deployment: {
      cluster: 'demo-gcp-usc1',
      pool: 'g2-l4-shared',
      replicas: 2,
      gpusPerReplica: 1,
      // The search corpus is re-embedded every 19 days.
      schedule: { burst: { everyDays: 19, offsetDays: 3, replicas: 8 } },
    },
    traffic: {
      trace: 'azure-code',
      share: 0.5,
      offsetSeconds: 600,
      tokensPerGpuSecond: 12000,
    },
  },
  {
    id: 'search-reranker',
    team: 'search-team',
    namespace: 'search',
    parametersBillions: 0.56,
    precision: 'fp16',
    runtime: 'triton',
    deployment: {
      cluster: 'demo-aws-use1',
      pool: 'g5-a10g',
      replicas: 1,
      gpusPerReplica: 1,
    },
    traffic: {
      trace: 'azure-code',
      share: 0.3,
      offsetSeconds: 1200,
      tokensPerGpuSecond: 30000,
    },
  },
  // assistant-team
  {
    id: 'mistral-7b-instruct',
    team: 'assistant-team',
    namespace: 'assistant',
    parametersBillions: 7.2,
    precision: 'bf16',
    runtime: 'vllm',
    deployment: {
      cluster: 'demo-azure-eastus',
      pool: 'nva10spot',
      replicas: 2,
      gpusPerReplica: 1,
      // The assistant serves office hours; one replica keeps it warm at night.
      schedule: { offHoursReplicas: 1 },
    },
    traffic: {
      trace: 'azure-conv',
      share: 0.25,
      offsetSeconds: 900,
      tokensPerGpuSecond: 2200,
    },
  },
  {
    id: 'llama-3-1-70b-instruct',
    team: 'assistant-team',
    namespace: 'assistant',
    parametersBillions: 70,
    precision: 'bf16',
    runtime: 'vllm',
    deployment: {
      cluster: 'demo-azure-eastus',
      pool: 'nc96a100',
      replicas: 1,
      gpusPerReplica: 4,
    },
    traffic: {
      trace: 'azure-conv',
      share: 0.5,
      offsetSeconds: 1800,
      tokensPerGpuSecond: 1500,
    },
  },
  {
    id: 'codellama-13b',
    team: 'assistant-team',
    namespace: 'assistant',
    parametersBillions: 13,
    precision: 'fp16',
    runtime: 'tgi',
    deployment: {
      cluster: 'demo-gcp-usc1',
      pool: 'a2-a100',
      replicas: 1,
      gpusPerReplica: 1,
    },
    traffic: {
      trace: 'azure-code',
      share: 0.6,
      offsetSeconds: 0,
      tokensPerGpuSecond: 2400,
    },
  },
  {
    id: 'qwen2-5-coder-7b',
    team: 'assistant-team',
    namespace: 'assistant',
    parametersBillions: 7.6,
    precision: 'bf16',
    runtime: 'vllm',
    deployment: {
      cluster: 'demo-aws-use1',
      pool: 'g6-12x-l4',
      replicas: 2,
      gpusPerReplica: 1,
      schedule: { offHoursReplicas: 1 },
    },
    traffic: {
      trace: 'azure-code',
      share: 0.4,
      offsetSeconds: 2400,
      tokensPerGpuSecond: 2300,
    },
  },
  {
    id: 'mixtral-8x7b-instruct',
    team: 'assistant-team',
    namespace: 'assistant',
    parametersBillions: 46.7,
    precision: 'bf16',
    runtime: 'vllm',
  },
  // vision-team
  {
    id: 'sdxl-base',
    team: 'vision-team',
    namespace: 'vision',
    parametersBillions: 3.5,
    precision: 'fp16',
    runtime: 'triton',
    deployment: {
      cluster: 'demo-aws-use1',
      pool: 'g6e-l40s-spot',
      replicas: 1,
      gpusPerReplica: 1,
    },
    traffic: { trace: 'alibaba-gentd26', baseModel: 'M0002', offsetSeconds: 0 },
  },
  {
    id: 'flux-schnell',
    team: 'vision-team',
    namespace: 'vision',
    parametersBillions: 12,
    precision: 'bf16',
    runtime: 'generic',
    deployment: {
      cluster: 'demo-gcp-usc1',
      pool: 'a2u-a100-80-spot',
      replicas: 1,
      gpusPerReplica: 1,
    },
    traffic: { trace: 'alibaba-gentd26', baseModel: 'M0012', offsetSeconds: 0 },
  },
  {
    // A small vision-language model for alt text, on a shared L4: its
    // engine sleeps between bursts (the sleep idle tier).
    id: 'qwen2-vl-2b-instruct',
    team: 'vision-team',
    namespace: 'vision',
    parametersBillions: 2.2,
    precision: 'bf16',
    runtime: 'vllm',
    deployment: {
      cluster: 'demo-gcp-usc1',
      pool: 'g2-l4-shared',
      replicas: 1,
      gpusPerReplica: 1,
      idleTier: 'sleep',
    },
    traffic: {
      trace: 'alibaba-gentd26',
      baseModel: 'M0001',
      offsetSeconds: 0,
    },
  },
  {
    id: 'clip-vit-large',
    team: 'vision-team',
    namespace: 'vision',
    parametersBillions: 0.43,
    precision: 'fp16',
    runtime: 'triton',
    deployment: {
      cluster: 'demo-azure-eastus',
      pool: 'nct4',
      replicas: 1,
      gpusPerReplica: 1,
    },
    // Embeds the media catalogue's new images every 21 minutes: a rhythm
    // sharp enough for the hibernation loop to take it to zero after each
    // batch and wake it ahead of the next (a pre-warm). Not a divisor of
    // the hour, so the hourly snapshots of the past it is replayed into
    // sample every phase of its rhythm, not always a batch's first second.
    traffic: {
      trace: 'batch',
      everySeconds: 1260,
      requests: 60,
      spacingSeconds: 2,
      execSeconds: 1.5,
      offsetSeconds: 0,
    },
  },
  // speech-team
  {
    id: 'whisper-large-v3',
    team: 'speech-team',
    namespace: 'speech',
    parametersBillions: 1.55,
    precision: 'fp16',
    runtime: 'triton',
    deployment: {
      cluster: 'demo-gcp-usc1',
      pool: 'g2-l4-spot',
      replicas: 1,
      gpusPerReplica: 1,
    },
    traffic: {
      trace: 'alibaba-gentd26',
      baseModel: 'M0010',
      offsetSeconds: 43200,
    },
  },
];
