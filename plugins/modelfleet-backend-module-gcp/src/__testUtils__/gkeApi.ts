import { googleError, RecordedRequest, Reply } from './googleApiServer';

/** A node pool as the GKE REST API (v1) returns it, in the fields we read. */
export interface FakeNodePool {
  name: string;
  locations?: string[];
  initialNodeCount?: number;
  autoscaling?: Record<string, unknown>;
}

const POOL =
  /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/clusters\/[^/]+\/nodePools\/[^/:]+)(:setAutoscaling)?$/;
const OPERATION =
  /^\/v1\/(projects\/[^/]+\/locations\/[^/]+)\/operations\/([^/]+)$/;

const notFound = (message: string): Reply => ({
  status: 404,
  json: googleError(404, 'NOT_FOUND', message),
});

const invalid = (message: string): Reply => ({
  status: 400,
  json: googleError(400, 'INVALID_ARGUMENT', message),
});

/**
 * The node-pool part of the GKE REST API: `GET` of a node pool,
 * `POST …:setAutoscaling` (checking the autoscaling as GKE does, applying
 * it and returning an operation) and `GET` of an operation. Operations are
 * `DONE` at once unless `runningPolls` says how many reads show them
 * `RUNNING`; `operationError` makes them finish with that error.
 */
export class FakeGke {
  readonly pools = new Map<string, FakeNodePool>();
  runningPolls = 0;
  operationError?: { code: number; message: string };
  private readonly operations = new Map<string, number>();
  private nextOperation = 1;

  constructor(pools: Record<string, FakeNodePool> = {}) {
    for (const [name, pool] of Object.entries(pools)) {
      this.pools.set(name, structuredClone(pool));
    }
  }

  /** The handler for {@link GoogleApiServer}. */
  readonly handle = (req: RecordedRequest): Reply => {
    const pool = POOL.exec(req.path);
    if (pool) {
      const found = this.pools.get(pool[1]);
      if (!found) {
        return notFound(`Not found: ${pool[1]}.`);
      }
      if (req.method === 'GET' && !pool[2]) return { json: found };
      if (req.method === 'POST' && pool[2]) return this.set(found, req.body);
    }
    const op = OPERATION.exec(req.path);
    if (op && req.method === 'GET') {
      const polls = this.operations.get(op[2]);
      if (polls === undefined) return notFound(`Not found: ${op[2]}.`);
      this.operations.set(op[2], polls + 1);
      return { json: this.operation(op[2], polls + 1) };
    }
    return notFound(`no such method: ${req.method} ${req.path}`);
  };

  private set(pool: FakeNodePool, body: string): Reply {
    const a = JSON.parse(body).autoscaling as Record<string, number> | null;
    if (!a) return invalid('autoscaling is required.');
    const perZone = a.minNodeCount || a.maxNodeCount;
    const total = a.totalMinNodeCount || a.totalMaxNodeCount;
    if (perZone && total) {
      return invalid(
        'Total and per zone limits cannot be specified at the same time.',
      );
    }
    const [min, max] = total
      ? [a.totalMinNodeCount ?? 0, a.totalMaxNodeCount ?? 0]
      : [a.minNodeCount ?? 0, a.maxNodeCount ?? 0];
    if (a.enabled && (min < 0 || max < 1 || min > max)) {
      return invalid(
        `Invalid autoscaling limits: min ${min} and max ${max} node count.`,
      );
    }
    pool.autoscaling = a;
    const name = `operation-${this.nextOperation++}`;
    this.operations.set(name, 0);
    return { json: this.operation(name, 0) };
  }

  private operation(name: string, polls: number) {
    const done = polls >= this.runningPolls;
    return {
      name,
      zone: 'us-central1',
      operationType: 'SET_NODE_POOL_SIZE',
      status: done ? 'DONE' : 'RUNNING',
      selfLink: `https://container.googleapis.com/v1/projects/p/locations/us-central1/operations/${name}`,
      ...(done && this.operationError ? { error: this.operationError } : {}),
    };
  }
}
