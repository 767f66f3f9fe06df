import {
  budgetStatus,
  budgetsOfPod,
  ControllerScale,
  evictionVerdict,
  podsOfBudget,
} from './disruption';
import { KubeObject } from './objects';

const pod = (
  name: string,
  ready: boolean,
  extra: { phase?: string; owner?: string; labels?: object } = {},
): KubeObject => ({
  metadata: {
    name,
    namespace: 'search',
    labels: { app: 'chat', ...extra.labels },
    ...(extra.owner === ''
      ? {}
      : {
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: extra.owner ?? 'chat-rs',
              uid: extra.owner ?? 'chat-rs',
              controller: true,
            },
          ],
        }),
  },
  status: {
    phase: extra.phase ?? 'Running',
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
  },
});

const budget = (spec: object, name = 'chat'): KubeObject => ({
  metadata: { name, namespace: 'search' },
  spec: { selector: { matchLabels: { app: 'chat' } }, ...spec },
});

/** Every ReplicaSet here wants 4 replicas, except `other-rs`: 2. */
const scaleOf: ControllerScale = p => {
  const ref = p.metadata?.ownerReferences?.[0];
  if (!ref || ref.kind !== 'ReplicaSet') return undefined;
  return { uid: ref.uid, replicas: ref.name === 'other-rs' ? 2 : 4 };
};

describe('PodDisruptionBudgets as the disruption controller computes them', () => {
  const four = [
    pod('a', true),
    pod('b', true),
    pod('c', true),
    pod('d', false),
  ];

  it('counts healthy pods and what the budget allows', () => {
    expect(budgetStatus(budget({ minAvailable: 2 }), four, scaleOf)).toEqual({
      expectedPods: 4,
      currentHealthy: 3,
      desiredHealthy: 2,
      disruptionsAllowed: 1,
    });
    // Percentages scale the controllers' desired replicas, rounded up.
    expect(
      budgetStatus(budget({ minAvailable: '60%' }), four, scaleOf),
    ).toMatchObject({
      expectedPods: 4,
      desiredHealthy: 3,
      disruptionsAllowed: 0,
    });
    expect(
      budgetStatus(budget({ maxUnavailable: '30%' }), four, scaleOf),
    ).toMatchObject({ desiredHealthy: 2, disruptionsAllowed: 1 });
    expect(
      budgetStatus(budget({ maxUnavailable: 0 }), four, scaleOf),
    ).toMatchObject({ desiredHealthy: 4, disruptionsAllowed: 0 });
    // Two controllers count once each; a pod without one is left out.
    expect(
      budgetStatus(
        budget({ maxUnavailable: 1 }),
        [
          ...four,
          pod('e', true, { owner: 'other-rs' }),
          pod('f', true, { owner: '' }),
        ],
        scaleOf,
      ),
    ).toEqual({
      expectedPods: 6,
      currentHealthy: 5,
      desiredHealthy: 5,
      disruptionsAllowed: 0,
    });
    // Neither minAvailable nor maxUnavailable: nothing expected, nothing allowed.
    expect(budgetStatus(budget({}), four, scaleOf).disruptionsAllowed).toBe(0);
    expect(() =>
      budgetStatus(budget({ minAvailable: 'half' }), four, scaleOf),
    ).toThrow('spec.minAvailable: invalid value "half"');
  });

  it('selects pods in its namespace; an empty selector covers no pod for eviction', () => {
    const elsewhere = {
      ...pod('x', true),
      metadata: { ...pod('x', true).metadata, namespace: 'vision' },
    };
    expect(podsOfBudget(budget({}), [...four, elsewhere])).toHaveLength(4);
    const empty = { ...budget({}), spec: { selector: {} } };
    expect(podsOfBudget(empty, four)).toHaveLength(4);
    expect(podsOfBudget({ ...budget({}), spec: {} }, four)).toHaveLength(0);
    expect(budgetsOfPod(four[0], [empty, budget({}, 'b')])).toEqual([
      budget({}, 'b'),
    ]);
  });

  it('decides evictions as EvictionREST does', () => {
    const tight = [budget({ minAvailable: 3 })];
    expect(evictionVerdict(four[0], tight, four, scaleOf)).toEqual({
      allowed: false,
      code: 429,
      budget: 'chat',
      message:
        "Cannot evict pod as it would violate the pod's disruption budget.",
      cause:
        'The disruption budget chat needs 3 healthy pods and has 3 currently',
    });
    // Not Ready, the budget met (3 healthy >= 3 desired): evicted.
    expect(evictionVerdict(four[3], tight, four, scaleOf).allowed).toBe(true);
    // Not Ready and the budget not met: refused, unless AlwaysAllow.
    const tighter = [budget({ minAvailable: 4 })];
    expect(evictionVerdict(four[3], tighter, four, scaleOf).allowed).toBe(
      false,
    );
    const always = [
      budget({ minAvailable: 4, unhealthyPodEvictionPolicy: 'AlwaysAllow' }),
    ];
    expect(evictionVerdict(four[3], always, four, scaleOf).allowed).toBe(true);
    // Pending, Succeeded or Failed: no budget looked at.
    const pending = pod('p', false, { phase: 'Pending' });
    expect(evictionVerdict(pending, tighter, four, scaleOf).allowed).toBe(true);
    expect(
      evictionVerdict(four[0], [...tight, budget({}, 'two')], four, scaleOf),
    ).toMatchObject({ allowed: false, code: 500 });
    expect(evictionVerdict(four[0], [], four, scaleOf)).toEqual({
      allowed: true,
    });
  });
});
