import { clusterOf } from '../../actions/operations';
import { planMigration, migratedTo } from './migration';
import { SOURCE, TARGET, TIMINGS } from './__testUtils__/moveFixture';

const ops = (plan: ReturnType<typeof planMigration>) =>
  plan.ok
    ? plan.steps.map(s => `${s.do.op}@${clusterOf(s.do)}`)
    : [plan.reason];

describe('planMigration', () => {
  it('makes before it breaks: target parked, up, Ready, traffic switched, then the source drained, and KEDA given the target', () => {
    const plan = planMigration(SOURCE, TARGET, TIMINGS);
    expect(ops(plan)).toEqual([
      'apply@c2',
      'pauseAutoscaler@c2',
      'scale@c2',
      'waitReady@c2',
      'apply@c2',
      'pauseAutoscaler@c1',
      'scale@c1',
      'waitReady@c1',
      'pauseAutoscaler@c2',
    ]);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.kind).toBe('migrate');
    expect(plan.cluster).toBe('c2');
    // Applied at zero, the autoscaler paused at zero: nothing runs yet.
    const [first] = plan.steps;
    if (first.do.op !== 'apply') throw new Error('apply first');
    const dep = first.do.objects.find(o => o.kind === 'Deployment')!;
    expect((dep.spec as any).replicas).toBe(0);
    const so = first.do.objects.find(o => o.kind === 'ScaledObject')!;
    expect(so.metadata.annotations).toMatchObject({
      'autoscaling.keda.sh/paused-replicas': '0',
    });
    // The renderer's own objects are not changed.
    expect((TARGET.objects[1].spec as any).replicas).toBe(1);
    // The wait: twice provisioning plus load.
    const wait = plan.steps[3].do;
    expect(wait).toMatchObject({ op: 'waitReady', replicas: 2 });
    expect(wait.op === 'waitReady' && wait.timeoutSeconds).toBe(540);
    // The switch is a ServiceExport of the Service, undone by its removal.
    expect(plan.steps[4].do).toMatchObject({
      op: 'apply',
      objects: [
        {
          apiVersion: 'multicluster.x-k8s.io/v1alpha1',
          kind: 'ServiceExport',
          metadata: { name: 'chat', namespace: 'search' },
        },
      ],
    });
    expect(plan.steps[4].undo).toMatchObject({ op: 'remove', cluster: 'c2' });
    // The target's count is KEDA's after the hand-back: not verified.
    expect(plan.steps[2].do).toMatchObject({ op: 'scale', autoscaled: true });
    expect(plan.steps[8].do).toMatchObject({
      op: 'pauseAutoscaler',
      replicas: null,
    });
    // Every step that changes something has an undo; waits have none.
    expect(plan.steps.map(s => Boolean(s.undo))).toEqual(
      plan.steps.map(s => s.do.op !== 'waitReady' && s !== first),
    );
    expect(migratedTo(plan.steps)).toEqual({
      cluster: 'c2',
      namespace: 'search',
      kind: 'Deployment',
      name: 'chat',
    });
  });

  it('withdraws the source export when there is one, and keeps a paused source paused on the target', () => {
    const plan = planMigration(
      {
        ...SOURCE,
        exported: true,
        autoscaler: { ...SOURCE.autoscaler!, pausedReplicas: 2 },
      },
      TARGET,
      TIMINGS,
    );
    expect(ops(plan)).toEqual([
      'apply@c2',
      'pauseAutoscaler@c2',
      'scale@c2',
      'waitReady@c2',
      'apply@c2',
      'remove@c1',
      'pauseAutoscaler@c1',
      'scale@c1',
      'waitReady@c1',
    ]);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.steps[5].undo).toMatchObject({ op: 'apply', cluster: 'c1' });
    // Undoing the source's pause restores the count it was paused at.
    expect(plan.steps[6].undo).toMatchObject({ replicas: 2 });
    expect(plan.steps[2].do).not.toHaveProperty('autoscaled');
  });

  it('drains the spot companions of the source with it, each undone to what it ran', () => {
    const plan = planMigration(
      {
        ...SOURCE,
        companions: [
          { name: 'chat-on-g6e-l40s-spot', desired: 1 },
          { name: 'chat-on-idle', desired: 0 },
          { name: 'chat-on-g2-l4-spot', desired: 2, cluster: 'demo-gcp-usc1' },
        ],
      },
      TARGET,
      TIMINGS,
    );
    if (!plan.ok) throw new Error(plan.reason);
    const drains = plan.steps.filter(
      s =>
        s.do.op === 'scale' && s.do.workload.name === 'chat-on-g6e-l40s-spot',
    );
    expect(drains).toHaveLength(1);
    expect(drains[0].do).toMatchObject({ replicas: 0 });
    expect(drains[0].undo).toMatchObject({
      op: 'scale',
      replicas: 1,
      ifReplicas: 0,
    });
    // After the source's own drain: make before break.
    const own = plan.steps.findIndex(
      s => s.do.op === 'scale' && s.do.workload.name === 'chat',
    );
    expect(own).toBeGreaterThan(0);
    expect(plan.steps.indexOf(drains[0])).toBeGreaterThan(own);
    // One on another cluster's spot pool is drained there.
    const remote = plan.steps.find(
      s => s.do.op === 'scale' && s.do.workload.name === 'chat-on-g2-l4-spot',
    );
    expect(remote?.do).toMatchObject({
      workload: { cluster: 'demo-gcp-usc1' },
      replicas: 0,
    });
    expect(remote?.description).toMatch(/on demo-gcp-usc1: scale it to zero/);
    expect(ops(plan)).not.toContain('chat-on-idle');
  });

  it('moves a model at zero without waiting for replicas', () => {
    const plan = planMigration(
      { ...SOURCE, replicas: { desired: 0, ready: 0 } },
      TARGET,
      TIMINGS,
    );
    expect(ops(plan)).toEqual([
      'apply@c2',
      'apply@c2',
      'pauseAutoscaler@c1',
      'scale@c1',
      'waitReady@c1',
      'pauseAutoscaler@c2',
    ]);
  });

  it.each([
    [{ pool: SOURCE.pool }, 'it already runs on l4 (c2)'],
    [
      { cluster: 'c1' },
      'Deployment search/chat on c1 could not be read, and a move within its cluster rolls it over',
    ],
    [{ existing: { desired: 1 } }, 'it already runs 1 replica on cluster c2'],
    [
      { objects: TARGET.objects.filter(o => o.kind !== 'Deployment') },
      'no Deployment and Service',
    ],
  ])('refuses %p: %s', (change, reason) => {
    const plan = planMigration(SOURCE, { ...TARGET, ...change }, TIMINGS);
    expect(plan.ok).toBe(false);
    expect(plan.ok || plan.reason).toContain(reason);
  });
});
