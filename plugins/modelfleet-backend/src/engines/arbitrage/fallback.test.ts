import { decideFallback, FallbackInput, SpotSide } from './fallback';
import { fallbackDeployment, planFallbackSteps } from './fallbackPlan';

const MIN = 60_000;
const T0 = Date.parse('2026-12-01T12:00:00Z');

function input(over: Partial<FallbackInput> = {}): FallbackInput {
  return {
    now: T0,
    spot: {
      pool: {
        id: 'gpupool:default/aws.g6-spot',
        cloud: 'aws',
        region: 'us-east-1',
        capacity: 'spot',
        usdPerHour: 0.4,
      },
      desired: 2,
      ready: 2,
      noticed: 0,
      unscheduled: 0,
      lastReadyAt: T0 - 600 * MIN,
    },
    onDemand: {
      pool: {
        id: 'gpupool:default/aws.g6-od',
        cloud: 'aws',
        region: 'us-east-1',
        capacity: 'on-demand',
        usdPerHour: 1.0,
      },
      desired: 0,
      ready: 0,
    },
    pastTrouble: [],
    policy: { maxOnDemandShare: 1, baseOnDemandReplicas: 0 },
    startupSeconds: 270,
    noticeSeconds: 120,
    launchTimeoutSeconds: 300,
    ...over,
  };
}

const otherSpot = (over: Partial<SpotSide> = {}): SpotSide => ({
  pool: {
    id: 'gpupool:default/aws.g6-2x-spot',
    cloud: 'aws',
    region: 'us-east-1',
    capacity: 'spot',
    usdPerHour: 0.5,
  },
  desired: 0,
  ready: 0,
  noticed: 0,
  unscheduled: 0,
  ...over,
});

describe('decideFallback over two spot markets', () => {
  it('keeps a spare on the other spot pool, so one reclaim does not take every replica', () => {
    const d = decideFallback(input({ spread: [otherSpot()] }));
    expect(d.spread['gpupool:default/aws.g6-2x-spot']).toBeGreaterThanOrEqual(
      1,
    );
    expect(d.onDemand).toBe(0);
  });

  it('does not count its own pool as just recovered while only a spot companion runs (no second spare)', () => {
    const base = input();
    const d = decideFallback(
      input({
        // The model's pods turned Ready minutes ago (a portal just started).
        spot: { ...base.spot, lastReadyAt: T0 - 3 * MIN },
        spread: [otherSpot({ desired: 1, ready: 0 })],
      }),
    );
    expect(d.spread['gpupool:default/aws.g6-2x-spot']).toBe(1);
  });

  it('answers a reclaim notice on its own pool from the other spot market when it serves, not from on-demand', () => {
    const base = input();
    const d = decideFallback(
      input({
        spot: { ...base.spot, noticed: 2, noticedAt: T0 - 10_000 },
        spread: [
          otherSpot({ desired: 1, ready: 1, lastReadyAt: T0 - 600 * MIN }),
        ],
      }),
    );
    expect(d.spread['gpupool:default/aws.g6-2x-spot']).toBe(2);
    expect(d.onDemand).toBe(0);
  });

  it('falls back to on-demand when both spot markets are reclaimed', () => {
    const base = input();
    const d = decideFallback(
      input({
        spot: { ...base.spot, noticed: 2, noticedAt: T0 - 10_000 },
        spread: [
          otherSpot({
            desired: 1,
            ready: 1,
            noticed: 1,
            noticedAt: T0 - 5_000,
          }),
        ],
      }),
    );
    expect(d.onDemand).toBe(2);
    expect(d.spread['gpupool:default/aws.g6-2x-spot']).toBe(0);
  });

  it('trims the spare on a dearer spot market when it is worth less than half its price', () => {
    // A spot market as dear as on-demand: its spare is not worth keeping
    // (no other spot pool, no spread needed beyond what pays).
    const d = decideFallback(
      input({
        spread: [
          otherSpot({
            desired: 1,
            ready: 1,
            lastReadyAt: T0 - 600 * MIN,
            pool: { ...otherSpot().pool, usdPerHour: 50 },
          }),
        ],
      }),
    );
    expect(d.spread['gpupool:default/aws.g6-2x-spot']).toBe(0);
  });
});

describe('decideFallback with a base of on-demand replicas', () => {
  it("keeps the policy's base on the stand-in while spot serves, within maxOnDemandShare", () => {
    expect(
      decideFallback(
        input({ policy: { maxOnDemandShare: 1, baseOnDemandReplicas: 1 } }),
      ).onDemand,
    ).toBe(1);
    // A ceiling of 0.4 of 2 replicas allows none.
    expect(
      decideFallback(
        input({ policy: { maxOnDemandShare: 0.4, baseOnDemandReplicas: 1 } }),
      ).onDemand,
    ).toBe(0);
  });

  it('runs no companion for a model scaled to zero', () => {
    const base = input();
    const d = decideFallback(
      input({
        spot: { ...base.spot, desired: 0, ready: 0 },
        spread: [otherSpot()],
        policy: { maxOnDemandShare: 1, baseOnDemandReplicas: 1 },
      }),
    );
    expect(d.onDemand).toBe(0);
    expect(d.spread['gpupool:default/aws.g6-2x-spot']).toBe(0);
  });
});

describe('decideFallback', () => {
  it('runs no stand-in while spot serves and nothing happened', () => {
    const d = decideFallback(input());
    expect(d.onDemand).toBe(0);
    expect(d.launchesFail).toBe(false);
  });

  it('brings on-demand up for the replicas under a reclaim notice', () => {
    const base = input();
    const d = decideFallback(
      input({
        spot: { ...base.spot, noticed: 2, noticedAt: T0 - 10_000 },
      }),
    );
    expect(d.onDemand).toBe(2);
  });

  it('brings on-demand up at a notice on the pool when the drained replicas wait for a node', () => {
    const base = input();
    const d = decideFallback(
      input({
        spot: {
          ...base.spot,
          ready: 0,
          unscheduled: 2,
          unscheduledSince: T0 - 20_000,
          poolNoticedAt: T0 - 25_000,
        },
      }),
    );
    expect(d.onDemand).toBe(2);
    // Without the notice, the same replicas are merely starting.
    const spot = {
      ...base.spot,
      ready: 0,
      unscheduled: 2,
      unscheduledSince: T0 - 20_000,
    };
    expect(decideFallback(input({ spot })).onDemand).toBe(0);
  });

  it('keeps the stand-in while the spot replacements wait for a node, and fails them after the timeout', () => {
    const base = input();
    const waiting = (since: number) =>
      input({
        spot: {
          ...base.spot,
          ready: 0,
          unscheduled: 2,
          unscheduledSince: since,
        },
        onDemand: { ...base.onDemand, desired: 2, ready: 2 },
        pastTrouble: [T0 - 3 * MIN],
      });
    const early = decideFallback(waiting(T0 - 2 * MIN));
    expect(early.launchesFail).toBe(false);
    expect(early.onDemand).toBe(2);
    const late = decideFallback(waiting(T0 - 6 * MIN));
    expect(late.launchesFail).toBe(true);
    expect(late.onDemand).toBe(2);
  });

  it('falls back when spot cannot be launched, with no notice seen', () => {
    const base = input();
    const d = decideFallback(
      input({
        spot: {
          ...base.spot,
          ready: 0,
          unscheduled: 2,
          unscheduledSince: T0 - 10 * MIN,
        },
      }),
    );
    expect(d.onDemand).toBe(2);
  });

  it('returns to spot only once spot has served for the hold (hysteresis)', () => {
    const base = input();
    const back = (spotReadyAgo: number) =>
      decideFallback(
        input({
          spot: { ...base.spot, lastReadyAt: T0 - spotReadyAgo },
          onDemand: {
            ...base.onDemand,
            desired: 2,
            ready: 2,
            lastReadyAt: T0 - 40 * MIN,
          },
          pastTrouble: [T0 - 45 * MIN],
        }),
      ).onDemand;
    expect(back(2 * MIN)).toBe(2);
    expect(back(30 * MIN)).toBe(0);
  });

  it('allows no on-demand when the policy allows none', () => {
    const base = input();
    const d = decideFallback(
      input({
        spot: { ...base.spot, noticed: 2, noticedAt: T0 },
        policy: { maxOnDemandShare: 0, baseOnDemandReplicas: 0 },
      }),
    );
    expect(d.onDemand).toBe(0);
    expect(d.reason).toMatch(/no on-demand allowed/);
  });
});

describe('fallbackDeployment', () => {
  const rendered = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'chat',
        namespace: 'ml',
        labels: { 'modelfleet.io/model': 'chat' },
      },
      spec: {
        selector: { matchLabels: { 'modelfleet.io/model': 'chat' } },
        template: {
          metadata: { labels: { 'modelfleet.io/model': 'chat' } },
          spec: {
            nodeSelector: { pool: 'od' },
            volumes: [
              { name: 'cache', persistentVolumeClaim: { claimName: 'c1' } },
              { name: 'shm', emptyDir: { medium: 'Memory' } },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'c1' },
      spec: { accessModes: ['ReadWriteOnce'] },
    },
  ];

  it('names it after the workload, labels its role on itself, its selector and pods, and parks it', () => {
    const d = fallbackDeployment(rendered, 'chat')!;
    expect(d.metadata.name).toBe('chat-on-demand');
    expect(d.metadata.labels).toEqual({
      'modelfleet.io/model': 'chat',
      'modelfleet.io/role': 'spot-fallback',
    });
    const spec = d.spec as any;
    expect(spec.replicas).toBe(0);
    expect(spec.selector.matchLabels['modelfleet.io/role']).toBe(
      'spot-fallback',
    );
    expect(spec.template.metadata.labels['modelfleet.io/model']).toBe('chat');
    expect(spec.template.spec.nodeSelector).toEqual({ pool: 'od' });
    // A ReadWriteOnce cache is not shared with the model's own pods.
    expect(spec.template.spec.volumes).toEqual([
      { name: 'cache', emptyDir: {} },
      { name: 'shm', emptyDir: { medium: 'Memory' } },
    ]);
    // The rendered objects are left as they were.
    expect((rendered[0].spec as any).replicas).toBeUndefined();
  });

  it('keeps a cache that many nodes may mount', () => {
    const shared = [
      rendered[0],
      { ...rendered[1], spec: { accessModes: ['ReadWriteMany'] } },
    ];
    const spec = fallbackDeployment(shared, 'chat')!.spec as any;
    expect(spec.template.spec.volumes[0]).toEqual({
      name: 'cache',
      persistentVolumeClaim: { claimName: 'c1' },
    });
  });
});

describe('planFallbackSteps', () => {
  it('creates the stand-in parked, then scales it, with an undo guarded by the count it set', () => {
    const create = fallbackDeployment(
      [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'chat' },
          spec: {},
        },
      ],
      'chat',
    )!;
    const steps = planFallbackSteps({
      cluster: 'c1',
      namespace: 'ml',
      workload: 'chat',
      create,
      from: 0,
      to: 2,
      onDemandTitle: 'g6 on-demand',
    });
    expect(steps.map(s => s.do.op)).toEqual(['apply', 'scale']);
    expect(steps[1].do).toEqual({
      op: 'scale',
      workload: {
        cluster: 'c1',
        namespace: 'ml',
        kind: 'Deployment',
        name: 'chat-on-demand',
      },
      replicas: 2,
    });
    expect(steps[1].undo).toMatchObject({ replicas: 0, ifReplicas: 2 });
  });

  it('takes it down with one step', () => {
    const steps = planFallbackSteps({
      cluster: 'c1',
      namespace: 'ml',
      workload: 'chat',
      from: 2,
      to: 0,
      onDemandTitle: 'g6 on-demand',
    });
    expect(steps).toHaveLength(1);
    expect(steps[0].description).toMatch(/spot serves again/);
  });
});
