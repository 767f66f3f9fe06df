import {
  ApiException,
  createConfiguration,
  HttpMethod,
  KubeConfig,
  KubernetesObjectApi,
  Observable,
  RequestContext,
  ResponseContext,
  ServerConfiguration,
} from '@kubernetes/client-node';
import type { ObservableMiddleware } from '@kubernetes/client-node';

/** What names an object: the fields of a Kubernetes object that locate it. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** The options of {@link ClusterClient.request}. */
export interface RequestOptions {
  query?: Record<string, string | undefined>;
  /** The content type of the body, `application/json` by default. */
  contentType?: string;
  /** Sent as JSON. */
  body?: unknown;
}

/**
 * The API server does not serve this kind in this group version (its CRD
 * is not installed, or the apiVersion or kind is misspelled).
 */
export class UnknownKindError extends Error {
  readonly name = 'UnknownKindError';
  constructor(readonly apiVersion: string, readonly kind: string) {
    super(
      `the API server has no kind ${kind} in ${apiVersion}; is its CRD installed?`,
    );
  }
}

/**
 * A middleware that gives each request its own time limit: the request is
 * aborted when the API server has not answered within `timeoutMs`.
 */
export function timeoutMiddleware(timeoutMs: number): ObservableMiddleware {
  return {
    pre(context: RequestContext) {
      context.setSignal(AbortSignal.timeout(timeoutMs));
      return new Observable(Promise.resolve(context));
    },
    post(context: ResponseContext) {
      return new Observable(Promise.resolve(context));
    },
  };
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The client of one cluster. Objects go over the wire as plain JSON, both
 * ways: client-node's typed models drop fields they do not know (every
 * field of a custom resource beyond the common ones, a newer Kubernetes
 * field, or `from` of a NetworkPolicy rule, renamed `_from`), which a
 * server-side apply would then remove from the cluster. client-node gives
 * the rest: authentication and TLS from the {@link KubeConfig}, the HTTP
 * library, middleware, and {@link KubernetesObjectApi}'s discovery of
 * which resource serves a kind (cached per group version, looked up again
 * when a kind is missing, e.g. after a CRD was installed).
 *
 * Every request, discovery included, goes through the configuration's
 * middleware, so the time limit applies to all of them.
 */
export class ClusterClient extends KubernetesObjectApi {
  static create(kubeConfig: KubeConfig, timeoutMs: number): ClusterClient {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kube config has no current cluster');
    const client = new ClusterClient(
      createConfiguration({
        baseServer: new ServerConfiguration(cluster.server, {}),
        authMethods: { default: kubeConfig },
        middleware: [timeoutMiddleware(timeoutMs)],
      }),
    );
    client.setDefaultNamespace(kubeConfig);
    return client;
  }

  /**
   * The path of an object, e.g. `/apis/apps/v1/namespaces/ml/deployments/chat`,
   * found by API discovery. A namespaced object without a namespace is in
   * the context's namespace (`default`). Throws {@link UnknownKindError}
   * when the group version does not serve the kind.
   */
  async objectPath(ref: ObjectRef): Promise<string> {
    let resource;
    try {
      resource = await this.resource(ref.apiVersion, ref.kind);
    } catch (error) {
      // 404: the API server does not serve the group version at all.
      if (error instanceof ApiException && error.code === 404)
        resource = undefined;
      else throw error;
    }
    if (!resource) throw new UnknownKindError(ref.apiVersion, ref.kind);
    const parts = [this.apiVersionPath(ref.apiVersion)];
    if (resource.namespaced) {
      parts.push(
        'namespaces',
        encodeURIComponent(ref.namespace || this.defaultNamespace),
      );
    }
    parts.push(resource.name, encodeURIComponent(ref.name));
    return parts.join('/');
  }

  /**
   * Sends a request and returns the JSON the API server answered. Throws
   * client-node's {@link ApiException} (with the server's Status as its
   * body) when the status is not 2xx, and the HTTP library's errors when
   * there is no answer (`AbortError` when the time limit is reached,
   * `FetchError` with the system error's code when the connection fails).
   */
  async request<T>(
    method: HttpMethod,
    path: string,
    options: RequestOptions = {},
  ): Promise<T> {
    const config = this.configuration;
    let context = config.baseServer.makeRequestContext(path, method);
    context.setHeaderParam('Accept', 'application/json');
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) context.setQueryParam(key, value);
    }
    if (options.body !== undefined) {
      context.setHeaderParam(
        'Content-Type',
        options.contentType ?? 'application/json',
      );
      context.setBody(JSON.stringify(options.body));
    }
    await config.authMethods.default?.applySecurityAuthentication(context);
    for (const middleware of config.middleware) {
      context = await middleware.pre(context).toPromise();
    }
    let response = await config.httpApi.send(context).toPromise();
    for (const middleware of config.middleware) {
      response = await middleware.post(response).toPromise();
    }
    const body = parseBody(await response.body.text());
    const code = response.httpStatusCode;
    if (code < 200 || code > 299) {
      throw new ApiException(
        code,
        'Unsuccessful HTTP Request',
        body,
        response.headers,
      );
    }
    return body as T;
  }
}
