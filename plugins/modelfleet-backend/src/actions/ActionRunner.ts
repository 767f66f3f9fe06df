import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { ActionEvent, ActionStep } from '@modelfleet/plugin-modelfleet-common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ActionStore, progressOf, StoredAction } from '../database/ActionStore';
import {
  ActionInput,
  RetryPolicy,
  transition,
} from '../engines/actions/stateMachine';
import { auditTransition } from './audit';
import { captureUndo, clusterOf, failureOf, runOperation } from './operations';
import { verifySteps } from './verify';
import { ActuatorDirectory } from './types';

/** Options of an {@link ActionRunner}. */
export interface ActionRunnerOptions {
  store: ActionStore;
  actuators: ActuatorDirectory;
  retry: RetryPolicy;
  /** How long a claim lasts unless renewed. */
  leaseMs: number;
  /** Time between two looks for runnable actions. */
  pollMs: number;
  /** Actions driven at once (each on its own cluster calls). Defaults to 4. */
  concurrency?: number;
  /** This replica's name in leases and events. */
  owner?: string;
  auditor?: AuditorService;
  logger: LoggerService;
  now?: () => Date;
}

const isFinal = (s: string) =>
  ['done', 'rolledBack', 'failed', 'cancelled'].includes(s);

/**
 * Runs stored actions on this backend replica. Every replica runs one; they
 * share the work through the database: a replica claims an action with a
 * conditional update and a lease, renews the lease with every step it
 * records, and releases it when the action waits (a backoff, a readiness
 * poll). A replica that dies leaves its action to another once the lease
 * runs out; that one resumes at the recorded step, which is idempotent.
 */
export class ActionRunner {
  readonly owner: string;
  private timer?: NodeJS.Timeout;
  private looking?: Promise<unknown>;
  private readonly inFlight = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(private readonly options: ActionRunnerOptions) {
    this.owner =
      options.owner ?? `replica:${hostname()}-${randomUUID().slice(0, 8)}`;
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /**
   * Starts the loop: a look for runnable actions every `pollMs`, whether or
   * not the actions in hand are done (a slow cluster holds only its own).
   */
  start(): void {
    this.stopping = false;
    const tick = () => {
      if (this.stopping) return;
      this.looking = this.claimRunnable()
        .then(() => undefined)
        .catch(e =>
          this.options.logger.warn(`The action loop failed, retrying: ${e}`),
        )
        .finally(() => {
          if (!this.stopping) {
            this.timer = setTimeout(tick, this.options.pollMs);
          }
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops the loop after the steps in hand; leases left run out. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.looking;
    await Promise.all(this.inFlight.values());
  }

  /**
   * One look, waiting for the actions it took up: claims the runnable
   * actions (one per model at a time) and drives each as far as it goes
   * without waiting. Returns how many it drove.
   */
  async runOnce(): Promise<number> {
    const driving = await this.claimRunnable();
    await Promise.all(driving);
    return driving.length;
  }

  /** Claims runnable actions up to the free places, and starts driving them. */
  private async claimRunnable(): Promise<Array<Promise<void>>> {
    const { store } = this.options;
    const free = (this.options.concurrency ?? 4) - this.inFlight.size;
    if (free <= 0) return [];
    const runnable = (await store.runnable(this.now(), 50)).filter(
      a => !this.inFlight.has(a.id),
    );
    if (!runnable.length) return [];
    const busy = await store.busyEntities();
    const driving: Array<Promise<void>> = [];
    const taken = new Set<string>();
    for (const action of runnable) {
      if (driving.length >= free || this.stopping) break;
      // One action at a time per model: a planned one waits while another
      // of its model is being applied.
      if (action.state === 'planned' && busy.has(action.entityRef)) continue;
      if (taken.has(action.entityRef)) continue;
      const claimed = await store.claim(
        action,
        this.owner,
        this.now(),
        this.options.leaseMs,
      );
      if (!claimed) continue;
      taken.add(action.entityRef);
      busy.add(action.entityRef);
      const done = this.drive(claimed)
        .catch(e => {
          // Only a database failure gets here; the lease runs out and the
          // action is resumed.
          this.options.logger.warn(`Action ${action.id} stopped: ${e}`);
        })
        .finally(() => this.inFlight.delete(action.id));
      this.inFlight.set(action.id, done);
      driving.push(done);
    }
    return driving;
  }

  /** Moves a claimed action until it ends, waits, or is lost to another replica. */
  private async drive(claimed: StoredAction): Promise<void> {
    const { store, leaseMs, retry } = this.options;
    let action: StoredAction | undefined = claimed;
    while (action && !isFinal(action.state)) {
      const now = this.now();
      const progress = progressOf(action);
      if (
        this.stopping ||
        (progress.nextAttemptAt &&
          Date.parse(progress.nextAttemptAt) > now.getTime())
      ) {
        await store.advance(action, { progress, lease: null, now });
        return;
      }
      const current: StoredAction = action;
      const { input, steps } = await this.withLease(current, () =>
        this.work(current),
      );
      if (steps) {
        // The undo's values, stored before the step runs for the first time.
        const version = await store.advance(action, {
          progress,
          steps,
          lease: {
            owner: this.owner,
            expiresAt: new Date(now.getTime() + leaseMs),
          },
          now,
        });
        if (version === undefined) {
          this.lost(action);
          return;
        }
        action = await store.get(action.id);
        continue;
      }
      const at = this.now();
      const t = transition(progress, input!, at, retry);
      const waits =
        isFinal(t.next.state) ||
        (t.next.nextAttemptAt !== undefined &&
          Date.parse(t.next.nextAttemptAt) > at.getTime());
      const event: ActionEvent | undefined = t.event && {
        ...t.event,
        at: at.toISOString(),
        actor: this.owner,
      };
      const version = await store.advance(action, {
        progress: t.next,
        event,
        lease: waits
          ? null
          : { owner: this.owner, expiresAt: new Date(at.getTime() + leaseMs) },
        now: at,
      });
      if (version === undefined) {
        this.lost(action);
        return;
      }
      if (event) await auditTransition(this.options.auditor, action, event);
      if (waits) return;
      action = await store.get(action.id);
      if (action?.leaseOwner !== this.owner) return;
    }
  }

  /**
   * Runs `fn` while renewing the lease every third of its length: a cluster
   * call may take longer than the lease (slow API servers, timeouts), and
   * another replica must not take the action over meanwhile.
   */
  private async withLease<T>(
    action: StoredAction,
    fn: () => Promise<T>,
  ): Promise<T> {
    const { store, leaseMs } = this.options;
    const beat = setInterval(() => {
      store
        .renewLease(
          action,
          this.owner,
          new Date(this.now().getTime() + leaseMs),
        )
        .catch(e =>
          this.options.logger.warn(
            `Lease of action ${action.id} not renewed: ${e}`,
          ),
        );
    }, Math.max(500, Math.floor(leaseMs / 3)));
    try {
      return await fn();
    } finally {
      clearInterval(beat);
    }
  }

  private lost(action: StoredAction) {
    this.options.logger.info(
      `Action ${action.id} was moved by another replica; leaving it`,
    );
  }

  /** What the action's current state calls for, done: the input it makes. */
  private async work(
    action: StoredAction,
  ): Promise<{ input?: ActionInput; steps?: ActionStep[] }> {
    const key = action.idempotencyKey;
    switch (action.state) {
      case 'planned':
        return { input: { type: 'start' } };
      case 'applying': {
        const step = action.steps[action.stepIndex];
        try {
          const actuator = await this.options.actuators.forCluster(
            clusterOf(step.do),
          );
          if (step.undo && !step.captured) {
            const steps = [...action.steps];
            steps[action.stepIndex] = await captureUndo(actuator, step);
            return { steps };
          }
          const outcome = await runOperation(
            actuator,
            step.do,
            `${key}#${action.stepIndex}`,
          );
          return {
            input:
              outcome.status === 'done'
                ? { type: 'stepSucceeded', message: outcome.message }
                : {
                    type: 'stepPending',
                    timeoutSeconds: outcome.timeoutSeconds,
                    message: outcome.message,
                  },
          };
        } catch (e) {
          return { input: { type: 'stepFailed', ...failureOf(e) } };
        }
      }
      case 'verifying': {
        try {
          const clusters = [...new Set(action.steps.map(s => clusterOf(s.do)))];
          const problems: string[] = [];
          for (const cluster of clusters) {
            const actuator = await this.options.actuators.forCluster(cluster);
            const problem = await verifySteps(
              actuator,
              action.steps.filter(s => clusterOf(s.do) === cluster),
            );
            if (problem) problems.push(problem);
          }
          return {
            input: problems.length
              ? {
                  type: 'verifyFailed',
                  error: `the cluster does not hold what was applied: ${problems.join(
                    '; ',
                  )}`,
                  retryable: true,
                }
              : { type: 'verified' },
          };
        } catch (e) {
          return { input: { type: 'verifyFailed', ...failureOf(e) } };
        }
      }
      case 'rollingBack': {
        const step = action.steps[action.stepIndex];
        if (!step.undo) {
          return {
            input: {
              type: 'undoSucceeded',
              message: `step ${action.stepIndex + 1} needs no undo`,
            },
          };
        }
        if (!step.captured) {
          return {
            input: {
              type: 'undoSucceeded',
              message: `step ${
                action.stepIndex + 1
              } never ran, nothing to undo`,
            },
          };
        }
        try {
          const actuator = await this.options.actuators.forCluster(
            clusterOf(step.undo),
          );
          const outcome = await runOperation(
            actuator,
            step.undo,
            `${key}#${action.stepIndex}:undo`,
          );
          return {
            input: {
              type: 'undoSucceeded',
              message: `undid step ${action.stepIndex + 1}: ${outcome.message}`,
            },
          };
        } catch (e) {
          return { input: { type: 'undoFailed', ...failureOf(e) } };
        }
      }
      default:
        throw new Error(`action ${action.id} is ${action.state}`);
    }
  }
}
