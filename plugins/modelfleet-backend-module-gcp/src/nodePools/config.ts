import { Config } from '@backstage/config';
import { parseApiEndpoint } from '../catalog/GcpBillingCatalogPriceSource';
import { GcpCredentials } from '../credentials';
import { GkeClusterRef } from './gkeNodePools';
import { GkeNodePoolApiOptions } from './GkeNodePoolApi';

const KEY = 'modelfleet.gcp.nodePools';

function fail(key: string, reason: string): never {
  throw new Error(`Invalid config at ${KEY}${key ? `.${key}` : ''}: ${reason}`);
}

function read<T>(key: string, get: () => T): T {
  try {
    return get();
  } catch (e) {
    return fail(key, (e as Error).message);
  }
}

const PROJECT = /^(?:[a-z0-9][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** A region (`us-central1`) or a zone (`us-central1-a`). */
const LOCATION = /^[a-z]+(?:-[a-z]+)+\d+(?:-[a-z])?$/;
/** GKE cluster names: lowercase letters, digits and dashes, up to 40. */
const GKE_CLUSTER = /^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$/;

/**
 * Reads `modelfleet.gcp.nodePools` (given the `modelfleet.gcp` config and
 * its parsed credentials); undefined when it is absent. Throws naming the
 * key path of a bad value.
 */
export function readNodePoolsConfig(
  gcp: Config,
  credentials: GcpCredentials | undefined,
): GkeNodePoolApiOptions | undefined {
  const c = read('', () => gcp.getOptionalConfig('nodePools'));
  if (!c) return undefined;
  const list = read('clusters', () => c.getOptionalConfig('clusters'));
  if (!list) fail('clusters', 'is required (the GKE cluster of each cluster)');
  const names = list.keys();
  if (names.length === 0) fail('clusters', 'is empty');
  const clusters: Record<string, GkeClusterRef> = {};
  for (const name of names) {
    const at = `clusters.${name}`;
    const one = read(at, () => list.getConfig(name));
    const project = read(`${at}.project`, () => one.getString('project'));
    if (!PROJECT.test(project)) {
      fail(`${at}.project`, `'${project}' is not a GCP project id`);
    }
    const location = read(`${at}.location`, () => one.getString('location'));
    if (!LOCATION.test(location)) {
      fail(`${at}.location`, `'${location}' is not a GCP region or zone`);
    }
    const gkeCluster = read(`${at}.gkeCluster`, () =>
      one.getString('gkeCluster'),
    );
    if (!GKE_CLUSTER.test(gkeCluster)) {
      fail(`${at}.gkeCluster`, `'${gkeCluster}' is not a GKE cluster name`);
    }
    clusters[name] = { project, location, gkeCluster };
  }
  const apiEndpoint = read('apiEndpoint', () =>
    c.getOptionalString('apiEndpoint'),
  );
  if (apiEndpoint !== undefined) {
    try {
      parseApiEndpoint(apiEndpoint);
    } catch (e) {
      fail('apiEndpoint', (e as Error).message);
    }
  }
  return {
    clusters,
    ...(apiEndpoint ? { apiEndpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
}
