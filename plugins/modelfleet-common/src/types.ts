/**
 * Body of `GET /api/modelfleet/health`.
 *
 * @public
 */
export interface HealthResponse {
  status: 'ok';
}

/**
 * The outcome of one run of a background loop.
 *
 * @public
 */
export interface TaskRun {
  taskId: string;
  startedAt: string;
  finishedAt?: string;
  status: 'running' | 'succeeded' | 'failed';
  /** What the run did, or why it failed. */
  detail?: string;
}

/**
 * A background loop of the backend and its most recent run.
 *
 * @public
 */
export interface TaskStatus {
  id: string;
  /** Human-readable schedule, for example `every 10 minutes`. */
  schedule: string;
  scope: 'global' | 'local';
  lastRun?: TaskRun;
}

/**
 * `POST /tasks/:id/run`: the loop was asked to run now; its run shows in
 * `GET /status` when it finishes.
 *
 * @public
 */
export interface TaskRunResponse {
  id: string;
  /** True when it was running already: that run goes on, no second one starts. */
  alreadyRunning: boolean;
  /** What happens next, in words. */
  message: string;
}

/**
 * Connectors registered through the `-node` extension points, by kind.
 *
 * @public
 */
export interface ConnectorCounts {
  clusters: number;
  metrics: number;
  prices: number;
  bills: number;
}

/**
 * Body of `GET /api/modelfleet/status`: what the backend is and does.
 *
 * @public
 */
export interface FleetStatusResponse {
  /** Database engine the store runs on, for example `better-sqlite3` or `pg`. */
  database: { client: string; migrations: string[] };
  connectors: ConnectorCounts;
  tasks: TaskStatus[];
  /** True when any cluster shown is from the simulated demo fleet. */
  demo: boolean;
  /** Server time the status was read at (ISO 8601). */
  generatedAt: string;
}
