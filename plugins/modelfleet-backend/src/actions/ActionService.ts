import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ActionKind,
  ActionEvent,
  ActionState,
  ObjectDiff,
} from '@modelfleet/plugin-modelfleet-common';
import { ActionStore, progressOf, StoredAction } from '../database/ActionStore';
import { diffStep, targetsOf } from '../engines/actions/diff';
import {
  ActionInput,
  InvalidTransitionError,
  RetryPolicy,
  transition,
} from '../engines/actions/stateMachine';
import { auditTransition } from './audit';
import { clusterOf } from './operations';
import { ActionRequest, ActionRequester, ActuatorDirectory } from './types';

/**
 * Where decisions become stored actions, and where people approve and
 * cancel them. Running them is the {@link ActionRunner}'s work.
 */
export class ActionService implements ActionRequester {
  constructor(
    private readonly options: {
      store: ActionStore;
      actuators: ActuatorDirectory;
      retry: RetryPolicy;
      auditor?: AuditorService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /**
   * Stores a planned action with the diff of what it would change, or
   * returns the one stored under the same idempotency key. An action that
   * is not dry-run is left for a runner; a dry-run one waits for approval.
   */
  async request(
    request: ActionRequest,
  ): Promise<{ action: StoredAction; created: boolean }> {
    const existing = await this.options.store.byKey(request.idempotencyKey);
    if (existing) return { action: existing, created: false };
    const diff = await this.diffOf(request);
    const at = this.now().toISOString();
    const event = {
      at,
      actor: request.requestedBy,
      outcome: 'info' as const,
      message: `${
        request.dryRun ? 'planned, waiting for approval' : 'planned'
      }: ${request.reason}`,
    };
    const result = await this.options.store.create(
      { ...request, ...(diff ? { diff } : {}) },
      event,
    );
    if (result.created) {
      await auditTransition(this.options.auditor, result.action, {
        ...event,
        from: null,
        to: 'planned',
      });
    }
    return result;
  }

  /** What each step would change, from the objects as they are now. */
  private async diffOf(
    request: ActionRequest,
  ): Promise<ObjectDiff[] | undefined> {
    try {
      const out: ObjectDiff[] = [];
      for (const [i, step] of request.steps.entries()) {
        if (step.do.op === 'waitReady') continue;
        const cluster = clusterOf(step.do);
        const actuator = await this.options.actuators.forCluster(cluster);
        const current = await Promise.all(
          targetsOf(step.do).map(t => actuator.get(cluster, t)),
        );
        out.push(...diffStep(i, cluster, step.do, current));
      }
      return out;
    } catch (e) {
      // The action is still worth storing: its runner retries the cluster.
      this.options.logger.warn(
        `The diff of action ${request.idempotencyKey} could not be read: ${e}`,
      );
      return undefined;
    }
  }

  /** The action stored under an idempotency key, with its events. */
  async byKey(idempotencyKey: string): Promise<StoredAction | undefined> {
    const action = await this.options.store.byKey(idempotencyKey);
    return action ? this.get(action.id) : undefined;
  }

  async get(id: string): Promise<StoredAction | undefined> {
    const [action] = await this.options.store.list({
      ids: [id],
      withEvents: true,
    });
    return action;
  }

  list(filter: {
    entityRef?: string;
    states?: ActionState[];
    kinds?: ActionKind[];
    limit?: number;
  }): Promise<StoredAction[]> {
    return this.options.store.list({ ...filter, withEvents: true });
  }

  /** Lets a dry-run action run. */
  approve(id: string, by: string): Promise<StoredAction> {
    return this.apply(id, { type: 'approve', by }, by);
  }

  /** Cancels an action that has not started. */
  cancel(id: string, by: string): Promise<StoredAction> {
    return this.apply(id, { type: 'cancel', by }, by);
  }

  private async apply(
    id: string,
    input: ActionInput,
    actor: string,
  ): Promise<StoredAction> {
    // A runner may move the action between the read and the write: read
    // again and decide again (a few times) rather than fail the person.
    for (let attempt = 0; attempt < 5; attempt++) {
      const action = await this.options.store.get(id);
      if (!action) throw new NotFoundError(`no action with id '${id}'`);
      const now = this.now();
      let t;
      try {
        t = transition(progressOf(action), input, now, this.options.retry);
      } catch (e) {
        if (e instanceof InvalidTransitionError) {
          throw new ConflictError(`action ${id}: ${e.message}`);
        }
        throw e;
      }
      const event: ActionEvent | undefined = t.event && {
        ...t.event,
        at: now.toISOString(),
        actor,
      };
      const version = await this.options.store.advance(action, {
        progress: t.next,
        event,
        now,
      });
      if (version !== undefined) {
        if (event) await auditTransition(this.options.auditor, action, event);
        return (await this.get(id))!;
      }
    }
    throw new ConflictError(
      `action ${id} is changing too often to ${input.type} it; try again`,
    );
  }
}
