import {
  deployment,
  inferenceService,
  pod,
  statefulSet,
} from '../__testUtils__/objects';
import {
  buildModelWorkloads,
  matchesSelector,
  modelIdOf,
  predictorPodSpec,
  selectedPool,
} from './workloads';

const nodePools = new Map([
  ['a100-1', 'gpu-a100'],
  ['a100-2', 'gpu-a100'],
  ['mig-1', 'mig-h100'],
  ['l4-1', 'spot-l4'],
]);

const empty = {
  cluster: 'c1',
  deployments: [],
  statefulSets: [],
  inferenceServices: [],
  pods: [],
  nodePools,
};

describe('modelIdOf', () => {
  it('reads the model label, then the template label, then the Backstage annotation', () => {
    expect(
      modelIdOf({ labels: { 'modelfleet.io/model': 'llama-3-70b' } }),
    ).toBe('llama-3-70b');
    expect(
      modelIdOf({}, { labels: { 'modelfleet.io/model': 'from-template' } }),
    ).toBe('from-template');
    expect(
      modelIdOf({
        labels: { 'modelfleet.io/model': 'label-wins' },
        annotations: { 'backstage.io/kubernetes-id': 'annotation' },
      }),
    ).toBe('label-wins');
    expect(
      modelIdOf({ annotations: { 'backstage.io/kubernetes-id': 'whisper' } }),
    ).toBe('whisper');
    expect(
      modelIdOf({ labels: { 'modelfleet.io/model': ' ' } }),
    ).toBeUndefined();
    expect(modelIdOf(undefined)).toBeUndefined();
  });
});

describe('matchesSelector', () => {
  it('matches labels and expressions', () => {
    const labels = { app: 'llm', tier: 'gpu' };
    expect(matchesSelector({ matchLabels: { app: 'llm' } }, labels)).toBe(true);
    expect(matchesSelector({ matchLabels: { app: 'web' } }, labels)).toBe(
      false,
    );
    expect(
      matchesSelector(
        {
          matchExpressions: [
            { key: 'tier', operator: 'In', values: ['gpu', 'tpu'] },
            { key: 'canary', operator: 'DoesNotExist' },
            { key: 'app', operator: 'Exists' },
            { key: 'app', operator: 'NotIn', values: ['web'] },
          ],
        },
        labels,
      ),
    ).toBe(true);
    expect(
      matchesSelector(
        {
          matchExpressions: [
            { key: 'tier', operator: 'NotIn', values: ['gpu'] },
          ],
        },
        labels,
      ),
    ).toBe(false);
  });

  it('matches nothing with an empty selector', () => {
    expect(matchesSelector({}, { app: 'x' })).toBe(false);
    expect(matchesSelector(undefined, { app: 'x' })).toBe(false);
  });
});

describe('selectedPool', () => {
  it('reads a pool from a node selector or a required node affinity', () => {
    expect(
      selectedPool({ nodeSelector: { 'karpenter.sh/nodepool': 'inference' } }),
    ).toBe('inference');
    expect(
      selectedPool({
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    {
                      key: 'cloud.google.com/gke-nodepool',
                      operator: 'In',
                      values: ['spot-l4'],
                    },
                  ],
                },
              ],
            },
          },
        },
      }),
    ).toBe('spot-l4');
    expect(
      selectedPool({ nodeSelector: { 'kubernetes.io/os': 'linux' } }),
    ).toBeUndefined();
  });
});

describe('predictorPodSpec', () => {
  it('finds the containers of the model, custom containers and framework keys', () => {
    const spec = predictorPodSpec({
      minReplicas: 1,
      model: {
        modelFormat: { name: 'huggingface' },
        resources: { limits: { 'nvidia.com/gpu': '1' } },
      },
      containers: [{ resources: { limits: { 'nvidia.com/gpu': '1' } } }],
      pytorch: { resources: { requests: { 'nvidia.com/gpu': '2' } } },
      nodeSelector: { a: 'b' },
    });
    expect(spec.containers).toHaveLength(3);
  });
});

describe('buildModelWorkloads', () => {
  it('reads Deployments by label and StatefulSets by annotation, with GPUs and pool', () => {
    const workloads = buildModelWorkloads({
      ...empty,
      deployments: [
        deployment('llama-70b', {
          labels: { 'modelfleet.io/model': 'llama-3-70b' },
          replicas: 2,
          readyReplicas: 1,
          limits: { 'nvidia.com/gpu': '4' },
        }),
        deployment('web', { limits: { 'nvidia.com/gpu': '1' } }),
      ],
      statefulSets: [
        statefulSet('whisper', {
          namespace: 'speech',
          annotations: { 'backstage.io/kubernetes-id': 'whisper-large-v3' },
          replicas: 3,
          readyReplicas: 3,
          requests: { 'nvidia.com/mig-1g.10gb': '1' },
          limits: { 'nvidia.com/mig-1g.10gb': '1' },
        }),
      ],
      pods: [
        pod('llama-70b-a', { labels: { app: 'llama-70b' }, node: 'a100-1' }),
        pod('llama-70b-b', {
          labels: { app: 'llama-70b' },
          node: 'a100-2',
          ready: false,
        }),
        pod('whisper-0', {
          namespace: 'speech',
          labels: { app: 'whisper' },
          node: 'mig-1',
        }),
        pod('whisper-1', {
          namespace: 'speech',
          labels: { app: 'whisper' },
          node: 'mig-1',
        }),
        // the same app label in another namespace is another workload's pod
        pod('whisper-x', {
          namespace: 'other',
          labels: { app: 'whisper' },
          node: 'a100-1',
        }),
      ],
    });
    expect(workloads).toEqual([
      {
        cluster: 'c1',
        namespace: 'serving',
        kind: 'Deployment',
        name: 'llama-70b',
        modelId: 'llama-3-70b',
        replicas: { desired: 2, ready: 1 },
        gpusPerReplica: 4,
        pool: 'gpu-a100',
      },
      {
        cluster: 'c1',
        namespace: 'speech',
        kind: 'StatefulSet',
        name: 'whisper',
        modelId: 'whisper-large-v3',
        replicas: { desired: 3, ready: 3 },
        gpusPerReplica: 1,
        pool: 'mig-h100',
      },
    ]);
  });

  it('falls back on the node selector for a workload with no pod scheduled', () => {
    const [w] = buildModelWorkloads({
      ...empty,
      deployments: [
        deployment('mistral', {
          labels: { 'modelfleet.io/model': 'mistral-7b' },
          replicas: 2,
          limits: { 'nvidia.com/gpu': '1' },
          nodeSelector: { 'karpenter.sh/nodepool': 'inference' },
        }),
      ],
      pods: [
        pod('mistral-a', { labels: { app: 'mistral' }, phase: 'Pending' }),
      ],
    });
    expect(w).toMatchObject({
      replicas: { desired: 2, ready: 0 },
      pool: 'inference',
    });
  });

  it('leaves the pool out when it is not known', () => {
    const [w] = buildModelWorkloads({
      ...empty,
      deployments: [
        deployment('cpu-model', { labels: { 'modelfleet.io/model': 'tiny' } }),
      ],
    });
    expect(w).not.toHaveProperty('pool');
    expect(w.gpusPerReplica).toBe(0);
  });

  it('reads InferenceServices from their predictor and their pods', () => {
    const workloads = buildModelWorkloads({
      ...empty,
      inferenceServices: [
        inferenceService('mistral-7b', {
          labels: { 'modelfleet.io/model': 'mistral-7b-instruct' },
          predictor: {
            minReplicas: 1,
            model: {
              modelFormat: { name: 'huggingface' },
              resources: { limits: { 'nvidia.com/gpu': '1', memory: '24Gi' } },
            },
          },
        }),
        inferenceService('scaled-to-zero', {
          annotations: { 'backstage.io/kubernetes-id': 'sd-xl' },
          predictor: {
            minReplicas: 0,
            containers: [{ resources: { limits: { 'nvidia.com/gpu': '1' } } }],
            nodeSelector: { 'cloud.google.com/gke-nodepool': 'spot-l4' },
          },
        }),
      ],
      deployments: [
        // KServe's own Deployment for the predictor is not reported twice
        deployment('mistral-7b-predictor', {
          labels: {
            'modelfleet.io/model': 'mistral-7b-instruct',
            'serving.kserve.io/inferenceservice': 'mistral-7b',
          },
        }),
        deployment('raw-predictor', {
          labels: { 'modelfleet.io/model': 'other' },
          ownerReferences: [
            {
              apiVersion: 'serving.kserve.io/v1beta1',
              kind: 'InferenceService',
              name: 'raw',
              uid: '1',
            },
          ],
        }),
      ],
      pods: [
        pod('mistral-7b-predictor-1', {
          labels: {
            'serving.kserve.io/inferenceservice': 'mistral-7b',
            component: 'predictor',
          },
          node: 'l4-1',
        }),
        pod('mistral-7b-predictor-2', {
          labels: {
            'serving.kserve.io/inferenceservice': 'mistral-7b',
            component: 'predictor',
          },
          node: 'l4-1',
          ready: false,
        }),
        pod('mistral-7b-transformer', {
          labels: {
            'serving.kserve.io/inferenceservice': 'mistral-7b',
            component: 'transformer',
          },
          node: 'a100-1',
        }),
      ],
    });
    expect(workloads).toEqual([
      {
        cluster: 'c1',
        namespace: 'serving',
        kind: 'InferenceService',
        name: 'mistral-7b',
        modelId: 'mistral-7b-instruct',
        replicas: { desired: 2, ready: 1 },
        gpusPerReplica: 1,
        pool: 'spot-l4',
      },
      {
        cluster: 'c1',
        namespace: 'serving',
        kind: 'InferenceService',
        name: 'scaled-to-zero',
        modelId: 'sd-xl',
        replicas: { desired: 0, ready: 0 },
        gpusPerReplica: 1,
        pool: 'spot-l4',
      },
    ]);
  });
});

describe('spot signals', () => {
  it('reports replicas under a reclaim notice, pods waiting for a node, and a spot fallback apart from its model', () => {
    const waiting = pod('chat-c', {
      labels: { app: 'chat' },
      phase: 'Pending',
    });
    waiting.metadata!.creationTimestamp = new Date('2026-12-01T10:02:00Z');
    const older = pod('chat-d', { labels: { app: 'chat' }, phase: 'Pending' });
    older.metadata!.creationTimestamp = new Date('2026-12-01T10:01:00Z');
    const workloads = buildModelWorkloads({
      ...empty,
      deployments: [
        deployment('chat', {
          labels: { 'modelfleet.io/model': 'chat' },
          replicas: 4,
          readyReplicas: 2,
        }),
        deployment('chat-on-demand', {
          app: 'chat',
          labels: {
            'modelfleet.io/model': 'chat',
            'modelfleet.io/role': 'spot-fallback',
          },
          replicas: 1,
          readyReplicas: 1,
        }),
      ],
      pods: [
        pod('chat-a', { labels: { app: 'chat' }, node: 'l4-1' }),
        pod('chat-b', { labels: { app: 'chat' }, node: 'a100-1' }),
        waiting,
        older,
        pod('chat-on-demand-a', {
          labels: { app: 'chat', 'modelfleet.io/role': 'spot-fallback' },
          node: 'a100-2',
        }),
      ],
      reclaims: new Map([['l4-1', '2026-12-01T10:00:30.000Z']]),
    });
    const [chat, standIn] = workloads;
    expect(chat).toMatchObject({
      name: 'chat',
      reclaim: { replicas: 1, noticedAt: '2026-12-01T10:00:30.000Z' },
      unscheduled: { pods: 2, since: '2026-12-01T10:01:00.000Z' },
    });
    expect(chat.role).toBeUndefined();
    // The stand-in's pods are its own, not the model's.
    expect(standIn).toMatchObject({
      name: 'chat-on-demand',
      role: 'spot-fallback',
      pool: 'gpu-a100',
    });
    expect(standIn.reclaim).toBeUndefined();
    expect(standIn.unscheduled).toBeUndefined();
  });
});
