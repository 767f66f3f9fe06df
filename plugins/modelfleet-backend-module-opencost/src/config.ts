import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { CloudProvider } from '@modelfleet/plugin-modelfleet-node';
import { OpenCostClusterMapping } from './lines';
import {
  InvalidOpenCostOptionError,
  OpenCostAllocationBillSource,
  OpenCostAllocationBillSourceOptions,
} from './OpenCostAllocationBillSource';

const KEY = 'modelfleet.opencost';
const NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]*$/;

function fail(key: string, reason: string): never {
  throw new Error(`Invalid config at ${key}: ${reason}`);
}

function readInstance(
  c: Config,
  key: string,
  id: string,
): OpenCostAllocationBillSourceOptions {
  if (!c.has('baseUrl'))
    fail(`${key}.baseUrl`, 'missing; set the OpenCost API URL');
  const clusters: Record<string, OpenCostClusterMapping> = {};
  const cc = c.getOptionalConfig('clusters');
  for (const cluster of cc?.keys() ?? []) {
    const m = cc!.getConfig(cluster);
    clusters[cluster] = {
      name: m.getOptionalString('name'),
      provider: m.getOptionalString('provider') as CloudProvider | undefined,
    };
  }
  const options: OpenCostAllocationBillSourceOptions = {
    id,
    baseUrl: c.getString('baseUrl'),
    token: c.getOptionalString('token'),
    timeoutMs: c.has('timeout')
      ? durationToMilliseconds(readDurationFromConfig(c, { key: 'timeout' }))
      : undefined,
    aggregate: c.getOptionalString('aggregate'),
    provider: c.getOptionalString('provider') as CloudProvider | undefined,
    cluster: c.getOptionalString('cluster'),
    clusters,
    chunkDays: c.getOptionalNumber('chunkDays'),
    currency: c.getOptionalString('currency'),
    retry: { maxRetries: c.getOptionalNumber('maxRetries') },
  };
  try {
    // The source checks every option; only the key path is added here.
    new OpenCostAllocationBillSource(options); // eslint-disable-line no-new
  } catch (e) {
    if (e instanceof InvalidOpenCostOptionError) {
      fail(`${key}.${e.field}`, e.reason);
    }
    throw e;
  }
  return options;
}

/**
 * Reads `modelfleet.opencost`: either one OpenCost (`baseUrl`, …; source id
 * `opencost`) or `instances: [{ name, baseUrl, … }]` (source ids
 * `opencost:<name>`). Undefined when the section is absent. Throws naming
 * the key path of a bad value.
 *
 * @public
 */
export function readOpenCostConfig(
  root: Config,
): OpenCostAllocationBillSourceOptions[] | undefined {
  const c = root.getOptionalConfig(KEY);
  if (!c) return undefined;
  const instances = c.getOptionalConfigArray('instances');
  if (!instances) return [readInstance(c, KEY, 'opencost')];

  const others = c.keys().filter(k => k !== 'instances');
  if (others.length > 0) {
    fail(
      `${KEY}.${others[0]}`,
      `set it inside each of ${KEY}.instances, not next to the list`,
    );
  }
  if (instances.length === 0) {
    fail(`${KEY}.instances`, 'the list is empty; remove it or add an OpenCost');
  }
  const names = new Set<string>();
  return instances.map((ic, i) => {
    const key = `${KEY}.instances[${i}]`;
    if (!ic.has('name'))
      fail(`${key}.name`, 'missing; every instance needs a name');
    const name = ic.getString('name');
    if (!NAME.test(name)) {
      fail(
        `${key}.name`,
        `'${name}' must start with a letter or digit and hold only letters, digits, '-', '_' and '.'`,
      );
    }
    if (names.has(name)) fail(`${key}.name`, `'${name}' is used twice`);
    names.add(name);
    return readInstance(ic, key, `opencost:${name}`);
  });
}
