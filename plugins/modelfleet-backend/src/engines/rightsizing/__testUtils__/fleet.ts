import { FleetNode, FleetPod } from '../types';

/** A node of a test fleet: one of pool `t4`'s, four T4 units at $1 an hour, unless overridden. */
export const testNode = (
  id: string,
  over: Partial<FleetNode> = {},
): FleetNode => ({
  id,
  pool: 't4',
  gpu: 'T4',
  units: 4,
  unitMemoryMiB: 4096,
  usdPerHour: 1,
  ...over,
});

/** A pod of a test fleet on node `on`: one unit, 4 GiB, team `a`, priority 0, unless overridden. */
export const testPod = (
  id: string,
  on: string,
  over: Partial<FleetPod> = {},
): FleetPod => ({
  id,
  model: `model-${id}`,
  team: 'a',
  node: on,
  units: 1,
  memoryMiB: 4096,
  priority: 0,
  ...over,
});
