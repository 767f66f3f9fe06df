import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CloudProvider } from '@modelfleet/plugin-modelfleet-common';

/**
 * A cluster the connector reads, from `kubernetes.clusterLocatorMethods`
 * with its `modelfleet.kubernetes.clusters.<name>` settings.
 *
 * @public
 */
export interface KubernetesClusterConfig {
  /** The cluster's name in `kubernetes.clusterLocatorMethods`. */
  name: string;
  /** URL of the Kubernetes API server. */
  url: string;
  /**
   * `serviceAccount`: a bearer token, from config or, without one, from the
   * token file of the pod's own service account. `none`: no credentials
   * (`kubectl proxy`).
   */
  auth:
    | { type: 'serviceAccount'; token?: string; tokenFile?: string }
    | { type: 'none' };
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  /** Configured cloud; otherwise inferred from the node labels. */
  provider?: CloudProvider;
  /** Configured region; otherwise inferred from the node labels. */
  region?: string;
  /** A cluster of the simulated demo fleet: its data is labelled demo data. */
  demo?: boolean;
}

/** Where a pod finds the token of its service account. */
export const IN_CLUSTER_TOKEN_FILE =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** The API server address of `kubectl proxy`. */
export const LOCAL_KUBECTL_PROXY_URL = 'http://127.0.0.1:8001';

const PROVIDERS: readonly CloudProvider[] = ['aws', 'gcp', 'azure', 'other'];
const AUTH_PROVIDER_METADATA = 'kubernetes.io/auth-provider';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Reads `key` of `config` (found at `path`, empty at the root), naming the
 * key path when it is missing or of the wrong type.
 */
function read<T>(
  config: Config,
  key: string,
  path: string,
  get: (key: string) => T,
  required: true,
): NonNullable<T>;
function read<T>(
  config: Config,
  key: string,
  path: string,
  get: (key: string) => T,
  required?: false,
): T;
function read<T>(
  config: Config,
  key: string,
  path: string,
  get: (key: string) => T,
  required?: boolean,
): T {
  const at = path ? `${path}.${key}` : key;
  if (required && !config.has(key)) throw new Error(`${at} is missing`);
  try {
    return get(key);
  } catch (e) {
    throw new Error(`${at} is invalid: ${message(e)}`);
  }
}

function readUrl(config: Config, path: string): string {
  const url = read(config, 'url', path, k => config.getString(k), true);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${path}.url '${url}' is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`${path}.url '${url}' is not an http or https URL`);
  }
  return url.replace(/\/+$/, '');
}

/** One cluster of a `type: config` locator; undefined when ModelFleet cannot read it. */
function readConfigCluster(
  c: Config,
  path: string,
  logger?: LoggerService,
): Omit<KubernetesClusterConfig, 'provider' | 'region' | 'demo'> | undefined {
  const name = read(c, 'name', path, k => c.getString(k), true);
  const url = readUrl(c, path);
  const authMetadata = read(c, 'authMetadata', path, k =>
    c.getOptional<Record<string, unknown>>(k),
  );
  if (
    authMetadata !== undefined &&
    (typeof authMetadata !== 'object' || Array.isArray(authMetadata))
  ) {
    throw new Error(`${path}.authMetadata must be an object`);
  }
  const fromMetadata = (key: string) => {
    const value = authMetadata?.[key];
    if (value !== undefined && typeof value !== 'string') {
      throw new Error(`${path}.authMetadata.${key} must be a string`);
    }
    return value as string | undefined;
  };
  const authProvider =
    fromMetadata(AUTH_PROVIDER_METADATA) ??
    read(c, 'authProvider', path, k => c.getOptionalString(k));
  if (!authProvider) throw new Error(`${path}.authProvider is missing`);
  const token =
    fromMetadata('serviceAccountToken') ??
    read(c, 'serviceAccountToken', path, k => c.getOptionalString(k));

  let auth: KubernetesClusterConfig['auth'];
  if (authProvider === 'serviceAccount') {
    auth = token
      ? { type: 'serviceAccount', token }
      : { type: 'serviceAccount', tokenFile: IN_CLUSTER_TOKEN_FILE };
  } else if (authProvider === 'localKubectlProxy') {
    auth = { type: 'none' };
  } else {
    logger?.warn(
      `ModelFleet skips Kubernetes cluster '${name}': ${path}.authProvider is '${authProvider}', and ModelFleet reads clusters with authProvider serviceAccount only`,
    );
    return undefined;
  }
  const caData = read(c, 'caData', path, k => c.getOptionalString(k));
  const caFile = read(c, 'caFile', path, k => c.getOptionalString(k));
  return {
    name,
    url,
    auth,
    ...(caData ? { caData } : {}),
    ...(caFile ? { caFile } : {}),
    skipTLSVerify:
      read(c, 'skipTLSVerify', path, k => c.getOptionalBoolean(k)) ?? false,
  };
}

/** `modelfleet.kubernetes.clusters.<name>`: the ModelFleet settings of each cluster. */
type ClusterSettings = Pick<
  KubernetesClusterConfig,
  'provider' | 'region' | 'demo'
>;

function readModelFleetSettings(config: Config): Map<string, ClusterSettings> {
  const base = 'modelfleet.kubernetes.clusters';
  const settings = new Map<string, ClusterSettings>();
  const clusters = read(config, base, '', k => config.getOptionalConfig(k));
  for (const name of clusters?.keys() ?? []) {
    const path = `${base}.${name}`;
    const c = read(clusters!, name, base, k => clusters!.getConfig(k));
    const provider = read(c, 'provider', path, k => c.getOptionalString(k));
    if (
      provider !== undefined &&
      !PROVIDERS.includes(provider as CloudProvider)
    ) {
      throw new Error(
        `${path}.provider '${provider}' is not one of ${PROVIDERS.join(', ')}`,
      );
    }
    const region = read(c, 'region', path, k => c.getOptionalString(k));
    const demo = read(c, 'demo', path, k => c.getOptionalBoolean(k));
    settings.set(name, {
      ...(provider ? { provider: provider as CloudProvider } : {}),
      ...(region ? { region } : {}),
      ...(demo ? { demo } : {}),
    });
  }
  return settings;
}

/**
 * The clusters ModelFleet reads: those of `kubernetes.clusterLocatorMethods`
 * (the config the Backstage Kubernetes plugin reads) of type `config` and
 * `localKubectlProxy`, with their `modelfleet.kubernetes.clusters.<name>`
 * settings. Throws an error naming the key path of a bad value; skips, with
 * a warning, locators of other types and clusters with an auth provider
 * ModelFleet cannot use.
 *
 * @public
 */
export function readKubernetesClusterConfigs(
  config: Config,
  logger?: LoggerService,
): KubernetesClusterConfig[] {
  const methods =
    read(config, 'kubernetes.clusterLocatorMethods', '', k =>
      config.getOptionalConfigArray(k),
    ) ?? [];
  const clusters: Omit<
    KubernetesClusterConfig,
    'provider' | 'region' | 'demo'
  >[] = [];
  const seen = new Map<string, string>();
  const add = (
    cluster: Omit<KubernetesClusterConfig, 'provider' | 'region' | 'demo'>,
    path: string,
  ) => {
    const first = seen.get(cluster.name);
    if (first) {
      throw new Error(
        `${path}.name '${cluster.name}' is already the name of ${first}`,
      );
    }
    seen.set(cluster.name, path);
    clusters.push(cluster);
  };

  methods.forEach((method, i) => {
    const path = `kubernetes.clusterLocatorMethods[${i}]`;
    const type = read(method, 'type', path, k => method.getString(k), true);
    if (type === 'config') {
      const items = read(
        method,
        'clusters',
        path,
        k => method.getConfigArray(k),
        true,
      );
      items.forEach((c, j) => {
        const clusterPath = `${path}.clusters[${j}]`;
        const cluster = readConfigCluster(c, clusterPath, logger);
        if (cluster) add(cluster, clusterPath);
      });
    } else if (type === 'localKubectlProxy') {
      add(
        {
          name: 'local',
          url: LOCAL_KUBECTL_PROXY_URL,
          auth: { type: 'none' },
          skipTLSVerify: false,
        },
        path,
      );
    } else {
      logger?.warn(
        `ModelFleet skips ${path}: its type is '${type}', and ModelFleet reads cluster locators of type config and localKubectlProxy only`,
      );
    }
  });

  const settings = readModelFleetSettings(config);
  for (const name of settings.keys()) {
    if (!seen.has(name)) {
      logger?.warn(
        `modelfleet.kubernetes.clusters.${name} names no cluster ModelFleet reads from kubernetes.clusterLocatorMethods`,
      );
    }
  }
  return clusters.map(c => ({ ...c, ...settings.get(c.name) }));
}
