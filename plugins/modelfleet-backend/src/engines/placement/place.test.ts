import { HighsSolve, placeModels } from './place';
import { PlacementPool, PlacementRequest } from './types';
import {
  GIB,
  loadHighs,
  testPool,
  testRequest,
} from './__testUtils__/instances';

let solve: HighsSolve;
beforeAll(async () => {
  solve = await loadHighs();
});

const pool = (ref: string, over: Partial<PlacementPool> = {}) =>
  testPool(ref, { ...over });
const request = (id: string, over: Partial<PlacementRequest> = {}) =>
  testRequest(id, { ...over });

describe('placeModels', () => {
  it('gives every pool a model cannot use its reason', () => {
    const pools = [
      pool('h100', {
        gpu: { product: 'H100', memoryMiB: 80 * GIB, perNode: 8 },
      }),
      pool('t4', { gpu: { product: 'T4', memoryMiB: 16 * GIB, perNode: 1 } }),
      pool('spot', { capacityType: 'spot' }),
      pool('eu', { region: 'eu-west-1' }),
      pool('tainted', {
        taints: [{ key: 'team', value: 'vision', effect: 'NoSchedule' }],
      }),
      pool('unpriced', { usdPerNodeHour: null }),
      pool('full', { addableNodes: 0 }),
      pool('ok'),
    ];
    const r = placeModels(
      [
        request('m', {
          memoryMiB: 20 * GIB,
          allowedGpuTypes: ['L4', 'T4'],
          spot: 'forbid',
          regions: ['us-east-1'],
        }),
      ],
      pools,
      { solve },
    );
    expect(
      r.decisions[0].rejected.map(x => [x.pool.split('/')[1], x.code]),
    ).toEqual([
      ['h100', 'gpu-type'],
      ['t4', 'gpu-memory'],
      ['spot', 'spot-forbidden'],
      ['eu', 'region'],
      ['tainted', 'taint'],
      ['unpriced', 'no-price'],
      ['full', 'no-capacity'],
    ]);
    expect(r.decisions[0].rejected[1].reason).toBe(
      '1 × 16 GiB of GPU memory per replica, 20 GiB needed',
    );
    expect(r.decisions[0].assignments).toEqual([
      { pool: 'gpupool:default/ok', replicas: 1 },
    ]);
    expect(r.monthlyUsd).toBe(730);
  });

  it('packs exactly where a greedy choice of the cheapest unit does not', () => {
    const pools = [
      pool('x4', {
        gpu: { product: 'L4', memoryMiB: 24 * GIB, perNode: 4 },
        usdPerNodeHour: 3.6,
      }),
      pool('x1', { usdPerNodeHour: 1 }),
    ];
    // 5 replicas: x4 costs 0.9/GPU-h, x1 1.0. Filling the cheapest unit opens
    // two x4 nodes ($7.20/h); the optimum is one x4 and one x1 ($4.60/h).
    const r = placeModels([request('m', { replicas: 5 })], pools, { solve });
    expect(r.method).toBe('exact');
    expect(r.nodes).toEqual([
      { pool: 'gpupool:default/x4', added: 1 },
      { pool: 'gpupool:default/x1', added: 1 },
    ]);
    expect(r.monthlyUsd).toBeCloseTo(4.6 * 730);
    const greedy = placeModels([request('m', { replicas: 5 })], pools, {
      solve,
      exactMaxVariables: 0,
    });
    expect(greedy.method).toBe('heuristic');
    // The heuristic prices the last replica by what a new node costs per
    // replica it takes: one x1 rather than a second x4.
    expect(greedy.monthlyUsd).toBeCloseTo(4.6 * 730);
    expect(greedy.lowerBoundUsd).toBeLessThanOrEqual(r.monthlyUsd + 1e-6);
  });

  it('uses free units on running nodes before adding nodes, and shares node cost by units', () => {
    const r = placeModels(
      [
        request('a', { replicas: 2 }),
        request('b', { replicas: 2, gpusPerReplica: 2 }),
      ],
      [
        pool('running', {
          gpu: { product: 'L4', memoryMiB: 24 * GIB, perNode: 4 },
          freeUnits: 2,
          usdPerNodeHour: 4,
        }),
      ],
      { solve },
    );
    // 6 units: 2 free, one node added for 4 more.
    expect(r.nodes).toEqual([{ pool: 'gpupool:default/running', added: 1 }]);
    expect(r.decisions.map(d => Math.round(d.monthlyUsd))).toEqual([973, 1947]);
  });

  it('places higher priority first when capacity binds, and says what is left', () => {
    const r = placeModels(
      [
        request('low', { replicas: 2 }),
        request('high', { replicas: 2, priority: 10 }),
      ],
      [pool('small', { addableNodes: 3 })],
      { solve },
    );
    expect(r.decisions.map(d => [d.id, d.unplaced])).toEqual([
      ['low', 1],
      ['high', 0],
    ]);
    const g = placeModels(
      [
        request('low', { replicas: 2 }),
        request('high', { replicas: 2, priority: 10 }),
      ],
      [pool('small', { addableNodes: 3 })],
      { solve, exactMaxVariables: 0 },
    );
    expect(g.decisions.map(d => d.unplaced)).toEqual([1, 0]);
  });

  it('places MIG and time-sliced units by their share of a GPU', () => {
    const shared = pool('shared', {
      gpu: {
        product: 'A100',
        memoryMiB: 80 * GIB,
        perNode: 1,
        replicasPerGpu: 4,
      },
      usdPerNodeHour: 4,
    });
    const r = placeModels(
      [request('small', { replicas: 3, memoryMiB: 18 * GIB })],
      [shared, pool('l4', { usdPerNodeHour: 1.5 })],
      { solve },
    );
    // 3 slices of 20 GiB on one A100 ($4/h) beat 3 L4 nodes ($4.50/h).
    expect(r.nodes).toEqual([{ pool: 'gpupool:default/shared', added: 1 }]);
    const big = placeModels(
      [request('big', { memoryMiB: 30 * GIB })],
      [shared],
      { solve },
    );
    expect(big.decisions[0].rejected[0].code).toBe('gpu-memory');
  });

  it('falls back to the heuristic when the exact solver runs out of time', () => {
    const timedOut: HighsSolve = (lp, options) =>
      options?.time_limit !== undefined
        ? {
            Status: 'Time limit reached',
            ObjectiveValue: Infinity,
            Columns: {},
          }
        : solve(lp, options);
    const r = placeModels(
      [request('m', { replicas: 5 })],
      [
        pool('x4', {
          gpu: { product: 'L4', memoryMiB: 24 * GIB, perNode: 4 },
          usdPerNodeHour: 3.6,
        }),
        pool('x1', { usdPerNodeHour: 1 }),
      ],
      { solve: timedOut },
    );
    expect(r.method).toBe('heuristic');
    expect(r.decisions[0].unplaced).toBe(0);
    expect(r.monthlyUsd).toBeCloseTo(4.6 * 730);
    expect(r.lowerBoundUsd).toBeLessThanOrEqual(r.monthlyUsd + 1e-6);
  });

  it('keeps scarce capacity for the models that can only use it', () => {
    // The cheap T4 pool is the only one model 't4-only' may use; a heuristic
    // that fills it with the unconstrained model first leaves 't4-only'
    // unplaced. The LP-guided heuristic places both, as the exact solver does.
    const requests = [
      request('any', { replicas: 2, priority: 1 }),
      request('t4-only', { replicas: 2, allowedGpuTypes: ['T4'] }),
    ];
    const pools = [
      pool('t4', {
        gpu: { product: 'T4', memoryMiB: 16 * GIB, perNode: 1 },
        usdPerNodeHour: 0.5,
        addableNodes: 2,
      }),
      pool('l4', { usdPerNodeHour: 0.8 }),
    ];
    const exact = placeModels(requests, pools, { solve });
    const heuristic = placeModels(requests, pools, {
      solve,
      exactMaxVariables: 0,
    });
    expect(exact.decisions.map(d => d.unplaced)).toEqual([0, 0]);
    expect(heuristic.method).toBe('heuristic');
    expect(heuristic.decisions.map(d => d.unplaced)).toEqual([0, 0]);
    expect(heuristic.monthlyUsd).toBeCloseTo(exact.monthlyUsd);
    expect(heuristic.lowerBoundUsd).toBeLessThanOrEqual(
      exact.monthlyUsd + 1e-6,
    );
  });

  it('ruins and recreates nodes to place a higher-priority replica', () => {
    // The greedy order fills the cheap EU node with model 'eu-a' and leaves a
    // priority-1 replica of 'big' unplaced; emptying nodes and re-inserting
    // places it and leaves a priority-0 replica out instead, as the optimum.
    const requests = [
      request('big', { replicas: 3, gpusPerReplica: 2, priority: 1 }),
      request('eu-a', { regions: ['eu-west-1'] }),
      request('eu-b', { replicas: 3, regions: ['eu-west-1'] }),
    ];
    const quad = { product: 'L4', memoryMiB: 24 * GIB, perNode: 4 };
    const pools = [
      pool('eu4', {
        region: 'eu-west-1',
        gpu: quad,
        usdPerNodeHour: 2,
        addableNodes: 1,
      }),
      pool('eu1', {
        region: 'eu-west-1',
        usdPerNodeHour: 2.5,
        addableNodes: 1,
      }),
      pool('us4', { gpu: quad, usdPerNodeHour: 2.5, addableNodes: 1 }),
    ];
    const exact = placeModels(requests, pools, { solve });
    const search = placeModels(requests, pools, {
      solve,
      exactMaxVariables: 0,
      restrictedMaxVariables: 0,
    });
    expect(search.method).toBe('heuristic');
    expect(search.decisions[0].unplaced).toBe(0);
    expect(search.objective).toBeCloseTo(exact.objective!);
    expect(search.objectiveLowerBound).toBeLessThanOrEqual(
      exact.objective! + 1e-6,
    );
  });

  it('solves the program restricted to the pools the LP and the heuristic use', () => {
    // Three 1-GPU replicas: the local search opens two 2-GPU nodes
    // ($730/month) where one 4-GPU node at the same price holds all three;
    // the restricted program finds it ($365).
    const requests = [
      request('a', { priority: 1 }),
      request('b', { replicas: 2 }),
    ];
    const gpu = (perNode: number) => ({
      product: 'L4',
      memoryMiB: 24 * GIB,
      perNode,
    });
    const pools = [
      pool('p0', { gpu: gpu(2), usdPerNodeHour: 0.5, addableNodes: 2 }),
      pool('p1', { gpu: gpu(4), usdPerNodeHour: 4, addableNodes: 1 }),
      pool('p2', { gpu: gpu(1), usdPerNodeHour: 0.5, addableNodes: 1 }),
      pool('p3', { gpu: gpu(4), usdPerNodeHour: 0.5, addableNodes: 2 }),
    ];
    const exact = placeModels(requests, pools, { solve });
    const search = placeModels(requests, pools, {
      solve,
      exactMaxVariables: 0,
      restrictedMaxVariables: 0,
    });
    const heuristic = placeModels(requests, pools, {
      solve,
      exactMaxVariables: 0,
    });
    expect(exact.monthlyUsd).toBeCloseTo(365);
    expect(search.monthlyUsd).toBeGreaterThan(exact.monthlyUsd + 1);
    expect(heuristic.method).toBe('heuristic');
    expect(heuristic.monthlyUsd).toBeCloseTo(exact.monthlyUsd);
    expect(heuristic.objectiveLowerBound).toBeLessThanOrEqual(
      heuristic.objective! + 1e-6,
    );
  });

  it("charges the caller's price per unplaced replica in the objective", () => {
    // A node costs $730 a month: a replica is worth placing only when
    // leaving it unplaced costs more.
    const pools = [pool('l4', { addableNodes: 1 })];
    const requests = [request('m', { replicas: 2, priority: 3 })];
    for (const exactMaxVariables of [undefined, 0]) {
      const cheap = placeModels(requests, pools, {
        solve,
        exactMaxVariables,
        unplacedUsdPerReplica: 500,
      });
      expect(cheap.decisions[0].unplaced).toBe(2);
      expect(cheap.monthlyUsd).toBe(0);
      expect(cheap.objective).toBeCloseTo(1000);
      expect(cheap.objectiveLowerBound).toBeLessThanOrEqual(1000 + 1e-6);
      const dear = placeModels(requests, pools, {
        solve,
        exactMaxVariables,
        unplacedUsdPerReplica: 1000,
      });
      expect(dear.decisions[0].unplaced).toBe(1);
      expect(dear.objective).toBeCloseTo(730 + 1000);
      expect(dear.objectiveLowerBound).toBeGreaterThan(1000);
      expect(dear.objectiveLowerBound).toBeLessThanOrEqual(1730 + 1e-6);
    }
    // The default penalty places it at any price.
    expect(placeModels(requests, pools, { solve }).decisions[0].unplaced).toBe(
      1,
    );
    expect(() =>
      placeModels(requests, pools, { solve, unplacedUsdPerReplica: -1 }),
    ).toThrow(/^options\.unplacedUsdPerReplica must be a finite number/);
  });

  it('rejects bad requests naming the field', () => {
    expect(() =>
      placeModels([request('m', { replicas: -1 })], [], { solve }),
    ).toThrow(/^requests\[0\]\.replicas/);
    expect(() =>
      placeModels([request('m'), request('m')], [], { solve }),
    ).toThrow(/^requests\[1\]\.id 'm' appears twice/);
    expect(() =>
      placeModels([request('m', { gpusPerReplica: 0.5 })], [], { solve }),
    ).toThrow(/^requests\[0\]\.gpusPerReplica/);
  });
});
