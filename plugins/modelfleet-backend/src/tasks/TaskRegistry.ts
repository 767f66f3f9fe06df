import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { TaskStatus } from '@modelfleet/plugin-modelfleet-common';
import { ModelFleetStore } from '../database/ModelFleetStore';
import { describeSchedule } from './describeSchedule';

/**
 * A background loop of the ModelFleet backend. `run` returns a one-line
 * account of what it did; a thrown error marks the run failed.
 *
 * @internal
 */
export interface ModelFleetTask {
  id: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
  run(options: {
    logger: LoggerService;
    signal?: AbortSignal;
  }): Promise<string>;
}

/**
 * Schedules ModelFleet loops on the Backstage scheduler with
 * `scope: 'global'` (one run across all backend replicas) and records every
 * run in the store.
 *
 * @internal
 */
export class TaskRegistry {
  readonly #tasks: ModelFleetTask[] = [];

  constructor(
    private readonly options: {
      scheduler: SchedulerService;
      store: ModelFleetStore;
      logger: LoggerService;
      clock?: () => Date;
    },
  ) {}

  async schedule(task: ModelFleetTask): Promise<void> {
    const { scheduler } = this.options;
    this.#tasks.push(task);
    await scheduler.scheduleTask({
      id: task.id,
      ...task.schedule,
      scope: 'global',
      fn: async (signal?: AbortSignal) => {
        await this.runOnce(task, signal);
      },
    });
  }

  /** Runs a task now and records the run; rethrows its error. */
  async runOnce(task: ModelFleetTask, signal?: AbortSignal): Promise<void> {
    const { store, logger } = this.options;
    const now = this.options.clock ?? (() => new Date());
    const taskLogger = logger.child({ task: task.id });
    const runId = await store.startTaskRun(task.id, now());
    try {
      const detail = await task.run({ logger: taskLogger, signal });
      await store.finishTaskRun(runId, {
        status: 'succeeded',
        detail,
        at: now(),
      });
      taskLogger.info(`${task.id}: ${detail}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await store.finishTaskRun(runId, {
        status: 'failed',
        detail: message,
        at: now(),
      });
      taskLogger.error(`${task.id} failed: ${message}`);
      throw error;
    }
  }

  /** Whether a loop of this registry has the id. */
  has(id: string): boolean {
    return this.#tasks.some(t => t.id === id);
  }

  /**
   * Asks the scheduler to run a loop now, on whichever replica claims it
   * (its next scheduled run is not moved). Throws Backstage's
   * ConflictError when it is running already.
   */
  async trigger(id: string): Promise<void> {
    await this.options.scheduler.triggerTask(id);
  }

  async status(): Promise<TaskStatus[]> {
    const latest = await this.options.store.latestTaskRuns();
    return this.#tasks.map(task => ({
      id: task.id,
      schedule: describeSchedule(task.schedule),
      scope: 'global' as const,
      lastRun: latest.get(task.id),
    }));
  }
}
