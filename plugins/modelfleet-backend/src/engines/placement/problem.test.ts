import { rejectionOf } from './eligibility';
import { HighsSolve, placeModels } from './place';
import { disaggregate, prepare } from './problem';
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
  testPool(ref, {
    gpu: { product: 'L4', memoryMiB: 24 * GIB, perNode: 4 },
    ...over,
  });
const request = (id: string, over: Partial<PlacementRequest> = {}) =>
  testRequest(id, { replicas: 2, ...over });

const pools = [
  pool('l4'),
  pool('t4', { gpu: { product: 'T4', memoryMiB: 16 * GIB, perNode: 1 } }),
  pool('eu', { region: 'eu-west-1' }),
  pool('spot', { capacityType: 'spot' }),
  pool('full', { addableNodes: 0 }),
];

describe('prepare', () => {
  it('groups replicas of one shape, eligibility and charge into a class', () => {
    const requests = [
      request('a'),
      // Other memory, same pools: the same class.
      request('b', { memoryMiB: 8 * GIB, replicas: 3 }),
      request('c', { spot: 'forbid' }),
      request('d', { gpusPerReplica: 2 }),
      request('e', { priority: 1 }),
      request('none', { replicas: 0 }),
    ];
    const pb = prepare(requests, pools);
    expect(
      pb.core.classes.map(c => [c.members, c.units, c.demand, c.priority]),
    ).toEqual([
      [[0, 1], 1, 5, 0],
      [[2], 1, 2, 0],
      [[3], 2, 2, 0],
      [[4], 1, 2, 1],
    ]);
    // Only the pools some class may use; 'full' has no capacity.
    expect(pb.core.pools.map(p => pools[p.index].ref.split('/')[1])).toEqual([
      'l4',
      't4',
      'eu',
      'spot',
    ]);
    // A class's replicas split onto its members in order.
    const x = pb.core.classes.map(() => pb.core.pools.map(() => 0));
    x[0][0] = 1;
    x[0][1] = 3;
    const split = disaggregate(pb, { x, added: [1, 3, 0, 0] });
    expect(split.x[0]).toEqual(
      new Map([
        [0, 1],
        [1, 1],
      ]),
    );
    expect(split.x[1]).toEqual(new Map([[1, 2]]));
    expect(split.added).toEqual([1, 3, 0, 0, 0]);
  });

  it('gives the reasons of rejectionOf, read when asked for, kept through a copy', () => {
    const requests = [
      request('a', { allowedGpuTypes: ['L4'], spot: 'forbid' }),
      request('b', { allowedGpuTypes: ['L4'], spot: 'forbid' }),
    ];
    const r = placeModels(requests, pools, { solve });
    const expected = pools.flatMap(p => rejectionOf(requests[0], p) ?? []);
    expect(expected.map(x => x.code)).toEqual([
      'gpu-type',
      'spot-forbidden',
      'no-capacity',
    ]);
    expect(r.decisions[1].rejected).toEqual(expected);
    expect(structuredClone(r).decisions[0].rejected).toEqual(expected);
    expect(JSON.parse(JSON.stringify(r)).decisions[0].rejected).toEqual(
      expected,
    );
    expect({ ...r.decisions[0] }.rejected).toEqual(expected);
    r.decisions[0].rejected = [];
    expect(r.decisions[0].rejected).toEqual([]);
  });

  it.each([
    'exactMaxVariables',
    'searchIterations',
    'targetGap',
    'timeLimitSeconds',
    'restrictedTimeLimitSeconds',
  ])('rejects a bad options.%s naming the field', key => {
    expect(() =>
      placeModels([request('m')], pools, { solve, [key]: -1 }),
    ).toThrow(new RegExp(`^options\\.${key} must be a number`));
  });

  it('rejects a bad priority naming the field', () => {
    expect(() =>
      placeModels([request('m', { priority: NaN })], pools, { solve }),
    ).toThrow(/^requests\[0\]\.priority must be a finite number/);
  });
});
