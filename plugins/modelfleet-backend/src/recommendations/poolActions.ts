import { ConflictError } from '@backstage/errors';
import { GpuPoolStatus } from '@modelfleet/plugin-modelfleet-common';
import { ActionService } from '../actions/ActionService';
import { poolRefOf } from './gather';

/** The states of an action still in flight. */
export const ACTIVE_STATES = [
  'planned',
  'applying',
  'verifying',
  'rollingBack',
] as const;

/**
 * A ConflictError when an action on the pool is in flight: one action per
 * pool at a time (a consolidation, a lowered minimum).
 */
export async function refuseWhilePoolBusy(
  actions: Pick<ActionService, 'list'>,
  poolRef: string,
): Promise<void> {
  const [active] = await actions.list({
    entityRef: poolRef,
    states: [...ACTIVE_STATES],
    limit: 1,
  });
  if (active) {
    throw new ConflictError(
      `Another action on this pool (${active.kind}) is ${active.state}; approve, cancel or wait for it first`,
    );
  }
}

/** The pool of a ref as the cluster sync last saw it, or a ConflictError. */
export function poolOf(pools: GpuPoolStatus[], poolRef: string): GpuPoolStatus {
  const pool = pools.find(p => poolRefOf(p) === poolRef);
  if (!pool) {
    throw new ConflictError(
      `Not now: the cluster sync no longer reports the pool ${poolRef}`,
    );
  }
  return pool;
}
