/*
 * The operations of `runOperation` on nodes and node pools: cordon, one
 * pass of a drain, and a pool's minimum size on its cloud.
 */
import { ActionOperation } from '@modelfleet/plugin-modelfleet-common';
import {
  ActuatorError,
  ClusterActuator,
} from '@modelfleet/plugin-modelfleet-node';
import type { OperationOutcome } from './operations';

/** The operations of {@link runOperation} on nodes. */
export type CordonOp = Extract<ActionOperation, { op: 'cordon' }>;
export type DrainOp = Extract<ActionOperation, { op: 'drain' }>;

const cannot = (actuator: ClusterActuator, what: string) =>
  new ActuatorError(
    'invalid',
    `the ${actuator.id} actuator cannot ${what} nodes`,
    false,
  );

const isNotFound = (e: unknown) =>
  (e as { name?: string; code?: string } | undefined)?.name ===
    'ActuatorError' && (e as ActuatorError).code === 'notFound';

/** Cordon or uncordon; a node gone from the cluster needs neither. */
export async function cordon(
  actuator: ClusterActuator,
  op: CordonOp,
  options: { actionStep: string },
): Promise<OperationOutcome> {
  if (!actuator.cordon) throw cannot(actuator, 'cordon');
  const verb = op.unschedulable ? 'cordoned' : 'uncordoned';
  try {
    const { previous } = await actuator.cordon(
      { cluster: op.cluster, name: op.node },
      op.unschedulable,
      options,
    );
    return {
      status: 'done',
      message:
        previous === op.unschedulable
          ? `node ${op.node} was ${verb} already`
          : `${verb} node ${op.node}`,
    };
  } catch (e) {
    if (!isNotFound(e)) throw e;
    return {
      status: 'done',
      message: `node ${op.node} is no longer in cluster ${op.cluster}`,
    };
  }
}

/**
 * One pass of a drain: pending while model pods are left on the node (a
 * PodDisruptionBudget held some, or evicted ones still terminate).
 */
export async function drain(
  actuator: ClusterActuator,
  op: DrainOp,
  options: { actionStep: string },
): Promise<OperationOutcome> {
  if (!actuator.drain) throw cannot(actuator, 'drain');
  let pass;
  try {
    pass = await actuator.drain(
      { cluster: op.cluster, name: op.node },
      options,
    );
  } catch (e) {
    if (!isNotFound(e)) throw e;
    return {
      status: 'done',
      message: `node ${op.node} is no longer in cluster ${op.cluster}`,
    };
  }
  if (pass.remaining === 0) {
    return {
      status: 'done',
      message: `node ${op.node} runs no model pod${
        pass.evicted.length ? ` (evicted ${pass.evicted.join(', ')})` : ''
      }`,
    };
  }
  const words = [
    pass.evicted.length ? `evicted ${pass.evicted.join(', ')}` : '',
    ...pass.blocked.map(b => `${b.pod} held: ${b.reason}`),
  ].filter(Boolean);
  return {
    status: 'pending',
    timeoutSeconds: op.timeoutSeconds,
    message: `draining node ${op.node}: ${pass.remaining} model pod(s) left${
      words.length ? `; ${words.join('; ')}` : ''
    }`,
  };
}

type PoolMinimumOp = Extract<ActionOperation, { op: 'setPoolMinimum' }>;

/** A pool's minimum size, through the node-pool API that manages its cluster. */
export async function setPoolMinimum(
  actuator: ClusterActuator,
  op: PoolMinimumOp,
  options: { actionStep: string },
): Promise<OperationOutcome> {
  if (!actuator.setPoolMinimum) {
    throw new ActuatorError(
      'invalid',
      `no node-pool API manages cluster ${op.cluster}: ModelFleet cannot change the size of its pool ${op.pool}`,
      false,
    );
  }
  const { previous } = await actuator.setPoolMinimum(
    { cluster: op.cluster, pool: op.pool },
    op.min,
    options,
  );
  return {
    status: 'done',
    message:
      previous.min === op.min
        ? `the minimum size of pool ${op.pool} was ${op.min} already`
        : `set the minimum size of pool ${op.pool} from ${previous.min} to ${op.min} (maximum ${previous.max})`,
  };
}
