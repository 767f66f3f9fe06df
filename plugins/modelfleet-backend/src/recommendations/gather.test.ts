import {
  GpuPoolStatus,
  ModelFleetAction,
} from '@modelfleet/plugin-modelfleet-common';
import { recommendationsFromActions } from './fromActions';
import {
  bySaving,
  DAYS_PER_MONTH,
  emptyCapacityRecommendations,
  poolRefOf,
  resizeAdvice,
} from './gather';
import { RECOMMENDATION_ID, recommendationId } from './ids';
import { entityNamesOf } from './names';

const action = (over: Partial<ModelFleetAction>): ModelFleetAction => ({
  id: '00000000-0000-4000-8000-000000000001',
  idempotencyKey: 'k',
  kind: 'hibernate',
  entityRef: 'model:default/sdxl',
  cluster: 'c1',
  steps: [],
  state: 'planned',
  stepIndex: -1,
  attempts: 0,
  version: 1,
  dryRun: true,
  requestedBy: 'policy:hibernation',
  reason: 'hibernate: idle for 2 h',
  createdAt: '2026-12-06T10:00:00Z',
  updatedAt: '2026-12-06T10:00:00Z',
  ...over,
});

const context = {
  teamOf: (ref: string) =>
    ref === 'model:default/sdxl' ? 'group:default/vision-team' : undefined,
  unusedOf: (ref: string) =>
    ref === 'model:default/sdxl'
      ? { monthlyUsd: 900, monthlyCostUsd: 1200, days: 30 }
      : undefined,
  names: entityNamesOf([
    {
      kind: 'Model',
      metadata: {
        name: 'llama',
        namespace: 'default',
        title: 'Llama 3.1 8B chat',
      },
    },
    { kind: 'Model', metadata: { name: 'sdxl', namespace: 'default' } },
  ]),
};

describe('recommendationsFromActions', () => {
  it("turns the policies' actions waiting for approval into recommendations with their savings", () => {
    const found = recommendationsFromActions(
      [
        action({
          diff: [
            {
              step: 0,
              cluster: 'c1',
              kind: 'Deployment',
              name: 'sdxl',
              changes: [{ path: 'spec.replicas', before: 2, after: 0 }],
            },
          ],
        }),
        action({
          id: '00000000-0000-4000-8000-000000000002',
          kind: 'migrate',
          entityRef: 'model:default/chat',
          requestedBy: 'policy:arbitrage',
          reason: 'arbitrage policy (recommend)',
          details: {
            from: {
              pool: 'a',
              title: 'a (c1)',
              cluster: 'c1',
              monthlyUsd: 2000,
            },
            to: {
              pool: 'gpupool:default/c1.b',
              title: 'b (c1)',
              cluster: 'c1',
              capacityType: 'on-demand',
              monthlyUsd: 1500,
              preemptionsPerMonth: 0,
              availability: 0.999,
            },
            moveUsd: 3,
            paybackHours: 4.4,
            risk: 'none',
          },
        }),
        action({
          id: '00000000-0000-4000-8000-000000000003',
          kind: 'spot-fallback',
          entityRef: 'model:default/llama',
          requestedBy: 'policy:arbitrage',
          fallback: {
            direction: 'return',
            spot: { pool: 's', title: 's (c1)', usdPerHour: 0.3 },
            onDemand: { pool: 'o', title: 'o (c1)', usdPerHour: 1 },
            replicas: { from: 2, to: 0 },
            required: 2,
            spotReady: 2,
          },
        }),
        // Not recommendations: a person's request waiting for approval,
        // and a policy's action that runs without one.
        action({ requestedBy: 'user:default/jane', kind: 'scale' }),
        action({ dryRun: false }),
        action({ state: 'done' }),
      ],
      context,
    );
    expect(found.map(f => [f.kind, Math.round(f.monthlySavingUsd)])).toEqual([
      ['hibernation', 900],
      ['arbitrage', 500],
      ['spot-fallback', 1460],
    ]);
    const [hib, move, spot] = found;
    expect(hib).toMatchObject({
      subject: {
        modelRef: 'model:default/sdxl',
        teamRef: 'group:default/vision-team',
      },
      disruption: { level: 'restart', podsAffected: 2 },
      confidence: { level: 'medium' },
      source: { type: 'action', actionKind: 'hibernate' },
      applicable: { allowed: true },
    });
    expect(hib.evidence.join(' ')).toMatch(/did no work for \$900 a month/);
    expect(move.disruption.level).toBe('move');
    expect(move.subject.poolRef).toBe('gpupool:default/c1.b');
    expect(move.evidence.join(' ')).toMatch(/paid back in 5 hours/);
    // Names as people read them: the Model's title, else its name.
    expect(spot.title).toBe('Return Llama 3.1 8B chat to spot');
    expect(move.title).toBe('Move chat from a (c1) to b (c1)');
    expect(hib.title).toBe('Hibernate sdxl while it is idle');
    for (const f of found) {
      expect([f.title, ...f.evidence].join(' ')).not.toMatch(/model:|gpupool:/);
    }
    for (const f of found) expect(f.id).toMatch(RECOMMENDATION_ID);
  });

  it('counts no saving for a hibernation it cannot price, and a cost for an on-demand stand-in', () => {
    const [hib, stand] = recommendationsFromActions(
      [
        action({ entityRef: 'model:default/unknown', kind: 'keepAlive' }),
        action({
          kind: 'spot-fallback',
          requestedBy: 'policy:arbitrage',
          fallback: {
            direction: 'fallback',
            spot: { pool: 's', title: 's', usdPerHour: 0.3 },
            onDemand: { pool: 'o', title: 'o', usdPerHour: 1 },
            replicas: { from: 0, to: 1 },
            required: 1,
            spotReady: 0,
          },
        }),
      ],
      context,
    );
    expect(hib).toMatchObject({
      monthlySavingUsd: 0,
      disruption: { level: 'none' },
      confidence: { level: 'low' },
    });
    expect(stand.monthlySavingUsd).toBeCloseTo(-730, 6);
    expect(stand.evidence.join(' ')).toMatch(/costs money rather than saving/);
    const [spread] = recommendationsFromActions(
      [
        action({
          kind: 'spot-fallback',
          requestedBy: 'policy:arbitrage',
          fallback: {
            direction: 'spread',
            spot: { pool: 's', title: 's (c1)', usdPerHour: 0.3 },
            onDemand: { pool: 'o', title: 'o (c1)', usdPerHour: 1 },
            replicas: { from: 0, to: 0 },
            required: 2,
            spotReady: 2,
            spread: [
              {
                pool: 't',
                title: 't (c1)',
                usdPerHour: 0.25,
                replicas: { from: 0, to: 1 },
              },
            ],
          },
        }),
      ],
      context,
    );
    expect(spread.monthlySavingUsd).toBeCloseTo(-0.25 * 730, 6);
    expect(spread.evidence.slice(1)).toEqual([
      '2 of the 2 replicas it needs are ready on spot (s (c1)).',
      'Its spot companion on t (c1) goes from 0 to 1 replica(s) at $0.25 an hour each.',
      'This costs money rather than saving it: it spreads the spot replicas so that one reclaim does not take them all.',
    ]);
  });
});

const pool = (over: Partial<GpuPoolStatus>): GpuPoolStatus => ({
  cluster: 'demo-azure-eastus',
  name: 'nca100',
  provider: 'azure',
  region: 'eastus',
  zones: [],
  capacityType: 'on-demand',
  gpu: { product: 'A100-80GB', memoryMiB: 81920, perNode: 1, sharing: 'whole' },
  nodes: { current: 1, min: 1, max: 4 },
  gpus: { allocatable: 1, allocated: 0 },
  observedAt: '2026-12-06T10:00:00Z',
  stale: false,
  demo: true,
  ...over,
});

describe('emptyCapacityRecommendations', () => {
  it('prices an empty pool at its unallocated cost a month, and says its minimum keeps it', () => {
    const p = pool({});
    const [f] = emptyCapacityRecommendations({
      unallocated: [{ entityRef: poolRefOf(p), idleUsd: 2565.2 }],
      days: 30,
      pools: [p],
    });
    expect(poolRefOf(p)).toBe('gpupool:default/demo-azure-eastus.nca100');
    expect(f.monthlySavingUsd).toBeCloseTo((2565.2 / 30) * DAYS_PER_MONTH, 6);
    expect(f).toMatchObject({
      kind: 'empty-capacity',
      title: 'Remove the empty pool nca100 (demo-azure-eastus)',
      subject: { poolRef: 'gpupool:default/demo-azure-eastus.nca100' },
      disruption: { level: 'none', podsAffected: 0 },
      confidence: { level: 'high' },
      source: { type: 'showback', idleNodes: 1 },
      applicable: { allowed: false },
    });
    expect(f.evidence.join(' ')).toMatch(/minimum of 1 node/);
    expect(f.applicable.reason).toBe(
      'No node-pool API of ModelFleet manages cluster demo-azure-eastus (modelfleet.azure.nodePools): lower the minimum size of the AKS agent pool nca100 of cluster demo-azure-eastus from 1 to 0 in Azure (the AKS portal, or az aks nodepool update); its cluster autoscaler then removes the idle node (or delete the pool if no model is to run on it)',
    );
  });

  it("is applicable where the cloud's node-pool API says the minimum keeps the idle nodes: Apply lowers it", () => {
    // The cluster sync does not know the minimum; the cloud does.
    const p = pool({ nodes: { current: 1 } });
    const ref = poolRefOf(p);
    const [f] = emptyCapacityRecommendations({
      unallocated: [{ entityRef: ref, idleUsd: 2565.2 }],
      days: 30,
      pools: [p],
      sizes: new Map([[ref, { min: 1, max: 4, desired: 1 }]]),
    });
    expect(f.source).toEqual({
      type: 'showback',
      poolRef: ref,
      idleNodes: 1,
      cluster: 'demo-azure-eastus',
      pool: 'nca100',
      minimum: { from: 1, to: 0 },
    });
    expect(f.applicable).toEqual({ allowed: true });
    expect(f.evidence).toContain(
      "Its minimum of 1 node(s) keeps them: Apply lowers it to 0 through its cloud's node-pool API, and its cluster autoscaler then removes them.",
    );
    // A minimum that already lets them go: nothing for Apply to lower.
    const [g] = emptyCapacityRecommendations({
      unallocated: [{ entityRef: ref, idleUsd: 2565.2 }],
      days: 30,
      pools: [p],
      sizes: new Map([[ref, { min: 0, max: 4 }]]),
    });
    expect(g.source).not.toHaveProperty('minimum');
    expect(g.applicable.allowed).toBe(false);
    expect(g.applicable.reason).toMatch(
      /its minimum size \(0\) already lets the idle node go/,
    );
  });

  it("says where each cloud's pool minimum is lowered, and when the minimum is not what keeps the nodes", () => {
    const eks = pool({
      provider: 'aws',
      name: 'g5-a10g',
      nodes: { current: 3, min: 2 },
    });
    expect(resizeAdvice(eks, 2)).toMatch(
      /^No node-pool API of ModelFleet manages cluster demo-azure-eastus \(modelfleet\.aws\.nodePools\): lower the minimum size of the EKS node group g5-a10g of cluster demo-azure-eastus from 2 to 1 in AWS \(the EKS console, or aws eks update-nodegroup-config\); its cluster autoscaler then removes the 2 idle nodes$/,
    );
    const gke = pool({ provider: 'gcp', name: 'g2-l4', nodes: { current: 2 } });
    expect(resizeAdvice(gke, 1)).toMatch(
      /if the minimum size of the GKE node pool g2-l4 .* keeps the idle node, lower it to 1 in Google Cloud/,
    );
    const loose = pool({ nodes: { current: 3, min: 0 } });
    expect(resizeAdvice(loose, 1)).toMatch(
      /its minimum size \(0\) already lets the idle node go, so its cluster autoscaler should remove it; if it stays, look at the autoscaler's scale-down settings for the AKS agent pool nca100/,
    );
  });

  it('counts only whole idle nodes, and leaves out stale pools and pools with no idle node', () => {
    // 3 nodes × 4 GPUs, 5 used: 7 free, 1 whole node idle, 4/7 of the idle cost.
    const busy = pool({
      name: 'nc96a100',
      gpu: {
        product: 'A100-80GB',
        memoryMiB: 81920,
        perNode: 4,
        sharing: 'whole',
      },
      nodes: { current: 3, min: 0 },
      gpus: { allocatable: 12, allocated: 5 },
    });
    const full = pool({ name: 'full', gpus: { allocatable: 1, allocated: 1 } });
    const stale = pool({ name: 'stale', stale: true });
    const found = emptyCapacityRecommendations({
      unallocated: [busy, full, stale].map(p => ({
        entityRef: poolRefOf(p),
        idleUsd: 700,
      })),
      days: 5,
      pools: [busy, full, stale],
    });
    expect(found).toHaveLength(1);
    expect(found[0].monthlySavingUsd).toBeCloseTo(
      (700 / 5) * DAYS_PER_MONTH * (4 / 7),
      6,
    );
    expect(found[0].title).toBe(
      'Remove 1 idle node(s) of nc96a100 (demo-azure-eastus)',
    );
    expect(found[0].confidence.level).toBe('medium');
    expect(found[0].evidence.join(' ')).not.toMatch(/minimum/);

    // Where consolidation runs, it lists the idle nodes of pools that hold
    // work; empty capacity keeps the whole empty pools.
    const empty = pool({ name: 'empty' });
    const divided = emptyCapacityRecommendations({
      unallocated: [busy, empty].map(p => ({
        entityRef: poolRefOf(p),
        idleUsd: 700,
      })),
      days: 5,
      pools: [busy, empty],
      consolidated: new Set(['demo-azure-eastus']),
    });
    expect(divided.map(f => f.title)).toEqual([
      'Remove the empty pool empty (demo-azure-eastus)',
    ]);
  });
});

describe('recommendation ids and order', () => {
  it('keeps an id for the same finding and changes it with the subject or proposal', () => {
    const a = recommendationId(
      'rightsizing',
      { modelRef: 'model:default/x' },
      'p',
    );
    expect(a).toBe(
      recommendationId('rightsizing', { modelRef: 'model:default/x' }, 'p'),
    );
    expect(a).not.toBe(
      recommendationId('rightsizing', { modelRef: 'model:default/y' }, 'p'),
    );
    expect(a).not.toBe(
      recommendationId('rightsizing', { modelRef: 'model:default/x' }, 'q'),
    );
    expect(a).toMatch(/^rightsizing-[0-9a-f]{16}$/);
  });

  it('sorts by saving, largest first, then by kind and id', () => {
    const f = (kind: any, id: string, monthlySavingUsd: number) =>
      ({ kind, id, monthlySavingUsd } as any);
    expect(
      [
        f('rightsizing', 'b', 5),
        f('arbitrage', 'c', 5),
        f('hibernation', 'a', 9),
        f('rightsizing', 'a', 5),
      ]
        .sort(bySaving)
        .map(x => x.id),
    ).toEqual(['a', 'c', 'a', 'b']);
  });
});
