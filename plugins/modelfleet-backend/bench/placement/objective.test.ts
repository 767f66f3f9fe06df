import { PlacementPool, PlacementRequest } from '../../src/engines/placement';
import { eligibility, ffd } from './methods';
import { belowOptimum, score, solveProgram, unplacedCharge } from './objective';

let solve: Parameters<typeof solveProgram>[0];
beforeAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const highs = await require('highs')();
  solve = (lp, options) => highs.solve(lp, options);
});

const pool = (
  ref: string,
  over: Partial<PlacementPool> = {},
): PlacementPool => ({
  ref,
  provider: 'aws',
  region: 'us-east-1',
  capacityType: 'on-demand',
  gpu: { product: 'T4', memoryMiB: 16384, perNode: 1, replicasPerGpu: 4 },
  usdPerNodeHour: 1,
  freeUnits: 0,
  addableNodes: 2,
  ...over,
});
const request = (
  id: string,
  over: Partial<PlacementRequest> = {},
): PlacementRequest => ({
  id,
  replicas: 1,
  gpusPerReplica: 4,
  memoryMiB: 1024,
  spot: 'allow',
  ...over,
});

describe('the placement objective', () => {
  // Node-hours: $1 (4 units) and $3 (4 units, but only 1 node).
  const pools = [
    pool('cheap', { addableNodes: 1 }),
    pool('dear', { usdPerNodeHour: 3, addableNodes: 1 }),
    pool('empty', { usdPerNodeHour: 100, addableNodes: 0 }),
  ];
  const requests = [request('a', { replicas: 3, gpusPerReplica: 2 })];
  const eligible = eligibility(requests, pools);

  it('charges the dearest node with capacity per unplaced replica', () => {
    expect(unplacedCharge(pools)).toBe(3 * 730);
  });

  it('scores cost plus the charge, and refuses an infeasible plan', () => {
    const plan = { added: [1, 0, 0], x: [new Map([[0, 2]])] };
    expect(score('m', plan, requests, pools, eligible, 1000)).toEqual({
      cost: 730,
      unplaced: 1,
      charge: 1000,
      total: 1730,
      nodes: 1,
      poolsFull: 1,
    });
    expect(() =>
      score(
        'm',
        { added: [1, 0, 0], x: [new Map([[0, 3]])] },
        requests,
        pools,
        eligible,
        1,
      ),
    ).toThrow('m: cheap has more units placed than nodes');
    expect(() =>
      score(
        'm',
        { added: [2, 0, 0], x: [new Map()] },
        requests,
        pools,
        eligible,
        1,
      ),
    ).toThrow('m: cheap over its capacity');
    expect(() =>
      score(
        'm',
        { added: [0, 0, 1], x: [new Map([[2, 1]])] },
        requests,
        pools,
        eligible,
        1,
      ),
    ).toThrow(/ineligible empty|over its capacity/);
  });

  it('solves exactly the objective it scores, above the LP bound', () => {
    for (const charge of [500, 5000]) {
      const exact = solveProgram(
        solve,
        requests,
        pools,
        eligible,
        charge,
        true,
        10,
      );
      const lp = solveProgram(
        solve,
        requests,
        pools,
        eligible,
        charge,
        false,
        10,
      );
      const s = score('exact', exact.plan!, requests, pools, eligible, charge);
      expect(exact.status).toBe('Optimal');
      expect(s.total).toBeCloseTo(exact.objective, 6);
      expect(lp.objective).toBeLessThanOrEqual(s.total + 1e-6);
      // At $500 two replicas share the $730 node and the third is left
      // (the dear node costs $2,190); at $5,000 all are placed.
      expect(s.unplaced).toBe(charge === 500 ? 1 : 0);
      expect(s.cost).toBe(charge === 500 ? 730 : 730 + 3 * 730);
      const f = score(
        'ffd',
        ffd(requests, pools, eligible, 'unit'),
        requests,
        pools,
        eligible,
        charge,
      );
      expect(f.total).toBeGreaterThanOrEqual(s.total - 1e-6);
      expect(belowOptimum(s.total, { ffd: f, exact: s })).toEqual([]);
      expect(
        belowOptimum(s.total, { odd: { ...f, total: s.total - 1 } }),
      ).toEqual(['odd']);
    }
  });
});
