import { InputError } from '@backstage/errors';
import {
  ClusterActuator,
  NodePoolApi,
} from '@modelfleet/plugin-modelfleet-node';
import { ActuatorDirectory } from './types';

/**
 * The cluster's actuator, whose pool-size methods (`poolSize`,
 * `setPoolMinimum`) are served by the cloud's node-pool API that manages
 * the cluster: still one door per cluster, through which every change
 * goes as a step of a stored action.
 */
export function withNodePools(
  actuator: ClusterActuator,
  api: NodePoolApi,
): ClusterActuator {
  const composed: ClusterActuator = Object.create(actuator);
  composed.poolSize = pool => api.size(pool);
  composed.setPoolMinimum = (pool, min, options) =>
    api.setMinimum(pool, min, options);
  return composed;
}

/**
 * Finds the actuator of a cluster among the registered ones, with the
 * node-pool API of the cluster's cloud when one manages it. Each
 * actuator's and API's cluster list is read again after `ttlMs`, so
 * clusters added to app-config are found after a restart, and a cluster
 * name never silently falls back to another actuator.
 */
export function createActuatorDirectory(
  actuators: () => ClusterActuator[],
  options: {
    ttlMs?: number;
    now?: () => number;
    nodePools?: () => NodePoolApi[];
  } = {},
): ActuatorDirectory {
  const ttlMs = options.ttlMs ?? 30_000;
  const now = options.now ?? Date.now;
  let cache:
    | { at: number; byCluster: Map<string, ClusterActuator> }
    | undefined;
  const load = async () => {
    if (cache && now() - cache.at < ttlMs) return cache.byCluster;
    const pools = new Map<string, NodePoolApi>();
    for (const api of options.nodePools?.() ?? []) {
      for (const cluster of await api.listClusters()) {
        if (!pools.has(cluster)) pools.set(cluster, api);
      }
    }
    const byCluster = new Map<string, ClusterActuator>();
    for (const actuator of actuators()) {
      for (const cluster of await actuator.listClusters()) {
        if (byCluster.has(cluster)) continue;
        const api = pools.get(cluster);
        byCluster.set(cluster, api ? withNodePools(actuator, api) : actuator);
      }
    }
    cache = { at: now(), byCluster };
    return byCluster;
  };
  return {
    async forCluster(cluster) {
      const byCluster = await load();
      const actuator = byCluster.get(cluster);
      if (!actuator) {
        const known = [...byCluster.keys()];
        throw new InputError(
          `cluster: no connected cluster is named '${cluster}' (${
            known.length
              ? `connected: ${known.join(', ')}`
              : 'no cluster is connected: see kubernetes.clusterLocatorMethods'
          })`,
        );
      }
      return actuator;
    },
    async clusters() {
      return [...(await load()).keys()];
    },
  };
}
