import { ResourceRegistry, ResourceType } from './resources';

/** What an API request asks for, from its method and path. */
export type RequestInfo =
  | { kind: 'discovery'; path: string; verb: 'get' }
  | {
      kind: 'resource';
      verb: string;
      group: string;
      version: string;
      /** The resource name in the path, e.g. `deployments`. */
      resource: string;
      /** Undefined when the group version does not serve the resource. */
      type?: ResourceType;
      namespace?: string;
      name?: string;
      subresource?: string;
      /**
       * The path a `proxy` subresource request forwards (what follows
       * `proxy` in the path, or the `path` parameter), e.g. `/is_sleeping`.
       */
      proxyPath?: string;
    }
  | { kind: 'unknown'; verb: string };

const VERBS: Record<string, [collection: string, object: string]> = {
  GET: ['list', 'get'],
  POST: ['create', 'create'],
  PUT: ['update', 'update'],
  PATCH: ['patch', 'patch'],
  DELETE: ['deletecollection', 'delete'],
};

/**
 * The verb of a request to a `proxy` subresource, as the API server's
 * request info has it: the HTTP method's (a name is always there, so never
 * list, watch or deletecollection).
 */
const PROXY_VERBS: Record<string, string> = {
  GET: 'get',
  HEAD: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/**
 * Parses `/api/v1/...` and `/apis/<group>/<version>/...` paths as the API
 * server does: `[namespaces/<ns>/]<resource>[/<name>[/<subresource>]]`,
 * with `namespaces/<name>[/status]` for the namespaces themselves, and
 * `<resource>/<name>/proxy[/<path>]` for the proxy subresource.
 */
export function parseRequest(
  method: string,
  pathname: string,
  watch: boolean,
  registry: ResourceRegistry,
  query?: URLSearchParams,
): RequestInfo {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  // HEAD is only served by proxies.
  const verbs = VERBS[method === 'HEAD' ? 'GET' : method];
  if (!verbs) return { kind: 'unknown', verb: method.toLowerCase() };
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length <= 2)
      return { kind: 'discovery', path: pathname, verb: 'get' };
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length <= 3)
      return { kind: 'discovery', path: pathname, verb: 'get' };
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else if (
    parts.length === 0 ||
    ['version', 'healthz', 'readyz', 'livez', 'openapi'].includes(parts[0])
  ) {
    return { kind: 'discovery', path: pathname, verb: 'get' };
  } else {
    return { kind: 'unknown', verb: verbs[1] };
  }
  if (
    method !== 'GET' &&
    (parts[0] === 'api' ? parts.length <= 2 : parts.length <= 3)
  ) {
    return { kind: 'unknown', verb: verbs[1] };
  }

  let namespace: string | undefined;
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !['status', 'finalize'].includes(rest[2])
  ) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (subresource === 'proxy' && name) {
    const type = registry.find(group, version, resource);
    let proxyPath = extra.length > 0 ? `/${extra.join('/')}` : '';
    if (extra.length > 0 && pathname.endsWith('/')) proxyPath += '/';
    if (!proxyPath) proxyPath = query?.get('path') ?? '';
    return {
      kind: 'resource',
      verb: PROXY_VERBS[method],
      group,
      version,
      resource,
      ...(type ? { type } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
      name,
      subresource,
      proxyPath,
    };
  }
  if (extra.length > 0 || method === 'HEAD')
    return { kind: 'unknown', verb: verbs[1] };
  const type = registry.find(group, version, resource);
  let verb = name ? verbs[1] : verbs[0];
  if (method === 'GET' && watch) verb = 'watch';
  // A namespace is an object: namespaces/<name> is not a namespace scope.
  return {
    kind: 'resource',
    verb,
    group,
    version,
    resource,
    ...(type ? { type } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}
