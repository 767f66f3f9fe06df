import { PriceQuote } from '@modelfleet/plugin-modelfleet-node';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  EFFECTIVE_TIME,
  serviceAccountKey,
  sku,
  verifyJwt,
} from '../__testUtils__/fixtures';
import {
  GoogleApiServer,
  googleError,
  RecordedRequest,
  Reply,
} from '../__testUtils__/googleApiServer';
import { Harness } from '../__testUtils__/harness';
import { GcpBillingCatalogPriceSource } from './GcpBillingCatalogPriceSource';

jest.setTimeout(60_000);

const SKUS_PATH = '/v1/services/6F81-5844-456A/skus';
const AMERICAS = ['us-central1', 'us-east1', 'us-east4', 'us-west1'];

/** Three pages of the Compute Engine catalog, GPU SKUs among others. */
const PAGES: Record<string, { skus: unknown[]; next?: string }> = {
  '': {
    skus: [
      sku({
        skuId: '3F9E-1C5A-0B11',
        description: 'Nvidia L4 GPU running in Americas',
        regions: AMERICAS,
        usd: [0.56004],
      }),
      sku({
        skuId: '8A52-4E2D-77C0',
        description:
          'Nvidia L4 GPU attached to Spot Preemptible VMs running in Americas',
        usageType: 'Preemptible',
        regions: AMERICAS,
        usd: [0.224],
      }),
      sku({
        skuId: '9D5A-0E6F-2C41',
        description: 'G2 Instance Core running in Americas',
        resourceGroup: 'CPU',
        regions: AMERICAS,
        usd: [0.02548],
      }),
      sku({
        skuId: 'C4E1-7F2B-93D0',
        description:
          'Commitment v1: Nvidia L4 GPU running in Americas for 1 Year',
        usageType: 'Commit1Yr',
        regions: AMERICAS,
        usd: [0.35],
      }),
    ],
    next: 'page-2',
  },
  'page-2': {
    skus: [
      sku({
        skuId: '2D3A-8B1C-44E9',
        description: 'Nvidia Tesla A100 80GB GPU running in Netherlands',
        regions: ['europe-west4'],
        // Two tiers: the price is the last one's.
        usd: [0, 3.9284],
      }),
      sku({
        skuId: '5B7C-0A9D-1E22',
        description:
          'Nvidia Tesla A100 80GB GPU attached to Spot Preemptible VMs running in Netherlands',
        usageType: 'Preemptible',
        regions: ['europe-west4'],
        usd: [1.5714],
      }),
      sku({
        skuId: '6E0F-3D4C-8A13',
        description:
          'Nvidia Tesla T4 GPU attached to Sole Tenancy VMs running in Americas',
        regions: AMERICAS,
        usd: [0.385],
      }),
      sku({
        skuId: '7F1A-2B3C-4D5E',
        description:
          'Nvidia Tesla T4 Virtual Workstation GPU running in Americas',
        regions: AMERICAS,
        usd: [0.55],
      }),
      sku({
        skuId: 'A1B2-C3D4-E5F6',
        description: 'Nvidia Tesla T4 GPU running in Americas',
        regions: ['us-central1'],
        usd: [0.35],
      }),
      sku({
        skuId: 'B2C3-D4E5-F6A7',
        description:
          'Nvidia Tesla T4 GPU attached to Spot Preemptible VMs running in Americas',
        usageType: 'Preemptible',
        regions: ['us-central1'],
        usd: [0.35],
      }),
    ],
    next: 'page-3',
  },
  'page-3': {
    skus: [
      sku({
        skuId: 'D7E8-F9A0-B1C2',
        description: 'Nvidia H100 80GB GPU running in Americas',
        regions: ['us-central1', 'us-east4'],
        usd: [11.06],
      }),
      sku({
        skuId: 'E8F9-A0B1-C2D3',
        description: 'Nvidia H100 80GB GPU running in Iowa',
        regions: ['us-central1'],
        usd: [10.9],
      }),
      sku({
        skuId: 'F9A0-B1C2-D3E4',
        description:
          'Nvidia H100 80GB GPU attached to Spot Preemptible VMs running in Americas',
        usageType: 'Preemptible',
        regions: ['us-central1', 'us-east4'],
        usd: [12],
      }),
      sku({
        skuId: '0A1B-2C3D-4E5F',
        description: 'H200 141GB GPU running in Netherlands',
        regions: ['europe-west4'],
        usd: [10.5],
      }),
      sku({
        skuId: '1B2C-3D4E-5F60',
        description: 'Nvidia L4 GPU running in Tokyo',
        regions: ['asia-northeast1'],
        usd: [0.7],
      }),
      sku({
        skuId: '2C3D-4E5F-6071',
        description:
          'DWS Defined Duration Nvidia H100 80GB GPU running in Americas',
        regions: ['us-central1'],
        usd: [8.2],
      }),
    ],
  },
};

function catalog(req: RecordedRequest): Reply {
  if (req.method !== 'GET' || req.path !== SKUS_PATH) {
    return { status: 404, json: googleError(404, 'NOT_FOUND', req.path) };
  }
  const page = PAGES[req.query.pageToken ?? ''];
  if (!page) {
    return {
      status: 400,
      json: googleError(400, 'INVALID_ARGUMENT', 'Invalid page token'),
    };
  }
  return {
    json: {
      skus: page.skus,
      ...(page.next ? { nextPageToken: page.next } : {}),
    },
  };
}

const quote = (
  instanceType: string,
  region: string,
  capacityType: 'on-demand' | 'spot',
  usdPerHour: number,
  gpu: [string, number],
  extraFlags: string[] = [],
): PriceQuote => ({
  provider: 'gcp',
  instanceType,
  region,
  capacityType,
  usdPerHour,
  gpu: { product: gpu[0], count: 1, memoryMiB: gpu[1] },
  source: 'gcp-billing-catalog',
  observedAt: EFFECTIVE_TIME,
  flags: ['gpu-attach-only', ...extraFlags],
});

const L4: [string, number] = ['L4', 24576];
const T4: [string, number] = ['T4', 16384];
const H100: [string, number] = ['H100', 81920];
const A100_80: [string, number] = ['A100-80GB', 81920];
const H200: [string, number] = ['H200', 144384];

describe('GcpBillingCatalogPriceSource against a loopback Cloud Billing API', () => {
  let api: GoogleApiServer;
  let harness: Harness;

  beforeAll(async () => {
    [api, harness] = await Promise.all([
      GoogleApiServer.start(),
      Harness.start(),
    ]);
  });
  afterAll(async () => {
    harness?.stop();
    await api?.stop();
  });

  const options = (extra: object = {}) => ({
    regions: ['us-central1', 'europe-west4'],
    apiEndpoint: api.url,
    apiKey: 'test-api-key',
    retry: { initialDelayMs: 40, maxDelayMs: 200, maxAttempts: 3 },
    ...extra,
  });

  it('reads the GPU prices of the configured regions from every page', async () => {
    api.reset(catalog);
    const quotes = await harness.ok<PriceQuote[]>({
      kind: 'catalog',
      options: options(),
    });
    expect(quotes).toEqual([
      quote('nvidia-a100-80gb', 'europe-west4', 'on-demand', 3.9284, A100_80),
      quote('nvidia-a100-80gb', 'europe-west4', 'spot', 1.5714, A100_80),
      quote('nvidia-h200-141gb', 'europe-west4', 'on-demand', 10.5, H200),
      // The Iowa SKU is more specific than the Americas one.
      quote('nvidia-h100-80gb', 'us-central1', 'on-demand', 10.9, H100),
      quote('nvidia-h100-80gb', 'us-central1', 'spot', 12, H100, [
        'spot-above-on-demand',
      ]),
      quote('nvidia-l4', 'us-central1', 'on-demand', 0.56004, L4),
      quote('nvidia-l4', 'us-central1', 'spot', 0.224, L4),
      quote('nvidia-tesla-t4', 'us-central1', 'on-demand', 0.35, T4),
      quote('nvidia-tesla-t4', 'us-central1', 'spot', 0.35, T4, [
        'spot-equals-on-demand',
      ]),
    ]);

    // GET /v1/services/{service}/skus, page by page, in USD, with the key.
    expect(api.requests.map(r => [r.method, r.path, r.query])).toEqual([
      [
        'GET',
        SKUS_PATH,
        expect.objectContaining({ currencyCode: 'USD', pageSize: '5000' }),
      ],
      [
        'GET',
        SKUS_PATH,
        expect.objectContaining({ currencyCode: 'USD', pageToken: 'page-2' }),
      ],
      [
        'GET',
        SKUS_PATH,
        expect.objectContaining({ currencyCode: 'USD', pageToken: 'page-3' }),
      ],
    ]);
    expect(api.requests[0].query.pageToken).toBeUndefined();
    for (const r of api.requests) {
      expect(r.headers['x-goog-api-key']).toBe('test-api-key');
      expect(r.headers.authorization).toBeUndefined();
      expect(r.headers['x-goog-api-client']).toMatch(/gapic\/\S+.*rest\//);
    }
  });

  it('applies the filter, and asks nothing when it cannot match', async () => {
    api.reset(catalog);
    const h200 = await harness.ok<PriceQuote[]>({
      kind: 'catalog',
      options: options(),
      filter: {
        regions: ['europe-west4', 'asia-northeast1'],
        instanceTypes: ['nvidia-h200-141gb'],
      },
    });
    expect(h200).toEqual([
      quote('nvidia-h200-141gb', 'europe-west4', 'on-demand', 10.5, H200),
    ]);
    expect(api.requests).toHaveLength(3);

    api.reset(catalog);
    for (const filter of [
      { provider: 'aws' as const },
      { regions: ['asia-northeast1'] },
      { instanceTypes: ['g2-standard-8'] },
    ]) {
      expect(
        await harness.ok({ kind: 'catalog', options: options(), filter }),
      ).toEqual([]);
    }
    expect(api.requests).toHaveLength(0);
  });

  it('signs with a service account key (a self-signed JWT, no token exchange)', async () => {
    api.reset(catalog);
    const { key, publicKey } = serviceAccountKey();
    const quotes = await harness.ok<PriceQuote[]>({
      kind: 'catalog',
      options: options({ apiKey: undefined, credentials: key }),
    });
    expect(quotes).toHaveLength(9);
    expect(api.requests).toHaveLength(3);
    for (const r of api.requests) {
      const claims = verifyJwt(r.headers.authorization, publicKey);
      expect(claims.iss).toBe(key.client_email);
      expect(claims.sub).toBe(key.client_email);
      expect(r.headers['x-goog-api-key']).toBeUndefined();
    }
  });

  it('uses Application Default Credentials without reaching Google', async () => {
    api.reset(catalog);
    const { key, publicKey } = serviceAccountKey('modelfleet-adc');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelfleet-adc-'));
    const file = path.join(dir, 'key.json');
    fs.writeFileSync(file, JSON.stringify(key));
    const quotes = await harness
      .ok<PriceQuote[]>({
        kind: 'catalog',
        options: options({ apiKey: undefined }),
        env: { GOOGLE_APPLICATION_CREDENTIALS: file },
      })
      .finally(() => fs.rmSync(dir, { recursive: true, force: true }));
    expect(quotes).toHaveLength(9);
    expect(
      verifyJwt(api.requests[0].headers.authorization, publicKey).iss,
    ).toBe(key.client_email);
    // A wrong key does not verify: the check above can fail.
    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(() =>
      verifyJwt(api.requests[0].headers.authorization, other.publicKey),
    ).toThrow(/does not verify/);
  });

  it('without any credentials, fails as ADC does (the test guard refuses the metadata server)', async () => {
    api.reset(catalog);
    const reply = await harness.run({
      kind: 'catalog',
      options: options({ apiKey: undefined }),
    });
    expect(!reply.ok && reply.error).toMatch(
      /:\/\/127\.0\.0\.1:\d+ failed: Could not load the default credentials/,
    );
    expect(reply.blocked.join(' ')).toMatch(
      /169\.254\.169\.254|metadata\.google\.internal/,
    );
    expect(api.requests).toHaveLength(0);
  });

  it('backs off and retries when throttled (429 RESOURCE_EXHAUSTED), then goes on', async () => {
    let throttled = 0;
    api.reset(req => {
      if (req.query.pageToken === 'page-2' && throttled < 2) {
        throttled++;
        return {
          status: 429,
          json: googleError(
            429,
            'RESOURCE_EXHAUSTED',
            "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'cloudbilling.googleapis.com'",
          ),
        };
      }
      return catalog(req);
    });
    const quotes = await harness.ok<PriceQuote[]>({
      kind: 'catalog',
      options: options(),
    });
    expect(quotes).toHaveLength(9);
    const tokens = api.requests.map(r => r.query.pageToken ?? '');
    expect(tokens).toEqual(['', 'page-2', 'page-2', 'page-2', 'page-3']);
    // Exponential backoff with jitter: 20..40 ms, then 40..80 ms.
    const gap1 = api.requests[2].at - api.requests[1].at;
    const gap2 = api.requests[3].at - api.requests[2].at;
    expect(gap1).toBeGreaterThanOrEqual(18);
    expect(gap2).toBeGreaterThanOrEqual(38);
  });

  it('honours Retry-After of a 503', async () => {
    let failed = false;
    api.reset(req => {
      if (!failed) {
        failed = true;
        return {
          status: 503,
          headers: { 'retry-after': '0' },
          json: googleError(
            503,
            'UNAVAILABLE',
            'The service is currently unavailable.',
          ),
        };
      }
      return catalog(req);
    });
    const quotes = await harness.ok<PriceQuote[]>({
      kind: 'catalog',
      options: options({ retry: { initialDelayMs: 5000, maxAttempts: 2 } }),
    });
    expect(quotes).toHaveLength(9);
    expect(api.requests[1].at - api.requests[0].at).toBeLessThan(2000);
  });

  it('gives up on persistent throttling with a clear error', async () => {
    api.reset(() => ({
      status: 429,
      json: googleError(
        429,
        'RESOURCE_EXHAUSTED',
        "Quota exceeded for quota metric 'Read requests'",
      ),
    }));
    const error = await harness.error({ kind: 'catalog', options: options() });
    expect(error).toBe(
      `GCP Cloud Billing Catalog: listing the SKUs of service 6F81-5844-456A at ${api.url} failed on page 1: HTTP 429 RESOURCE_EXHAUSTED: Quota exceeded for quota metric 'Read requests' (gave up after 3 attempts)`,
    );
    expect(api.requests).toHaveLength(3);
  });

  it('does not retry a permission error', async () => {
    api.reset(() => ({
      status: 403,
      json: googleError(
        403,
        'PERMISSION_DENIED',
        'Cloud Billing API has not been used in project 123456 before or it is disabled.',
      ),
    }));
    const error = await harness.error({ kind: 'catalog', options: options() });
    expect(error).toMatch(
      /failed on page 1: HTTP 403 PERMISSION_DENIED: Cloud Billing API has not been used in project 123456/,
    );
    expect(api.requests).toHaveLength(1);
  });

  const l4 = (over: Record<string, unknown>) => ({
    ...sku({
      skuId: '1D4C-3419-0297',
      description: 'Nvidia L4 GPU running in Virginia',
      regions: ['us-east4'],
      usd: [0.644046],
    }),
    ...over,
  });
  const expression = (over: Record<string, unknown>) => ({
    pricingInfo: [
      {
        pricingExpression: {
          usageUnit: 'h',
          tieredRates: [
            {
              startUsageAmount: 0,
              unitPrice: { currencyCode: 'USD', units: '0', nanos: 644046000 },
            },
          ],
          ...over,
        },
      },
    ],
  });

  it.each<[string, Reply, RegExp]>([
    [
      'a GPU SKU without tiers',
      { json: { skus: [l4(expression({ tieredRates: [] }))] } },
      /page 1: SKU 1D4C-3419-0297 \('Nvidia L4 GPU running in Virginia'\): pricingInfo\[0\]\.pricingExpression\.tieredRates is empty$/,
    ],
    [
      'a price in another currency',
      {
        json: {
          skus: [
            l4(
              expression({
                tieredRates: [
                  {
                    unitPrice: {
                      currencyCode: 'EUR',
                      units: '0',
                      nanos: 600000000,
                    },
                  },
                ],
              }),
            ),
          ],
        },
      },
      /pricingExpression\.tieredRates\[0\]\.unitPrice\.currencyCode is "EUR", expected 'USD'$/,
    ],
    [
      'a price per other unit',
      { json: { skus: [l4(expression({ usageUnit: 'GiBy.mo' }))] } },
      /pricingInfo\[0\]\.pricingExpression\.usageUnit is "GiBy\.mo", expected 'h'$/,
    ],
    [
      'no pricing info',
      { json: { skus: [l4({ pricingInfo: [] })] } },
      /\('Nvidia L4 GPU running in Virginia'\): pricingInfo is empty$/,
    ],
    [
      'regions that are not a list',
      { json: { skus: [l4({ serviceRegions: 'us-east4' })] } },
      /page 1: the response does not fit the API's schema: expected an array for field serviceRegions/,
    ],
    [
      'skus that are not a list',
      { json: { skus: { sku: 1 } } },
      /expected an array for field skus/,
    ],
    [
      'a body that is not JSON',
      { text: '<html><body>502 Bad Gateway</body></html>' },
      /page 1: the response is not JSON \(Unexpected token '<'/,
    ],
    ['an empty catalog', { json: {} }, /: the catalog lists no SKUs at all$/],
    [
      'a page token that repeats',
      { json: { skus: [l4({})], nextPageToken: 'again' } },
      /: nextPageToken 'again' repeats$/,
    ],
  ])('names what is wrong with %s', async (_what, reply, message) => {
    api.reset(() => reply);
    const error = await harness.error({ kind: 'catalog', options: options() });
    expect(error).toMatch(
      /^GCP Cloud Billing Catalog: listing the SKUs of service 6F81-5844-456A/,
    );
    expect(error).toMatch(message);
  });

  it('says when the endpoint does not answer', async () => {
    const closed = await GoogleApiServer.start();
    const url = closed.url;
    await closed.stop();
    const error = await harness.error({
      kind: 'catalog',
      options: options({ apiEndpoint: url }),
    });
    expect(error).toMatch(
      /failed on page 1: the endpoint did not answer \(ECONNREFUSED\)/,
    );
  });
});

describe('GcpBillingCatalogPriceSource options', () => {
  it('rejects bad options before calling', () => {
    expect(() => new GcpBillingCatalogPriceSource({ regions: [] })).toThrow(
      /regions is empty/,
    );
    expect(
      () =>
        new GcpBillingCatalogPriceSource({
          regions: ['us-central1'],
          pageSize: 6000,
        }),
    ).toThrow(/pageSize 6000 is not 1\.\.5000/);
    expect(
      () =>
        new GcpBillingCatalogPriceSource({
          regions: ['us-central1'],
          apiEndpoint: 'ftp://example.com',
        }),
    ).toThrow(/not an http\(s\) URL/);
  });

  it('answers filters for other providers without a client', async () => {
    const source = new GcpBillingCatalogPriceSource({
      regions: ['us-central1'],
      apiEndpoint: 'http://127.0.0.1:9',
    });
    expect(await source.listPrices({ provider: 'azure' })).toEqual([]);
  });
});
