import { Config } from '@backstage/config';
import { AwsClientOptions, AwsStaticCredentials } from './client';
import {
  AwsCostExplorerBillSourceOptions,
  COST_METRICS,
  CostMetric,
  DEFAULT_COST_SERVICES,
  DEFAULT_TAG_KEYS,
} from './AwsCostExplorerBillSource';
import { AwsPricingPriceSourceOptions } from './AwsPricingPriceSource';
import { AwsSpotPriceSourceOptions } from './AwsSpotPriceSource';
import { AwsSpotPlacementScoreSourceOptions } from './AwsSpotPlacementScoreSource';
import { EksClusterLocation, EksNodePoolApiOptions } from './EksNodePoolApi';

const KEY = 'modelfleet.aws';

/**
 * GPU instance families priced when `modelfleet.aws.instanceTypes` is not set.
 *
 * @public
 */
export const DEFAULT_INSTANCE_FAMILIES = [
  'g4dn',
  'g5',
  'g6',
  'g6e',
  'p4d',
  'p4de',
  'p5',
  'p5e',
];

/**
 * The sources `modelfleet.aws` turns on; a source is absent when disabled.
 *
 * @public
 */
export interface AwsModuleOptions {
  pricing?: AwsPricingPriceSourceOptions;
  spot?: AwsSpotPriceSourceOptions;
  spotPlacementScores?: AwsSpotPlacementScoreSourceOptions;
  costExplorer?: AwsCostExplorerBillSourceOptions;
  /** The EKS node-pool API; present when `nodePools` is set. */
  nodePools?: EksNodePoolApiOptions;
}

function fail(key: string, reason: string): never {
  throw new Error(`Invalid config at ${KEY}.${key}: ${reason}`);
}

// us-east-1, eu-central-2, us-gov-west-1, ap-southeast-5, cn-northwest-1
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
// g5, g5.xlarge, p6-b200.48xlarge, g4dn.metal
const INSTANCE_SELECTOR = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)?$/;
// EKS cluster names: a letter or digit, then letters, digits, - and _; up to 100.
const EKS_CLUSTER = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

function region(c: Config, key: string, path = key): string | undefined {
  const v = c.getOptionalString(key);
  if (v !== undefined && !REGION.test(v)) {
    fail(path, `'${v}' is not an AWS region code like us-east-1`);
  }
  return v;
}

function endpoint(c: Config, key: string, path = key): string | undefined {
  const v = c.getOptionalString(key);
  if (v === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return fail(path, `'${v}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail(path, `'${v}' is not an http(s) URL`);
  }
  return v;
}

function positive(
  c: Config,
  key: string,
  opts: { integer?: boolean; max?: number } = {},
): number | undefined {
  const v = c.getOptionalNumber(key);
  if (v === undefined) return undefined;
  if (!(v > 0) || (opts.integer && !Number.isInteger(v))) {
    fail(key, `${v} is not a positive ${opts.integer ? 'integer' : 'number'}`);
  }
  if (opts.max !== undefined && v > opts.max) {
    fail(key, `${v} is above the maximum of ${opts.max}`);
  }
  return v;
}

function nonEmptyStrings(c: Config, key: string): string[] | undefined {
  const list = c.getOptionalStringArray(key);
  if (list === undefined) return undefined;
  if (list.length === 0) fail(key, 'must not be empty');
  list.forEach((v, i) => {
    if (v.trim() === '') fail(`${key}[${i}]`, 'must not be empty');
  });
  return list;
}

function readCredentials(c: Config): AwsStaticCredentials | undefined {
  const cred = c.getOptionalConfig('credentials');
  if (!cred) return undefined;
  const accessKeyId = cred.getOptionalString('accessKeyId');
  const secretAccessKey = cred.getOptionalString('secretAccessKey');
  if (!accessKeyId) fail('credentials.accessKeyId', 'is required');
  if (!secretAccessKey) fail('credentials.secretAccessKey', 'is required');
  const sessionToken = cred.getOptionalString('sessionToken');
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
  };
}

function readNodePools(
  section: Config,
  client: AwsClientOptions,
): EksNodePoolApiOptions {
  // Read raw: cluster names are map keys, not config key paths.
  const raw = section.getOptional('clusters');
  if (raw === undefined || raw === null) {
    fail(
      'nodePools.clusters',
      'is required: the EKS cluster and region of each cluster whose node groups are managed',
    );
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    fail('nodePools.clusters', 'must be a map of cluster name to location');
  }
  const names = Object.keys(raw);
  if (names.length === 0) fail('nodePools.clusters', 'must not be empty');
  const clusters: Record<string, EksClusterLocation> = {};
  for (const name of names) {
    const key = `nodePools.clusters.${name}`;
    const entry = raw[name] as Record<string, unknown> | null;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      fail(key, 'must be an object with eksCluster and region');
    }
    const { eksCluster, region: r } = entry;
    if (eksCluster === undefined) fail(`${key}.eksCluster`, 'is required');
    if (typeof eksCluster !== 'string' || !EKS_CLUSTER.test(eksCluster)) {
      fail(
        `${key}.eksCluster`,
        `'${String(eksCluster)}' is not an EKS cluster name`,
      );
    }
    if (r === undefined) {
      fail(`${key}.region`, 'is required (an AWS region code like us-east-1)');
    }
    if (typeof r !== 'string' || !REGION.test(r)) {
      fail(
        `${key}.region`,
        `'${String(r)}' is not an AWS region code like us-east-1`,
      );
    }
    clusters[name] = { eksCluster, region: r };
  }
  return {
    ...client,
    clusters,
    endpoint: endpoint(section, 'endpoint', 'nodePools.endpoint'),
  };
}

function enabled(section: Config | undefined, byDefault: boolean): boolean {
  if (!section) return byDefault;
  return section.getOptionalBoolean('enabled') ?? true;
}

/**
 * Reads `modelfleet.aws`; undefined when the section is absent. The Pricing
 * and spot price sources are on unless disabled (or, when only `nodePools`
 * is set without `regions`, off unless their sections are given); Cost
 * Explorer is on only when `costExplorer` is set (its requests are billed
 * by AWS); the EKS node-pool API only when `nodePools` is set. Throws
 * naming the key path of a bad value.
 *
 * @public
 */
export function readAwsConfig(root: Config): AwsModuleOptions | undefined {
  const c = root.getOptionalConfig(KEY);
  if (!c) return undefined;

  const client: AwsClientOptions = {
    credentials: readCredentials(c),
    maxAttempts: positive(c, 'maxAttempts', { integer: true, max: 20 }),
  };

  const pricingSection = c.getOptionalConfig('pricing');
  const spotSection = c.getOptionalConfig('spot');
  const ceSection = c.getOptionalConfig('costExplorer');
  const nodePoolsSection = c.getOptionalConfig('nodePools');
  // With only node pools configured (no regions), the price sources stay
  // off unless their sections are given.
  const pricesByDefault = !nodePoolsSection || c.has('regions');
  const pricingOn = enabled(pricingSection, pricesByDefault);
  const spotOn = enabled(spotSection, pricesByDefault);
  const scoresOn =
    spotOn && enabled(c.getOptionalConfig('spotPlacementScores'), true);
  const ceOn = enabled(ceSection, false);

  let regions: string[] = [];
  let instanceTypes = DEFAULT_INSTANCE_FAMILIES;
  if (pricingOn || spotOn) {
    if (!c.has('regions')) {
      fail('regions', 'is required to read prices (a list like [us-east-1])');
    }
    regions = nonEmptyStrings(c, 'regions')!;
    regions.forEach((r, i) => {
      if (!REGION.test(r)) {
        fail(
          `regions[${i}]`,
          `'${r}' is not an AWS region code like us-east-1`,
        );
      }
    });
    instanceTypes = nonEmptyStrings(c, 'instanceTypes') ?? instanceTypes;
    instanceTypes.forEach((t, i) => {
      if (!INSTANCE_SELECTOR.test(t)) {
        fail(
          `instanceTypes[${i}]`,
          `'${t}' is not an instance type (g5.xlarge) or family (g5)`,
        );
      }
    });
  }

  const options: AwsModuleOptions = {};
  if (pricingOn) {
    options.pricing = {
      ...client,
      regions,
      instanceTypes,
      pricingRegion: region(c, 'pricing.region') ?? 'us-east-1',
      endpoint: endpoint(c, 'pricing.endpoint'),
    };
  }
  if (spotOn) {
    options.spot = {
      ...client,
      regions,
      instanceTypes,
      lookbackHours: positive(c, 'spot.lookbackHours', { max: 24 * 90 }) ?? 24,
      endpoint: endpoint(c, 'spot.endpoint'),
    };
  }
  if (scoresOn) {
    options.spotPlacementScores = {
      ...client,
      regions,
      apiRegion: region(c, 'spotPlacementScores.apiRegion'),
      endpoint: endpoint(c, 'spotPlacementScores.endpoint'),
    };
  }
  if (ceOn) {
    const metric =
      c.getOptionalString('costExplorer.metric') ?? 'UnblendedCost';
    if (!COST_METRICS.includes(metric as CostMetric)) {
      fail(
        'costExplorer.metric',
        `'${metric}' is not one of ${COST_METRICS.join(', ')}`,
      );
    }
    const tagKeys =
      nonEmptyStrings(c, 'costExplorer.tagKeys') ?? DEFAULT_TAG_KEYS;
    tagKeys.forEach((k, i) => {
      if (k.length > 128) {
        fail(`costExplorer.tagKeys[${i}]`, 'is longer than 128 characters');
      }
    });
    const services = c.getOptionalStringArray('costExplorer.services');
    services?.forEach((s, i) => {
      if (s.trim() === '')
        fail(`costExplorer.services[${i}]`, 'must not be empty');
    });
    options.costExplorer = {
      ...client,
      region: region(c, 'costExplorer.region') ?? 'us-east-1',
      endpoint: endpoint(c, 'costExplorer.endpoint'),
      metric: metric as CostMetric,
      tagKeys,
      services: services ?? DEFAULT_COST_SERVICES,
      includeUsage: c.getOptionalBoolean('costExplorer.includeUsage') ?? false,
    };
  }
  if (nodePoolsSection) {
    options.nodePools = readNodePools(nodePoolsSection, client);
  }
  return options;
}
