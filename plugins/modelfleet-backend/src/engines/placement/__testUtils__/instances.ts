import type { HighsSolve } from '../place';
import type { PlacementPool, PlacementRequest } from '../types';

/** MiB in a GiB. */
export const GIB = 1024;

/** HiGHS, loaded once per test file (call it in `beforeAll`). */
export async function loadHighs(): Promise<HighsSolve> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const highs = await require('highs')();
  return (lp, options) => highs.solve(lp, options);
}

/** A pool of the tests: on-demand L4 nodes on AWS, none free, ten to add. */
export const testPool = (
  ref: string,
  over: Partial<PlacementPool> = {},
): PlacementPool => ({
  ref: `gpupool:default/${ref}`,
  provider: 'aws',
  region: 'us-east-1',
  capacityType: 'on-demand',
  gpu: { product: 'L4', memoryMiB: 24 * GIB, perNode: 1 },
  usdPerNodeHour: 1,
  freeUnits: 0,
  addableNodes: 10,
  ...over,
});

/** A request of the tests: one replica of one GPU and 16 GiB, spot allowed. */
export const testRequest = (
  id: string,
  over: Partial<PlacementRequest> = {},
): PlacementRequest => ({
  id,
  replicas: 1,
  gpusPerReplica: 1,
  memoryMiB: 16 * GIB,
  spot: 'allow',
  ...over,
});
