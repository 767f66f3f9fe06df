import { InputError } from '@backstage/errors';
import { ClusterActuator } from '@modelfleet/plugin-modelfleet-node';
import { ActuatorDirectory } from './types';

/**
 * Finds the actuator of a cluster among the registered ones. Each
 * actuator's cluster list is read again after `ttlMs`, so clusters added
 * to app-config are found after a restart, and a cluster name never
 * silently falls back to another actuator.
 */
export function createActuatorDirectory(
  actuators: () => ClusterActuator[],
  options: { ttlMs?: number; now?: () => number } = {},
): ActuatorDirectory {
  const ttlMs = options.ttlMs ?? 30_000;
  const now = options.now ?? Date.now;
  let cache:
    | { at: number; byCluster: Map<string, ClusterActuator> }
    | undefined;
  const load = async () => {
    if (cache && now() - cache.at < ttlMs) return cache.byCluster;
    const byCluster = new Map<string, ClusterActuator>();
    for (const actuator of actuators()) {
      for (const cluster of await actuator.listClusters()) {
        if (!byCluster.has(cluster)) byCluster.set(cluster, actuator);
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
