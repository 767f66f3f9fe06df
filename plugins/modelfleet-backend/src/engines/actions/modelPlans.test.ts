import { ModelTarget, planModelAction } from './modelPlans';

const workload = {
  cluster: 'c1',
  namespace: 'ns',
  kind: 'Deployment' as const,
  name: 'm',
};
const autoscaler = {
  cluster: 'c1',
  namespace: 'ns',
  kind: 'HTTPScaledObject' as const,
  name: 'm',
  minReplicas: 0,
  maxReplicas: 3,
};
const t = (
  desired: number,
  ready = desired,
  a?: Partial<ModelTarget['autoscaler']> | null,
): ModelTarget => ({
  entityRef: 'model:default/m',
  workload,
  ...(a === null ? {} : { autoscaler: { ...autoscaler, ...a } }),
  replicas: { desired, ready },
});
const ops = (plan: ReturnType<typeof planModelAction>) =>
  plan.ok
    ? plan.steps.map(
        s => `${s.do.op}:${'replicas' in s.do ? s.do.replicas : ''}`,
      )
    : plan.reason;

describe('planModelAction', () => {
  it('hibernates to zero and hands a paused autoscaler back to KEDA, so a request wakes the model', () => {
    expect(
      ops(
        planModelAction(t(2, 2, { pausedReplicas: 2 }), { kind: 'hibernate' }),
      ),
    ).toEqual(['pauseAutoscaler:null', 'scale:0', 'waitReady:0']);
    const plan = planModelAction(t(2), { kind: 'hibernate' });
    expect(ops(plan)).toEqual(['scale:0', 'waitReady:0']);
    // KEDA may wake it on demand: verification does not pin the replicas.
    expect(plan.ok && plan.steps[0].do).toMatchObject({ autoscaled: true });
    expect(plan.ok && plan.summary).toBe(
      'go to zero replicas; the next request wakes it',
    );
  });

  it('says when hibernating a model without an autoscaler means only Wake brings it back', () => {
    const plan = planModelAction(t(1, 1, null), { kind: 'hibernate' });
    expect(plan.ok && plan.summary).toMatch(/only Wake brings it back/);
    expect(plan.ok && plan.steps[0].do).not.toHaveProperty('autoscaled');
  });

  it('wakes to the autoscaler minimum (at least one) and holds it there', () => {
    expect(ops(planModelAction(t(0), { kind: 'wake' }))).toEqual([
      'pauseAutoscaler:1',
      'scale:1',
      'waitReady:1',
    ]);
    expect(
      ops(planModelAction(t(0, 0, { minReplicas: 2 }), { kind: 'wake' })),
    ).toEqual(['pauseAutoscaler:2', 'scale:2', 'waitReady:2']);
  });

  it('scales, pausing the autoscaler at the count unless it is paused there already', () => {
    expect(ops(planModelAction(t(1), { kind: 'scale', replicas: 3 }))).toEqual([
      'pauseAutoscaler:3',
      'scale:3',
      'waitReady:3',
    ]);
    expect(
      ops(
        planModelAction(t(1, 1, { pausedReplicas: 3 }), {
          kind: 'scale',
          replicas: 3,
        }),
      ),
    ).toEqual(['scale:3', 'waitReady:3']);
    expect(
      ops(planModelAction(t(1, 1, null), { kind: 'scale', replicas: 0 })),
    ).toEqual(['scale:0', 'waitReady:0']);
  });

  it('says why a request makes no sense now', () => {
    expect(ops(planModelAction(t(0, 0), { kind: 'hibernate' }))).toBe(
      'it is already at zero replicas',
    );
    expect(ops(planModelAction(t(2), { kind: 'wake' }))).toBe(
      'it is awake (2 ready)',
    );
    expect(
      ops(
        planModelAction(t(3, 3, { pausedReplicas: 3 }), {
          kind: 'scale',
          replicas: 3,
        }),
      ),
    ).toBe('it already runs 3 replicas');
    expect(ops(planModelAction(t(1), { kind: 'scale', replicas: 65 }))).toMatch(
      /^replicas: must be a whole number from 0 to 64/,
    );
    expect(
      ops(planModelAction(t(1), { kind: 'scale', replicas: 1.5 })),
    ).toMatch(/^replicas:/);
  });

  it('undoes each change with what the cluster held when planned (the runner reads it again just before)', () => {
    const plan = planModelAction(t(2, 2, { pausedReplicas: 2 }), {
      kind: 'hibernate',
    });
    expect(plan.ok && plan.steps.map(s => s.undo)).toEqual([
      expect.objectContaining({ op: 'pauseAutoscaler', replicas: 2 }),
      expect.objectContaining({ op: 'scale', replicas: 2 }),
      undefined,
    ]);
  });

  it('sets a keep-alive on the autoscaler, and refuses one without an autoscaler or out of range', () => {
    const plan = planModelAction(t(1, 1, { keepAliveSeconds: 300 }), {
      kind: 'keepAlive',
      seconds: 480,
    });
    expect(plan).toMatchObject({
      ok: true,
      kind: 'keepAlive',
      summary: 'keep warm 480 s after the last request',
    });
    expect(plan.ok && plan.steps.map(s => s.do)).toEqual([
      {
        op: 'setKeepAlive',
        autoscaler: {
          cluster: 'c1',
          namespace: 'ns',
          kind: 'HTTPScaledObject',
          name: 'm',
        },
        seconds: 480,
      },
    ]);
    expect(
      ops(planModelAction(t(1, 1, null), { kind: 'keepAlive', seconds: 480 })),
    ).toBe('it has no autoscaler to keep it alive');
    expect(ops(planModelAction(t(1), { kind: 'keepAlive', seconds: 0 }))).toBe(
      'seconds: must be a whole number from 1 to 86400, got 0',
    );
  });
});
