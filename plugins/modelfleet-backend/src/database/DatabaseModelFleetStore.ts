import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { TaskRun } from '@modelfleet/plugin-modelfleet-common';
import { Knex } from 'knex';
import { ModelFleetStore } from './ModelFleetStore';

const migrationsDir = resolvePackagePath(
  '@modelfleet/plugin-modelfleet-backend',
  'migrations',
);

const TASK_RUNS = 'modelfleet_task_runs';

type TaskRunRow = {
  id: number | string;
  task_id: string;
  started_at: Date | string | number;
  finished_at: Date | string | number | null;
  status: TaskRun['status'];
  detail: string | null;
};

function toIso(value: Date | string | number): string {
  return new Date(value).toISOString();
}

/**
 * Knex implementation of {@link ModelFleetStore}, on SQLite or PostgreSQL.
 *
 * @internal
 */
export class DatabaseModelFleetStore implements ModelFleetStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseModelFleetStore> {
    const { database } = options;
    const client = await database.getClient();
    const skip = options.skipMigrations ?? database.migrations?.skip;
    if (!skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseModelFleetStore(client);
  }

  /** Runs the migrations on a bare knex client (tests and tools). */
  static async fromKnex(knex: Knex): Promise<DatabaseModelFleetStore> {
    await knex.migrate.latest({ directory: migrationsDir });
    return new DatabaseModelFleetStore(knex);
  }

  static readonly migrationsDirectory = migrationsDir;

  private constructor(private readonly db: Knex) {}

  /** The migrated knex client, for the plugin's other stores. */
  get knex(): Knex {
    return this.db;
  }

  get client(): string {
    const c = this.db.client.config.client;
    return typeof c === 'string' ? c : String(c?.name ?? 'unknown');
  }

  async appliedMigrations(): Promise<string[]> {
    const [completed] = await this.db.migrate.list({
      directory: migrationsDir,
    });
    return completed.map((m: { name: string } | string) =>
      typeof m === 'string' ? m : m.name,
    );
  }

  async startTaskRun(taskId: string, at: Date): Promise<number> {
    const [row] = await this.db(TASK_RUNS)
      .insert({ task_id: taskId, started_at: at, status: 'running' })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }

  async finishTaskRun(
    runId: number,
    outcome: { status: 'succeeded' | 'failed'; detail?: string; at: Date },
  ): Promise<void> {
    await this.db(TASK_RUNS)
      .where({ id: runId })
      .update({
        status: outcome.status,
        detail: outcome.detail ?? null,
        finished_at: outcome.at,
      });
  }

  async latestTaskRuns(): Promise<Map<string, TaskRun>> {
    const latestIds = this.db(TASK_RUNS).max('id').groupBy('task_id');
    const rows: TaskRunRow[] = await this.db(TASK_RUNS).whereIn(
      'id',
      latestIds,
    );
    const result = new Map<string, TaskRun>();
    for (const row of rows) {
      result.set(row.task_id, {
        taskId: row.task_id,
        startedAt: toIso(row.started_at),
        finishedAt: row.finished_at ? toIso(row.finished_at) : undefined,
        status: row.status,
        detail: row.detail ?? undefined,
      });
    }
    return result;
  }

  async pruneTaskRuns(before: Date): Promise<number> {
    return this.db(TASK_RUNS)
      .where('started_at', '<', before)
      .whereNot('status', 'running')
      .delete();
  }

  async failAbandonedTaskRuns(before: Date, at: Date): Promise<number> {
    return this.db(TASK_RUNS)
      .where('started_at', '<', before)
      .andWhere('status', 'running')
      .update({
        status: 'failed',
        finished_at: at,
        detail: 'Did not finish: the backend that ran it stopped',
      });
  }
}
