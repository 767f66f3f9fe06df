import type { AccessToken, TokenCredential } from '@azure/core-auth';
import {
  json,
  Loopback,
  makeTestCertificate,
  startLoopback,
  TestCertificate,
} from '../__testUtils__/loopback';
import {
  AzureSpotEvictionRateSource,
  parseEvictionBand,
} from './AzureSpotEvictionRateSource';

class StaticTokenCredential implements TokenCredential {
  readonly scopes: string[] = [];
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(...[scopes].flat());
    return { token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

const NOW = new Date('2026-12-06T12:00:00.000Z');

describe('parseEvictionBand', () => {
  it.each([
    ['0-5', { min: 0, max: 5 }],
    ['5-10', { min: 5, max: 10 }],
    ['15 - 20 %', { min: 15, max: 20 }],
    ['20+', { min: 20 }],
  ])('reads %s', (text, band) => expect(parseEvictionBand(text)).toEqual(band));
  it.each(['', 'high', '10-5', '5-200', '-5'])('rejects %p', text =>
    expect(parseEvictionBand(text)).toBeUndefined(),
  );
});

describe('AzureSpotEvictionRateSource', () => {
  let cert: TestCertificate;
  let server: Loopback;
  let respond: (body: any) => { status: number; body: unknown };

  beforeAll(async () => {
    cert = makeTestCertificate();
    server = await startLoopback((req, res) => {
      const { status, body } = respond(JSON.parse(req.body || '{}'));
      json(res, status, body);
    }, cert);
  });
  afterAll(() => server?.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  const source = (credential = new StaticTokenCredential()) =>
    new AzureSpotEvictionRateSource({
      credential,
      regions: ['eastus', 'westeurope'],
      endpoint: server.base,
      clientOptions: {
        tlsOptions: { ca: cert.cert },
        retryOptions: {
          maxRetries: 1,
          retryDelayInMs: 10,
          maxRetryDelayInMs: 20,
        },
      },
      now: () => NOW,
    });

  it('asks Resource Graph for the bands of the queried sizes and regions, pages followed, bad rows named', async () => {
    respond = body => {
      if (body.options?.$skipToken === 'next') {
        return {
          status: 200,
          body: {
            totalRecords: 3,
            count: 1,
            resultTruncated: 'false',
            data: [
              {
                skuName: 'standard_nc4as_t4_v3',
                location: 'westeurope',
                evictionRate: '20+',
              },
            ],
          },
        };
      }
      return {
        status: 200,
        body: {
          totalRecords: 3,
          count: 3,
          resultTruncated: 'false',
          $skipToken: 'next',
          data: [
            {
              skuName: 'standard_nc24ads_a100_v4',
              location: 'eastus',
              evictionRate: '5-10',
            },
            {
              skuName: 'standard_nc4as_t4_v3',
              location: 'eastus',
              evictionRate: 'unknown',
            },
            // A size nobody asked for is dropped without a word.
            {
              skuName: 'standard_d2s_v5',
              location: 'eastus',
              evictionRate: '0-5',
            },
          ],
        },
      };
    };
    const credential = new StaticTokenCredential();
    const { signals, issues } = await source(credential).listSpotRisk([
      {
        provider: 'azure',
        instanceType: 'Standard_NC24ads_A100_v4',
        region: 'eastus',
      },
      {
        provider: 'azure',
        instanceType: 'Standard_NC4as_T4_v3',
        region: 'eastus',
      },
      {
        provider: 'azure',
        instanceType: 'Standard_NC4as_T4_v3',
        region: 'westeurope',
      },
      // A size that is not one never reaches the query.
      {
        provider: 'azure',
        instanceType: "x') | project secret",
        region: 'eastus',
      },
      { provider: 'aws', instanceType: 'g5.xlarge', region: 'us-east-1' },
      {
        provider: 'azure',
        instanceType: 'Standard_NC4as_T4_v3',
        region: 'japaneast',
      },
    ]);
    expect(signals).toEqual([
      {
        provider: 'azure',
        instanceType: 'standard_nc24ads_a100_v4',
        region: 'eastus',
        evictionRatePercent: { min: 5, max: 10 },
        source: 'azure-spot-eviction-rates',
        observedAt: NOW.toISOString(),
      },
      expect.objectContaining({
        instanceType: 'standard_nc4as_t4_v3',
        region: 'westeurope',
        evictionRatePercent: { min: 20 },
      }),
    ]);
    expect(issues).toEqual([
      expect.stringMatching(
        /^VM size 'x'\) \| project secret' in 'eastus' is not an Azure VM size/,
      ),
      expect.stringMatching(
        /page 1: data\[1\]\.evictionRate 'unknown' is not a band like 0-5 or 20\+/,
      ),
    ]);
    expect(server.requests).toHaveLength(2);
    const first = JSON.parse(server.requests[0].body);
    expect(server.requests[0].url).toMatch(
      /^\/providers\/Microsoft\.ResourceGraph\/resources\?api-version=/,
    );
    expect(first.query).toContain(
      "type =~ 'microsoft.compute/skuspotevictionrate/location'",
    );
    expect(first.query).toContain("location in~ ('eastus', 'westeurope')");
    expect(first.query).toContain(
      "in~ ('standard_nc24ads_a100_v4', 'standard_nc4as_t4_v3')",
    );
    expect(first.query).not.toContain('secret');
    expect(server.requests[0].headers.authorization).toBe('Bearer test-token');
  });

  it('asks nothing when no query is for its cloud and regions', async () => {
    respond = () => ({ status: 500, body: {} });
    await expect(
      source().listSpotRisk([
        {
          provider: 'gcp',
          instanceType: 'g2-standard-8',
          region: 'us-central1',
        },
      ]),
    ).resolves.toEqual({ signals: [], issues: [] });
    expect(server.requests).toHaveLength(0);
  });

  it('names the call, the status and the error code when Azure refuses', async () => {
    respond = () => ({
      status: 403,
      body: {
        error: {
          code: 'AuthorizationFailed',
          message:
            'The client does not have authorization to perform action Microsoft.ResourceGraph/resources/read',
        },
      },
    });
    await expect(
      source().listSpotRisk([
        {
          provider: 'azure',
          instanceType: 'Standard_NC4as_T4_v3',
          region: 'eastus',
        },
      ]),
    ).rejects.toThrow(
      /Azure Resource Graph SpotResources \(eviction rates\) failed: HTTP 403 AuthorizationFailed: .*Microsoft\.ResourceGraph\/resources\/read/,
    );
  });

  it('names a page whose data is not rows', async () => {
    respond = () => ({
      status: 200,
      body: {
        totalRecords: 1,
        count: 1,
        resultTruncated: 'false',
        data: { rows: [] },
      },
    });
    await expect(
      source().listSpotRisk([
        {
          provider: 'azure',
          instanceType: 'Standard_NC4as_T4_v3',
          region: 'eastus',
        },
      ]),
    ).rejects.toThrow(/page 1: data is not an array/);
  });
});
