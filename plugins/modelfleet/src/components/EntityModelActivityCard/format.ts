import {
  ActionState,
  FINAL_ACTION_STATES,
  ModelFleetAction,
} from '@modelfleet/plugin-modelfleet-common';

/** Whether an action can still change. */
export function isActive(action: Pick<ModelFleetAction, 'state'>): boolean {
  return !FINAL_ACTION_STATES.includes(action.state);
}

/** A state in plain lowercase words, e.g. `rolling back`. */
export function stateWord(state: ActionState): string {
  switch (state) {
    case 'rollingBack':
      return 'rolling back';
    case 'rolledBack':
      return 'rolled back';
    default:
      return state;
  }
}

/** The label of an action's state chip, e.g. `Applying step 2 of 3`. */
export function stateLabel(
  action: Pick<ModelFleetAction, 'state' | 'stepIndex' | 'steps' | 'dryRun'>,
): string {
  const of = `step ${action.stepIndex + 1} of ${action.steps.length}`;
  switch (action.state) {
    case 'planned':
      return action.dryRun ? 'Planned, needs approval' : 'Planned';
    case 'applying':
      return `Applying ${of}`;
    case 'rollingBack':
      return `Rolling back ${of}`;
    default: {
      const word = stateWord(action.state);
      return word.charAt(0).toLocaleUpperCase('en-US') + word.slice(1);
    }
  }
}

/** The colour family of a state chip. */
export type StateTone = 'info' | 'progress' | 'success' | 'warning' | 'error';

export function stateTone(state: ActionState): StateTone | undefined {
  switch (state) {
    case 'planned':
      return 'info';
    case 'applying':
    case 'verifying':
      return 'progress';
    case 'done':
      return 'success';
    case 'rollingBack':
    case 'rolledBack':
      return 'warning';
    case 'failed':
      return 'error';
    default:
      return undefined;
  }
}

/**
 * What an action does, e.g. `Scale to 3 replicas`, or `Empty nodes n1, n2`
 * for a consolidation.
 */
export function actionTitle(
  action: Pick<
    ModelFleetAction,
    'kind' | 'steps' | 'fallback' | 'consolidation'
  >,
): string {
  switch (action.kind) {
    case 'scale': {
      const op = action.steps.map(s => s.do).find(o => o.op === 'scale');
      if (op?.op !== 'scale') return 'Scale';
      return `Scale to ${op.replicas} ${
        op.replicas === 1 ? 'replica' : 'replicas'
      }`;
    }
    case 'hibernate':
      return 'Hibernate';
    case 'wake':
      return action.steps.some(s => s.do.op === 'sleepEngine')
        ? 'Wake the engine'
        : 'Wake';
    case 'sleep':
      return 'Sleep (vLLM sleep mode)';
    case 'deploy':
      return 'Deploy';
    case 'keepAlive': {
      const op = action.steps.map(s => s.do).find(o => o.op === 'setKeepAlive');
      if (op?.op !== 'setKeepAlive') return 'Set keep-alive';
      return `Set keep-alive to ${
        op.seconds % 60 === 0 ? `${op.seconds / 60} min` : `${op.seconds} s`
      }`;
    }
    case 'migrate': {
      const pool = action.steps
        .flatMap(s => (s.do.op === 'apply' ? s.do.objects : []))
        .find(o => o.kind === 'Deployment')?.metadata.annotations?.[
        'modelfleet.io/pool'
      ];
      return pool
        ? `Move to ${pool.replace(/^gpupool:default\//, '')}`
        : 'Move';
    }
    case 'spot-fallback': {
      const d = action.fallback;
      if (!d) return 'Spot fallback';
      const to = `${d.replicas.to} ${
        d.replicas.to === 1 ? 'replica' : 'replicas'
      }`;
      return d.direction === 'fallback'
        ? `Spot fallback: on-demand stand-in to ${to}`
        : `Return to spot: on-demand stand-in to ${to}`;
    }
    case 'poolMinimum': {
      const m = action.consolidation?.minimum;
      return m
        ? `Lower the pool's minimum from ${m.from} to ${m.to}`
        : "Lower the pool's minimum";
    }
    case 'consolidate': {
      // The nodes it cordons are those it empties.
      const nodes = [
        ...new Set(
          action.steps.flatMap(s =>
            s.do.op === 'cordon' && s.do.unschedulable ? [s.do.node] : [],
          ),
        ),
      ];
      if (!nodes.length) return 'Empty nodes';
      return `Empty ${nodes.length === 1 ? 'node' : 'nodes'} ${nodes.join(
        ', ',
      )}`;
    }
    default:
      return String(action.kind);
  }
}

/**
 * Who asked, for people: `jane` for `user:default/jane`, `the hibernation
 * policy` for `policy:hibernation`, `ModelFleet (replica r1)` for
 * `replica:r1`; anything else as it is.
 */
export function formatActor(actor: string): string {
  const match = /^([^:]+):(?:([^/]+)\/)?(.+)$/.exec(actor);
  if (!match) return actor;
  const [, kind, namespace, name] = match;
  switch (kind.toLocaleLowerCase('en-US')) {
    case 'user':
    case 'group':
      return !namespace || namespace === 'default'
        ? name
        : `${namespace}/${name}`;
    case 'policy':
      return `the ${name} policy`;
    case 'replica':
      return `ModelFleet (replica ${name})`;
    default:
      return actor;
  }
}

/** How far along a step is. */
export type StepStatus =
  | 'done'
  | 'current'
  | 'pending'
  | 'rolledBack'
  | 'undoFailed'
  | 'notRun';

export const STEP_STATUS_LABELS: Record<StepStatus, string> = {
  done: 'done',
  current: 'current',
  pending: 'pending',
  rolledBack: 'rolled back',
  undoFailed: 'undo failed',
  notRun: 'not run',
};

/**
 * The last step a rollback undoes: the step that failed, or the last step
 * when the verification failed (as the event that started the rollback
 * says; the last step when there is no such event).
 */
function rollbackStart(action: ModelFleetAction): number {
  const last = action.steps.length - 1;
  const start = (action.events ?? []).find(
    e => e.to === 'rollingBack' && e.from !== 'rollingBack',
  );
  if (start?.from === 'applying' && start.step !== undefined) {
    return Math.min(start.step, last);
  }
  return last;
}

/**
 * The status of each step of an action, from its state and `stepIndex`:
 * steps run forwards, a rollback undoes them backwards from the step that
 * failed, and `failed` means the undo of `stepIndex` failed.
 */
export function stepStatuses(action: ModelFleetAction): StepStatus[] {
  const at = action.stepIndex;
  const all = (status: StepStatus) => action.steps.map(() => status);
  switch (action.state) {
    case 'planned':
      return all('pending');
    case 'cancelled':
      return all('notRun');
    case 'verifying':
    case 'done':
      return all('done');
    case 'applying':
      return action.steps.map((_, i) => {
        if (i < at) return 'done';
        return i === at ? 'current' : 'pending';
      });
    case 'rollingBack':
    case 'rolledBack':
    case 'failed': {
      const start = rollbackStart(action);
      // A finished rollback undid every step up to where it started.
      const undoneAbove = action.state === 'rolledBack' ? -1 : at;
      return action.steps.map((_, i) => {
        if (i > start) return 'notRun';
        if (i > undoneAbove) return 'rolledBack';
        if (i < at) return 'done';
        return action.state === 'failed' ? 'undoFailed' : 'current';
      });
    }
    default:
      return all('pending');
  }
}

/** A field's value in a diff: `(not set)` for none, text as is, else JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '(not set)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** An ISO time relative to `now`, e.g. `2 min ago` or `in 30 s`. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const seconds = Math.round((time - now) / 1000);
  const size = Math.abs(seconds);
  if (size < 5) return 'just now';
  let amount: string;
  if (size < 60) amount = `${size} s`;
  else if (size < 3600) amount = `${Math.round(size / 60)} min`;
  else if (size < 86_400) amount = `${Math.round(size / 3600)} h`;
  else {
    const days = Math.round(size / 86_400);
    amount = `${days} ${days === 1 ? 'day' : 'days'}`;
  }
  return seconds < 0 ? `${amount} ago` : `in ${amount}`;
}

/** The backend's message of a failed request, else the error's. */
export function errorMessage(error: Error): string {
  const body = (error as { body?: { error?: { message?: unknown } } }).body;
  const message = body?.error?.message;
  return typeof message === 'string' ? message : error.message;
}

/** The HTTP status of a failed request, when it has one. */
export function statusOf(error: Error | undefined): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
