/*
 * Known-good inputs of the scaffolder actions, as the Deploy-a-model
 * template gives them: every optional field set, so each can be mutated.
 */

export const estimateInput = {
  parametersBillions: 8,
  precision: 'bf16',
  kvCacheFraction: 0.2,
  runtimeOverheadGiB: 1,
  gpuCount: 2,
};

export const renderInput = {
  name: 'fuzz-probe',
  namespace: 'search',
  title: 'Fuzz probe',
  description: 'A model the fuzz test renders',
  owner: 'group:default/search-team',
  system: 'system:default/search',
  lifecycle: 'experimental',
  model: {
    source: 'meta-llama/Llama-3.1-8B-Instruct',
    parametersBillions: 8,
    precision: 'bf16',
    runtime: 'vllm',
  },
  gpu: { product: 'L4', count: 1, memoryGiB: 19 },
  replicas: { min: 1, max: 2 },
  traffic: 'business-hours',
  wakeOn: 'http-addon',
  hibernation: {
    idleMinutes: 30,
    businessHours: {
      start: '0 8 * * 1-5',
      end: '0 19 * * 1-5',
      timezone: 'Europe/Paris',
    },
  },
  pool: {
    ref: 'gpupool:default/demo-aws-use1.g6-l4',
    cluster: 'demo-aws-use1',
    region: 'us-east-1',
    capacityType: 'on-demand',
    scheduling: {
      nodeSelector: { 'node.kubernetes.io/instance-type': 'g6.xlarge' },
      tolerations: [
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ],
      gpuResource: 'nvidia.com/gpu',
    },
  },
  monthlyBudgetUsd: 4000,
  spot: 'allow',
  cacheStorageClass: 'standard',
  targetPath: '.',
};

export const publishInput = {
  repoName: 'fuzz-probe',
  sourcePath: '.',
  defaultBranch: 'main',
  gitCommitMessage: 'Deploy fuzz-probe',
  gitAuthorName: 'Fuzz Test',
  gitAuthorEmail: 'fuzz@example.com',
};

export const registerInput = {
  repoName: 'fuzz-probe',
  catalogInfoPath: 'catalog-info.yaml',
  timeoutSeconds: 5,
};

export const placementInput = {
  name: 'fuzz-probe',
  owner: 'group:default/search-team',
  runtime: 'vllm',
  parametersBillions: 8,
  precision: 'bf16',
  gpusPerReplica: 1,
  replicas: { min: 1, max: 2 },
  traffic: 'always-on',
  spot: 'allow',
  regions: ['us-east-1', 'us-central1', 'eastus'],
  gpuTypes: ['L4', 'A10G', 'T4'],
  monthlyBudgetUsd: 10000,
};

export const deployInput = (manifests: Array<Record<string, any>>) => ({
  cluster: 'demo-aws-use1',
  namespace: 'search',
  manifests,
  entityRef: 'model:default/fuzz-probe',
  owner: 'group:default/search-team',
  dryRun: true,
  reason: 'fuzz test',
  timeoutSeconds: 60,
});
