import { listEngines } from './engineInfo';
import { poolsRoute } from './poolsRoute';
import { spotReclaimsRoute } from './spotReclaims';
import { ApiError } from './status';
import type { SimulatedApiServer } from './SimulatedApiServer';
import type { SimulatedCluster } from './SimulatedCluster';

/**
 * The API server's own paths under `/_sim/`:
 * - `GET /_sim/mutations`: effective changes per action step and requests
 *   per verb; `DELETE` resets them;
 * - `GET|POST|DELETE /_sim/faults`: list, add (one spec or an array) or
 *   clear injected faults;
 * - `GET /_sim/watches`: open watches; `POST /_sim/watches`
 *   `{action: 'drop' | 'end' | 'expire', resource?}`: cut them, end them
 *   cleanly, or end them with 410 Gone (compacting the history);
 *   `DELETE` drops them all.
 */
export function addApiAdminRoutes(server: SimulatedApiServer): void {
  server.addAdminRoute(({ method, path, body }) => {
    const b = (body ?? {}) as Record<string, any>;
    if (path === '/_sim/mutations') {
      if (method === 'DELETE') server.mutations.reset();
      return { body: server.mutations.report() };
    }
    if (path === '/_sim/faults') {
      if (method === 'POST') {
        const specs = Array.isArray(body) ? body : [b];
        return { code: 201, body: specs.map(spec => server.faults.add(spec)) };
      }
      if (method === 'DELETE') server.faults.clear();
      return { body: server.faults.list() };
    }
    if (path === '/_sim/watches') {
      if (method === 'DELETE' || (method === 'POST' && b.action === 'drop')) {
        return { body: { dropped: server.watches.drop(b.resource) } };
      }
      if (method === 'POST' && b.action === 'end') {
        return { body: { ended: server.watches.end(b.resource) } };
      }
      if (method === 'POST' && b.action === 'expire') {
        server.store.compact();
        return { body: { expired: server.watches.expire(b.resource) } };
      }
      return { body: { open: server.watches.count() } };
    }
    return undefined;
  });
}

/**
 * The simulator's paths of a cluster, under `/_sim/`:
 * - `GET /_sim/stats`: {@link SimulatedCluster.stats};
 * - `GET /_sim/engines`: the vLLM engines of the pods (sleep mode, sleep
 *   state, wakes by `/wake_up` and by requests, GPU memory held);
 * - `POST /_sim/requests` `{namespace, model, count?, wait?}`: requests for
 *   a model; with `wait` (the default for one request) the answer comes
 *   when a replica served it: `{coldStart, waitedMs}`;
 * - `GET /_sim/clock`, `POST /_sim/clock` `{speed}` or `{advanceMs}`
 *   (manual clocks only);
 * - `GET /_sim/spot`: reclaims under way; `POST /_sim/spot` `{node}`:
 *   reclaims a spot node now, as its cloud would;
 * - `POST /_sim/spot/reclaims` `{pool, zone?, seconds?}` (a cluster
 *   admin only): reclaims a spot pool's nodes now and keeps its capacity
 *   away for `seconds` (see spotReclaims.ts); `GET`: outages under way;
 * - `GET /_sim/pools`, `PATCH /_sim/pools/<pool>` `{min}`: the pools'
 *   size bounds and nodes; sets a pool's minimum, as the cloud's
 *   node-pool API does (see poolsRoute.ts);
 * - `POST /_sim/settle`: runs the controllers until the cluster is settled.
 */
export function addClusterAdminRoutes(
  server: SimulatedApiServer,
  sim: SimulatedCluster,
): void {
  server.addAdminRoute(async input => {
    const { method, path, body } = input;
    const b = (body ?? {}) as Record<string, any>;
    const clock = sim.ctx.clock;
    switch (path) {
      case '/_sim/stats':
        return { body: sim.stats() };
      case '/_sim/engines':
        return { body: { engines: listEngines(sim.ctx, sim.engines) } };
      case '/_sim/requests': {
        if (method !== 'POST')
          throw new ApiError(405, 'POST a request', 'MethodNotAllowed');
        const { namespace, model } = b;
        if (typeof namespace !== 'string' || typeof model !== 'string') {
          throw new ApiError(400, 'namespace and model are required');
        }
        const count = Number.isInteger(b.count) && b.count > 0 ? b.count : 1;
        if (count === 1 && b.wait !== false) {
          return { body: await sim.request(namespace, model) };
        }
        for (let i = 0; i < count; i++)
          sim.request(namespace, model).catch(() => undefined);
        return { code: 202, body: { accepted: count } };
      }
      case '/_sim/clock':
        if (method === 'POST') {
          if (typeof b.speed === 'number') clock.setSpeed(b.speed);
          if (typeof b.advanceMs === 'number') clock.advance(b.advanceMs);
        }
        return {
          body: {
            now: clock.date().toISOString(),
            mode: clock.mode,
            speed: clock.speed,
          },
        };
      case '/_sim/spot':
        if (method === 'POST') {
          const done = sim.spot.reclaim(String(b.node ?? ''));
          if (!done) throw new ApiError(404, `no node ${b.node} to reclaim`);
          return {
            body: { ...done, deleteAt: new Date(done.deleteAt).toISOString() },
          };
        }
        return { body: { reclaiming: sim.spot.pending } };
      case '/_sim/spot/reclaims':
        return spotReclaimsRoute(sim, input);
      case '/_sim/settle':
        sim.settle();
        return { body: { settled: true } };
      default:
        return poolsRoute(sim, input);
    }
  });
}
