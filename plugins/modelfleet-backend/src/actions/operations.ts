import {
  ActionOperation,
  ActionStep,
  AutoscalerRef,
} from '@modelfleet/plugin-modelfleet-common';
import {
  ActuatorError,
  ClusterActuator,
} from '@modelfleet/plugin-modelfleet-node';
import { PAUSED_REPLICAS } from '../engines/actions/diff';
import { cordon, drain, setPoolMinimum } from './nodeOperations';

/** What running one operation came to. */
export type OperationOutcome =
  | { status: 'done'; message: string }
  | { status: 'pending'; timeoutSeconds: number; message: string };

const autoscalerApi = (a: AutoscalerRef) =>
  a.kind === 'ScaledObject' ? 'keda.sh/v1alpha1' : 'http.keda.sh/v1alpha1';

const keepAliveField = (a: AutoscalerRef) =>
  a.kind === 'ScaledObject' ? 'cooldownPeriod' : 'scaledownPeriod';

/** The cluster an operation changes. */
export function clusterOf(op: ActionOperation): string {
  switch (op.op) {
    case 'apply':
    case 'remove':
    case 'cordon':
    case 'drain':
    case 'setPoolMinimum':
      return op.cluster;
    case 'scale':
    case 'waitReady':
    case 'sleepEngine':
      return op.workload.cluster;
    default:
      return op.autoscaler.cluster;
  }
}

const name = (r: { namespace: string; name: string; kind: string }) =>
  `${r.kind} ${r.namespace}/${r.name}`;

/**
 * Runs one operation through the actuator. Each is idempotent: running it
 * again after a crash leaves the cluster as running it once.
 */
export async function runOperation(
  actuator: ClusterActuator,
  op: ActionOperation,
  actionStep: string,
): Promise<OperationOutcome> {
  const options = { actionStep };
  switch (op.op) {
    case 'apply': {
      const applied = await actuator.apply(op.cluster, op.objects, options);
      return {
        status: 'done',
        message: `applied ${applied
          .map(
            o => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`,
          )
          .join(', ')}`,
      };
    }
    case 'remove': {
      if (!actuator.remove) {
        throw new ActuatorError(
          'invalid',
          `the ${actuator.id} actuator cannot delete objects`,
          false,
        );
      }
      const { existed } = await actuator.remove(op.cluster, op.object, options);
      return {
        status: 'done',
        message: existed
          ? `deleted ${name(op.object)}`
          : `${name(op.object)} was already gone`,
      };
    }
    case 'scale': {
      if (op.ifReplicas !== undefined) {
        const now = (await actuator.readiness(op.workload)).desired;
        if (now !== op.ifReplicas) {
          return {
            status: 'done',
            message: `left ${name(
              op.workload,
            )} at ${now} replicas: it was changed from ${
              op.ifReplicas
            } by someone else since, and their count stands`,
          };
        }
      }
      const { previous } = await actuator.scale(
        op.workload,
        op.replicas,
        options,
      );
      return {
        status: 'done',
        message: `scaled ${name(op.workload)} from ${previous} to ${
          op.replicas
        } replicas`,
      };
    }
    case 'pauseAutoscaler': {
      await actuator.pauseAutoscaler(op.autoscaler, op.replicas, options);
      return {
        status: 'done',
        message:
          op.replicas === null
            ? `resumed ${name(op.autoscaler)}`
            : `paused ${name(op.autoscaler)} at ${op.replicas} replicas`,
      };
    }
    case 'setKeepAlive': {
      await actuator.setKeepAlive(op.autoscaler, op.seconds, options);
      return {
        status: 'done',
        message: `set the keep-alive of ${name(op.autoscaler)} to ${
          op.seconds
        } s`,
      };
    }
    case 'sleepEngine': {
      if (!actuator.setEngineSleep) {
        throw new ActuatorError(
          'invalid',
          `the ${actuator.id} actuator cannot put engines to sleep`,
          false,
        );
      }
      const { previous } = await actuator.setEngineSleep(
        op.workload,
        op.level,
        options,
      );
      const were = previous.pods.filter(p => p.sleeping).length;
      return {
        status: 'done',
        message: `${
          op.level === null ? 'woke' : `put to sleep (level ${op.level})`
        } the engine of ${name(op.workload)} in ${
          previous.pods.length
        } pod(s); ${were} were asleep`,
      };
    }
    case 'cordon':
      return cordon(actuator, op, options);
    case 'setPoolMinimum':
      return setPoolMinimum(actuator, op, options);
    case 'drain':
      return drain(actuator, op, options);
    case 'waitReady': {
      const r = await actuator.readiness(op.workload);
      if (r.desired !== op.replicas) {
        // Someone else changed the count: the wait would never be met.
        if (op.autoscaled) {
          return {
            status: 'done',
            message: `${name(op.workload)}: its autoscaler has taken it to ${
              r.desired
            } replicas`,
          };
        }
        throw new ActuatorError(
          'conflict',
          `${name(op.workload)} was scaled to ${
            r.desired
          } replicas by someone else while ModelFleet waited for ${
            op.replicas
          } to be ready`,
          false,
        );
      }
      // Ready on the latest template, and no pod of an older one left (a
      // rolling update counts the old pods as ready until they are gone).
      const there =
        r.observed &&
        r.desired === op.replicas &&
        r.ready === op.replicas &&
        (op.replicas === 0 || r.updated >= op.replicas) &&
        (r.total === undefined || r.total <= op.replicas);
      const status = `${r.ready} of ${op.replicas} replicas ready (desired ${r.desired})`;
      return there
        ? { status: 'done', message: `${name(op.workload)}: ${status}` }
        : {
            status: 'pending',
            timeoutSeconds: op.timeoutSeconds,
            message: `waiting for ${name(op.workload)}: ${status}`,
          };
    }
    default:
      throw new ActuatorError(
        'invalid',
        `unknown operation '${(op as { op: string }).op}'`,
        false,
      );
  }
}

/**
 * The step with its undo set to the values the cluster holds now, read
 * just before the step first runs: the replicas a scale replaces, the
 * paused count, the keep-alive. Steps whose undo needs no reading (apply,
 * waits) come back as they are.
 */
export async function captureUndo(
  actuator: ClusterActuator,
  step: ActionStep,
): Promise<ActionStep> {
  const op = step.do;
  switch (op.op) {
    case 'scale': {
      const r = await actuator.readiness(op.workload);
      return {
        ...step,
        captured: true,
        undo: {
          op: 'scale',
          workload: op.workload,
          replicas: r.desired,
          ifReplicas: op.replicas,
        },
      };
    }
    case 'pauseAutoscaler':
    case 'setKeepAlive': {
      const current = await actuator.get(op.autoscaler.cluster, {
        apiVersion: autoscalerApi(op.autoscaler),
        kind: op.autoscaler.kind,
        namespace: op.autoscaler.namespace,
        name: op.autoscaler.name,
      });
      if (!current) {
        throw new ActuatorError(
          'notFound',
          `${name(op.autoscaler)} does not exist on cluster ${
            op.autoscaler.cluster
          }`,
          false,
          404,
        );
      }
      if (op.op === 'pauseAutoscaler') {
        const paused = current.metadata.annotations?.[PAUSED_REPLICAS];
        const n = paused === undefined ? null : Number(paused);
        return {
          ...step,
          captured: true,
          undo: {
            op: 'pauseAutoscaler',
            autoscaler: op.autoscaler,
            replicas: n === null || !Number.isFinite(n) ? null : n,
          },
        };
      }
      const seconds = (current.spec as Record<string, unknown> | undefined)?.[
        keepAliveField(op.autoscaler)
      ];
      // Unset means KEDA's default of 300 s for both kinds.
      return {
        ...step,
        captured: true,
        undo: {
          op: 'setKeepAlive',
          autoscaler: op.autoscaler,
          seconds: typeof seconds === 'number' ? seconds : 300,
        },
      };
    }
    case 'setPoolMinimum': {
      if (!actuator.poolSize) return { ...step, captured: true };
      const size = await actuator.poolSize({
        cluster: op.cluster,
        pool: op.pool,
      });
      return { ...step, captured: true, undo: { ...op, min: size.min } };
    }
    case 'cordon': {
      // A node cordoned before the action stays cordoned after its undo.
      const node = await actuator.get(op.cluster, {
        apiVersion: 'v1',
        kind: 'Node',
        name: op.node,
      });
      const before =
        (node?.spec as { unschedulable?: boolean } | undefined)
          ?.unschedulable === true;
      return {
        ...step,
        captured: true,
        undo: { ...op, unschedulable: before },
      };
    }
    default:
      return { ...step, captured: true };
  }
}

/** A failure in the terms the state machine takes. */
export function failureOf(error: unknown): {
  error: string;
  retryable: boolean;
} {
  // By name too: a module may bundle its own copy of the class.
  if (
    error instanceof ActuatorError ||
    (error as { name?: string } | undefined)?.name === 'ActuatorError'
  ) {
    const e = error as ActuatorError;
    return { error: e.message, retryable: Boolean(e.retryable) };
  }
  const message = error instanceof Error ? error.message : String(error);
  // Anything else (a connection dropped inside a client, a bug) may pass.
  return { error: message, retryable: true };
}
