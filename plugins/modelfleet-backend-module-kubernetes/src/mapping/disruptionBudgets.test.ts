import {
  deployment,
  inferenceService,
  podDisruptionBudget,
  statefulSet,
} from '../__testUtils__/objects';
import {
  budgetSelects,
  disruptionsAllowedNow,
  workloadDisruptionBudget,
} from './disruptionBudgets';
import { buildModelWorkloads } from './workloads';

describe('budgetSelects', () => {
  const labels = { app: 'chat', tier: 'gpu' };

  it('matches labels and expressions', () => {
    expect(budgetSelects({ matchLabels: { app: 'chat' } }, labels)).toBe(true);
    expect(budgetSelects({ matchLabels: { app: 'web' } }, labels)).toBe(false);
    expect(
      budgetSelects(
        {
          matchLabels: { app: 'chat' },
          matchExpressions: [
            { key: 'tier', operator: 'In', values: ['gpu', 'tpu'] },
            { key: 'canary', operator: 'DoesNotExist' },
          ],
        },
        labels,
      ),
    ).toBe(true);
    expect(
      budgetSelects(
        {
          matchExpressions: [
            { key: 'tier', operator: 'NotIn', values: ['gpu'] },
          ],
        },
        labels,
      ),
    ).toBe(false);
  });

  it('selects every pod with an empty selector and none with no selector', () => {
    expect(budgetSelects({}, labels)).toBe(true);
    expect(budgetSelects({ matchLabels: {}, matchExpressions: [] }, {})).toBe(
      true,
    );
    expect(budgetSelects(undefined, labels)).toBe(false);
    expect(budgetSelects(null, labels)).toBe(false);
  });
});

describe('disruptionsAllowedNow', () => {
  it('reads the status of the current generation', () => {
    const selector = { matchLabels: { app: 'chat' } };
    expect(
      disruptionsAllowedNow(podDisruptionBudget('a', { selector, allowed: 2 })),
    ).toBe(2);
    expect(
      disruptionsAllowedNow(podDisruptionBudget('a', { selector, allowed: 0 })),
    ).toBe(0);
  });

  it('counts 0 for a budget whose status is missing or of an older spec', () => {
    const selector = { matchLabels: { app: 'chat' } };
    expect(disruptionsAllowedNow(podDisruptionBudget('a', { selector }))).toBe(
      0,
    );
    expect(
      disruptionsAllowedNow(
        podDisruptionBudget('a', {
          selector,
          allowed: 3,
          generation: 2,
          observedGeneration: 1,
        }),
      ),
    ).toBe(0);
    expect(
      disruptionsAllowedNow({
        metadata: { name: 'a', generation: 1 },
        status: { disruptionsAllowed: 3 } as any,
      }),
    ).toBe(0);
  });
});

describe('workloadDisruptionBudget', () => {
  it('names the budgets that select the pods and takes the fewest disruptions', () => {
    const budgets = [
      podDisruptionBudget('chat-pdb', {
        selector: { matchLabels: { app: 'chat' } },
        allowed: 2,
      }),
      podDisruptionBudget('all-pdb', { selector: {}, allowed: 1 }),
      podDisruptionBudget('web-pdb', {
        selector: { matchLabels: { app: 'web' } },
        allowed: 0,
      }),
      podDisruptionBudget('null-pdb', { selector: null, allowed: 0 }),
    ];
    expect(workloadDisruptionBudget(budgets, { app: 'chat' })).toEqual({
      names: ['all-pdb', 'chat-pdb'],
      disruptionsAllowed: 1,
    });
    expect(workloadDisruptionBudget(budgets.slice(2), { app: 'chat' })).toBe(
      undefined,
    );
  });
});

describe('buildModelWorkloads with PodDisruptionBudgets', () => {
  const base = {
    cluster: 'c1',
    deployments: [
      deployment('chat', { labels: { 'modelfleet.io/model': 'chat' } }),
      deployment('embed', {
        namespace: 'other',
        labels: { 'modelfleet.io/model': 'embed' },
      }),
    ],
    statefulSets: [
      statefulSet('whisper', { labels: { 'modelfleet.io/model': 'whisper' } }),
    ],
    inferenceServices: [
      inferenceService('llama', {
        labels: { 'modelfleet.io/model': 'llama', team: 'search' },
        predictor: { model: { resources: {} } },
      }),
    ],
    pods: [],
    nodePools: new Map<string, string>(),
  };
  const budgetOf = (
    workloads: ReturnType<typeof buildModelWorkloads>,
    name: string,
  ) => workloads.find(w => w.name === name)!.disruptionBudget;

  it('gives each workload the budgets of its namespace that select its pod template', () => {
    const workloads = buildModelWorkloads({
      ...base,
      disruptionBudgets: [
        podDisruptionBudget('chat-pdb', {
          selector: { matchLabels: { app: 'chat' } },
          allowed: 1,
        }),
        // Another namespace's budget does not cover embed's pods.
        podDisruptionBudget('embed-pdb', {
          selector: { matchLabels: { app: 'embed' } },
          allowed: 1,
        }),
        podDisruptionBudget('whisper-pdb', {
          selector: {
            matchExpressions: [
              { key: 'app', operator: 'In', values: ['whisper'] },
            ],
          },
          allowed: 3,
          generation: 2,
          observedGeneration: 1,
        }),
        podDisruptionBudget('llama-pdb', {
          selector: {
            matchLabels: {
              'serving.kserve.io/inferenceservice': 'llama',
              team: 'search',
            },
          },
          allowed: 2,
        }),
      ],
    });
    expect(budgetOf(workloads, 'chat')).toEqual({
      names: ['chat-pdb'],
      disruptionsAllowed: 1,
    });
    expect(budgetOf(workloads, 'embed')).toBeUndefined();
    expect(budgetOf(workloads, 'whisper')).toEqual({
      names: ['whisper-pdb'],
      disruptionsAllowed: 0,
    });
    expect(budgetOf(workloads, 'llama')).toEqual({
      names: ['llama-pdb'],
      disruptionsAllowed: 2,
    });
  });

  it('leaves the field out when no budget is known', () => {
    const workloads = buildModelWorkloads(base);
    expect(workloads).toHaveLength(4);
    expect(workloads.every(w => !('disruptionBudget' in w))).toBe(true);
  });
});
