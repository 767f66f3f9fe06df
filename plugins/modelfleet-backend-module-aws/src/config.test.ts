import { ConfigReader } from '@backstage/config';
import { DEFAULT_INSTANCE_FAMILIES, readAwsConfig } from './config';

function read(aws: unknown) {
  return readAwsConfig(
    new ConfigReader(aws === undefined ? {} : { modelfleet: { aws } }),
  );
}

function errorOf(aws: unknown): string {
  try {
    read(aws);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('readAwsConfig', () => {
  it('is undefined without modelfleet.aws', () => {
    expect(read(undefined)).toBeUndefined();
    expect(readAwsConfig(new ConfigReader({ modelfleet: {} }))).toBeUndefined();
  });

  it('turns on the price sources with defaults and leaves Cost Explorer off', () => {
    expect(read({ regions: ['us-east-1', 'eu-west-1'] })).toEqual({
      pricing: {
        regions: ['us-east-1', 'eu-west-1'],
        instanceTypes: DEFAULT_INSTANCE_FAMILIES,
        pricingRegion: 'us-east-1',
        endpoint: undefined,
        credentials: undefined,
        maxAttempts: undefined,
      },
      spot: {
        regions: ['us-east-1', 'eu-west-1'],
        instanceTypes: DEFAULT_INSTANCE_FAMILIES,
        lookbackHours: 24,
        endpoint: undefined,
        credentials: undefined,
        maxAttempts: undefined,
      },
      spotPlacementScores: {
        regions: ['us-east-1', 'eu-west-1'],
        apiRegion: undefined,
        endpoint: undefined,
        credentials: undefined,
        maxAttempts: undefined,
      },
    });
    expect(DEFAULT_INSTANCE_FAMILIES).toEqual([
      'g4dn',
      'g5',
      'g6',
      'g6e',
      'p4d',
      'p4de',
      'p5',
      'p5e',
    ]);
  });

  it('reads every key', () => {
    const options = read({
      regions: ['us-west-2'],
      instanceTypes: ['g6e', 'p5.48xlarge'],
      maxAttempts: 8,
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'secret',
        sessionToken: 'token',
      },
      pricing: {
        region: 'ap-south-1',
        endpoint: 'https://vpce-1.api.pricing.us-east-1.vpce.amazonaws.com',
      },
      spot: { lookbackHours: 6, endpoint: 'http://127.0.0.1:4566' },
      costExplorer: {
        tagKeys: ['modelfleet.io/model', 'team'],
        metric: 'NetUnblendedCost',
        services: ['Amazon Elastic Compute Cloud - Compute', 'EC2 - Other'],
        includeUsage: true,
        endpoint: 'http://127.0.0.1:4567',
      },
    })!;
    const client = {
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'secret',
        sessionToken: 'token',
      },
      maxAttempts: 8,
    };
    expect(options.pricing).toEqual({
      ...client,
      regions: ['us-west-2'],
      instanceTypes: ['g6e', 'p5.48xlarge'],
      pricingRegion: 'ap-south-1',
      endpoint: 'https://vpce-1.api.pricing.us-east-1.vpce.amazonaws.com',
    });
    expect(options.spot).toMatchObject({
      ...client,
      lookbackHours: 6,
      endpoint: 'http://127.0.0.1:4566',
    });
    expect(options.costExplorer).toEqual({
      ...client,
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4567',
      metric: 'NetUnblendedCost',
      tagKeys: ['modelfleet.io/model', 'team'],
      services: ['Amazon Elastic Compute Cloud - Compute', 'EC2 - Other'],
      includeUsage: true,
    });
  });

  it('turns sources off with enabled: false', () => {
    expect(
      read({
        regions: ['us-east-1'],
        pricing: { enabled: false },
        costExplorer: { enabled: false },
      }),
    ).toEqual({
      spot: expect.objectContaining({ regions: ['us-east-1'] }),
      spotPlacementScores: expect.objectContaining({ regions: ['us-east-1'] }),
    });
    // Placement scores off alone, and with the spot prices.
    expect(
      read({
        regions: ['us-east-1'],
        pricing: { enabled: false },
        spotPlacementScores: { enabled: false, apiRegion: 'us-west-2' },
      }),
    ).toEqual({ spot: expect.objectContaining({ regions: ['us-east-1'] }) });
    expect(
      read({
        regions: ['us-east-1'],
        spotPlacementScores: { apiRegion: 'us-west-2' },
      })!.spotPlacementScores,
    ).toEqual(expect.objectContaining({ apiRegion: 'us-west-2' }));
    expect(() =>
      read({
        regions: ['us-east-1'],
        spotPlacementScores: { apiRegion: 'Virginia' },
      }),
    ).toThrow(
      "Invalid config at modelfleet.aws.spotPlacementScores.apiRegion: 'Virginia' is not an AWS region code like us-east-1",
    );
    // Cost Explorer alone needs no regions.
    expect(
      read({
        pricing: { enabled: false },
        spot: { enabled: false },
        costExplorer: {},
      }),
    ).toEqual({
      costExplorer: expect.objectContaining({
        metric: 'UnblendedCost',
        tagKeys: ['modelfleet.io/model'],
        services: ['Amazon Elastic Compute Cloud - Compute'],
        includeUsage: false,
      }),
    });
  });

  it.each([
    [
      {},
      'Invalid config at modelfleet.aws.regions: is required to read prices (a list like [us-east-1])',
    ],
    [
      { regions: [] },
      'Invalid config at modelfleet.aws.regions: must not be empty',
    ],
    [
      { regions: ['us-east-1', 'Virginia'] },
      "Invalid config at modelfleet.aws.regions[1]: 'Virginia' is not an AWS region code like us-east-1",
    ],
    [
      { regions: ['us-east-1'], instanceTypes: ['G5 XL'] },
      "Invalid config at modelfleet.aws.instanceTypes[0]: 'G5 XL' is not an instance type (g5.xlarge) or family (g5)",
    ],
    [
      { regions: ['us-east-1'], maxAttempts: 0 },
      'Invalid config at modelfleet.aws.maxAttempts: 0 is not a positive integer',
    ],
    [
      { regions: ['us-east-1'], maxAttempts: 50 },
      'Invalid config at modelfleet.aws.maxAttempts: 50 is above the maximum of 20',
    ],
    [
      { regions: ['us-east-1'], credentials: { accessKeyId: 'AKID' } },
      'Invalid config at modelfleet.aws.credentials.secretAccessKey: is required',
    ],
    [
      { regions: ['us-east-1'], credentials: { secretAccessKey: 's' } },
      'Invalid config at modelfleet.aws.credentials.accessKeyId: is required',
    ],
    [
      { regions: ['us-east-1'], pricing: { region: 'global' } },
      "Invalid config at modelfleet.aws.pricing.region: 'global' is not an AWS region code like us-east-1",
    ],
    [
      { regions: ['us-east-1'], pricing: { endpoint: 'pricing.local' } },
      "Invalid config at modelfleet.aws.pricing.endpoint: 'pricing.local' is not a URL",
    ],
    [
      { regions: ['us-east-1'], spot: { endpoint: 'ftp://127.0.0.1' } },
      "Invalid config at modelfleet.aws.spot.endpoint: 'ftp://127.0.0.1' is not an http(s) URL",
    ],
    [
      { regions: ['us-east-1'], spot: { lookbackHours: -1 } },
      'Invalid config at modelfleet.aws.spot.lookbackHours: -1 is not a positive number',
    ],
    [
      { regions: ['us-east-1'], costExplorer: { metric: 'BlendedCost' } },
      "Invalid config at modelfleet.aws.costExplorer.metric: 'BlendedCost' is not one of UnblendedCost, AmortizedCost, NetUnblendedCost",
    ],
    [
      { regions: ['us-east-1'], costExplorer: { tagKeys: [] } },
      'Invalid config at modelfleet.aws.costExplorer.tagKeys: must not be empty',
    ],
    [
      { regions: ['us-east-1'], costExplorer: { tagKeys: ['team', ' '] } },
      'Invalid config at modelfleet.aws.costExplorer.tagKeys[1]: must not be empty',
    ],
  ])('rejects %j', (aws, message) => {
    expect(errorOf(aws)).toBe(message);
  });

  it('lets the config reader name a value of the wrong type', () => {
    expect(errorOf({ regions: 'us-east-1' })).toMatch(
      /modelfleet\.aws\.regions/,
    );
    expect(
      errorOf({ regions: ['us-east-1'], spot: { lookbackHours: 'a day' } }),
    ).toMatch(/modelfleet\.aws\.spot\.lookbackHours/);
  });
});

describe('readAwsConfig nodePools', () => {
  const clusters = {
    'gpu-prod': { eksCluster: 'eks-gpu-prod', region: 'eu-west-1' },
    'gpu-us': { eksCluster: 'gpu_us_2', region: 'us-east-2' },
  };

  it('reads the node-pool clusters alone, leaving the price sources off', () => {
    expect(read({ nodePools: { clusters } })).toEqual({
      nodePools: {
        clusters,
        endpoint: undefined,
        credentials: undefined,
        maxAttempts: undefined,
      },
    });
  });

  it('shares credentials and attempts, and keeps the price sources with regions', () => {
    const options = read({
      regions: ['us-east-1'],
      maxAttempts: 3,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      nodePools: { clusters, endpoint: 'http://127.0.0.1:4570' },
    })!;
    expect(Object.keys(options)).toEqual([
      'pricing',
      'spot',
      'spotPlacementScores',
      'nodePools',
    ]);
    expect(options.nodePools).toEqual({
      clusters,
      endpoint: 'http://127.0.0.1:4570',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 3,
    });
    // A price section given explicitly still needs regions.
    expect(errorOf({ pricing: {}, nodePools: { clusters } })).toBe(
      'Invalid config at modelfleet.aws.regions: is required to read prices (a list like [us-east-1])',
    );
  });

  it.each([
    [
      {},
      'Invalid config at modelfleet.aws.nodePools.clusters: is required: the EKS cluster and region of each cluster whose node groups are managed',
    ],
    [
      { clusters: {} },
      'Invalid config at modelfleet.aws.nodePools.clusters: must not be empty',
    ],
    [
      { clusters: ['gpu-prod'] },
      'Invalid config at modelfleet.aws.nodePools.clusters: must be a map of cluster name to location',
    ],
    [
      { clusters: { 'gpu-prod': 'eks-gpu-prod' } },
      'Invalid config at modelfleet.aws.nodePools.clusters.gpu-prod: must be an object with eksCluster and region',
    ],
    [
      { clusters: { 'gpu-prod': { region: 'eu-west-1' } } },
      'Invalid config at modelfleet.aws.nodePools.clusters.gpu-prod.eksCluster: is required',
    ],
    [
      {
        clusters: {
          'gpu-prod': { eksCluster: 'gpu prod', region: 'eu-west-1' },
        },
      },
      "Invalid config at modelfleet.aws.nodePools.clusters.gpu-prod.eksCluster: 'gpu prod' is not an EKS cluster name",
    ],
    [
      { clusters: { 'gpu.prod': { eksCluster: 'gpu-prod' } } },
      'Invalid config at modelfleet.aws.nodePools.clusters.gpu.prod.region: is required (an AWS region code like us-east-1)',
    ],
    [
      {
        clusters: { 'gpu-prod': { eksCluster: 'gpu-prod', region: 'Ireland' } },
      },
      "Invalid config at modelfleet.aws.nodePools.clusters.gpu-prod.region: 'Ireland' is not an AWS region code like us-east-1",
    ],
    [
      { clusters, endpoint: 'eks.local' },
      "Invalid config at modelfleet.aws.nodePools.endpoint: 'eks.local' is not a URL",
    ],
  ])('rejects nodePools %j', (nodePools, message) => {
    expect(errorOf({ nodePools })).toBe(message);
  });
});
