import http from 'node:http';
import { AddressInfo } from 'node:net';

/** Paths of the collections the fake API server serves. */
export const PATHS = {
  nodes: '/api/v1/nodes',
  pods: '/api/v1/pods',
  deployments: '/apis/apps/v1/deployments',
  statefulSets: '/apis/apps/v1/statefulsets',
  inferenceServices: '/apis/serving.kserve.io/v1beta1/inferenceservices',
  podDisruptionBudgets: '/apis/policy/v1/poddisruptionbudgets',
} as const;

export type CollectionPath = (typeof PATHS)[keyof typeof PATHS];

const KINDS: Record<CollectionPath, { apiVersion: string; kind: string }> = {
  [PATHS.nodes]: { apiVersion: 'v1', kind: 'Node' },
  [PATHS.pods]: { apiVersion: 'v1', kind: 'Pod' },
  [PATHS.deployments]: { apiVersion: 'apps/v1', kind: 'Deployment' },
  [PATHS.statefulSets]: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  [PATHS.inferenceServices]: {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
  },
  [PATHS.podDisruptionBudgets]: {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
  },
};

/** Any Kubernetes object; only its metadata is looked at. */
export interface KubeObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

/** A request the server saw. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  watch: boolean;
  authorization?: string;
}

/** A fault to answer the next list or watch requests of a path with. */
export interface Fault {
  on: 'list' | 'watch';
  /** Answer with this HTTP status and a Kubernetes Status body. */
  status?: number;
  /** Answer (or fail) only after this delay. */
  delayMs?: number;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface Collection {
  objects: Map<string, KubeObject>;
  /** Every change, for watches that start from an older resourceVersion. */
  events: Array<{ rv: number; type: EventType; object: KubeObject }>;
  watches: Set<http.ServerResponse>;
  faults: Fault[];
}

const keyOf = (o: KubeObject) =>
  `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

function status(code: number, reason: string, message: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
}

/**
 * A Kubernetes API server on 127.0.0.1 that speaks the JSON wire format for
 * the collections the connector reads: lists (`kind: NodeList`, ...,
 * `metadata.resourceVersion`, `items`) and `?watch=true` streams of
 * newline-delimited events, chunked and kept open. Changes made through
 * {@link FakeKubeApiServer.add} and friends go to open watches, and are
 * replayed to a watch that starts from an older resourceVersion. Faults
 * (statuses, delays, 410 Gone, dropped connections) are injected per path,
 * and every request is recorded.
 */
export class FakeKubeApiServer {
  readonly requests: SeenRequest[] = [];
  private readonly collections = new Map<string, Collection>();
  /** Paths whose lists and watches RBAC forbids. */
  private readonly forbidden = new Set<string>();
  private rv = 1000;
  /** Watches from a resourceVersion below this get 410 Gone. */
  private oldestRv = 0;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  private readonly server = http.createServer((req, res) =>
    this.handle(req, res),
  );
  private baseUrl = '';

  private constructor() {}

  /** The server's address, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return this.baseUrl;
  }

  /**
   * Starts a server. KServe's InferenceService collection is served only
   * with `kserve: true`; otherwise it answers 404 like a cluster without the
   * CRD.
   */
  static async start(
    options: { kserve?: boolean } = {},
  ): Promise<FakeKubeApiServer> {
    const fake = new FakeKubeApiServer();
    await new Promise<void>(resolve =>
      fake.server.listen(0, '127.0.0.1', resolve),
    );
    const { port } = fake.server.address() as AddressInfo;
    fake.baseUrl = `http://127.0.0.1:${port}`;
    for (const path of Object.values(PATHS)) {
      if (path === PATHS.inferenceServices && !options.kserve) continue;
      fake.install(path);
    }
    return fake;
  }

  /**
   * Answers every list and watch of a path with 403 Forbidden, as for a
   * service account whose role does not grant it; `allow` undoes it.
   */
  forbid(path: CollectionPath): this {
    this.forbidden.add(path);
    return this;
  }

  allow(path: CollectionPath): this {
    this.forbidden.delete(path);
    return this;
  }

  /** Starts serving a collection, as when a CRD is installed. */
  install(path: CollectionPath): this {
    if (!this.collections.has(path)) {
      this.collections.set(path, {
        objects: new Map(),
        events: [],
        watches: new Set(),
        faults: [],
      });
    }
    return this;
  }

  private collection(path: string): Collection {
    const c = this.collections.get(path);
    if (!c) throw new Error(`the fake API server does not serve ${path}`);
    return c;
  }

  private stamp(object: KubeObject): KubeObject {
    this.rv += 1;
    const copy = clone(object);
    copy.metadata = { ...copy.metadata, resourceVersion: String(this.rv) };
    return copy;
  }

  private emit(path: string, type: EventType, object: KubeObject): void {
    const c = this.collection(path);
    c.events.push({ rv: this.rv, type, object });
    for (const res of c.watches) {
      res.write(`${JSON.stringify({ type, object })}\n`);
    }
  }

  /** Puts objects in place, as if they had always been there (no events). */
  seed(path: CollectionPath, objects: KubeObject[]): this {
    const c = this.collection(path);
    for (const object of objects) {
      const stamped = this.stamp(object);
      c.objects.set(keyOf(stamped), stamped);
    }
    return this;
  }

  add(path: CollectionPath, object: KubeObject): void {
    const stamped = this.stamp(object);
    this.collection(path).objects.set(keyOf(stamped), stamped);
    this.emit(path, 'ADDED', stamped);
  }

  modify(path: CollectionPath, object: KubeObject): void {
    const c = this.collection(path);
    if (!c.objects.has(keyOf(object))) throw new Error(`no ${keyOf(object)}`);
    const stamped = this.stamp(object);
    c.objects.set(keyOf(stamped), stamped);
    this.emit(path, 'MODIFIED', stamped);
  }

  remove(path: CollectionPath, object: KubeObject): void {
    const c = this.collection(path);
    const existing = c.objects.get(keyOf(object));
    if (!existing) throw new Error(`no ${keyOf(object)}`);
    c.objects.delete(keyOf(object));
    this.emit(path, 'DELETED', this.stamp(existing));
  }

  /**
   * Changes an object with no event, as when changes were missed while the
   * history was compacted; only a relist sees it.
   */
  replaceQuietly(path: CollectionPath, object: KubeObject): void {
    const stamped = this.stamp(object);
    this.collection(path).objects.set(keyOf(stamped), stamped);
  }

  /**
   * Compacts the history: open watches of the path get an ERROR event with a
   * 410 Gone Status, and watches from an older resourceVersion are refused
   * the same way. The server then ends the streams, unless `keepOpen`.
   */
  expire(path: CollectionPath, options: { keepOpen?: boolean } = {}): void {
    this.oldestRv = this.rv;
    const c = this.collection(path);
    const event = {
      type: 'ERROR',
      object: status(410, 'Expired', 'too old resource version'),
    };
    for (const res of c.watches) {
      res.write(`${JSON.stringify(event)}\n`);
      if (!options.keepOpen) {
        res.end();
        c.watches.delete(res);
      }
    }
  }

  /** Cuts the connections of the open watches of a path. */
  dropWatches(path: CollectionPath): void {
    const c = this.collection(path);
    for (const res of c.watches) res.socket?.destroy();
    c.watches.clear();
  }

  /** Answers the next `times` list or watch requests of a path with a fault. */
  fail(path: CollectionPath, fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.collection(path).faults.push(fault);
  }

  /** Number of list requests of a path. */
  lists(path: CollectionPath): number {
    return this.requests.filter(r => r.path === path && !r.watch).length;
  }

  /** Number of watch requests of a path. */
  watches(path: CollectionPath): number {
    return this.requests.filter(r => r.path === path && r.watch).length;
  }

  /** Number of watches of a path that are open now. */
  openWatches(path?: CollectionPath): number {
    const collections = path
      ? [this.collection(path)]
      : [...this.collections.values()];
    return collections.reduce((sum, c) => sum + c.watches.size, 0);
  }

  /** Ends every watch and stops listening; later connections are refused. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const c of this.collections.values()) {
      for (const res of c.watches) res.socket?.destroy();
      c.watches.clear();
    }
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const watch = url.searchParams.get('watch') === 'true';
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      watch,
      authorization: req.headers.authorization,
    });
    if (this.forbidden.has(url.pathname)) {
      this.json(
        res,
        403,
        status(
          403,
          'Forbidden',
          `${url.pathname} is forbidden: User cannot list or watch it`,
        ),
      );
      return;
    }
    const c = this.collections.get(url.pathname);
    if (req.method !== 'GET' || !c) {
      this.json(
        res,
        404,
        status(
          404,
          'NotFound',
          'the server could not find the requested resource',
        ),
      );
      return;
    }
    const index = c.faults.findIndex(f => f.on === (watch ? 'watch' : 'list'));
    const fault = index >= 0 ? c.faults.splice(index, 1)[0] : undefined;
    const respond = () => {
      if (fault?.status) {
        const reason = http.STATUS_CODES[fault.status] ?? 'Error';
        this.json(
          res,
          fault.status,
          status(
            fault.status,
            reason.replace(/ /g, ''),
            `injected ${fault.status}`,
          ),
        );
      } else if (watch) {
        this.startWatch(url, c, res);
      } else {
        this.list(url.pathname as CollectionPath, c, res);
      }
    };
    if (fault?.delayMs) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        respond();
      }, fault.delayMs);
      this.timers.add(timer);
    } else {
      respond();
    }
  }

  private json(res: http.ServerResponse, code: number, body: unknown): void {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private list(
    path: CollectionPath,
    c: Collection,
    res: http.ServerResponse,
  ): void {
    const { apiVersion, kind } = KINDS[path];
    this.json(res, 200, {
      kind: `${kind}List`,
      apiVersion,
      metadata: { resourceVersion: String(this.rv) },
      items: [...c.objects.values()],
    });
  }

  private startWatch(url: URL, c: Collection, res: http.ServerResponse): void {
    if (res.destroyed) return;
    const from = Number(url.searchParams.get('resourceVersion') || 0);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
    if (from && from < this.oldestRv) {
      const gone = status(410, 'Expired', `too old resource version: ${from}`);
      res.end(`${JSON.stringify({ type: 'ERROR', object: gone })}\n`);
      return;
    }
    for (const e of c.events) {
      if (e.rv > from)
        res.write(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
    }
    c.watches.add(res);
    res.on('close', () => c.watches.delete(res));
  }
}

/** Polls until the check passes (returns without throwing) or time runs out. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 2_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  }
}
