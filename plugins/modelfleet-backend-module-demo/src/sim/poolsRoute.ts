import { ApiError } from './status';
import type { AdminRoute } from './SimulatedApiServer';
import type { SimulatedCluster } from './SimulatedCluster';

type AdminInput = Parameters<AdminRoute>[0];

const PREFIX = '/_sim/pools';

const bad = (field: string, message: string) =>
  new ApiError(400, `${field}: ${message}`, 'BadRequest', {
    causes: [{ reason: 'FieldValueInvalid', message, field }],
  });

/**
 * What a PATCH body `{min}` asks of a pool whose maximum is `max`: the new
 * minimum, or the problem, naming the field (pure; `PATCH
 * /_sim/pools/<pool>` answers 400 with it).
 */
export function checkPoolPatch(
  body: unknown,
  max: number,
): { min: number } | { field: string; message: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { field: 'body', message: 'must be a JSON object {"min": n}' };
  }
  const b = body as Record<string, unknown>;
  const other = Object.keys(b).filter(k => k !== 'min');
  if (other.length > 0) {
    return {
      field: other[0],
      message: `Forbidden: only min can be set (the maximum, ${max}, is the pool's own)`,
    };
  }
  if (b.min === undefined) {
    return { field: 'min', message: 'Required value: the minimum node count' };
  }
  const min = b.min;
  if (typeof min !== 'number' || !Number.isInteger(min)) {
    return {
      field: 'min',
      message: `Invalid value: ${JSON.stringify(min)}: must be an integer`,
    };
  }
  if (min < 0) {
    return {
      field: 'min',
      message: `Invalid value: ${min}: must be 0 or more`,
    };
  }
  if (min > max) {
    return {
      field: 'min',
      message: `Invalid value: ${min}: must not exceed the pool's maximum, ${max}`,
    };
  }
  return { min };
}

/**
 * `/_sim/pools`, the simulated cloud's node-pool API of a cluster:
 * - `GET /_sim/pools`: each pool's `{name, min, max, nodes, provisioning}`;
 * - `GET /_sim/pools/<pool>`: one of them (404 for a pool the cluster has
 *   not);
 * - `PATCH /_sim/pools/<pool>` `{min}`: sets the pool's minimum (an
 *   integer in [0, max]; 400 naming the field otherwise) and answers the
 *   pool after; the provisioner acts at once, so idle nodes above the new
 *   floor go after its scale-down time (as a cluster autoscaler does), and
 *   a pool under its new minimum gets nodes.
 *
 * Undefined for paths outside `/_sim/pools`.
 */
export function poolsRoute(
  sim: SimulatedCluster,
  input: AdminInput,
): { code?: number; body: unknown } | undefined {
  const { method, path } = input;
  if (path !== PREFIX && !path.startsWith(`${PREFIX}/`)) return undefined;
  const sizes = sim.provisioner.poolSizes();
  if (path === PREFIX) {
    if (method !== 'GET') {
      throw new ApiError(405, `GET ${PREFIX}, or PATCH ${PREFIX}/<pool>`);
    }
    return { body: { cluster: sim.name, pools: sizes } };
  }
  const name = decodeURIComponent(path.slice(PREFIX.length + 1));
  const size = sizes.find(p => p.name === name);
  if (!size) {
    throw new ApiError(
      404,
      `node pool "${name}" not found: cluster ${sim.name} has ${sizes
        .map(p => p.name)
        .join(', ')}`,
      'NotFound',
      { name, kind: 'nodepools' },
    );
  }
  if (method === 'GET') return { body: size };
  if (method !== 'PATCH') {
    throw new ApiError(405, `GET or PATCH ${PREFIX}/${name}`);
  }
  const checked = checkPoolPatch(input.body, size.max);
  if ('field' in checked) throw bad(checked.field, checked.message);
  return { body: sim.provisioner.setMinimum(name, checked.min) };
}
