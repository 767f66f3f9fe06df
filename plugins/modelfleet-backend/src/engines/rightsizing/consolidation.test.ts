import { testNode, testPod } from './__testUtils__/fleet';
import { loadHighs } from '../placement/__testUtils__/instances';
import { HighsSolve } from '../placement';
import { consolidate } from './consolidation';
import { ConsolidationInput, NodeType } from './types';

let solve: HighsSolve;
beforeAll(async () => {
  solve = await loadHighs();
});

const MONTH = 730;
const node = testNode;
const pod = testPod;
const t4Type: NodeType = {
  pool: 't4',
  gpu: 'T4',
  units: 4,
  unitMemoryMiB: 4096,
  usdPerHour: 1,
};
const run = (input: Partial<ConsolidationInput>) =>
  consolidate({ nodes: [], pods: [], nodeTypes: [], ...input }, { solve });

describe('consolidate', () => {
  it('removes empty nodes, then packs a near-empty node onto another', () => {
    const r = run({
      nodes: [node('n1'), node('n2'), node('n3')],
      pods: [pod('p1', 'n1', { units: 2 }), pod('p2', 'n2')],
      nodeTypes: [t4Type],
    });
    // n3 is empty; p1 or p2 joins the other: one node of $1/h stays.
    expect(r.nodesRemoved).toHaveLength(2);
    expect(r.nodesRemoved).toContain('n3');
    expect(r.podsMoved).toBe(1);
    expect(r.monthlyUsdBefore).toBe(3 * MONTH);
    expect(r.monthlyUsdAfter).toBe(MONTH);
    expect(r.steps[0].reason).toMatch(/^empty/);
    expect(r.target.kept).toHaveLength(1);
  });

  it('replaces a dear node by a cheaper one that fits its pods', () => {
    const r = run({
      nodes: [
        node('v100', { pool: 'v100', gpu: 'V100', units: 32, usdPerHour: 10 }),
      ],
      pods: [pod('p1', 'v100', { units: 2, memoryMiB: 8192 })],
      nodeTypes: [
        t4Type,
        { ...t4Type, pool: 'v100', gpu: 'V100', units: 32, usdPerHour: 10 },
      ],
    });
    expect(r.nodesRemoved).toEqual(['v100']);
    expect(r.nodesAdded).toEqual([
      expect.objectContaining({ pool: 't4', usdPerHour: 1 }),
    ]);
    expect(r.monthlyUsdAfter).toBe(MONTH);
    expect(r.steps[0].moves).toEqual([
      expect.objectContaining({
        pod: 'p1',
        from: 'v100',
        to: r.nodesAdded[0].id,
      }),
    ]);
  });

  it('spends the team budget on the best saving per disrupted pod', () => {
    // A sink with room, a $1 node with one pod and a $5 node with two: a
    // budget of 2 pods is best spent on the $5 node ($2.5 per pod).
    const r = run({
      nodes: [
        node('sink', { units: 8, usdPerHour: 1 }),
        node('cheap', { usdPerHour: 1 }),
        node('dear', { usdPerHour: 5 }),
      ],
      pods: [
        pod('s1', 'sink'),
        pod('s2', 'sink'),
        pod('s3', 'sink'),
        pod('c1', 'cheap'),
        pod('d1', 'dear'),
        pod('d2', 'dear'),
      ],
      defaultBudget: { pods: 2 },
    });
    expect(r.nodesRemoved).toEqual(['dear']);
    expect(r.podsMoved).toBe(2);
    expect(r.budgetUse.a).toEqual({ moved: 2, budget: 2 });
  });

  it('takes a percentage budget of the team’s pods, at least one', () => {
    const r = run({
      nodes: [node('sink', { units: 8 }), node('x'), node('y')],
      pods: [pod('s1', 'sink'), pod('x1', 'x'), pod('y1', 'y')],
      budgets: { a: { percent: 10 } },
    });
    expect(r.budgetUse.a).toEqual({ moved: 1, budget: 1 });
    expect(r.nodesRemoved).toHaveLength(1);
  });

  it('keeps within a cap on the pods moved over all teams', () => {
    const r = run({
      nodes: [node('sink', { units: 8 }), node('x'), node('y')],
      pods: [
        pod('s1', 'sink'),
        pod('s2', 'sink'),
        pod('x1', 'x', { team: 'b' }),
        pod('y1', 'y', { team: 'c' }),
      ],
      maxPodsMoved: 1,
    });
    expect(r.podsMoved).toBe(1);
    expect(() => run({ nodes: [node('n')], maxPodsMoved: -1 })).toThrow(
      /maxPodsMoved/,
    );
  });

  it('keeps within a PodDisruptionBudget', () => {
    const r = run({
      nodes: [node('sink', { units: 8 }), node('x'), node('y')],
      pods: [
        pod('s1', 'sink', { model: 'other' }),
        pod('x1', 'x', { model: 'm' }),
        pod('y1', 'y', { model: 'm' }),
      ],
      maxUnavailable: { m: 1 },
    });
    expect(r.podsMoved).toBe(1);
    expect(
      r.steps.flatMap(s => s.moves).filter(m => m.model === 'm'),
    ).toHaveLength(1);
  });

  it('never evicts a pod to make room: pods move only off nodes that go', () => {
    // `full` holds a high-priority pod and no room; the dear node's
    // low-priority pod could only go where the other is.
    const r = run({
      nodes: [node('full'), node('dear', { usdPerHour: 9 })],
      pods: [
        pod('high', 'full', { units: 4, priority: 1000 }),
        pod('low', 'dear', { units: 2, priority: 0 }),
      ],
    });
    expect(r.podsMoved).toBe(0);
    expect(r.nodesRemoved).toEqual([]);
    const removed = new Set(r.nodesRemoved);
    for (const m of r.steps.flatMap(s => s.moves)) {
      expect(removed.has(m.from)).toBe(true);
    }
  });

  it('keeps pods to their allowed pools and GPUs', () => {
    const r = run({
      nodes: [
        node('a', { pool: 'p1' }),
        node('b', { pool: 'p2' }),
        node('c', { pool: 'p1', gpu: 'L4' }),
      ],
      pods: [
        pod('pa', 'a', { allowedPools: ['p1'], allowedGpus: ['T4'] }),
        pod('pb', 'b'),
        pod('pc', 'c'),
      ],
    });
    // pa may go nowhere else; pb and pc may join a.
    expect(r.nodesRemoved.sort()).toEqual(['b', 'c']);
    expect(r.podsMoved).toBe(2);
  });

  it('names the bad field', () => {
    expect(() => run({ nodes: [node('n')], pods: [pod('p', 'nope')] })).toThrow(
      /pods\[0\]\.node/,
    );
    expect(() =>
      run({ nodes: [node('n')], pods: [pod('p', 'n', { units: 5 })] }),
    ).toThrow(/pods\[0\]\.units/);
    expect(() => run({ nodes: [node('n', { usdPerHour: -1 })] })).toThrow(
      /nodes\[0\]\.usdPerHour/,
    );
    expect(() =>
      run({ nodes: [node('n')], defaultBudget: { percent: 150 } }),
    ).toThrow(/defaultBudget\.percent/);
    expect(() => run({ nodes: [node('n'), node('n')] })).toThrow(
      /nodes\[1\]\.id/,
    );
  });
});
