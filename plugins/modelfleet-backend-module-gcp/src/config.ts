import { Config } from '@backstage/config';
import { parseApiEndpoint } from './catalog/GcpBillingCatalogPriceSource';
import { GcpBillingCatalogPriceSourceOptions } from './catalog/GcpBillingCatalogPriceSource';
import { GcpCredentials, parseCredentials } from './credentials';
import { DEFAULT_LABEL_KEY, parseTableRef } from './export/billingExport';
import { GcpBillingExportBillSourceOptions } from './export/GcpBillingExportBillSource';
import { readNodePoolsConfig } from './nodePools/config';
import { GkeNodePoolApiOptions } from './nodePools/GkeNodePoolApi';

const KEY = 'modelfleet.gcp';

/**
 * What `modelfleet.gcp` asks for: the sources to register, with their options.
 *
 * @public
 */
export interface GcpModuleConfig {
  /** Empty only when `nodePools` is all that is configured. */
  regions: string[];
  /** Set when `billingCatalog` is configured and not disabled. */
  billingCatalog?: GcpBillingCatalogPriceSourceOptions;
  /** Set when `billingExport` is configured. */
  billingExport?: GcpBillingExportBillSourceOptions;
  /** Set when `nodePools` is configured. */
  nodePools?: GkeNodePoolApiOptions;
}

function fail(key: string, reason: string): never {
  throw new Error(`Invalid config at ${KEY}.${key}: ${reason}`);
}

/** Reads a value with the config reader, turning its errors into ours. */
function read<T>(key: string, get: () => T): T {
  try {
    return get();
  } catch (e) {
    return fail(key, (e as Error).message);
  }
}

const REGION = /^[a-z]+(?:-[a-z]+)+\d+$/;
const PROJECT = /^(?:[a-z0-9][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

function endpoint(c: Config, key: string, prefix: string): string | undefined {
  const value = read(`${prefix}.${key}`, () => c.getOptionalString(key));
  if (value === undefined) return undefined;
  try {
    parseApiEndpoint(value);
  } catch (e) {
    fail(`${prefix}.${key}`, (e as Error).message);
  }
  return value;
}

/**
 * Reads `modelfleet.gcp`; undefined when it is absent. Throws naming the key
 * path of a bad value.
 *
 * @public
 */
export function readGcpConfig(root: Config): GcpModuleConfig | undefined {
  const c = root.getOptionalConfig(KEY);
  if (!c) return undefined;

  // Regions are for prices and bills: a config of node pools alone needs none.
  const nodePoolsOnly =
    c.has('nodePools') && !c.has('billingCatalog') && !c.has('billingExport');
  if (!c.has('regions') && !nodePoolsOnly) {
    fail('regions', 'is required (e.g. [us-central1])');
  }
  const regions = c.has('regions')
    ? read('regions', () => c.getStringArray('regions'))
    : [];
  if (regions.length === 0 && c.has('regions')) fail('regions', 'is empty');
  regions.forEach((r, i) => {
    if (!REGION.test(r)) fail(`regions[${i}]`, `'${r}' is not a GCP region`);
  });

  let credentials: GcpCredentials | undefined;
  if (c.has('credentials')) {
    try {
      credentials = parseCredentials(
        c.get('credentials'),
        `${KEY}.credentials`,
      );
    } catch (e) {
      throw new Error(`Invalid config at ${(e as Error).message}`);
    }
  }

  const result: GcpModuleConfig = { regions };

  const cat = read('billingCatalog', () =>
    c.getOptionalConfig('billingCatalog'),
  );
  if (cat) {
    const enabled = read('billingCatalog.enabled', () =>
      cat.getOptionalBoolean('enabled'),
    );
    if (enabled !== false) {
      const apiKey = read('billingCatalog.apiKey', () =>
        cat.getOptionalString('apiKey'),
      );
      if (apiKey !== undefined && !apiKey.trim()) {
        fail('billingCatalog.apiKey', 'is empty');
      }
      result.billingCatalog = {
        regions,
        apiEndpoint: endpoint(cat, 'apiEndpoint', 'billingCatalog'),
        ...(apiKey ? { apiKey } : {}),
        ...(credentials && !apiKey ? { credentials } : {}),
      };
    }
  }

  const exp = read('billingExport', () => c.getOptionalConfig('billingExport'));
  if (exp) {
    const projectId = read('billingExport.projectId', () =>
      exp.getString('projectId'),
    );
    if (!PROJECT.test(projectId)) {
      fail('billingExport.projectId', `'${projectId}' is not a GCP project id`);
    }
    const table = read('billingExport.table', () => exp.getString('table'));
    try {
      parseTableRef(table);
    } catch (e) {
      fail('billingExport.table', (e as Error).message);
    }
    const labelKey =
      read('billingExport.labelKey', () => exp.getOptionalString('labelKey')) ??
      DEFAULT_LABEL_KEY;
    if (!labelKey.trim()) fail('billingExport.labelKey', 'is empty');
    const location = read('billingExport.location', () =>
      exp.getOptionalString('location'),
    );
    if (location !== undefined && !/^[A-Za-z0-9-]+$/.test(location)) {
      fail(
        'billingExport.location',
        `'${location}' is not a BigQuery location`,
      );
    }
    const apiEndpoint = endpoint(exp, 'apiEndpoint', 'billingExport');
    result.billingExport = {
      projectId,
      table,
      labelKey,
      ...(location ? { location } : {}),
      ...(apiEndpoint ? { apiEndpoint } : {}),
      ...(credentials ? { credentials } : {}),
    };
  }
  const nodePools = readNodePoolsConfig(c, credentials);
  if (nodePools) result.nodePools = nodePools;
  return result;
}
