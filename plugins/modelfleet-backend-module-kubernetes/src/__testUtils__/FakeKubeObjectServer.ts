import http from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  applyMerge,
  clone,
  CORE_TYPES,
  discoveryDocument,
  groupVersion,
  HttpError,
  KEDA_TYPES,
  MCS_TYPES,
  mergePatch,
  Obj,
  objectPath,
  parseObjectPath,
  qualifiedResource,
  ResourceType,
  statusBody,
  Target,
} from './kubeWire';

export type { Obj } from './kubeWire';

/** A request the server saw. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType?: string;
  /** The body, parsed as JSON when it is JSON. */
  body?: any;
  authorization?: string;
}

/** How to answer the next requests of a method and path. */
export interface ObjectFault {
  /** Answer with this status and a Kubernetes Status body. */
  status?: number;
  /** The Status `message`; defaults to `injected <status>`. */
  message?: string;
  /** Answer (or fail) only after this delay. */
  delayMs?: number;
  /** Close the connection without answering. */
  drop?: boolean;
}

/** Names an object: its apiVersion, kind, namespace and name. */
export interface ObjectKey {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

const APPLY = 'application/apply-patch+yaml';
const MERGE = 'application/merge-patch+json';

/**
 * A Kubernetes API server on 127.0.0.1 for objects, as the actuator uses
 * it: discovery (`/api`, `/apis`, and the resource list of each group
 * version, which client-node's KubernetesObjectApi reads to find a kind's
 * resource), GET of an object, PATCH with `application/apply-patch+yaml`
 * (server-side apply, approximated: maps are merged, other values
 * replaced; `fieldManager` required, `force` and `dryRun=All` honoured) and
 * `application/merge-patch+json` (RFC 7386), and the `scale` subresource
 * of Deployments and StatefulSets (GET and merge PATCH).
 *
 * Every object carries a `resourceVersion` that changes only when the
 * object does, and a `generation` that changes when its `spec` does; a
 * patch whose body names another `resourceVersion` gets 409 Conflict.
 * Faults (statuses, delays, dropped connections) are injected per method
 * and path, and every request is recorded.
 */
export class FakeKubeObjectServer {
  readonly requests: SeenRequest[] = [];
  private readonly types: ResourceType[];
  private readonly objects = new Map<string, Obj>();
  private readonly faults = new Map<string, ObjectFault[]>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private rv = 100;
  private baseUrl = '';
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => this.handle(req, res, Buffer.concat(chunks)));
  });

  private constructor(keda: boolean) {
    this.types = keda
      ? [...CORE_TYPES, ...KEDA_TYPES, ...MCS_TYPES]
      : [...CORE_TYPES];
  }

  /**
   * Starts a server. It serves the kinds of KEDA and its HTTP add-on unless
   * `keda: false`, as in a cluster without their CRDs.
   */
  static async start(
    options: { keda?: boolean } = {},
  ): Promise<FakeKubeObjectServer> {
    const fake = new FakeKubeObjectServer(options.keda ?? true);
    await new Promise<void>(resolve =>
      fake.server.listen(0, '127.0.0.1', resolve),
    );
    const { port } = fake.server.address() as AddressInfo;
    fake.baseUrl = `http://127.0.0.1:${port}`;
    return fake;
  }

  /** The server's address, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return this.baseUrl;
  }

  /** The path of an object, e.g. `/apis/apps/v1/namespaces/ml/deployments/chat`. */
  pathOf(key: ObjectKey): string {
    const t = this.types.find(
      x => groupVersion(x) === key.apiVersion && x.kind === key.kind,
    );
    if (!t) throw new Error(`the fake serves no ${key.apiVersion} ${key.kind}`);
    return objectPath(t, key.namespace, key.name);
  }

  /** Stores an object, as if created or changed, with the server's fields set. */
  put(object: Obj): Obj {
    const path = this.pathOf({ ...object, ...object.metadata });
    const stored = this.stamp(clone(object), this.objects.get(path));
    this.objects.set(path, stored);
    return clone(stored);
  }

  /** The stored object, or undefined. */
  get(key: ObjectKey): Obj | undefined {
    const stored = this.objects.get(this.pathOf(key));
    return stored && clone(stored);
  }

  /** Answers the next `times` requests of a method and path with a fault. */
  fail(method: string, path: string, fault: ObjectFault, times = 1): void {
    const key = `${method} ${path}`;
    const list = this.faults.get(key) ?? [];
    for (let i = 0; i < times; i++) list.push(fault);
    this.faults.set(key, list);
  }

  /** The requests other than GET, dry runs included. */
  writes(): SeenRequest[] {
    return this.requests.filter(r => r.method !== 'GET');
  }

  /** Stops listening and drops every connection; later ones are refused. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  /** Sets the server's fields of an object being created or changed. */
  private stamp(next: Obj, before: Obj | undefined): Obj {
    const meta = next.metadata;
    delete meta.resourceVersion;
    if (before) {
      const was = clone(before);
      delete was.metadata.resourceVersion;
      meta.uid = before.metadata.uid;
      meta.creationTimestamp = before.metadata.creationTimestamp;
      meta.generation = before.metadata.generation;
      if (!isDeepStrictEqual(before.spec, next.spec)) meta.generation += 1;
      if (isDeepStrictEqual(was, next)) {
        meta.resourceVersion = before.metadata.resourceVersion;
        return next;
      }
    } else {
      meta.uid = randomUUID();
      meta.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      meta.generation = 1;
    }
    this.rv += 1;
    meta.resourceVersion = String(this.rv);
    return next;
  }

  private handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    raw: Buffer,
  ): void {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const contentType = req.headers['content-type']?.split(';')[0];
    let body: any;
    try {
      body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      body = raw.toString('utf8');
    }
    this.requests.push({
      method,
      path: url.pathname,
      query: url.searchParams,
      contentType,
      body,
      authorization: req.headers.authorization,
    });
    const fault = this.faults.get(`${method} ${url.pathname}`)?.shift();
    const respond = () => {
      if (fault?.drop) {
        req.socket.destroy();
      } else if (fault?.status) {
        const message = fault.message ?? `injected ${fault.status}`;
        this.json(res, fault.status, statusBody(fault.status, message));
      } else {
        try {
          const [code, answer] = this.serve(method, url, contentType, body);
          this.json(res, code, answer);
        } catch (e) {
          const error =
            e instanceof HttpError ? e : new HttpError(500, String(e));
          this.json(res, error.code, statusBody(error.code, error.message));
        }
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

  private serve(
    method: string,
    url: URL,
    contentType: string | undefined,
    body: any,
  ): [number, unknown] {
    const discovery =
      method === 'GET' && discoveryDocument(this.types, url.pathname);
    if (discovery) return [200, discovery];
    const target = parseObjectPath(this.types, url.pathname);
    const view = (o: Obj) => (target.subresource ? toScale(o) : clone(o));
    if (method === 'GET') return [200, view(this.read(target))];
    if (method === 'DELETE' && !target.subresource) {
      const current = this.read(target);
      if (url.searchParams.get('dryRun') === null) {
        this.objects.delete(
          objectPath(target.type, target.namespace, target.name),
        );
      }
      // As for a kind without finalizers: the object, as it was.
      return [200, clone(current)];
    }
    if (method !== 'PATCH') {
      throw new HttpError(405, `the fake API server does not ${method}`);
    }
    const dryRun = url.searchParams.get('dryRun');
    if (dryRun !== null && dryRun !== 'All') {
      throw new HttpError(400, `invalid dry run value: ${dryRun}`);
    }
    const path = objectPath(target.type, target.namespace, target.name);
    const before = this.objects.get(path);
    let next: Obj;
    if (contentType === APPLY) {
      next = this.applied(url, target, before, body);
    } else if (contentType === MERGE) {
      if (url.searchParams.has('force')) {
        throw new HttpError(
          400,
          'force: Forbidden: may not be specified for non-apply patch',
        );
      }
      const current = this.read(target);
      this.checkResourceVersion(body, view(current), target.type);
      if (target.subresource) {
        const scale = mergePatch(toScale(current), body) as Obj;
        const replicas = scale.spec?.replicas ?? null;
        next = mergePatch(current, { spec: { replicas } }) as Obj;
      } else {
        next = mergePatch(current, body) as Obj;
      }
    } else {
      throw new HttpError(
        415,
        `the fake API server takes ${APPLY} and ${MERGE}, not ${contentType}`,
      );
    }
    const stamped = this.stamp(next, before);
    if (dryRun === null) this.objects.set(path, stamped);
    return [before ? 200 : 201, view(stamped)];
  }

  /** The object after a server-side apply of `body`. */
  private applied(
    url: URL,
    target: Target,
    before: Obj | undefined,
    body: any,
  ): Obj {
    const gv = groupVersion(target.type);
    if (!url.searchParams.get('fieldManager')) {
      throw new HttpError(
        400,
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    }
    if (target.subresource) {
      throw new HttpError(415, 'the fake API server does not apply to scale');
    }
    if (body?.apiVersion !== gv || body?.kind !== target.type.kind) {
      throw new HttpError(
        400,
        `the body is a ${body?.apiVersion} ${body?.kind}, the path names a ${gv} ${target.type.kind}`,
      );
    }
    if (body.metadata?.name !== target.name) {
      throw new HttpError(
        400,
        `the name of the object (${body.metadata?.name}) does not match the name on the URL (${target.name})`,
      );
    }
    if (body.metadata?.managedFields) {
      throw new HttpError(400, 'metadata.managedFields must be nil');
    }
    if (before) this.checkResourceVersion(body, before, target.type);
    const namespace = target.type.namespaced
      ? { namespace: target.namespace }
      : {};
    return applyMerge(before ?? {}, {
      ...body,
      metadata: { ...body.metadata, ...namespace },
    }) as Obj;
  }

  private checkResourceVersion(body: any, current: Obj, t: ResourceType) {
    const wanted = body?.metadata?.resourceVersion;
    if (wanted !== undefined && wanted !== current.metadata.resourceVersion) {
      throw new HttpError(
        409,
        `Operation cannot be fulfilled on ${qualifiedResource(t)} "${
          current.metadata.name
        }": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
  }

  private read(target: Target): Obj {
    const path = objectPath(target.type, target.namespace, target.name);
    const object = this.objects.get(path);
    if (!object) {
      const resource = qualifiedResource(target.type);
      throw new HttpError(404, `${resource} "${target.name}" not found`);
    }
    return clone(object);
  }
}

/** The `scale` subresource of a workload. */
function toScale(o: Obj): Obj {
  const { name, namespace, uid, resourceVersion, creationTimestamp } =
    o.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: o.spec?.replicas ?? 0 },
    status: { replicas: o.status?.replicas ?? 0, selector: '' },
  };
}
