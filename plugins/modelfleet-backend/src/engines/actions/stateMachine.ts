import {
  ActionEvent,
  ActionState,
  FINAL_ACTION_STATES,
} from '@modelfleet/plugin-modelfleet-common';

/** Where an action stands: the fields the state machine reads and writes. */
export interface ActionProgress {
  state: ActionState;
  /** Step being applied or rolled back; -1 before the first. */
  stepIndex: number;
  stepCount: number;
  /** Failed tries of the current step (or of the verification). */
  attempts: number;
  /** True while it waits for approval. */
  dryRun: boolean;
  approvedBy?: string;
  /** ISO time the current step was first tried. */
  stepStartedAt?: string;
  lastError?: string;
  /** ISO time before which the action is not run again. */
  nextAttemptAt?: string;
  finishedAt?: string;
}

/** How failed tries are retried. */
export interface RetryPolicy {
  /** Tries of one step (or of the verification or one undo) before giving up. */
  maxAttempts: number;
  /** Wait after the first failure; doubled after each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Wait between two looks at a step that waits (e.g. for readiness). */
  pollMs: number;
}

/** What happened to an action. */
export type ActionInput =
  | { type: 'approve'; by: string }
  | { type: 'cancel'; by: string }
  | { type: 'start' }
  | { type: 'stepSucceeded'; message?: string }
  /** A step that waits (for readiness) is not there yet. */
  | { type: 'stepPending'; timeoutSeconds: number; message: string }
  | { type: 'stepFailed'; error: string; retryable: boolean }
  | { type: 'verified' }
  | { type: 'verifyFailed'; error: string; retryable: boolean }
  | { type: 'undoSucceeded'; message?: string }
  | { type: 'undoFailed'; error: string; retryable: boolean };

/** The transition's record, without actor and time (the caller adds them). */
export type TransitionEvent = Omit<ActionEvent, 'at' | 'actor'>;

/** The next progress, and the event to record (none for a wait that goes on). */
export interface Transition {
  next: ActionProgress;
  event?: TransitionEvent;
}

/** An input the action's state does not accept. */
export class InvalidTransitionError extends Error {
  readonly name = 'InvalidTransitionError';
}

const isFinal = (state: ActionState) => FINAL_ACTION_STATES.includes(state);

/** The wait after the `attempts`-th failure (1-based). */
export function backoffMs(attempts: number, policy: RetryPolicy): number {
  return Math.min(
    policy.maxDelayMs,
    policy.baseDelayMs * 2 ** Math.max(0, attempts - 1),
  );
}

const at = (now: Date, ms: number) =>
  new Date(now.getTime() + ms).toISOString();

/**
 * The action's state machine: a pure function of where the action stands,
 * what happened and the time.
 *
 * `planned → applying(0..n-1) → verifying → done`; a step or verification
 * that fails for good starts `rollingBack` from the step that failed (or the
 * last step) down to the first, ending `rolledBack`, or `failed` when an
 * undo fails for good. Retryable failures stay where they are, with a
 * backoff, until `maxAttempts`. A dry-run action stays `planned` until
 * approved; only a planned action can be cancelled.
 */
export function transition(
  p: ActionProgress,
  input: ActionInput,
  now: Date,
  policy: RetryPolicy,
): Transition {
  const refuse = (): never => {
    throw new InvalidTransitionError(
      `an action that is ${describeState(p)} cannot take '${input.type}'`,
    );
  };
  const nowIso = now.toISOString();
  const fresh = {
    attempts: 0,
    lastError: undefined,
    nextAttemptAt: undefined,
  };

  switch (input.type) {
    case 'approve': {
      if (p.state !== 'planned' || !p.dryRun) refuse();
      return {
        next: { ...p, dryRun: false, approvedBy: input.by },
        event: {
          from: 'planned',
          to: 'planned',
          outcome: 'info',
          message: `approved by ${input.by}`,
        },
      };
    }
    case 'cancel': {
      if (p.state !== 'planned') refuse();
      return {
        next: { ...p, state: 'cancelled', finishedAt: nowIso },
        event: {
          from: 'planned',
          to: 'cancelled',
          outcome: 'info',
          message: `cancelled by ${input.by}`,
        },
      };
    }
    case 'start': {
      if (p.state !== 'planned' || p.dryRun) refuse();
      if (p.stepCount === 0) {
        return {
          next: { ...p, ...fresh, state: 'verifying', stepIndex: -1 },
          event: {
            from: 'planned',
            to: 'verifying',
            outcome: 'info',
            message: 'nothing to apply',
          },
        };
      }
      return {
        next: {
          ...p,
          ...fresh,
          state: 'applying',
          stepIndex: 0,
          stepStartedAt: nowIso,
        },
        event: {
          from: 'planned',
          to: 'applying',
          step: 0,
          outcome: 'info',
          message: `applying step 1 of ${p.stepCount}`,
        },
      };
    }
    case 'stepSucceeded': {
      if (p.state !== 'applying') refuse();
      const last = p.stepIndex >= p.stepCount - 1;
      return {
        next: {
          ...p,
          ...fresh,
          state: last ? 'verifying' : 'applying',
          stepIndex: last ? p.stepIndex : p.stepIndex + 1,
          stepStartedAt: last ? undefined : nowIso,
        },
        event: {
          from: 'applying',
          to: last ? 'verifying' : 'applying',
          step: p.stepIndex,
          outcome: 'succeeded',
          message:
            input.message ?? `step ${p.stepIndex + 1} of ${p.stepCount} done`,
        },
      };
    }
    case 'stepPending': {
      if (p.state !== 'applying') refuse();
      const started = p.stepStartedAt
        ? Date.parse(p.stepStartedAt)
        : now.getTime();
      if (now.getTime() - started > input.timeoutSeconds * 1000) {
        return transition(
          p,
          {
            type: 'stepFailed',
            retryable: false,
            error: `timed out after ${input.timeoutSeconds} s: ${input.message}`,
          },
          now,
          policy,
        );
      }
      return {
        next: { ...p, nextAttemptAt: at(now, policy.pollMs) },
      };
    }
    case 'stepFailed':
    case 'verifyFailed': {
      const expected = input.type === 'stepFailed' ? 'applying' : 'verifying';
      if (p.state !== expected) refuse();
      const attempts = p.attempts + 1;
      if (input.retryable && attempts < policy.maxAttempts) {
        return {
          next: {
            ...p,
            attempts,
            lastError: input.error,
            nextAttemptAt: at(now, backoffMs(attempts, policy)),
          },
          event: {
            from: p.state,
            to: p.state,
            ...(p.state === 'applying' ? { step: p.stepIndex } : {}),
            outcome: 'retrying',
            message: `try ${attempts} of ${policy.maxAttempts} failed, retrying: ${input.error}`,
          },
        };
      }
      const from = p.state === 'applying' ? p.stepIndex : p.stepCount - 1;
      if (from < 0) {
        return {
          next: {
            ...p,
            ...fresh,
            lastError: input.error,
            state: 'rolledBack',
            finishedAt: nowIso,
          },
          event: {
            from: p.state,
            to: 'rolledBack',
            outcome: 'failed',
            message: `verification failed, nothing to roll back: ${input.error}`,
          },
        };
      }
      return {
        next: {
          ...p,
          ...fresh,
          lastError: input.error,
          state: 'rollingBack',
          stepIndex: from,
          stepStartedAt: nowIso,
        },
        event: {
          from: p.state,
          to: 'rollingBack',
          ...(p.state === 'applying' ? { step: p.stepIndex } : {}),
          outcome: 'failed',
          message: `${
            p.state === 'applying'
              ? `step ${p.stepIndex + 1} of ${p.stepCount}`
              : 'verification'
          } failed${
            input.retryable ? ` after ${attempts} tries` : ''
          }, rolling back: ${input.error}`,
        },
      };
    }
    case 'verified': {
      if (p.state !== 'verifying') refuse();
      return {
        next: { ...p, ...fresh, state: 'done', finishedAt: nowIso },
        event: {
          from: 'verifying',
          to: 'done',
          outcome: 'succeeded',
          message: 'applied and verified',
        },
      };
    }
    case 'undoSucceeded': {
      if (p.state !== 'rollingBack') refuse();
      const last = p.stepIndex <= 0;
      return {
        next: {
          ...p,
          attempts: 0,
          nextAttemptAt: undefined,
          state: last ? 'rolledBack' : 'rollingBack',
          stepIndex: last ? p.stepIndex : p.stepIndex - 1,
          finishedAt: last ? nowIso : undefined,
        },
        event: {
          from: 'rollingBack',
          to: last ? 'rolledBack' : 'rollingBack',
          step: p.stepIndex,
          outcome: 'succeeded',
          message:
            input.message ?? `step ${p.stepIndex + 1} of ${p.stepCount} undone`,
        },
      };
    }
    case 'undoFailed': {
      if (p.state !== 'rollingBack') refuse();
      const attempts = p.attempts + 1;
      if (input.retryable && attempts < policy.maxAttempts) {
        return {
          next: {
            ...p,
            attempts,
            nextAttemptAt: at(now, backoffMs(attempts, policy)),
          },
          event: {
            from: 'rollingBack',
            to: 'rollingBack',
            step: p.stepIndex,
            outcome: 'retrying',
            message: `undo try ${attempts} of ${policy.maxAttempts} failed, retrying: ${input.error}`,
          },
        };
      }
      return {
        next: {
          ...p,
          attempts,
          state: 'failed',
          nextAttemptAt: undefined,
          finishedAt: nowIso,
          lastError: `${
            p.lastError ? `${p.lastError}; ` : ''
          }rollback of step ${p.stepIndex + 1} failed: ${input.error}`,
        },
        event: {
          from: 'rollingBack',
          to: 'failed',
          step: p.stepIndex,
          outcome: 'failed',
          message: `undo of step ${
            p.stepIndex + 1
          } failed, the action needs a person: ${input.error}`,
        },
      };
    }
    default:
      return refuse();
  }
}

/** The state in words, e.g. `applying step 2 of 3`. */
export function describeState(p: ActionProgress): string {
  switch (p.state) {
    case 'applying':
      return `applying step ${p.stepIndex + 1} of ${p.stepCount}`;
    case 'rollingBack':
      return `rolling back step ${p.stepIndex + 1} of ${p.stepCount}`;
    case 'planned':
      return p.dryRun ? 'planned, waiting for approval' : 'planned';
    default:
      return p.state;
  }
}

/** True when a runner should work on the action at `now`. */
export function isRunnable(p: ActionProgress, now: Date): boolean {
  if (isFinal(p.state)) return false;
  if (p.state === 'planned' && p.dryRun) return false;
  return !p.nextAttemptAt || Date.parse(p.nextAttemptAt) <= now.getTime();
}
