import http from 'node:http';
import { AddressInfo } from 'node:net';
import { addApiAdminRoutes } from './adminRoutes';
import { discoveryDocument } from './discovery';
import { defaultFaultMessage, FaultInjector } from './faults';
import { ResourceHandlers, selectorOf } from './handlers';
import { MutationLog } from './mutations';
import {
  forbidden,
  Identity,
  identityOf,
  RbacAuthorizer,
  TokenUser,
} from './rbac';
import {
  NO_POD_NETWORK,
  PodNetwork,
  proxyToPod,
  relayPodResponse,
} from './podProxy';
import { parseRequest } from './requestInfo';
import { ResourceRegistry } from './resources';
import { ApiError, reasonFor, resourceNotFound, statusBody } from './status';
import { ObjectStore } from './store';
import { WatchHub } from './watch';

/**
 * A handler of the simulator's own paths under `/_sim/`: returns the JSON
 * to answer, or undefined when the path is not its own.
 */
export type AdminRoute = (input: {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** The user of the request's bearer token, if it is one of the server's. */
  who?: Identity;
  /** It passed the `/_sim/` token (`adminToken`), when one is set. */
  simToken: boolean;
}) =>
  | Promise<{ code?: number; body: unknown } | undefined>
  | { code?: number; body: unknown }
  | undefined;

/**
 * Options of {@link SimulatedApiServer}.
 *
 * @public
 */
export interface SimulatedApiServerOptions {
  /** The objects it serves. */
  store: ObjectStore;
  /** Port on 127.0.0.1; 0 (any free port) by default. */
  port?: number;
  /** Bearer tokens and their users; a request with no or another token gets 401. */
  tokens: Record<string, TokenUser>;
  /** When set, the `/_sim/` paths need this bearer token. */
  adminToken?: string;
  /** `gitVersion` of `/version`. */
  version?: string;
  /**
   * What listens in the pods, for the pod proxy
   * (`pods/<name>[:<port>]/proxy/…`); nothing by default (every
   * connection refused).
   */
  podNetwork?: PodNetwork;
}

/**
 * A Kubernetes API server on 127.0.0.1 over an {@link ObjectStore}:
 * discovery, list (label and field selectors), watch, get, create,
 * update, the four kinds of patch (server-side apply included), delete,
 * the `scale` and `status` subresources and `dryRun=All`; bearer token
 * authentication and RBAC; injected faults; and the simulator's own
 * paths under `/_sim/`.
 *
 * @public
 */
export class SimulatedApiServer {
  readonly faults = new FaultInjector();
  readonly mutations: MutationLog;
  readonly watches: WatchHub;
  readonly authorizer: RbacAuthorizer;
  private readonly handlers: ResourceHandlers;
  private readonly registry: ResourceRegistry;
  private readonly routes: AdminRoute[] = [];
  private readonly server: http.Server;
  private readonly pendingTimers = new Set<ReturnType<typeof setTimeout>>();
  private baseUrl = '';

  private constructor(private readonly options: SimulatedApiServerOptions) {
    this.registry = options.store.registry;
    this.mutations = new MutationLog(options.store);
    this.watches = new WatchHub(options.store);
    this.authorizer = new RbacAuthorizer(options.store);
    this.handlers = new ResourceHandlers(options.store);
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(error => this.fail(res, error));
    });
    addApiAdminRoutes(this);
  }

  static async start(
    options: SimulatedApiServerOptions,
  ): Promise<SimulatedApiServer> {
    const s = new SimulatedApiServer(options);
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = s.server.address() as AddressInfo;
    s.baseUrl = `http://127.0.0.1:${port}`;
    return s;
  }

  /** E.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return this.baseUrl;
  }

  get store(): ObjectStore {
    return this.options.store;
  }

  /** Adds paths under `/_sim/`. */
  addAdminRoute(route: AdminRoute): void {
    this.routes.push(route);
  }

  /** Ends every watch and connection and stops listening. */
  async close(): Promise<void> {
    for (const t of this.pendingTimers) clearTimeout(t);
    this.pendingTimers.clear();
    this.watches.closeAll();
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
    this.mutations.dispose();
  }

  private json(res: http.ServerResponse, code: number, body: unknown): void {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private fail(res: http.ServerResponse, error: unknown): void {
    if (error instanceof ApiError) {
      this.json(res, error.code, error.toStatus());
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    this.json(
      res,
      500,
      statusBody(500, 'InternalError', `Internal error occurred: ${message}`),
    );
  }

  private identify(req: http.IncomingMessage): Identity | undefined {
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const user = m ? this.options.tokens[m[1].trim()] : undefined;
    return user ? identityOf(user) : undefined;
  }

  private readBody(req: http.IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  private delay(ms: number): Promise<void> {
    return new Promise(resolve => {
      const t = setTimeout(() => {
        this.pendingTimers.delete(t);
        resolve();
      }, ms);
      this.pendingTimers.add(t);
    });
  }

  private async handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (url.pathname.startsWith('/_sim/')) {
      await this.admin(req, res, url);
      return;
    }
    const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
    const info = parseRequest(
      req.method ?? 'GET',
      url.pathname,
      watch,
      this.registry,
      url.searchParams,
    );
    this.mutations.request(info.verb);

    const fault = this.faults.take({
      verb: info.verb,
      ...(info.kind === 'resource'
        ? {
            resource: info.resource,
            subresource: info.subresource,
            namespace: info.namespace,
            name: info.name,
          }
        : {}),
    });
    if (fault) {
      if (fault.delayMs) await this.delay(fault.delayMs);
      if (fault.drop) {
        req.socket.destroy();
        return;
      }
      if (fault.status) {
        const code = fault.status;
        this.json(
          res,
          code,
          statusBody(
            code,
            reasonFor(code),
            fault.message ?? defaultFaultMessage(code),
          ),
        );
        return;
      }
    }

    const who = this.identify(req);
    if (!who) {
      this.json(res, 401, statusBody(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    if (info.kind === 'discovery') {
      this.discovery(res, url.pathname);
      return;
    }
    if (info.kind === 'unknown' || !info.type) {
      throw resourceNotFound();
    }
    if (info.type.namespaced === false && info.namespace !== undefined)
      throw resourceNotFound();
    const attributes = {
      verb: info.verb,
      group: info.group,
      resource: info.resource,
      subresource: info.subresource,
      namespace: info.namespace,
      name: info.name,
    };
    if (!this.authorizer.authorize(who, attributes)) {
      throw forbidden(who, attributes, info.type);
    }
    if (info.subresource === 'proxy') {
      if (!info.type.proxy || !info.name) throw resourceNotFound();
      const answer = await proxyToPod({
        store: this.store,
        type: info.type,
        namespace: info.namespace,
        id: info.name,
        network: this.options.podNetwork ?? NO_POD_NETWORK,
        request: {
          method: req.method ?? 'GET',
          path: info.proxyPath ?? '',
          query: url.searchParams,
          headers: req.headers,
          body: await this.readBody(req),
        },
      });
      relayPodResponse(res, req.method === 'HEAD', answer);
      return;
    }
    if (info.verb === 'watch') {
      this.watches.start({
        res,
        type: info.type,
        namespace: info.namespace,
        selector: {
          ...selectorOf(url.searchParams, info.type.kind),
          ...(info.name
            ? {
                fields: [
                  ...selectorOf(url.searchParams, info.type.kind).fields,
                  {
                    field: 'metadata.name',
                    op: '=' as const,
                    value: info.name,
                  },
                ],
              }
            : {}),
        },
        resourceVersion: url.searchParams.get('resourceVersion') ?? undefined,
        timeoutSeconds:
          Number(url.searchParams.get('timeoutSeconds')) || undefined,
      });
      return;
    }
    const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method ?? '')
      ? await this.readBody(req)
      : Buffer.alloc(0);
    // A server-side apply that creates the object needs `create` too.
    if (
      info.verb === 'patch' &&
      !info.subresource &&
      (req.headers['content-type'] ?? '').startsWith(
        'application/apply-patch',
      ) &&
      !this.store.get(info.type, info.namespace, info.name ?? '')
    ) {
      const create = { ...attributes, verb: 'create' };
      if (!this.authorizer.authorize(who, create))
        throw forbidden(who, create, info.type);
    }
    const answer = this.handlers.handle({
      verb: info.verb,
      type: info.type,
      namespace: info.namespace,
      name: info.name,
      subresource: info.subresource,
      query: url.searchParams,
      contentType: (req.headers['content-type'] ?? '').split(';')[0].trim(),
      body,
      user: who.username,
    });
    this.json(res, answer.code, answer.body);
  }

  private discovery(res: http.ServerResponse, path: string): void {
    const doc = discoveryDocument(this.registry, path, {
      version: this.options.version,
      serverAddress: this.url.slice('http://'.length),
    });
    if (doc === 'ok') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (!doc) throw resourceNotFound();
    this.json(res, 200, doc);
  }

  private async admin(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ) {
    if (this.options.adminToken) {
      const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
      if (m?.[1] !== this.options.adminToken) {
        this.json(res, 401, statusBody(401, 'Unauthorized', 'Unauthorized'));
        return;
      }
    }
    const raw = (await this.readBody(req)).toString('utf8');
    let body: unknown;
    try {
      body = raw.trim() ? JSON.parse(raw) : undefined;
    } catch {
      throw new ApiError(400, 'the body is not JSON');
    }
    const input = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body,
      who: this.identify(req),
      simToken: Boolean(this.options.adminToken),
    };
    for (const route of this.routes) {
      let answer;
      try {
        answer = await route(input);
      } catch (error) {
        if (error instanceof ApiError) throw error;
        throw new ApiError(
          400,
          error instanceof Error ? error.message : String(error),
        );
      }
      if (answer) {
        this.json(res, answer.code ?? 200, answer.body);
        return;
      }
    }
    throw resourceNotFound();
  }
}
