import {
  consolidationNodes,
  consolidationPool,
  consolidationState,
  consolidationStateText,
  consolidationWorkloads,
  consolidationWorkloadsText,
  newestFirst,
} from './consolidationFormat';
import { consolidation } from './__testUtils__';

describe('consolidation format', () => {
  it('names the pool as people read it', () => {
    const a = consolidation();
    expect(consolidationPool(a)).toBe('g5-a10g (demo-aws-use1)');
    // A cluster name with a dot in it is still cut where the cluster ends.
    expect(
      consolidationPool({
        entityRef: 'gpupool:default/eu.west.a100',
        cluster: 'eu.west',
      }),
    ).toBe('a100 (eu.west)');
    expect(
      consolidationPool({ entityRef: 'gpupool:default/p.x', cluster: 'c' }),
    ).toBe('x (p)');
    expect(
      consolidationPool({ entityRef: 'gpupool:default/plain', cluster: 'c' }),
    ).toBe('plain');
  });

  it('reads the nodes from the cordons and the workloads from the waits', () => {
    const a = consolidation({}, { workloads: ['search/llama', 'vision/clip'] });
    expect(consolidationNodes(a)).toEqual(['node-a', 'node-b']);
    expect(consolidationWorkloads(a)).toEqual(['search/llama', 'vision/clip']);
    expect(consolidationWorkloadsText(a)).toBe('search/llama, vision/clip');
    // An uncordon (an undo) is not a node it empties.
    expect(
      consolidationNodes({
        steps: [
          {
            description: 'uncordon',
            do: {
              op: 'cordon',
              cluster: 'c',
              node: 'n9',
              unschedulable: false,
            },
          },
        ],
      }),
    ).toEqual([]);
    expect(
      consolidationWorkloadsText(consolidation({}, { workloads: [] })),
    ).toBe('none: the nodes run no model pod');
  });

  it('says the state in words', () => {
    const a = consolidation();
    const text = (o: Partial<typeof a>) =>
      consolidationStateText({ ...a, ...o });
    expect(text({})).toBe('Waiting for approval');
    expect(text({ dryRun: false })).toBe('About to start');
    // 2 cordons, 2 drains and 1 wait: the third step drains node-a.
    expect(
      consolidationState({ ...a, state: 'applying', stepIndex: 2 }),
    ).toEqual({
      label: 'Cordoning and draining: step 3 of 5',
      detail:
        'Drain node node-a: evict its model pods, within their PodDisruptionBudgets',
    });
    expect(text({ state: 'done', stepIndex: 4 })).toBe(
      'Done: the nodes are empty; the cluster autoscaler removes them',
    );
    expect(
      text({
        state: 'rolledBack',
        lastError: 'the PodDisruptionBudget of search/llama allows no eviction',
      }),
    ).toBe(
      'Rolled back: the PodDisruptionBudget of search/llama allows no eviction',
    );
    expect(text({ state: 'rolledBack' })).toBe('Rolled back');
    expect(
      text({ state: 'rollingBack', stepIndex: 1, lastError: 'timed out' }),
    ).toBe('Rolling back: step 2 of 5: timed out');
    expect(text({ state: 'failed', lastError: 'node-a: forbidden' })).toBe(
      'Failed: node-a: forbidden',
    );
    expect(text({ state: 'cancelled' })).toBe('Cancelled');
  });

  it('sorts newest first', () => {
    const old = consolidation({ id: 'old', createdAt: '2026-12-01T00:00:00Z' });
    const recent = consolidation({
      id: 'new',
      createdAt: '2026-12-06T00:00:00Z',
    });
    expect(newestFirst([old, recent]).map(a => a.id)).toEqual(['new', 'old']);
  });
});
