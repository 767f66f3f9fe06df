import http from 'node:http';
import { StoredObject } from './objects';
import { ResourceType } from './resources';
import { ApiError, badRequest, notFound } from './status';
import { ObjectStore } from './store';

/** An HTTP request as a pod's server receives it from the API server's proxy. */
export interface PodHttpRequest {
  method: string;
  /** E.g. `/is_sleeping`; `/` for none. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** What a pod's server answers; the API server relays it as it is. */
export interface PodHttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A server listening on a port of a pod. */
export type PodServer = (req: PodHttpRequest) => Promise<PodHttpResponse>;

/** The connection to a pod broke before it answered (its container went away). */
export class PodConnectionLost extends Error {
  constructor() {
    super('EOF');
  }
}

/**
 * The pod network as the API server reaches it: what listens on a port of
 * a pod. A bare API server has none (no kubelet runs containers), so every
 * connection is refused.
 */
export interface PodNetwork {
  /** The server listening on the pod's `port`, or undefined (connection refused). */
  serverAt(pod: StoredObject, port: number): PodServer | undefined;
}

export const NO_POD_NETWORK: PodNetwork = { serverAt: () => undefined };

/**
 * Splits the name of a proxy request as the API server does
 * (`utilnet.SplitSchemeNamePort`): `name`, `name:port` or
 * `scheme:name:port`, the scheme `http`, `https` or empty.
 */
export function splitSchemeNamePort(
  id: string,
): { scheme: 'http' | 'https'; name: string; port: string } | undefined {
  const parts = id.split(':');
  let scheme = '';
  let name = '';
  let port = '';
  if (parts.length === 1) [name] = parts;
  else if (parts.length === 2) [name, port] = parts;
  else if (parts.length === 3) [scheme, name, port] = parts;
  else return undefined;
  if (!name || !['', 'http', 'https'].includes(scheme)) return undefined;
  return { scheme: scheme === 'https' ? 'https' : 'http', name, port };
}

/** The pod's first IP (`status.podIPs[0]`), as the API server proxies to it. */
export function podIpOf(pod: StoredObject): string | undefined {
  return pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || undefined;
}

/** Go's `IP.IsGlobalUnicast`, for the addresses a pod can have. */
function isGlobalUnicast(ip: string): boolean {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (v4.slice(1).some(x => Number(x) > 255)) return false;
    if (ip === '255.255.255.255' || a === 0 || a === 127) return false;
    if (a >= 224) return false; // multicast
    return !(a === 169 && b === 254); // link-local
  }
  if (!ip.includes(':')) return false;
  const low = ip.toLowerCase();
  return !(
    low === '::' ||
    low === '::1' ||
    low.startsWith('fe80:') ||
    low.startsWith('ff')
  );
}

/** The port of the pod's first container that declares one. */
function firstContainerPort(pod: StoredObject): string {
  for (const c of pod.spec?.containers ?? []) {
    const port = c.ports?.[0]?.containerPort;
    if (port !== undefined) return String(port);
  }
  return '';
}

/** What the API server's proxy answers when it cannot reach the pod. */
const unreachable = (error: string) =>
  new ApiError(
    503,
    `error trying to reach service: ${error}`,
    'ServiceUnavailable',
  );

/**
 * The pod proxy (`pods/<name>[:<port>]/proxy/<path>`), as the API server's
 * `ProxyREST` and `pod.ResourceLocation` do it, after authorization:
 * - a name that is not `[scheme:]name[:port]`: 400 `invalid pod request`;
 * - no such pod: 404 `pods "<name>" not found`;
 * - no port given: the first container port the pod declares (80 without);
 * - a pod without an IP (Pending, not started): 400 `address not allowed`;
 * - nothing listening on the port (a container not started or still
 *   loading, or a port no container serves): 503 ServiceUnavailable
 *   `error trying to reach service: dial tcp <ip>:<port>: connect:
 *   connection refused`, as the proxy transport wraps a dial error;
 * - otherwise the pod server's answer, relayed as it is (status, headers,
 *   body); a connection lost before the answer: 503 `… EOF`.
 */
export async function proxyToPod(input: {
  store: ObjectStore;
  type: ResourceType;
  namespace?: string;
  /** The name in the path: `name`, `name:port` or `scheme:name:port`. */
  id: string;
  network: PodNetwork;
  request: PodHttpRequest;
}): Promise<PodHttpResponse> {
  const split = splitSchemeNamePort(input.id);
  if (!split)
    throw badRequest(`invalid pod request ${JSON.stringify(input.id)}`);
  const pod = input.store.get(input.type, input.namespace, split.name);
  if (!pod) throw notFound(input.type, split.name);
  let port = split.port || firstContainerPort(pod);
  const ip = podIpOf(pod);
  if (!ip || !isGlobalUnicast(ip)) throw badRequest('address not allowed');
  if (!port) port = split.scheme === 'https' ? '443' : '80';
  const host = ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
  if (!/^\d+$/.test(port))
    throw unreachable(`dial tcp: lookup tcp/${port}: unknown port`);
  if (Number(port) > 65535)
    throw unreachable(`dial tcp: address ${port}: invalid port`);
  const server = input.network.serverAt(pod, Number(port));
  if (!server)
    throw unreachable(`dial tcp ${host}: connect: connection refused`);
  // The simulated servers speak plain HTTP.
  if (split.scheme === 'https')
    throw unreachable('tls: first record does not look like a TLS handshake');
  try {
    return await server({
      ...input.request,
      path: input.request.path || '/',
    });
  } catch (error) {
    if (error instanceof PodConnectionLost) throw unreachable('EOF');
    throw error;
  }
}

/** Answers an API request with what a pod's server answered. */
export function relayPodResponse(
  res: http.ServerResponse,
  head: boolean,
  answer: PodHttpResponse,
): void {
  if (res.destroyed || res.writableEnded) return;
  const body = answer.body ?? '';
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(head ? undefined : body);
}
