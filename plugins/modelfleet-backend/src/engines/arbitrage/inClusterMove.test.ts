import { KubeObject } from '@modelfleet/plugin-modelfleet-common';
import { SOURCE, TARGET, TIMINGS } from './__testUtils__/moveFixture';
import { restorable } from './inClusterMove';
import { planMigration } from './migration';

/** The Deployment of chat as the cluster holds it: on the a10g pool. */
const LIVE: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'chat',
    namespace: 'search',
    labels: { 'modelfleet.io/model': 'chat' },
    annotations: {
      'deployment.kubernetes.io/revision': '3',
      'modelfleet.io/pool': 'gpupool:default/c1.a10g',
    },
    resourceVersion: '812',
    uid: 'u-1',
  } as KubeObject['metadata'],
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'chat' } },
    strategy: {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    },
    template: {
      metadata: { labels: { app: 'chat', 'modelfleet.io/model': 'chat' } },
      spec: { nodeSelector: { pool: 'a10g' }, containers: [] },
    },
  },
  status: { replicas: 2, readyReplicas: 2 },
} as KubeObject;

const WITHIN = {
  ...TARGET,
  pool: 'gpupool:default/c1.l4',
  cluster: 'c1',
  title: 'l4 (c1)',
};

const ops = (steps: Array<{ do: { op: string } }>) => steps.map(s => s.do.op);

describe('a move within its cluster', () => {
  it('rolls the Deployment over to the target pool, make-before-break, and applies it back on a rollback', () => {
    const plan = planMigration({ ...SOURCE, live: LIVE }, WITHIN, TIMINGS);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan).toMatchObject({
      kind: 'migrate',
      cluster: 'c1',
      summary:
        'move within cluster c1 to l4 (c1), make-before-break (2 replicas)',
    });
    expect(ops(plan.steps)).toEqual([
      'pauseAutoscaler',
      'apply',
      'waitReady',
      'pauseAutoscaler',
    ]);
    const [hold, roll, wait, handBack] = plan.steps;
    expect(hold.do).toMatchObject({ replicas: 2 });
    expect(hold.undo).toMatchObject({ op: 'pauseAutoscaler', replicas: null });
    // The rendered Deployment, with the live name and selector, surging.
    const applied = (roll.do as { objects: KubeObject[] }).objects;
    expect(applied).toHaveLength(1);
    const spec = (applied[0] as any).spec;
    expect(applied[0].metadata).toMatchObject({
      name: 'chat',
      namespace: 'search',
      annotations: { 'modelfleet.io/pool': 'gpupool:default/c2.l4' },
    });
    expect(spec.replicas).toBe(2);
    expect(spec.selector).toEqual({ matchLabels: { app: 'chat' } });
    expect(spec.template.metadata.labels).toMatchObject({ app: 'chat' });
    expect(spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '100%', maxUnavailable: 0 },
    });
    // The rollback applies the Deployment as it was, without server fields.
    expect(roll.undo).toEqual({
      op: 'apply',
      cluster: 'c1',
      objects: [restorable(LIVE)],
    });
    const back = (roll.undo as { objects: KubeObject[] }).objects[0] as any;
    expect(back.status).toBeUndefined();
    expect(back.metadata).toEqual({
      name: 'chat',
      namespace: 'search',
      labels: { 'modelfleet.io/model': 'chat' },
      annotations: { 'modelfleet.io/pool': 'gpupool:default/c1.a10g' },
    });
    expect(back.spec.template.spec.nodeSelector).toEqual({ pool: 'a10g' });
    expect(wait.do).toEqual({
      op: 'waitReady',
      workload: SOURCE.workload,
      replicas: 2,
      timeoutSeconds: 540,
    });
    expect(handBack.do).toMatchObject({ replicas: null });
  });

  it('leaves a paused autoscaler paused, drains the spot companions, and does not wait at zero', () => {
    const paused = planMigration(
      {
        ...SOURCE,
        autoscaler: { ...SOURCE.autoscaler!, pausedReplicas: 2 },
        companions: [{ name: 'chat-on-l4-spot', desired: 1 }],
        live: LIVE,
      },
      WITHIN,
      TIMINGS,
    );
    if (!paused.ok) throw new Error(paused.reason);
    expect(ops(paused.steps)).toEqual([
      'pauseAutoscaler',
      'apply',
      'waitReady',
      'scale',
    ]);
    expect(paused.steps[0].undo).toMatchObject({ replicas: 2 });
    expect(paused.steps[3].do).toMatchObject({
      workload: { name: 'chat-on-l4-spot' },
      replicas: 0,
    });
    const atZero = planMigration(
      {
        ...SOURCE,
        autoscaler: undefined,
        replicas: { desired: 0, ready: 0 },
        live: LIVE,
      },
      WITHIN,
      TIMINGS,
    );
    if (!atZero.ok) throw new Error(atZero.reason);
    expect(ops(atZero.steps)).toEqual(['apply']);
  });

  it('refuses what does not roll over', () => {
    const sts = planMigration(
      {
        ...SOURCE,
        workload: { ...SOURCE.workload, kind: 'StatefulSet' },
        live: { ...LIVE, kind: 'StatefulSet' },
      },
      WITHIN,
      TIMINGS,
    );
    expect(sts.ok || sts.reason).toContain(
      'only a Deployment rolls over to another pool',
    );
    const knative = planMigration(
      { ...SOURCE, live: LIVE },
      {
        ...WITHIN,
        objects: WITHIN.objects.filter(o => o.kind !== 'Deployment'),
      },
      TIMINGS,
    );
    expect(knative.ok || knative.reason).toContain('no Deployment');
  });
});
