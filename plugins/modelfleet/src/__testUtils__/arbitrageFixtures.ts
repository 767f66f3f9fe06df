import {
  ModelArbitrageOption,
  ModelArbitrageReport,
} from '@modelfleet/plugin-modelfleet-common';

/** One pool a model may run on, as the what-if prices it. */
export const arbitrageOption = (
  overrides: Partial<ModelArbitrageOption> = {},
): ModelArbitrageOption => ({
  pool: 'gpupool:default/prod-use1.l4-ondemand',
  title: 'l4-ondemand (prod-use1)',
  cluster: 'prod-use1',
  provider: 'aws',
  region: 'us-east-1',
  capacityType: 'on-demand',
  monthlyUsd: 1175.3,
  preemptionUsdPerMonth: 0,
  preemptionsPerMonth: 0,
  availability: 1,
  riskSource: 'on-demand capacity is not preempted',
  current: true,
  ...overrides,
});

/**
 * A model on AWS on-demand L4s whose best move is to spot on GCP: the
 * current pool, two others, one excluded.
 */
export const arbitrageReport = (
  overrides: Partial<ModelArbitrageReport> = {},
): ModelArbitrageReport => ({
  entityRef: 'model:search/llama-3-1-8b-chat',
  mode: 'recommend',
  minSavingsPercent: 20,
  paybackHorizonHours: 168,
  minAvailability: 0.99,
  replicas: 2,
  gpusPerReplica: 1,
  currentMonthlyUsd: 1175.3,
  options: [
    arbitrageOption({
      pool: 'gpupool:default/prod-usc1.g2-l4-spot',
      title: 'g2-l4-spot (prod-usc1)',
      cluster: 'prod-usc1',
      provider: 'gcp',
      region: 'us-central1',
      capacityType: 'spot',
      monthlyUsd: 420.48,
      preemptionUsdPerMonth: 1.2,
      preemptionsPerMonth: 2.5,
      availability: 0.995,
      riskSource: 'the prior of the bundled AWS spot traces',
      current: false,
      move: {
        usd: 3.61,
        warmupGpuMinutes: 10,
        transferGiB: 15,
        transferUsd: 3.46,
        what: [
          '10 GPU-minutes without serving (the target starting, the source draining)',
          '15.0 GiB of weights out of aws to gcp at $0.09/GB',
        ],
      },
    }),
    arbitrageOption(),
    arbitrageOption({
      pool: 'gpupool:default/prod-use1.l4-big',
      title: 'l4-big (prod-use1)',
      monthlyUsd: 1679,
      current: false,
      move: {
        usd: 0.2,
        warmupGpuMinutes: 8,
        transferGiB: 0,
        transferUsd: 0,
        what: ['8 GPU-minutes without serving'],
      },
    }),
  ],
  excluded: [
    {
      pool: 'gpupool:default/prod-use1.t4',
      title: 't4 (prod-use1)',
      code: 'gpu-memory',
      reason: '1 × 15 GiB of GPU memory per replica, 18 GiB needed',
    },
  ],
  opportunity: {
    to: 'gpupool:default/prod-usc1.g2-l4-spot',
    savingUsdPerMonth: 753.62,
    savingPercent: 64.1,
    netSavingPercent: 62.6,
    moveUsd: 3.61,
    paybackHours: 3.5,
  },
  reason:
    'to g2-l4-spot (prod-usc1) (gcp us-central1, spot): $754 a month less (64.1 %)',
  ...overrides,
});
