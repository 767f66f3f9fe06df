import {
  GpuPoolStatus,
  PlatformPolicy,
} from '@modelfleet/plugin-modelfleet-common';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { StoredModelPod, StoredNode } from '../database/FleetStateStore';
import { PriceBookStore } from '../database/PriceBookStore';
import { loadHighs } from '../engines/placement/__testUtils__/instances';
import { inProcessConsolidator } from '../placement/PlacementWorker';
import { BUILTIN_POLICY } from '../policy/effectivePolicy';
import {
  gatherConsolidation,
  observedBudgets,
  renderedMaxUnavailable,
} from './gatherConsolidation';
import { budgetWords, UNOWNED } from './gatherConsolidationFindings';
import { entityNamesOf } from './names';

jest.setTimeout(60_000);

const NOW = '2026-12-06T12:00:00.000Z';
const MONTH = 730;

const pool = (
  name: string,
  gpu: GpuPoolStatus['gpu'],
  nodes: number,
  allocated: number,
): GpuPoolStatus => ({
  cluster: 'c1',
  name,
  provider: 'aws',
  region: 'us-east-1',
  zones: [],
  instanceType: `vm-${name}`,
  capacityType: 'on-demand',
  gpu,
  nodes: { current: nodes, max: nodes },
  gpus: { allocatable: nodes * gpu.perNode, allocated },
  observedAt: NOW,
  stale: false,
  demo: false,
});

const L4X4 = { product: 'L4', memoryMiB: 23034, perNode: 4, sharing: 'whole' };
const A100 = {
  product: 'A100',
  memoryMiB: 81920,
  perNode: 1,
  sharing: 'whole',
};
const T4 = { product: 'T4', memoryMiB: 15360, perNode: 1, sharing: 'whole' };

/**
 * Cluster c1:
 * - l4x4 (4 × L4, $4 an hour, 3 nodes, at its maximum): na runs chat-0
 *   (2 units, pinned) and embed-0 (1 unit); nb runs chat-1 (1 unit,
 *   pinned); nc is empty;
 * - a100 (1 × A100, $3 an hour): nd runs big-0 (not pinned), ne runs a
 *   GPU job of no model;
 * - t4 (1 × T4, $0.50 an hour): nf, a whole empty pool (empty capacity's).
 */
const pools = [
  pool('l4x4', L4X4 as GpuPoolStatus['gpu'], 3, 4),
  pool('a100', A100 as GpuPoolStatus['gpu'], 2, 2),
  pool('t4', T4 as GpuPoolStatus['gpu'], 1, 0),
];
const node = (
  name: string,
  p: string,
  units: number,
  over: Partial<StoredNode> = {},
): StoredNode => ({
  cluster: 'c1',
  name,
  pool: p,
  gpuUnits: units,
  observedAt: NOW,
  stale: false,
  ...over,
});
const nodes = [
  node('na', 'l4x4', 4, { unitMemoryMiB: 23034 }),
  node('nb', 'l4x4', 4, { unitMemoryMiB: 23034 }),
  node('nc', 'l4x4', 4, { unitMemoryMiB: 23034 }),
  node('nd', 'a100', 1),
  node('ne', 'a100', 1, { otherGpuUnits: 1 }),
  node('nf', 't4', 1),
];
const pod = (
  name: string,
  on: string,
  workload: string,
  units: number,
  pinnedPool?: string,
): StoredModelPod => ({
  name,
  node: on,
  workload: {
    cluster: 'c1',
    namespace: 'ml',
    kind: 'Deployment',
    name: workload,
  },
  gpuUnits: units,
  priority: 0,
  ...(pinnedPool ? { pinnedPool } : {}),
  observedAt: NOW,
  stale: false,
});
const pods = [
  pod('chat-0', 'na', 'chat', 2, 'l4x4'),
  pod('embed-0', 'na', 'embed', 1),
  pod('chat-1', 'nb', 'chat', 1, 'l4x4'),
  pod('big-0', 'nd', 'big', 1),
];
const workloads = ['chat', 'embed', 'big'].map(name => ({
  cluster: 'c1',
  namespace: 'ml',
  kind: 'Deployment' as const,
  name,
  modelId: name,
  replicas: { desired: 1, ready: 1 },
  gpusPerReplica: 1,
  observedAt: NOW,
  stale: false,
}));
const TEAMS: Record<string, string> = {
  chat: 'group:default/search-team',
  embed: 'group:default/search-team',
  big: 'group:default/vision-team',
};

describe('gatherConsolidation', () => {
  const databases = createTestDatabases();

  async function run(
    options: {
      chatMin?: number;
      /** The PodDisruptionBudgets the cluster reports, by workload name. */
      reported?: Record<
        string,
        { names: string[]; disruptionsAllowed: number }
      >;
      /** The minimum size of l4x4. */
      poolMin?: number;
      policy?: Partial<PlatformPolicy['consolidation']>;
      nodes?: StoredNode[];
      fleet?: {
        pools: GpuPoolStatus[];
        nodes: StoredNode[];
        pods: StoredModelPod[];
        perHour: Record<string, number>;
      };
    } = {},
  ) {
    const fleet = options.fleet ?? {
      pools: pools.map(p =>
        p.name === 'l4x4' && options.poolMin !== undefined
          ? { ...p, nodes: { ...p.nodes, min: options.poolMin } }
          : p,
      ),
      nodes: options.nodes ?? nodes,
      pods,
      perHour: { l4x4: 4, a100: 3, t4: 0.5 },
    };
    const knex = (
      await DatabaseModelFleetStore.fromKnex(await databases.init('SQLITE_3'))
    ).knex;
    const prices = new PriceBookStore(knex);
    await prices.record(
      fleet.pools.map(p => ({
        provider: 'aws' as const,
        instanceType: p.instanceType!,
        region: 'us-east-1',
        capacityType: 'on-demand' as const,
        usdPerHour: fleet.perHour[p.name],
        source: 'bundled-catalog',
        observedAt: NOW,
      })),
      new Date(NOW),
    );
    const asked: string[] = [];
    const result = await gatherConsolidation({
      nodes: fleet.nodes,
      pods: fleet.pods,
      pools: fleet.pools,
      workloads: workloads.map(w =>
        options.reported?.[w.name]
          ? { ...w, disruptionBudget: options.reported[w.name] }
          : w,
      ),
      lookup: w => ({
        modelRef: `model:default/${w.modelId}`,
        teamRef: TEAMS[w.modelId],
      }),
      candidates: { prices, liveSources: () => [], assumedAddableNodes: 2 },
      policyOf: ref => {
        asked.push(ref);
        return { ...BUILTIN_POLICY.consolidation, ...options.policy };
      },
      consolidator: inProcessConsolidator(loadHighs),
      names: entityNamesOf([
        {
          kind: 'Model',
          metadata: { name: 'chat', namespace: 'default', title: 'Chat LLM' },
          spec: { replicas: { min: options.chatMin ?? 2 } },
        },
        {
          kind: 'Group',
          metadata: { name: 'search-team', namespace: 'default' },
          spec: { profile: { displayName: 'Search team' } },
        },
      ]),
    });
    return { ...result, asked };
  }

  it('removes the empty node and packs the near-empty one of a pool that holds work, one recommendation per pool', async () => {
    const { findings, notes, covered, asked } = await run();
    expect([...covered]).toEqual(['c1']);
    expect(asked.sort()).toEqual([
      'group:default/search-team',
      'group:default/vision-team',
    ]);
    // ne runs a job of no model; the empty t4 pool is empty capacity's.
    expect(notes).toEqual([
      'consolidation: nodes of c1 left out: ne (GPU pods of no model run there, which ModelFleet does not move)',
    ]);
    // nc is empty; nb ($4 for 1 pod) goes before na ($4 for 2): chat-1
    // joins na's free unit. nd's A100 has nowhere cheaper to go.
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({
      kind: 'consolidation',
      subject: { poolRef: 'gpupool:default/c1.l4x4' },
      title: 'Remove 2 nodes of l4x4 (c1), moving 1 pod onto other nodes',
      disruption: {
        level: 'move',
        podsAffected: 1,
        description:
          '1 pod of Chat LLM moves to another node; each starts again there, loading its model',
      },
      confidence: { level: 'medium' },
      source: {
        type: 'consolidation',
        poolRef: 'gpupool:default/c1.l4x4',
        cluster: 'c1',
        nodes: ['nb', 'nc'],
        teams: ['group:default/search-team'],
        added: [],
        podsMoved: 1,
      },
      applicable: { allowed: true },
    });
    expect(f.monthlySavingUsd).toBeCloseTo(2 * 4 * MONTH, 6);
    expect(f.id).toMatch(/^consolidation-[0-9a-f]{16}$/);
    expect(f.evidence).toEqual([
      'l4x4 (c1) runs 3 nodes of 4 × L4 at $2,920 a month each; its pods request 4 of its 12 GPU units.',
      'nc holds no model pod now.',
      'nb runs 1 pod of Chat LLM, which fits on node na.',
      "Within the disruption budgets (policy consolidation.maxDisruptedPods and maxDisruptedPercent): Search team 1 of at most 1 pod(s) this pass; and each model's PodDisruptionBudget as ModelFleet renders it (from its spec.replicas.min).",
      'Apply cordons nb and nc, then evicts their model pods within their PodDisruptionBudgets, one node at a time; the scheduler places the pods again, and the cluster autoscaler removes the emptied nodes.',
      '$5,840 a month less for these nodes.',
    ]);
  });

  it("keeps a model's PodDisruptionBudget and the team's budget: then only the empty node goes", async () => {
    // chat runs 2 pods with spec.replicas.min 3: minAvailable 2, none may go.
    const pdb = await run({ chatMin: 3 });
    // The team may move no pod at all.
    const budget = await run({ policy: { maxDisruptedPods: 0 } });
    for (const { findings } of [pdb, budget]) {
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        title: 'Remove the empty node nc of l4x4 (c1)',
        disruption: { level: 'none', podsAffected: 0 },
        confidence: { level: 'high' },
        source: { nodes: ['nc'], podsMoved: 0 },
      });
      expect(findings[0].monthlySavingUsd).toBeCloseTo(4 * MONTH, 6);
      expect(findings[0].applicable).toEqual({ allowed: true });
    }
  });

  it('plans with the PodDisruptionBudget the cluster reports, over the one ModelFleet renders', async () => {
    // Rendered from spec.replicas.min 3, chat's budget would allow no move;
    // the cluster's budget allows 1 now, so chat-1 moves and nb goes.
    const { findings } = await run({
      chatMin: 3,
      reported: { chat: { names: ['chat-pdb'], disruptionsAllowed: 1 } },
    });
    expect(findings).toHaveLength(1);
    expect(findings[0].source).toMatchObject({
      nodes: ['nb', 'nc'],
      podsMoved: 1,
    });
    expect(findings[0].evidence).toContain(
      "Within the disruption budgets (policy consolidation.maxDisruptedPods and maxDisruptedPercent): Search team 1 of at most 1 pod(s) this pass; and each model's PodDisruptionBudget as the cluster reports it (Chat LLM: chat-pdb allows 1 disruption now).",
    );
  });

  it('keeps the node of a pod whose reported PodDisruptionBudget allows no disruption now', async () => {
    // Rendered from spec.replicas.min 2, chat-1 could move (as in the
    // first test); the cluster's budget allows 0 now, so nb stays.
    const { findings } = await run({
      chatMin: 2,
      reported: {
        chat: { names: ['chat-pdb', 'ml-all'], disruptionsAllowed: 0 },
      },
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      title: 'Remove the empty node nc of l4x4 (c1)',
      disruption: { level: 'none', podsAffected: 0 },
      source: { nodes: ['nc'], podsMoved: 0 },
    });
  });

  it('says which budgets the moves were planned with, per model', () => {
    const moves = [
      { pod: 'ml/chat-1', model: 'model:default/chat' },
      { pod: 'ml/embed-0', model: 'model:default/embed' },
    ].map(m => ({ ...m, from: 'nb', to: 'na', team: UNOWNED }));
    const names = entityNamesOf([
      {
        kind: 'Model',
        metadata: { name: 'chat', namespace: 'default', title: 'Chat LLM' },
        spec: {},
      },
    ]);
    const observed = observedBudgets(
      [
        {
          ...workloads[0],
          disruptionBudget: { names: ['chat-pdb'], disruptionsAllowed: 2 },
        },
        {
          ...workloads[0],
          name: 'chat-spot',
          disruptionBudget: {
            names: ['chat-spot-pdb', 'chat-pdb'],
            disruptionsAllowed: 1,
          },
        },
        workloads[1],
      ],
      w => ({ modelRef: `model:default/${w.modelId}`, teamRef: '' }),
    );
    expect([...observed]).toEqual([
      [
        'model:default/chat',
        { names: ['chat-pdb', 'chat-spot-pdb'], disruptionsAllowed: 1 },
      ],
    ]);
    expect(budgetWords({ observedBudgets: observed }, moves, names)).toBe(
      "each model's PodDisruptionBudget as the cluster reports it (Chat LLM: chat-pdb and chat-spot-pdb allow at most 1 disruption now) or, where the cluster has none, as ModelFleet renders it (from its spec.replicas.min)",
    );
    expect(
      budgetWords({ observedBudgets: observed }, moves.slice(0, 1), names),
    ).toBe(
      "each model's PodDisruptionBudget as the cluster reports it (Chat LLM: chat-pdb and chat-spot-pdb allow at most 1 disruption now)",
    );
    expect(budgetWords({ observedBudgets: new Map() }, moves, names)).toBe(
      "each model's PodDisruptionBudget as ModelFleet renders it (from its spec.replicas.min)",
    );
  });

  it("leaves to the cloud the nodes a pool's minimum size keeps", async () => {
    const { findings } = await run({ chatMin: 3, poolMin: 3 });
    expect(findings).toHaveLength(1);
    expect(findings[0].source).toMatchObject({ nodes: ['nc'] });
    expect(findings[0].evidence).toContain(
      'Its minimum size of 3 keeps this node even when empty.',
    );
    expect(findings[0].applicable).toEqual({
      allowed: false,
      reason: expect.stringMatching(
        /^No node-pool API of ModelFleet manages cluster c1 \(modelfleet\.aws\.nodePools\): lower the minimum size of the EKS node group l4x4 of cluster c1 from 3 to 2 /,
      ),
    });
  });

  it('replaces a dear node by a cheaper node of a pool with the same GPU, for a pod not pinned to its pool', async () => {
    // big: one 8 × L4 node at $16 an hour running embed-0 (1 unit, not
    // pinned); small: 1 × L4 nodes at $2.50, one running chat-0 (pinned),
    // two more may be added. embed-0 goes to a new small node.
    const big = pool(
      'big',
      { ...L4X4, perNode: 8 } as GpuPoolStatus['gpu'],
      1,
      1,
    );
    const small = {
      ...pool('small', { ...L4X4, perNode: 1 } as GpuPoolStatus['gpu'], 1, 1),
      nodes: { current: 1, max: 3 },
    };
    const { findings } = await run({
      fleet: {
        pools: [big, small],
        nodes: [node('nx', 'big', 8), node('ny', 'small', 1)],
        pods: [
          pod('embed-0', 'nx', 'embed', 1),
          pod('chat-0', 'ny', 'chat', 1, 'small'),
        ],
        perHour: { big: 16, small: 2.5 },
      },
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      subject: { poolRef: 'gpupool:default/c1.big' },
      title: 'Replace 1 node of big (c1) by a node of small (c1)',
      source: {
        nodes: ['nx'],
        added: [{ pool: 'small', count: 1 }],
        podsMoved: 1,
      },
      disruption: { level: 'move', podsAffected: 1 },
    });
    expect(findings[0].monthlySavingUsd).toBeCloseTo((16 - 2.5) * MONTH, 6);
    expect(findings[0].evidence).toContain(
      'nx runs 1 pod of embed, which fits on a new node of small (c1).',
    );
    expect(findings[0].evidence).toContain(
      'Apply cordons nx, then evicts their model pods within their PodDisruptionBudgets, one node at a time; the scheduler places the pods again (the cluster autoscaler adds a node of small (c1) for those with no room), and the cluster autoscaler removes the emptied nodes.',
    );
    expect(findings[0].applicable).toEqual({ allowed: true });
  });

  it('skips a cluster that could not be read, and says when no connector reports nodes', async () => {
    const stale = await run({
      nodes: nodes.map(n => ({ ...n, stale: true })),
    });
    expect(stale.findings).toEqual([]);
    expect(stale.covered.size).toBe(0);
    expect(stale.notes).toEqual([
      'consolidation: c1 could not be read at the last sync, so its nodes are not consolidated',
    ]);
    const none = await run({ nodes: [] });
    expect(none.notes).toEqual([
      'consolidation: no cluster connector reports its GPU nodes and where the model pods run, so no consolidation is proposed',
    ]);
  });

  it('reads the PodDisruptionBudget ModelFleet renders from spec.replicas.min', () => {
    expect(renderedMaxUnavailable(3, undefined)).toBe(1);
    expect(renderedMaxUnavailable(3, 1)).toBe(1);
    expect(renderedMaxUnavailable(4, 2)).toBe(3);
    expect(renderedMaxUnavailable(2, 3)).toBe(0);
  });
});
