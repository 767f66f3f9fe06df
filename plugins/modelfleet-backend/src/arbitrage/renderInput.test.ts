import { renderInputFor } from './renderInput';

const entity = (spec: Record<string, unknown>) => ({
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name: 'chat', title: 'Chat' },
  spec: {
    owner: 'group:default/search-team',
    source: 'meta-llama/Llama-3.1-8B-Instruct',
    parametersBillions: 8,
    precision: 'bf16',
    runtime: 'vllm',
    gpu: { count: 1, memoryGiB: 20 },
    replicas: { min: 2, max: 4 },
    ...spec,
  },
});
const pool = {
  ref: 'gpupool:default/gcp.l4',
  cluster: 'gcp',
  region: 'us-central1',
  capacityType: 'spot' as const,
  scheduling: {
    nodeSelector: { 'cloud.google.com/gke-nodepool': 'l4' },
    tolerations: [],
    gpuResource: 'nvidia.com/gpu',
  },
  gpuProduct: 'L4',
};
const workload = (annotations: Record<string, string>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'chat', annotations },
});

describe('renderInputFor', () => {
  it("takes the model from the entity and the pool's scheduling, in the template's input", () => {
    expect(renderInputFor(entity({}), 'search', undefined, pool)).toEqual({
      name: 'chat',
      namespace: 'search',
      title: 'Chat',
      owner: 'group:default/search-team',
      model: {
        source: 'meta-llama/Llama-3.1-8B-Instruct',
        parametersBillions: 8,
        precision: 'bf16',
        runtime: 'vllm',
      },
      gpu: { product: 'L4', count: 1, memoryGiB: 20 },
      replicas: { min: 2, max: 4 },
      traffic: 'always-on',
      pool: {
        ref: 'gpupool:default/gcp.l4',
        cluster: 'gcp',
        region: 'us-central1',
        capacityType: 'spot',
        scheduling: pool.scheduling,
      },
    });
  });

  it('keeps how the workload was deployed, and scales to zero only where the policy hibernates', () => {
    const deployed = renderInputFor(
      entity({}),
      'search',
      workload({
        'modelfleet.io/traffic': 'business-hours',
        'modelfleet.io/wake-on': 'keda-poll',
        'modelfleet.io/idle-tier': 'sleep',
      }),
      pool,
    );
    expect(deployed).toMatchObject({
      traffic: 'business-hours',
      wakeOn: 'keda-poll',
      idleTier: 'sleep',
    });
    const hibernates = renderInputFor(
      entity({ policy: { hibernation: { mode: 'enforce', idleMinutes: 10 } } }),
      'search',
      workload({ 'modelfleet.io/traffic': '--privileged' }),
      pool,
    );
    expect(hibernates).toMatchObject({
      traffic: 'sporadic',
      hibernation: { idleMinutes: 10 },
    });
    expect(hibernates).not.toHaveProperty('wakeOn');
  });

  it('names what the entity lacks', () => {
    expect(() =>
      renderInputFor(entity({ gpu: { count: 1 } }), 'search', undefined, pool),
    ).toThrow(/Model chat: spec.gpu.memoryGiB is missing/);
    expect(() =>
      renderInputFor(entity({ runtime: undefined }), 'search', undefined, pool),
    ).toThrow(/spec.runtime is null/);
  });
});
