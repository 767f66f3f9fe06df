import {
  testNode,
  testPod,
} from '../../src/engines/rightsizing/__testUtils__/fleet';
import { loadHighs } from '../../src/engines/placement/__testUtils__/instances';
import { HighsSolve } from '../../src/engines/placement';
import { consolidate } from '../../src/engines/rightsizing';
import { ConsolidationInput } from '../../src/engines/rightsizing/types';
import { evictionCost, karpenterConsolidate } from './karpenter';

let solve: HighsSolve;
beforeAll(async () => {
  solve = await loadHighs();
});

const node = testNode;
const pod = testPod;

describe('karpenterConsolidate', () => {
  it('deletes empty nodes, then removes several nodes in one multi-node step', () => {
    const r = karpenterConsolidate({
      nodes: [node('e'), node('x'), node('y'), node('z')],
      pods: [pod('x1', 'x'), pod('y1', 'y'), pod('z1', 'z')],
      nodeTypes: [],
    });
    expect(r.steps[0]).toMatchObject({ removed: ['e'], reason: 'emptiness' });
    // The first two candidates' pods fit on the third.
    expect(r.steps[1]).toMatchObject({
      removed: ['x', 'y'],
      reason: 'multi-node',
    });
    expect(r.nodesRemoved).toHaveLength(3);
    expect(r.podsMoved).toBe(2);
  });

  it('replaces a node by one cheaper node when its pods fit nowhere else', () => {
    const r = karpenterConsolidate({
      nodes: [node('v', { gpu: 'V100', units: 32, usdPerHour: 10 })],
      pods: [pod('p', 'v', { units: 2 })],
      nodeTypes: [
        { pool: 't4', gpu: 'T4', units: 4, unitMemoryMiB: 4096, usdPerHour: 1 },
      ],
    });
    expect(r.steps).toEqual([
      expect.objectContaining({ removed: ['v'], reason: 'single-node' }),
    ]);
    expect(r.monthlyUsdAfter).toBe(730);
  });

  it('orders candidates by disruption cost, where the engine orders by saving per pod', async () => {
    const input: ConsolidationInput = {
      nodes: [
        node('sink', { units: 8 }),
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
      nodeTypes: [],
      defaultBudget: { pods: 2 },
    };
    const k = karpenterConsolidate(input);
    // One pod is cheaper to disrupt than two: the $1 node goes, and the
    // budget left (1) cannot move the $5 node's two pods.
    expect(k.nodesRemoved).toEqual(['cheap']);
    const e = consolidate(input, { solve });
    expect(e.nodesRemoved).toEqual(['dear']);
    expect(e.monthlyUsdAfter).toBeLessThan(k.monthlyUsdAfter);
    expect(e.podsMoved).toBe(2);
  });

  it('prices a pod’s eviction as Karpenter does', () => {
    expect(evictionCost(pod('p', 'n'))).toBe(1);
    expect(evictionCost(pod('p', 'n', { priority: 2 ** 25 }))).toBe(2);
    expect(evictionCost(pod('p', 'n', { priority: 2e9 }))).toBe(10);
  });
});
