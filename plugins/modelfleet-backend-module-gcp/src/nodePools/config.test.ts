import { ConfigReader } from '@backstage/config';
import { readGcpConfig } from '../config';

const read = (gcp: unknown) =>
  readGcpConfig(new ConfigReader({ modelfleet: { gcp } } as any));

const CLUSTERS = {
  'gpu-east': {
    project: 'ml-serving-prod',
    location: 'us-central1',
    gkeCluster: 'gke-a',
  },
  'gpu-zonal': {
    project: 'ml-serving-dev',
    location: 'europe-west4-b',
    gkeCluster: 'dev',
  },
};

describe('modelfleet.gcp.nodePools', () => {
  it('reads the clusters, alone (no regions needed) or with the rest', () => {
    expect(read({ nodePools: { clusters: CLUSTERS } })).toEqual({
      regions: [],
      nodePools: { clusters: CLUSTERS },
    });
    const key = { type: 'external_account', audience: 'x' };
    expect(
      read({
        regions: ['us-central1'],
        credentials: key,
        billingCatalog: { enabled: false },
        nodePools: { clusters: CLUSTERS, apiEndpoint: 'http://127.0.0.1:9' },
      }),
    ).toEqual({
      regions: ['us-central1'],
      nodePools: {
        clusters: CLUSTERS,
        apiEndpoint: 'http://127.0.0.1:9',
        credentials: key,
      },
    });
  });

  it('still wants regions for prices and bills', () => {
    expect(() =>
      read({ billingCatalog: {}, nodePools: { clusters: CLUSTERS } }),
    ).toThrow(/modelfleet\.gcp\.regions: is required/);
  });

  const cluster = (field: string, value: unknown) => ({
    nodePools: {
      clusters: { 'gpu-east': { ...CLUSTERS['gpu-east'], [field]: value } },
    },
  });

  it.each<[string, unknown, RegExp]>([
    [
      'no clusters',
      { nodePools: {} },
      /modelfleet\.gcp\.nodePools\.clusters: is required/,
    ],
    [
      'empty clusters',
      { nodePools: { clusters: {} } },
      /modelfleet\.gcp\.nodePools\.clusters: is empty/,
    ],
    [
      'a cluster without a project',
      cluster('project', undefined),
      /modelfleet\.gcp\.nodePools\.clusters\.gpu-east\.project: /,
    ],
    [
      'a project that is not a project id',
      cluster('project', 'ML Serving'),
      /modelfleet\.gcp\.nodePools\.clusters\.gpu-east\.project: 'ML Serving' is not a GCP project id/,
    ],
    [
      'a location that is not one',
      cluster('location', 'Iowa'),
      /modelfleet\.gcp\.nodePools\.clusters\.gpu-east\.location: 'Iowa' is not a GCP region or zone/,
    ],
    [
      'a GKE cluster name with capitals',
      cluster('gkeCluster', 'GKE_A'),
      /modelfleet\.gcp\.nodePools\.clusters\.gpu-east\.gkeCluster: 'GKE_A' is not a GKE cluster name/,
    ],
    [
      'an endpoint with a path',
      { nodePools: { clusters: CLUSTERS, apiEndpoint: 'https://gke/v1' } },
      /modelfleet\.gcp\.nodePools\.apiEndpoint: 'https:\/\/gke\/v1' must be a bare origin/,
    ],
  ])('names the key of %s', (_what, gcp, message) => {
    expect(() => read(gcp)).toThrow(message);
  });
});
