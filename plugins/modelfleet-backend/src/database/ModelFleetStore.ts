import { TaskRun } from '@modelfleet/plugin-modelfleet-common';

/**
 * Persistence for the ModelFleet backend.
 *
 * @internal
 */
export interface ModelFleetStore {
  /** Database client name, e.g. `better-sqlite3` or `pg`. */
  readonly client: string;
  /** Names of the migrations applied to the database, oldest first. */
  appliedMigrations(): Promise<string[]>;
  /** Records that a run of `taskId` started; returns the run id. */
  startTaskRun(taskId: string, at: Date): Promise<number>;
  /** Records the outcome of a run. */
  finishTaskRun(
    runId: number,
    outcome: { status: 'succeeded' | 'failed'; detail?: string; at: Date },
  ): Promise<void>;
  /** The most recent run of each task, by task id. */
  latestTaskRuns(): Promise<Map<string, TaskRun>>;
  /** Deletes finished runs that started before `before`; returns how many. */
  pruneTaskRuns(before: Date): Promise<number>;
  /**
   * Marks runs still `running` that started before `before` as failed (the
   * process that ran them stopped); returns how many.
   */
  failAbandonedTaskRuns(before: Date, at: Date): Promise<number>;
}
