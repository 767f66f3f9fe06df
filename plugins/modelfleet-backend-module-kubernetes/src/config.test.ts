import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readKubernetesClusterConfigs } from './config';

type JsonObject = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

const read = (data: JsonObject, logger = mockServices.logger.mock()) =>
  readKubernetesClusterConfigs(new ConfigReader(data), logger);

const cluster = (extra: JsonObject = {}) => ({
  name: 'gpu-aws-use1',
  url: 'https://ABCDEF.gr7.us-east-1.eks.amazonaws.com/',
  authProvider: 'serviceAccount',
  serviceAccountToken: 's3cr3t',
  ...extra,
});

const withClusters = (...clusters: JsonObject[]) => ({
  kubernetes: {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [{ type: 'config', clusters }],
  },
});

describe('readKubernetesClusterConfigs', () => {
  it('reads no cluster when kubernetes is not configured', () => {
    expect(read({})).toEqual([]);
    expect(read(withClusters())).toEqual([]);
  });

  it('reads config clusters with a service account token, CA and TLS settings', () => {
    expect(
      read(
        withClusters(
          cluster({ caData: 'LS0tLS1CRUdJTi0t', skipTLSVerify: false }),
          cluster({
            name: 'gpu-gke-usc1',
            url: 'https://34.70.1.2',
            serviceAccountToken: undefined,
            caFile: '/etc/ca/gke.crt',
            skipTLSVerify: true,
          }),
        ),
      ),
    ).toEqual([
      {
        name: 'gpu-aws-use1',
        url: 'https://ABCDEF.gr7.us-east-1.eks.amazonaws.com',
        auth: { type: 'serviceAccount', token: 's3cr3t' },
        caData: 'LS0tLS1CRUdJTi0t',
        skipTLSVerify: false,
      },
      {
        name: 'gpu-gke-usc1',
        url: 'https://34.70.1.2',
        auth: {
          type: 'serviceAccount',
          tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
        },
        caFile: '/etc/ca/gke.crt',
        skipTLSVerify: true,
      },
    ]);
  });

  it('reads the auth provider and token from authMetadata', () => {
    const [c] = read(
      withClusters({
        name: 'c',
        url: 'https://k8s.example.com',
        authMetadata: {
          'kubernetes.io/auth-provider': 'serviceAccount',
          serviceAccountToken: 'from-metadata',
        },
      }),
    );
    expect(c.auth).toEqual({ type: 'serviceAccount', token: 'from-metadata' });
  });

  it('reads localKubectlProxy as the cluster local without credentials', () => {
    expect(
      read({
        kubernetes: { clusterLocatorMethods: [{ type: 'localKubectlProxy' }] },
      }),
    ).toEqual([
      {
        name: 'local',
        url: 'http://127.0.0.1:8001',
        auth: { type: 'none' },
        skipTLSVerify: false,
      },
    ]);
  });

  it('skips other locator types and other auth providers with a warning', () => {
    const logger = mockServices.logger.mock();
    const clusters = read(
      {
        kubernetes: {
          clusterLocatorMethods: [
            { type: 'catalog' },
            { type: 'gke', projectId: 'p' },
            {
              type: 'config',
              clusters: [
                cluster(),
                cluster({ name: 'eks-iam', authProvider: 'aws' }),
              ],
            },
          ],
        },
      },
      logger,
    );
    expect(clusters.map(c => c.name)).toEqual(['gpu-aws-use1']);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        "kubernetes.clusterLocatorMethods[0]: its type is 'catalog'",
      ),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        "kubernetes.clusterLocatorMethods[1]: its type is 'gke'",
      ),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        "kubernetes.clusterLocatorMethods[2].clusters[1].authProvider is 'aws'",
      ),
    );
  });

  it('adds the ModelFleet settings of each cluster', () => {
    const logger = mockServices.logger.mock();
    const clusters = read(
      {
        ...withClusters(cluster(), cluster({ name: 'onprem' })),
        modelfleet: {
          kubernetes: {
            clusters: {
              'gpu-aws-use1': { region: 'us-east-1' },
              onprem: { provider: 'other', region: 'fra-dc2', demo: true },
              gone: { provider: 'aws' },
            },
          },
        },
      },
      logger,
    );
    expect(
      clusters.map(({ name, provider, region, demo }) => ({
        name,
        provider,
        region,
        demo,
      })),
    ).toEqual([
      {
        name: 'gpu-aws-use1',
        provider: undefined,
        region: 'us-east-1',
        demo: undefined,
      },
      { name: 'onprem', provider: 'other', region: 'fra-dc2', demo: true },
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'modelfleet.kubernetes.clusters.gone names no cluster',
      ),
    );
  });

  it.each<[string, JsonObject, string]>([
    [
      'a missing url',
      withClusters(cluster(), cluster({ name: 'b', url: undefined })),
      'kubernetes.clusterLocatorMethods[0].clusters[1].url is missing',
    ],
    [
      'a missing name',
      withClusters(cluster({ name: undefined })),
      'kubernetes.clusterLocatorMethods[0].clusters[0].name is missing',
    ],
    [
      'a url that is not a URL',
      withClusters(cluster({ url: 'k8s.local' })),
      "kubernetes.clusterLocatorMethods[0].clusters[0].url 'k8s.local' is not a URL",
    ],
    [
      'a url of another scheme',
      withClusters(cluster({ url: 'ftp://k8s.local' })),
      "kubernetes.clusterLocatorMethods[0].clusters[0].url 'ftp://k8s.local' is not an http or https URL",
    ],
    [
      'a url of the wrong type',
      withClusters(cluster({ url: 42 })),
      'kubernetes.clusterLocatorMethods[0].clusters[0].url is invalid',
    ],
    [
      'a missing auth provider',
      withClusters(cluster({ authProvider: undefined })),
      'kubernetes.clusterLocatorMethods[0].clusters[0].authProvider is missing',
    ],
    [
      'a skipTLSVerify that is not a boolean',
      withClusters(cluster({ skipTLSVerify: 'sometimes' })),
      'kubernetes.clusterLocatorMethods[0].clusters[0].skipTLSVerify is invalid',
    ],
    [
      'a token that is not a string',
      withClusters(cluster({ authMetadata: { serviceAccountToken: 7 } })),
      'kubernetes.clusterLocatorMethods[0].clusters[0].authMetadata.serviceAccountToken must be a string',
    ],
    [
      'a locator without type',
      { kubernetes: { clusterLocatorMethods: [{ clusters: [] }] } },
      'kubernetes.clusterLocatorMethods[0].type is missing',
    ],
    [
      'a config locator without clusters',
      { kubernetes: { clusterLocatorMethods: [{ type: 'config' }] } },
      'kubernetes.clusterLocatorMethods[0].clusters is missing',
    ],
    [
      'locators that are not a list',
      { kubernetes: { clusterLocatorMethods: { type: 'config' } } },
      'kubernetes.clusterLocatorMethods is invalid',
    ],
    [
      'a name used twice',
      {
        kubernetes: {
          clusterLocatorMethods: [
            { type: 'config', clusters: [cluster()] },
            { type: 'config', clusters: [cluster()] },
          ],
        },
      },
      "kubernetes.clusterLocatorMethods[1].clusters[0].name 'gpu-aws-use1' is already the name of kubernetes.clusterLocatorMethods[0].clusters[0]",
    ],
    [
      'an unknown provider',
      {
        ...withClusters(cluster()),
        modelfleet: {
          kubernetes: { clusters: { 'gpu-aws-use1': { provider: 'ibm' } } },
        },
      },
      "modelfleet.kubernetes.clusters.gpu-aws-use1.provider 'ibm' is not one of aws, gcp, azure, other",
    ],
    [
      'a region that is not a string',
      {
        ...withClusters(cluster()),
        modelfleet: {
          kubernetes: { clusters: { 'gpu-aws-use1': { region: ['a'] } } },
        },
      },
      'modelfleet.kubernetes.clusters.gpu-aws-use1.region is invalid',
    ],
  ])('names the key path of %s', (_, data, message) => {
    expect(() => read(data)).toThrow(message);
  });
});
