import { ConfigReader } from '@backstage/config';
import crypto from 'node:crypto';
import { readGcpConfig } from './config';

const TABLE =
  'billing-admin.billing_export.gcp_billing_export_v1_0123AB_4567CD_89EF01';
const PEM = crypto
  .generateKeyPairSync('rsa', { modulusLength: 1024 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const KEY = {
  type: 'service_account',
  project_id: 'modelfleet-prices',
  client_email: 'modelfleet@modelfleet-prices.iam.gserviceaccount.com',
  private_key: PEM,
};

const read = (gcp: unknown) =>
  readGcpConfig(new ConfigReader({ modelfleet: { gcp } } as any));

describe('readGcpConfig', () => {
  it('is undefined without modelfleet.gcp', () => {
    expect(readGcpConfig(new ConfigReader({}))).toBeUndefined();
  });

  it('reads the catalog and the export with their defaults', () => {
    expect(
      read({
        regions: ['us-central1', 'northamerica-northeast1'],
        billingCatalog: {},
        billingExport: { projectId: 'modelfleet-billing', table: TABLE },
      }),
    ).toEqual({
      regions: ['us-central1', 'northamerica-northeast1'],
      billingCatalog: {
        regions: ['us-central1', 'northamerica-northeast1'],
        apiEndpoint: undefined,
      },
      billingExport: {
        projectId: 'modelfleet-billing',
        table: TABLE,
        labelKey: 'modelfleet-io-model',
      },
    });
  });

  it('gives the credentials to both sources, unless the catalog has an API key', () => {
    const both = read({
      regions: ['us-central1'],
      credentials: JSON.stringify(KEY),
      billingCatalog: { enabled: true, apiEndpoint: 'http://127.0.0.1:8123' },
      billingExport: {
        projectId: 'modelfleet-billing',
        table: TABLE,
        labelKey: 'k8s-label/modelfleet.io/model',
        location: 'EU',
        apiEndpoint: 'https://bigquery.googleapis.com',
      },
    })!;
    expect(both.billingCatalog).toEqual({
      regions: ['us-central1'],
      apiEndpoint: 'http://127.0.0.1:8123',
      credentials: KEY,
    });
    expect(both.billingExport).toEqual({
      projectId: 'modelfleet-billing',
      table: TABLE,
      labelKey: 'k8s-label/modelfleet.io/model',
      location: 'EU',
      apiEndpoint: 'https://bigquery.googleapis.com',
      credentials: KEY,
    });
    const keyed = read({
      regions: ['us-central1'],
      credentials: KEY,
      billingCatalog: { apiKey: 'AIzaSyTest' },
    })!;
    expect(keyed.billingCatalog).toEqual({
      regions: ['us-central1'],
      apiEndpoint: undefined,
      apiKey: 'AIzaSyTest',
    });
  });

  it('leaves a disabled catalog out', () => {
    expect(
      read({ regions: ['us-central1'], billingCatalog: { enabled: false } }),
    ).toEqual({ regions: ['us-central1'] });
  });

  it.each<[string, unknown, RegExp]>([
    [
      'no regions',
      { billingCatalog: {} },
      /modelfleet\.gcp\.regions: is required/,
    ],
    ['empty regions', { regions: [] }, /modelfleet\.gcp\.regions: is empty/],
    [
      'regions that are not strings',
      { regions: [1] },
      /modelfleet\.gcp\.regions: .*wanted string/,
    ],
    [
      'a zone for a region',
      { regions: ['us-central1-a'] },
      /modelfleet\.gcp\.regions\[0\]: 'us-central1-a' is not a GCP region/,
    ],
    [
      'credentials that are not JSON',
      { regions: ['us-central1'], credentials: '{type: service_account' },
      /modelfleet\.gcp\.credentials: is not JSON/,
    ],
    [
      'credentials without a private key',
      {
        regions: ['us-central1'],
        credentials: { ...KEY, private_key: undefined },
      },
      /modelfleet\.gcp\.credentials\.private_key: is missing/,
    ],
    [
      'credentials of an unknown type',
      { regions: ['us-central1'], credentials: { ...KEY, type: 'api_key' } },
      /modelfleet\.gcp\.credentials\.type: is "api_key"; expected one of service_account/,
    ],
    [
      'a catalog endpoint that is not a URL',
      {
        regions: ['us-central1'],
        billingCatalog: { apiEndpoint: 'ftp://billing' },
      },
      /modelfleet\.gcp\.billingCatalog\.apiEndpoint: 'ftp:\/\/billing' is not an http\(s\) URL/,
    ],
    [
      'an empty API key',
      { regions: ['us-central1'], billingCatalog: { apiKey: ' ' } },
      /modelfleet\.gcp\.billingCatalog\.apiKey: is empty/,
    ],
    [
      'enabled that is not a boolean',
      { regions: ['us-central1'], billingCatalog: { enabled: 'maybe' } },
      /modelfleet\.gcp\.billingCatalog\.enabled: /,
    ],
    [
      'an export without a project',
      { regions: ['us-central1'], billingExport: { table: TABLE } },
      /modelfleet\.gcp\.billingExport\.projectId: /,
    ],
    [
      'an export project that is not a project id',
      {
        regions: ['us-central1'],
        billingExport: { projectId: 'My Project', table: TABLE },
      },
      /modelfleet\.gcp\.billingExport\.projectId: 'My Project' is not a GCP project id/,
    ],
    [
      'an export table without a project',
      {
        regions: ['us-central1'],
        billingExport: {
          projectId: 'modelfleet-billing',
          table: 'billing_export.gcp_billing_export_v1_X',
        },
      },
      /modelfleet\.gcp\.billingExport\.table: 'billing_export\.gcp_billing_export_v1_X' is not a table reference/,
    ],
    [
      'an export endpoint with a path',
      {
        regions: ['us-central1'],
        billingExport: {
          projectId: 'modelfleet-billing',
          table: TABLE,
          apiEndpoint: 'https://bq.example.com/v2',
        },
      },
      /modelfleet\.gcp\.billingExport\.apiEndpoint: 'https:\/\/bq\.example\.com\/v2' must be a bare origin/,
    ],
  ])('names the key of %s', (_what, gcp, message) => {
    expect(() => read(gcp)).toThrow(message);
    expect(() => read(gcp)).toThrow(/^Invalid config at modelfleet\.gcp\./);
  });
});
