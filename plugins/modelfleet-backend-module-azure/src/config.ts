import { Config } from '@backstage/config';
import {
  AzureCostManagementBillSourceOptions,
  DEFAULT_AZURE_MODEL_TAG,
} from './costManagement/AzureCostManagementBillSource';
import { AzureSpotEvictionRateSourceOptions } from './spot/AzureSpotEvictionRateSource';
import { AzureRetailPriceSourceOptions } from './retail/AzureRetailPriceSource';
import { AksNodePoolApiOptions } from './nodePools/AksNodePoolApi';

const KEY = 'modelfleet.azure';

function fail(key: string, reason: string): never {
  throw new Error(`Invalid config at ${KEY}.${key}: ${reason}`);
}

/**
 * What `modelfleet.azure` configures: each part is set only when that
 * connector is on.
 *
 * @public
 */
export interface AzureModuleConfig {
  retailPrices?: AzureRetailPriceSourceOptions;
  costManagement?: Omit<AzureCostManagementBillSourceOptions, 'credential'>;
  spotEvictionRates?: Omit<AzureSpotEvictionRateSourceOptions, 'credential'>;
  /** AKS agent pools whose minimum ModelFleet sets, per cluster. */
  nodePools?: Pick<AksNodePoolApiOptions, 'clusters' | 'endpoint'>;
  /** A service principal; without one the SDK's default credential chain is used. */
  credentials?: { tenantId: string; clientId: string; clientSecret: string };
}

/** `eastus`, `westus3`, `southcentralus`. */
const REGION = /^[a-z][a-z0-9]*$/;
/** `Standard_NC`, `Standard_NC24ads_A100_v4`. */
const SKU_PREFIX = /^[A-Za-z0-9_]+$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Scopes the Query API takes: subscriptions, resource groups, billing and management group scopes. */
const SCOPE =
  /^\/?(subscriptions\/[0-9a-f-]{36}(\/resourceGroups\/[^/]+)?|providers\/Microsoft\.(Billing|Management)\/[^?#]+)\/?$/i;

/** `at` is the key path under modelfleet.azure, for errors. */
function stringList(c: Config, key: string, at = key): string[] | undefined {
  try {
    return c.getOptionalStringArray(key);
  } catch {
    return fail(at, 'must be a list of strings');
  }
}

function readUrl(
  c: Config,
  key: string,
  at: string,
  protocols: string[],
): string | undefined {
  const value = c.getOptionalString(key);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(at, `'${value}' is not a URL`);
  }
  if (!protocols.includes(url.protocol)) {
    fail(
      at,
      `'${value}' is not an ${protocols
        .map(p => p.slice(0, -1))
        .join(' or ')} URL`,
    );
  }
  return value;
}

function readRetailPrices(
  c: Config,
  regions: string[] | undefined,
): AzureRetailPriceSourceOptions | undefined {
  const r = c.getOptionalConfig('retailPrices');
  if (r?.getOptionalBoolean('enabled') === false) return undefined;
  if (!regions) {
    if (r) {
      fail(
        'regions',
        'list the regions whose retail prices are read, or set retailPrices.enabled: false',
      );
    }
    return undefined;
  }
  const skuPrefixes =
    r && stringList(r, 'skuPrefixes', 'retailPrices.skuPrefixes');
  skuPrefixes?.forEach((p, i) => {
    if (!SKU_PREFIX.test(p)) {
      fail(
        `retailPrices.skuPrefixes[${i}]`,
        `'${p}' is not an Azure VM size or size prefix (like Standard_NC)`,
      );
    }
  });
  if (skuPrefixes?.length === 0) {
    fail('retailPrices.skuPrefixes', 'must not be empty');
  }
  return {
    regions,
    baseUrl:
      r && readUrl(r, 'baseUrl', 'retailPrices.baseUrl', ['https:', 'http:']),
    skuPrefixes,
  };
}

function readSpotEvictionRates(
  c: Config,
  regions: string[] | undefined,
): AzureModuleConfig['spotEvictionRates'] | undefined {
  const e = c.getOptionalConfig('spotEvictionRates');
  if (!e || e.getOptionalBoolean('enabled') === false) return undefined;
  if (!regions) {
    fail(
      'regions',
      'list the regions whose spot eviction rates are read, or set spotEvictionRates.enabled: false',
    );
  }
  return {
    regions,
    endpoint: readUrl(e, 'endpoint', 'spotEvictionRates.endpoint', ['https:']),
  };
}

function readCostManagement(
  c: Config,
): AzureModuleConfig['costManagement'] | undefined {
  const m = c.getOptionalConfig('costManagement');
  if (!m) return undefined;
  const scopes = stringList(m, 'scopes', 'costManagement.scopes');
  if (!scopes || scopes.length === 0) {
    return fail(
      'costManagement.scopes',
      'list at least one scope, e.g. /subscriptions/<subscription id>',
    );
  }
  scopes.forEach((s, i) => {
    if (!SCOPE.test(s)) {
      fail(
        `costManagement.scopes[${i}]`,
        `'${s}' is not a Cost Management scope (/subscriptions/<id>, /subscriptions/<id>/resourceGroups/<name>, /providers/Microsoft.Billing/billingAccounts/<id>, /providers/Microsoft.Management/managementGroups/<id>)`,
      );
    }
  });
  const type = m.getOptionalString('type');
  if (type !== undefined && type !== 'ActualCost' && type !== 'AmortizedCost') {
    fail('costManagement.type', `'${type}' is not ActualCost or AmortizedCost`);
  }
  const costColumn = m.getOptionalString('costColumn');
  if (
    costColumn !== undefined &&
    costColumn !== 'Cost' &&
    costColumn !== 'CostUSD'
  ) {
    fail('costManagement.costColumn', `'${costColumn}' is not Cost or CostUSD`);
  }
  const tagKey = m.getOptionalString('tagKey');
  if (tagKey !== undefined && (!tagKey || /[<>%&\\?/]/.test(tagKey))) {
    fail(
      'costManagement.tagKey',
      `'${tagKey}' is not an Azure tag name (tag names cannot be empty or hold < > % & \\ ? /)`,
    );
  }
  return {
    scopes,
    type: type as 'ActualCost' | 'AmortizedCost' | undefined,
    tagKey: tagKey ?? DEFAULT_AZURE_MODEL_TAG,
    costColumn: costColumn as 'Cost' | 'CostUSD' | undefined,
    // The Azure SDK sends bearer tokens over https only.
    endpoint: readUrl(m, 'endpoint', 'costManagement.endpoint', ['https:']),
  };
}

/** Resource group names: up to 90 letters, digits, `_`, `-`, `.`, `(`, `)`, not ending in `.`. */
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/u;
/** Managed cluster names: 1 to 63 letters, digits, `_` and `-`, starting and ending alphanumeric. */
const AKS_CLUSTER = /^[a-zA-Z0-9]([-_a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;

function readNodePools(c: Config): AzureModuleConfig['nodePools'] | undefined {
  const n = c.getOptionalConfig('nodePools');
  if (!n) return undefined;
  let clusters: Config | undefined;
  try {
    clusters = n.getOptionalConfig('clusters');
  } catch {
    fail('nodePools.clusters', 'must map cluster names to AKS clusters');
  }
  if (!clusters || clusters.keys().length === 0) {
    return fail(
      'nodePools.clusters',
      'map at least one cluster (its name in kubernetes.clusterLocatorMethods) to { subscriptionId, resourceGroup, aksCluster }',
    );
  }
  const out: NonNullable<AzureModuleConfig['nodePools']>['clusters'] = {};
  for (const name of clusters.keys()) {
    const at = `nodePools.clusters.${name}`;
    let cluster: Config;
    try {
      cluster = clusters.getConfig(name);
    } catch {
      return fail(at, 'must be { subscriptionId, resourceGroup, aksCluster }');
    }
    const read = (key: string, pattern: RegExp, what: string) => {
      let value: string | undefined;
      try {
        value = cluster.getOptionalString(key);
      } catch {
        return fail(`${at}.${key}`, `must be ${what}`);
      }
      if (!value) return fail(`${at}.${key}`, 'is required');
      if (!pattern.test(value)) {
        fail(`${at}.${key}`, `'${value}' is not ${what}`);
      }
      return value;
    };
    out[name] = {
      subscriptionId: read(
        'subscriptionId',
        GUID,
        'a subscription id (a GUID)',
      ),
      resourceGroup: read(
        'resourceGroup',
        RESOURCE_GROUP,
        'a resource group name',
      ),
      aksCluster: read(
        'aksCluster',
        AKS_CLUSTER,
        'an AKS cluster name (letters, digits, _ and -, 63 at most)',
      ),
    };
  }
  return {
    clusters: out,
    // The Azure SDK sends bearer tokens over https only.
    endpoint: readUrl(n, 'endpoint', 'nodePools.endpoint', ['https:']),
  };
}

function readCredentials(c: Config): AzureModuleConfig['credentials'] {
  const cr = c.getOptionalConfig('credentials');
  if (!cr) return undefined;
  const read = (key: string) => {
    const value = cr.getOptionalString(key);
    if (!value) fail(`credentials.${key}`, 'is required with credentials');
    return value;
  };
  const tenantId = read('tenantId');
  const clientId = read('clientId');
  if (!GUID.test(tenantId) && !/^[a-z0-9.-]+\.[a-z]+$/i.test(tenantId)) {
    fail(
      'credentials.tenantId',
      'is not a tenant id (a GUID) or tenant domain name',
    );
  }
  if (!GUID.test(clientId)) {
    fail('credentials.clientId', 'is not an application (client) id (a GUID)');
  }
  return { tenantId, clientId, clientSecret: read('clientSecret') };
}

/**
 * Reads `modelfleet.azure`; undefined when it is absent. Retail prices are
 * read for the configured `regions` unless `retailPrices.enabled` is false;
 * bills when `costManagement` is set; AKS agent pools are managed when
 * `nodePools` is set. Throws naming the key of a bad value.
 *
 * @public
 */
export function readAzureConfig(root: Config): AzureModuleConfig | undefined {
  const c = root.getOptionalConfig(KEY);
  if (!c) return undefined;
  const regions = stringList(c, 'regions');
  regions?.forEach((r, i) => {
    if (!REGION.test(r)) {
      fail(
        `regions[${i}]`,
        `'${r}' is not an Azure region name (armRegionName, like eastus)`,
      );
    }
  });
  if (regions?.length === 0) fail('regions', 'must not be empty');
  return {
    retailPrices: readRetailPrices(c, regions),
    costManagement: readCostManagement(c),
    spotEvictionRates: readSpotEvictionRates(c, regions),
    nodePools: readNodePools(c),
    credentials: readCredentials(c),
  };
}
