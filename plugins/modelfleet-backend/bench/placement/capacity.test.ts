import { PlacementPool, PlacementRequest } from '../../src/engines/placement';
import { dealCapacity } from './capacity';
import { rng } from './workload';

const pool = (
  ref: string,
  product: string,
  memoryGiB: number,
  capacityType: 'on-demand' | 'spot',
): PlacementPool => ({
  ref,
  provider: 'aws',
  region: 'us-east-1',
  capacityType,
  gpu: { product, memoryMiB: memoryGiB * 1024, perNode: 1, replicasPerGpu: 4 },
  usdPerNodeHour: 1,
  freeUnits: 0,
  addableNodes: 0,
});
const request = (
  spot: 'allow' | 'forbid',
  memoryGiB = 4,
): PlacementRequest => ({
  id: `r-${spot}-${memoryGiB}`,
  replicas: 10,
  gpusPerReplica: 4,
  memoryMiB: memoryGiB * 1024,
  spot,
});

describe('dealCapacity', () => {
  const base = [
    pool('t4-od', 'T4', 16, 'on-demand'),
    pool('t4-spot', 'T4', 16, 'spot'),
    pool('k80-od', 'K80', 12, 'on-demand'),
    pool('h100-od', 'H100', 80, 'on-demand'),
  ];

  it('deals only to pools that can take the work, spot by its share of the demand', () => {
    // 10 GPUs may not use spot, 10 may; replicas need 13 GiB: a K80 is too small.
    const c = dealCapacity(
      base,
      [request('forbid', 13), request('allow', 13)],
      new Map([
        ['T4', 100],
        ['K80', 50],
        ['P100', 10],
        ['G2', 5],
      ]),
      1.5,
      rng(1),
    );
    const nodes = Object.fromEntries(c.pools.map(p => [p.ref, p.addableNodes]));
    expect(nodes).toEqual({
      't4-od': 15,
      't4-spot': 15,
      'k80-od': 0,
      'h100-od': 0,
    });
    expect(c.gpus).toBe(30);
    expect(c.demandGpus).toBe(20);
    expect(c.onDemandOnlyGpus).toBe(10);
    expect(c.onDemandGpus).toBe(15);
    expect(c.unused.map(u => [u.name, u.why])).toEqual([
      ['K80', 'no K80 pool can take any replica of the scenario'],
      ['P100', 'the catalog has no P100 pool'],
      ['G2', 'unknown GPU (not in the table, not a catalog GPU)'],
    ]);
  });

  it('gives spot pools nothing when no replica may use spot', () => {
    const c = dealCapacity(
      base,
      [request('forbid')],
      new Map([['T4', 8]]),
      2,
      rng(1),
    );
    expect(c.pools.map(p => p.addableNodes)).toEqual([20, 0, 0, 0]);
  });
});
