/*
 * The engine groups interchangeable replicas into classes (one integer
 * variable per class and pool). On seeded random instances, its exact
 * solve must reach the optimum of the program written per request
 * (objective.ts, which knows nothing of classes), its heuristic must never
 * score below it, and its bound (the LP relaxation solved over groups of
 * pools the same classes may use) must be that program's LP optimum.
 */
import fc from 'fast-check';
import {
  placeModels,
  PlacementPool,
  PlacementRequest,
} from '../../src/engines/placement';
import { eligibility, planOf } from './methods';
import { score, solveProgram } from './objective';

let solve: Parameters<typeof solveProgram>[0];
beforeAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const highs = await require('highs')();
  solve = (lp, options) => highs.solve(lp, options);
});

const poolArb = fc.record({
  product: fc.constantFrom('T4', 'L4'),
  region: fc.constantFrom('us-east-1', 'eu-west-1'),
  spot: fc.boolean(),
  perNode: fc.constantFrom(1, 2, 4),
  slices: fc.constantFrom(1, 2),
  halfDollars: fc.integer({ min: 1, max: 16 }),
  freeUnits: fc.integer({ min: 0, max: 3 }),
  addableNodes: fc.integer({ min: 0, max: 3 }),
});

// Few distinct shapes, so that requests often share a class.
const requestArb = fc.record({
  replicas: fc.integer({ min: 0, max: 5 }),
  gpusPerReplica: fc.constantFrom(1, 2, 4),
  allowed: fc.constantFrom(undefined, ['T4'], ['L4']),
  spot: fc.constantFrom<PlacementRequest['spot']>('allow', 'forbid'),
  eu: fc.boolean(),
  priority: fc.constantFrom(0, 1),
});

const instanceArb = fc.record({
  pools: fc.array(poolArb, { minLength: 1, maxLength: 5 }),
  requests: fc.array(requestArb, { minLength: 1, maxLength: 7 }),
  charge: fc.integer({ min: 100, max: 6000 }),
});

type Instance = typeof instanceArb extends fc.Arbitrary<infer T> ? T : never;

function build(x: Instance) {
  const pools: PlacementPool[] = x.pools.map((p, j) => ({
    ref: `gpupool:default/p${j}`,
    provider: 'aws',
    region: p.region,
    capacityType: p.spot ? 'spot' : 'on-demand',
    gpu: {
      product: p.product,
      memoryMiB: 16384,
      perNode: p.perNode,
      replicasPerGpu: p.slices,
    },
    usdPerNodeHour: p.halfDollars / 2,
    freeUnits: p.freeUnits,
    addableNodes: p.addableNodes,
  }));
  const requests: PlacementRequest[] = x.requests.map((r, i) => ({
    id: `m${i}`,
    replicas: r.replicas,
    gpusPerReplica: r.gpusPerReplica,
    memoryMiB: 1024,
    ...(r.allowed ? { allowedGpuTypes: r.allowed } : {}),
    spot: r.spot,
    ...(r.eu ? { regions: ['eu-west-1'] } : {}),
    priority: r.priority,
  }));
  return { pools, requests, eligible: eligibility(requests, pools) };
}

const close = (a: number, b: number) =>
  Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

describe('replica classes', () => {
  it('keep the optimum of the program written per request', () => {
    fc.assert(
      fc.property(instanceArb, x => {
        const { pools, requests, eligible } = build(x);
        const optimum = solveProgram(
          solve,
          requests,
          pools,
          eligible,
          x.charge,
          true,
          30,
        );
        expect(optimum.status).toBe('Optimal');
        const options = { solve, unplacedUsdPerReplica: x.charge };
        const exact = placeModels(requests, pools, options);
        expect(exact.method).toBe('exact');
        // `score` checks the split onto requests: eligible pools only,
        // within the nodes added and each request's replicas.
        const s = score(
          'engine',
          planOf(exact, pools),
          requests,
          pools,
          eligible,
          x.charge,
        );
        expect(close(s.total, optimum.objective)).toBe(true);
        expect(close(exact.objective!, s.total)).toBe(true);

        const heuristic = placeModels(requests, pools, {
          ...options,
          exactMaxVariables: 0,
        });
        expect(heuristic.method).toBe('heuristic');
        const h = score(
          'heuristic',
          planOf(heuristic, pools),
          requests,
          pools,
          eligible,
          x.charge,
        );
        expect(close(heuristic.objective!, h.total)).toBe(true);
        expect(h.total).toBeGreaterThanOrEqual(optimum.objective - 1e-6);
        expect(heuristic.objectiveLowerBound!).toBeLessThanOrEqual(
          optimum.objective + 1e-6,
        );
        // The LP over groups of pools has the per-request LP's optimum.
        const lp = solveProgram(
          solve,
          requests,
          pools,
          eligible,
          x.charge,
          false,
          30,
        );
        expect(close(heuristic.objectiveLowerBound!, lp.objective)).toBe(true);
      }),
      { numRuns: 60, seed: 15 },
    );
  });

  it('place each request in full before the next of its class, in order', () => {
    const { pools, requests } = build({
      pools: [
        {
          product: 'L4',
          region: 'us-east-1',
          spot: false,
          perNode: 4,
          slices: 1,
          halfDollars: 2,
          freeUnits: 0,
          addableNodes: 1,
        },
      ],
      requests: [3, 3].map(replicas => ({
        replicas,
        gpusPerReplica: 1,
        allowed: undefined,
        spot: 'allow' as const,
        eu: false,
        priority: 0,
      })),
      charge: 5000,
    });
    const r = placeModels(requests, pools, { solve, exactMaxVariables: 0 });
    // One class of 6 replicas, 4 places: the first request gets its 3.
    expect(r.decisions.map(d => [d.id, d.unplaced])).toEqual([
      ['m0', 0],
      ['m1', 2],
    ]);
  });
});
