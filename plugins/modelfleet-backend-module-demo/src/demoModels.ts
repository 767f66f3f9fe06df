/** The models the demo fleet serves, with where they run and their traffic. */
import type { DemoModel } from './demoTypes';

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
