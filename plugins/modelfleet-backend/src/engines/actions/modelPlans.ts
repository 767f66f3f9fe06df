import {
  ActionKind,
  ActionStep,
  AutoscalerRef,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-common';

/** A running model as the planner sees it. */
export interface ModelTarget {
  entityRef: string;
  workload: WorkloadRef;
  /** Its KEDA autoscaler, when it has one. */
  autoscaler?: AutoscalerRef & {
    /** `autoscaling.keda.sh/paused-replicas`, when paused. */
    pausedReplicas?: number;
    minReplicas: number;
    maxReplicas: number;
    /** Its scale-to-zero keep-alive now, in seconds. */
    keepAliveSeconds?: number;
  };
  replicas: { desired: number; ready: number };
  /**
   * Deployed with the sleep idle tier (vLLM sleep mode behind a wake
   * gate): how many of its Ready pods' engines sleep now.
   */
  engine?: { pods: number; sleeping: number };
}

/** What a person asked for. */
export type ModelRequest =
  | { kind: 'scale'; replicas: number }
  | { kind: 'hibernate' }
  | { kind: 'wake'; replicas?: number }
  | { kind: 'sleep' }
  | { kind: 'keepAlive'; seconds: number };

/** The steps of an action, or why the request makes no sense now. */
export type ModelPlan =
  | {
      ok: true;
      kind: ActionKind;
      cluster: string;
      steps: ActionStep[];
      summary: string;
    }
  | { ok: false; reason: string };

/** Most replicas a person may ask for from the Model page. */
export const MAX_MANUAL_REPLICAS = 64;

/** Longest keep-alive set on an autoscaler: a day. */
export const MAX_KEEP_ALIVE_SECONDS = 86_400;

/** How long a model may take to be ready: node provisioning plus weights loading. */
export const WAKE_TIMEOUT_SECONDS = 900;
/** How long pods may take to stop (their termination grace period). */
export const STOP_TIMEOUT_SECONDS = 300;

const label = (w: WorkloadRef) => `${w.kind} ${w.namespace}/${w.name}`;
const plural = (n: number) => `${n} replica${n === 1 ? '' : 's'}`;

/**
 * The steps that do what a person asked of a model (pure).
 *
 * - **Scale to n** sets the replicas; a KEDA autoscaler is paused at n
 *   first (`paused-replicas`), or it would undo the change.
 * - **Hibernate** goes to zero and leaves the model to wake on demand: a
 *   paused autoscaler is resumed (so the next request wakes the model), and
 *   the replicas are set to zero. Without an autoscaler nothing wakes it
 *   but **Wake**.
 * - **Wake** brings it to n replicas (its minimum, at least one) and pauses
 *   the autoscaler there, since KEDA would otherwise take an idle model
 *   straight back to zero; the next Hibernate hands it back to KEDA.
 *
 * Every step's undo restores what the cluster held just before it ran (the
 * runner reads those values then); waits have none.
 */
export function planModelAction(
  target: ModelTarget,
  request: ModelRequest,
): ModelPlan {
  const { workload, autoscaler, replicas } = target;
  const steps: ActionStep[] = [];
  const pause = (n: number | null, why: string): ActionStep => ({
    description: why,
    do: { op: 'pauseAutoscaler', autoscaler: strip(autoscaler!), replicas: n },
    undo: {
      op: 'pauseAutoscaler',
      autoscaler: strip(autoscaler!),
      replicas: autoscaler!.pausedReplicas ?? null,
    },
  });
  const scale = (n: number, autoscaled: boolean): ActionStep => ({
    description: `Scale ${label(workload)} to ${plural(n)}`,
    do: {
      op: 'scale',
      workload,
      replicas: n,
      ...(autoscaled ? { autoscaled: true } : {}),
    },
    // Undone only while the count is still this action's.
    undo: { op: 'scale', workload, replicas: replicas.desired, ifReplicas: n },
  });
  const wait = (
    n: number,
    timeoutSeconds: number,
    autoscaled = false,
  ): ActionStep => ({
    description:
      n === 0
        ? `Wait until ${label(workload)} has stopped`
        : `Wait until ${plural(n)} of ${label(workload)} ${
            n === 1 ? 'is' : 'are'
          } ready`,
    do: {
      op: 'waitReady',
      workload,
      replicas: n,
      timeoutSeconds,
      ...(autoscaled ? { autoscaled: true } : {}),
    },
  });

  const engineStep = (level: 1 | null): ActionStep => ({
    description:
      level === null
        ? `Wake the engine of ${label(workload)}`
        : `Put the engine of ${label(
            workload,
          )} to sleep (vLLM sleep mode, level ${level}: weights to host memory, GPU memory released)`,
    do: { op: 'sleepEngine', workload, level },
    // An engine woken is the safe state: a sleep is undone by a wake.
    ...(level === null
      ? {}
      : { undo: { op: 'sleepEngine', workload, level: null } }),
  });

  switch (request.kind) {
    case 'scale': {
      const n = request.replicas;
      if (!Number.isInteger(n) || n < 0 || n > MAX_MANUAL_REPLICAS) {
        return {
          ok: false,
          reason: `replicas: must be a whole number from 0 to ${MAX_MANUAL_REPLICAS}, got ${n}`,
        };
      }
      if (
        replicas.desired === n &&
        (!autoscaler || autoscaler.pausedReplicas === n)
      ) {
        return { ok: false, reason: `it already runs ${plural(n)}` };
      }
      if (autoscaler && autoscaler.pausedReplicas !== n) {
        steps.push(
          pause(
            n,
            `Pause the ${autoscaler.kind} ${autoscaler.name} at ${plural(
              n,
            )} so it keeps the count`,
          ),
        );
      }
      steps.push(
        scale(n, false),
        wait(n, n === 0 ? STOP_TIMEOUT_SECONDS : WAKE_TIMEOUT_SECONDS),
      );
      return {
        ok: true,
        kind: 'scale',
        cluster: workload.cluster,
        steps,
        summary: `scale from ${replicas.desired} to ${plural(n)}`,
      };
    }
    case 'hibernate': {
      const paused = autoscaler?.pausedReplicas !== undefined;
      if (replicas.desired === 0 && replicas.ready === 0 && !paused) {
        return { ok: false, reason: 'it is already at zero replicas' };
      }
      if (autoscaler && paused) {
        steps.push(
          pause(
            null,
            `Resume the ${autoscaler.kind} ${autoscaler.name} so the next request wakes the model`,
          ),
        );
      }
      steps.push(
        scale(0, Boolean(autoscaler)),
        wait(0, STOP_TIMEOUT_SECONDS, Boolean(autoscaler)),
      );
      return {
        ok: true,
        kind: 'hibernate',
        cluster: workload.cluster,
        steps,
        summary: autoscaler
          ? 'go to zero replicas; the next request wakes it'
          : 'go to zero replicas; it has no autoscaler, so only Wake brings it back',
      };
    }
    case 'wake': {
      const n = request.replicas ?? Math.max(1, autoscaler?.minReplicas ?? 1);
      if (!Number.isInteger(n) || n < 1 || n > MAX_MANUAL_REPLICAS) {
        return {
          ok: false,
          reason: `replicas: must be a whole number from 1 to ${MAX_MANUAL_REPLICAS}, got ${n}`,
        };
      }
      if (replicas.desired >= 1 && replicas.ready >= 1) {
        // A model of the sleep tier may be running with its engine asleep.
        if (target.engine && target.engine.sleeping > 0) {
          steps.push(engineStep(null));
          return {
            ok: true,
            kind: 'wake',
            cluster: workload.cluster,
            steps,
            summary: `wake the sleeping engine in ${plural(
              target.engine.sleeping,
            )}`,
          };
        }
        return { ok: false, reason: `it is awake (${replicas.ready} ready)` };
      }
      if (autoscaler) {
        steps.push(
          pause(
            n,
            `Hold the ${autoscaler.kind} ${autoscaler.name} at ${plural(
              n,
            )} (Hibernate hands the model back to it)`,
          ),
        );
      }
      steps.push(scale(n, false), wait(n, WAKE_TIMEOUT_SECONDS));
      return {
        ok: true,
        kind: 'wake',
        cluster: workload.cluster,
        steps,
        summary: `wake to ${plural(n)}`,
      };
    }
    case 'sleep': {
      if (!target.engine) {
        return {
          ok: false,
          reason:
            'it was not deployed with the sleep idle tier (vLLM sleep mode behind a wake gate)',
        };
      }
      if (replicas.ready === 0) {
        return { ok: false, reason: 'it has no ready replica to put to sleep' };
      }
      if (target.engine.sleeping >= target.engine.pods) {
        return { ok: false, reason: 'its engine is asleep' };
      }
      steps.push(engineStep(1));
      return {
        ok: true,
        kind: 'sleep',
        cluster: workload.cluster,
        steps,
        summary: `put the engine to sleep in ${plural(
          replicas.ready,
        )}; the next request wakes it in seconds`,
      };
    }
    case 'keepAlive': {
      const s = request.seconds;
      if (!autoscaler) {
        return { ok: false, reason: 'it has no autoscaler to keep it alive' };
      }
      if (!Number.isInteger(s) || s < 1 || s > MAX_KEEP_ALIVE_SECONDS) {
        return {
          ok: false,
          reason: `seconds: must be a whole number from 1 to ${MAX_KEEP_ALIVE_SECONDS}, got ${s}`,
        };
      }
      steps.push({
        description: `Set the keep-alive of the ${autoscaler.kind} ${autoscaler.name} to ${s} s`,
        do: { op: 'setKeepAlive', autoscaler: strip(autoscaler), seconds: s },
        // The runner reads the keep-alive there is just before the step.
        undo: { op: 'setKeepAlive', autoscaler: strip(autoscaler), seconds: s },
      });
      return {
        ok: true,
        kind: 'keepAlive',
        cluster: workload.cluster,
        steps,
        summary: `keep warm ${s} s after the last request`,
      };
    }
    default:
      return { ok: false, reason: 'unknown request' };
  }
}

/** An autoscaler's reference alone, without what was read of it. */
export function strip(a: AutoscalerRef): AutoscalerRef {
  return {
    cluster: a.cluster,
    namespace: a.namespace,
    kind: a.kind,
    name: a.name,
  };
}
