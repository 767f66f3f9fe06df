import http from 'node:http';
import { AddressInfo } from 'node:net';

/** One pod's cost on one UTC day, as OpenCost's cost model computes it. */
export interface PodDay {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  cluster: string;
  namespace: string;
  pod: string;
  controllerKind?: string;
  controller?: string;
  /** Kubernetes labels, unsanitized (e.g. `modelfleet.io/model`). */
  labels?: Record<string, string>;
  cpuCost: number;
  gpuCost: number;
  ramCost: number;
  pvCost?: number;
  networkCost?: number;
  gpuHours: number;
}

/** Cost of a cluster's unallocated capacity on one UTC day. */
export interface IdleDay {
  day: string;
  cluster: string;
  cpuCost: number;
  gpuCost: number;
  ramCost: number;
  gpuHours?: number;
}

/** A canned answer that replaces the simulated one for one request. */
export interface CannedResponse {
  status: number;
  body: string | object;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface RecordedRequest {
  path: string;
  params: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}

export interface TestOpenCost {
  /** Base URL of the API, e.g. `http://127.0.0.1:1234/model`. */
  url: string;
  requests: RecordedRequest[];
  /** Answers the next requests with these, in order, before simulating. */
  enqueue(...responses: CannedResponse[]): void;
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

// Prometheus label-name sanitizing, as OpenCost applies to label keys.
const sanitize = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, '_');

// OpenCost rounds every float in the response (formatFloat64ForResponse).
const round = (v: number) => Math.round(v * 100000) / 100000;

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function keyPart(p: PodDay, agg: string): string {
  if (agg === 'cluster') return p.cluster;
  if (agg === 'namespace') return p.namespace;
  if (agg === 'pod') return p.pod;
  if (agg === 'controller') {
    if (!p.controller) return '__unallocated__';
    return p.controllerKind
      ? `${p.controllerKind}:${p.controller}`
      : p.controller;
  }
  if (agg.startsWith('label:')) {
    const labels = Object.fromEntries(
      Object.entries(p.labels ?? {}).map(([k, v]) => [sanitize(k), v]),
    );
    return labels[sanitize(agg.slice('label:'.length))] ?? '__unallocated__';
  }
  throw new Error(`invalid allocation property: ${agg}`);
}

interface Sum {
  name: string;
  clusters: Set<string>;
  namespaces: Set<string>;
  labels?: Record<string, string>;
  cpuCost: number;
  gpuCost: number;
  ramCost: number;
  pvCost: number;
  networkCost: number;
  gpuHours: number;
}

/** An allocation in the JSON shape of OpenCost's AllocationJSON. */
function allocationJson(s: Sum, start: number, end: number) {
  const total = s.cpuCost + s.gpuCost + s.ramCost + s.pvCost + s.networkCost;
  const properties: Record<string, unknown> = {};
  if (s.clusters.size === 1) properties.cluster = [...s.clusters][0];
  if (s.namespaces.size === 1) properties.namespace = [...s.namespaces][0];
  if (s.labels) properties.labels = s.labels;
  return {
    name: s.name,
    properties,
    window: { start: iso(start), end: iso(end) },
    start: iso(start),
    end: iso(end),
    minutes: 1440,
    cpuCores: 0,
    cpuCoreRequestAverage: 0,
    cpuCoreUsageAverage: 0,
    cpuCoreHours: 0,
    cpuCost: round(s.cpuCost),
    cpuCostAdjustment: 0,
    cpuEfficiency: 0,
    gpuCount: round(s.gpuHours / 24),
    gpuHours: round(s.gpuHours),
    gpuCost: round(s.gpuCost),
    gpuCostAdjustment: 0,
    networkTransferBytes: 0,
    networkReceiveBytes: 0,
    networkCost: round(s.networkCost),
    networkCrossZoneCost: 0,
    networkCrossRegionCost: 0,
    networkInternetCost: 0,
    networkCostAdjustment: 0,
    loadBalancerCost: 0,
    loadBalancerCostAdjustment: 0,
    pvBytes: 0,
    pvByteHours: 0,
    pvCost: round(s.pvCost),
    pvs: null,
    pvCostAdjustment: 0,
    ramBytes: 0,
    ramByteRequestAverage: 0,
    ramByteUsageAverage: 0,
    ramByteHours: 0,
    ramCost: round(s.ramCost),
    ramCostAdjustment: 0,
    ramEfficiency: 0,
    externalCost: 0,
    sharedCost: 0,
    totalCost: round(total),
    totalEfficiency: 0,
    lbAllocations: null,
  };
}

/**
 * Answers `/allocation` like OpenCost does for `step=1d&accumulate=false`:
 * one set per day of the window, allocations keyed by the aggregated
 * properties joined with `/` (`__unallocated__` for a missing label or
 * controller), and, with `includeIdle=true`, one `<cluster>/__idle__`
 * allocation per cluster.
 */
function simulate(
  params: URLSearchParams,
  pods: PodDay[],
  idle: IdleDay[],
): CannedResponse {
  const window = params.get('window') ?? '';
  const [a, b] = window.split(',');
  const start = Date.parse(a);
  const end = Date.parse(b);
  if (!a || !b || isNaN(start) || isNaN(end)) {
    return {
      status: 400,
      body: `Invalid 'window' parameter: illegal window: ${window}`,
    };
  }
  if (params.get('step') !== '1d' || params.get('accumulate') !== 'false') {
    return { status: 400, body: 'this fake answers step=1d&accumulate=false' };
  }
  const aggregate = (params.get('aggregate') ?? '').split(',');
  const data: Record<string, unknown>[] = [];
  for (let t = start; t < end; t += DAY_MS) {
    const day = iso(t).slice(0, 10);
    const sums = new Map<string, Sum>();
    for (const p of pods.filter(x => x.day === day)) {
      let name: string;
      try {
        name = aggregate.map(agg => keyPart(p, agg)).join('/');
      } catch (e) {
        return {
          status: 200,
          body: {
            code: 500,
            status: 'error',
            message: (e as Error).message,
            data: null,
          },
        };
      }
      const s = sums.get(name) ?? {
        name,
        clusters: new Set(),
        namespaces: new Set(),
        cpuCost: 0,
        gpuCost: 0,
        ramCost: 0,
        pvCost: 0,
        networkCost: 0,
        gpuHours: 0,
      };
      s.clusters.add(p.cluster);
      s.namespaces.add(p.namespace);
      // Aggregated allocations keep the labels all their pods share.
      const labels = Object.entries(p.labels ?? {}).map(
        ([k, v]) => [sanitize(k), v] as const,
      );
      s.labels = Object.fromEntries(
        s.labels ? labels.filter(([k, v]) => s.labels![k] === v) : labels,
      );
      s.cpuCost += p.cpuCost;
      s.gpuCost += p.gpuCost;
      s.ramCost += p.ramCost;
      s.pvCost += p.pvCost ?? 0;
      s.networkCost += p.networkCost ?? 0;
      s.gpuHours += p.gpuHours;
      sums.set(name, s);
    }
    if (params.get('includeIdle') === 'true') {
      for (const i of idle.filter(x => x.day === day)) {
        sums.set(`${i.cluster}/__idle__`, {
          name: `${i.cluster}/__idle__`,
          clusters: new Set([i.cluster]),
          namespaces: new Set(),
          cpuCost: i.cpuCost,
          gpuCost: i.gpuCost,
          ramCost: i.ramCost,
          pvCost: 0,
          networkCost: 0,
          gpuHours: i.gpuHours ?? 0,
        });
      }
    }
    data.push(
      Object.fromEntries(
        [...sums.values()].map(s => [
          s.name,
          allocationJson(s, t, Math.min(t + DAY_MS, end)),
        ]),
      ),
    );
  }
  return { status: 200, body: { code: 200, status: 'success', data } };
}

/**
 * Starts a fake OpenCost on 127.0.0.1 serving `GET <prefix>/allocation`
 * from the given pod and idle costs.
 */
export async function startTestOpenCost(opts: {
  pods?: PodDay[];
  idle?: IdleDay[];
  /** Path the API is served under, e.g. `/model` behind Kubecost's UI. */
  prefix?: string;
}): Promise<TestOpenCost> {
  const prefix = opts.prefix ?? '';
  const requests: RecordedRequest[] = [];
  const queue: CannedResponse[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({
      path: url.pathname,
      params: url.searchParams,
      headers: req.headers,
    });
    let answer: CannedResponse;
    if (queue.length > 0) {
      answer = queue.shift()!;
    } else if (
      req.method === 'GET' &&
      url.pathname === `${prefix}/allocation`
    ) {
      answer = simulate(url.searchParams, opts.pods ?? [], opts.idle ?? []);
    } else {
      answer = { status: 404, body: '404 page not found' };
    }
    const send = () => {
      const isText = typeof answer.body === 'string';
      res.writeHead(answer.status, {
        'content-type': isText
          ? 'text/plain; charset=utf-8'
          : 'application/json',
        ...answer.headers,
      });
      res.end(isText ? answer.body : JSON.stringify(answer.body));
    };
    if (answer.delayMs) setTimeout(send, answer.delayMs);
    else send();
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    enqueue: (...r) => queue.push(...r),
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
