import { json, Loopback, startLoopback } from '../__testUtils__/loopback';
import { AzureRetailPriceSource, retryAfterMs } from './AzureRetailPriceSource';

jest.setTimeout(20_000);

/** An item shaped like the Retail Prices API's (2023-01-01-preview). */
function vm(
  armSkuName: string,
  meterName: string,
  retailPrice: number,
  extra: Record<string, unknown> = {},
) {
  const series = armSkuName.replace(/^Standard_/, '');
  return {
    currencyCode: 'USD',
    tierMinimumUnits: 0,
    retailPrice,
    unitPrice: retailPrice,
    armRegionName: 'eastus',
    location: 'US East',
    effectiveStartDate: '2024-05-01T00:00:00Z',
    meterId: `meter-${armSkuName}-${meterName}`,
    meterName,
    productId: 'DZH318Z0BQ4H',
    skuId: 'DZH318Z0BQ4H/00F9',
    productName: `Virtual Machines ${series} Series`,
    skuName: meterName,
    serviceName: 'Virtual Machines',
    serviceId: 'DZH313Z7MMC8',
    serviceFamily: 'Compute',
    unitOfMeasure: '1 Hour',
    type: 'Consumption',
    isPrimaryMeterRegion: true,
    armSkuName,
    ...extra,
  };
}

const page = (items: unknown[], next: string | null) => ({
  BillingCurrency: 'USD',
  CustomerEntityId: 'Default',
  CustomerEntityType: 'Retail',
  Items: items,
  NextPageLink: next,
  Count: items.length,
});

const EASTUS_PAGE_1 = [
  vm('Standard_NC24ads_A100_v4', 'NC24ads A100 v4', 3.673),
  vm('Standard_NC24ads_A100_v4', 'NC24ads A100 v4 Spot', 0.444433),
  vm('Standard_NC24ads_A100_v4', 'NC24ads A100 v4 Low Priority', 0.7346),
  vm('Standard_NC24ads_A100_v4', 'NC24ads A100 v4', 5.145, {
    productName: 'Virtual Machines NCadsA100v4 Series Windows',
  }),
  vm('Standard_D4s_v5', 'D4s v5', 0.192),
  // Not a VM size: no armSkuName.
  vm('', 'Dedicated Host', 1.0),
];
const EASTUS_PAGE_2 = [
  // Older price of the same meter: the newer one wins.
  vm('Standard_NC24ads_A100_v4', 'NC24ads A100 v4', 3.9, {
    effectiveStartDate: '2022-01-01T00:00:00Z',
  }),
  vm('Standard_ND96isr_H100_v5', 'ND96isr H100 v5', 98.32),
  vm('Standard_ND96isr_H100_v5', 'ND96isr H100 v5 Spot', 98.32),
  vm('Standard_NV6ads_A10_v5', 'NV6ads A10 v5', 0.454),
  vm('Standard_NV6ads_A10_v5', 'NV6ads A10 v5 Spot', 0.5),
  vm('Standard_NC40ads_H100_v5', 'NC40ads H100 v5', 0),
  vm('Standard_NC4as_T4_v3', 'NC4as T4 v3', 0.526, {
    unitOfMeasure: '1/Month',
  }),
  vm('Standard_NC4as_T4_v3', 'NC4as T4 v3', 0.6, {
    isPrimaryMeterRegion: false,
  }),
  vm('Standard_NCnew_v9', 'NCnew v9', 1.25),
];

describe('AzureRetailPriceSource', () => {
  let server: Loopback;
  let respond: (
    url: URL,
    base: string,
  ) => { status: number; body: unknown; headers?: Record<string, string> };

  beforeAll(async () => {
    server = await startLoopback((req, res, base) => {
      const url = new URL(req.url, base);
      const { status, body, headers } = respond(url, base);
      json(res, status, body, headers);
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  /** Pages of a region, with NextPageLink like the real API's ($skip). */
  const regions: Record<string, unknown[][]> = {
    eastus: [EASTUS_PAGE_1, EASTUS_PAGE_2],
    westus3: [
      [
        vm('Standard_NC24ads_A100_v4', 'NC24ads A100 v4', 3.673, {
          armRegionName: 'westus3',
        }),
      ],
    ],
  };
  const pagedByRegion = (url: URL, base: string) => {
    const filter = url.searchParams.get('$filter') ?? '';
    const region = /armRegionName eq '([^']+)'/.exec(filter)?.[1] ?? '';
    const pages = regions[region] ?? [[]];
    const skip = Number(url.searchParams.get('$skip') ?? 0);
    const n = skip / 100;
    const next =
      n + 1 < pages.length
        ? `${base}/api/retail/prices?api-version=2023-01-01-preview&$filter=${encodeURIComponent(
            filter,
          )}&$skip=${(n + 1) * 100}`
        : null;
    return { status: 200, body: page(pages[n], next) };
  };

  it('reads GPU VM prices over every page, on-demand and spot, with their GPUs', async () => {
    respond = pagedByRegion;
    const before = Date.now();
    const source = new AzureRetailPriceSource({
      regions: ['eastus'],
      baseUrl: `${server.base}/`,
    });
    const quotes = await source.listPrices();

    expect(server.requests).toHaveLength(2);
    const first = new URL(server.requests[0].url, server.base);
    expect(first.pathname).toBe('/api/retail/prices');
    expect(first.searchParams.get('api-version')).toBe('2023-01-01-preview');
    expect(first.searchParams.get('meterRegion')).toBe("'primary'");
    expect(first.searchParams.get('$filter')).toBe(
      "serviceName eq 'Virtual Machines' and armRegionName eq 'eastus' and priceType eq 'Consumption'",
    );
    expect(server.requests[1].url).toContain('$skip=100');

    const byKey = Object.fromEntries(
      quotes.map(q => [`${q.instanceType} ${q.capacityType}`, q]),
    );
    expect(Object.keys(byKey).sort()).toEqual([
      'Standard_NC24ads_A100_v4 on-demand',
      'Standard_NC24ads_A100_v4 spot',
      'Standard_NC40ads_H100_v5 on-demand',
      'Standard_NCnew_v9 on-demand',
      'Standard_ND96isr_H100_v5 on-demand',
      'Standard_ND96isr_H100_v5 spot',
      'Standard_NV6ads_A10_v5 on-demand',
      'Standard_NV6ads_A10_v5 spot',
    ]);
    const a100 = byKey['Standard_NC24ads_A100_v4 on-demand'];
    expect(a100).toEqual({
      provider: 'azure',
      instanceType: 'Standard_NC24ads_A100_v4',
      region: 'eastus',
      capacityType: 'on-demand',
      usdPerHour: 3.673,
      gpu: { product: 'A100-80GB', count: 1, memoryMiB: 81920 },
      source: 'azure-retail-prices',
      observedAt: expect.any(String),
      flags: [],
    });
    expect(Date.parse(a100.observedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(byKey['Standard_NC24ads_A100_v4 spot'].usdPerHour).toBe(0.444433);
    expect(byKey['Standard_ND96isr_H100_v5 on-demand'].gpu).toEqual({
      product: 'H100',
      count: 8,
      memoryMiB: 81920,
    });
    expect(byKey['Standard_ND96isr_H100_v5 spot'].flags).toEqual([
      'spot-equals-on-demand',
    ]);
    expect(byKey['Standard_NV6ads_A10_v5 on-demand'].gpu!.count).toBeCloseTo(
      1 / 6,
      9,
    );
    expect(byKey['Standard_NV6ads_A10_v5 on-demand'].flags).toEqual([
      'fractional-gpu',
    ]);
    expect(byKey['Standard_NV6ads_A10_v5 spot'].flags).toEqual([
      'spot-above-on-demand',
      'fractional-gpu',
    ]);
    expect(byKey['Standard_NC40ads_H100_v5 on-demand'].flags).toEqual([
      'zero-placeholder',
    ]);
    expect(byKey['Standard_NCnew_v9 on-demand'].gpu).toBeUndefined();
  });

  it('honours the filter and the configured size prefixes', async () => {
    respond = pagedByRegion;
    const source = new AzureRetailPriceSource({
      regions: ['eastus', 'westus3'],
      baseUrl: server.base,
      skuPrefixes: ['Standard_NC24ads_A100_v4', 'standard_nv'],
    });
    expect(await source.listPrices({ provider: 'aws' })).toEqual([]);
    expect(server.requests).toHaveLength(0);

    const all = await source.listPrices({
      regions: ['westus3', 'brazilsouth'],
    });
    expect(server.requests).toHaveLength(1);
    expect(
      all.map(q => `${q.region} ${q.instanceType} ${q.capacityType}`),
    ).toEqual(['westus3 Standard_NC24ads_A100_v4 on-demand']);

    server.requests.length = 0;
    const one = await source.listPrices({
      regions: ['eastus'],
      instanceTypes: ['Standard_NV6ads_A10_v5', 'Standard_ND96isr_H100_v5'],
    });
    // The ND size is not configured: only the NV size is asked for (two
    // pages, as this server ignores armSkuName; the source filters again).
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].url).toContain('NV6ads');
    expect(
      new URL(server.requests[0].url, server.base).searchParams.get('$filter'),
    ).toBe(
      "serviceName eq 'Virtual Machines' and armRegionName eq 'eastus' and priceType eq 'Consumption' and armSkuName eq 'Standard_NV6ads_A10_v5'",
    );
    expect(one.map(q => `${q.instanceType} ${q.capacityType}`)).toEqual([
      'Standard_NV6ads_A10_v5 on-demand',
      'Standard_NV6ads_A10_v5 spot',
    ]);
  });

  it('waits as long as Retry-After says when throttled, then goes on', async () => {
    let calls = 0;
    respond = (url, base) => {
      calls += 1;
      if (calls === 1) {
        return {
          status: 429,
          body: { Error: { Code: 'TooManyRequests' } },
          headers: { 'retry-after': '1' },
        };
      }
      return pagedByRegion(url, base);
    };
    const source = new AzureRetailPriceSource({
      regions: ['westus3'],
      baseUrl: server.base,
    });
    const start = Date.now();
    const quotes = await source.listPrices();
    expect(Date.now() - start).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].url).toBe(server.requests[0].url);
    expect(quotes).toHaveLength(1);
  });

  it('gives up with a clear error when throttling goes on', async () => {
    respond = () => ({
      status: 429,
      body: { Error: { Code: 'TooManyRequests' } },
      headers: { 'retry-after': '0' },
    });
    const source = new AzureRetailPriceSource({
      regions: ['eastus'],
      baseUrl: server.base,
      maxAttempts: 3,
    });
    await expect(source.listPrices()).rejects.toThrow(
      'Azure retail prices for eastus, page 1: the API is throttling (HTTP 429, Retry-After 0) and answered 3 attempts the same way; try again later',
    );
    expect(server.requests).toHaveLength(3);
  });

  it('does not wait longer than allowed', async () => {
    respond = () => ({
      status: 429,
      body: '',
      headers: { 'retry-after': '120' },
    });
    const source = new AzureRetailPriceSource({
      regions: ['eastus'],
      baseUrl: server.base,
      maxRetryWaitMs: 5000,
    });
    await expect(source.listPrices()).rejects.toThrow(
      /asks to wait 120 s, longer than the 5 s this source waits/,
    );
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['Items', { Items: 'none' }, /page 1: Items is not an array/],
    [
      'NextPageLink',
      { ...page([], null), NextPageLink: 5 },
      /NextPageLink is not a string/,
    ],
    [
      'BillingCurrency',
      { ...page([], null), BillingCurrency: 'EUR' },
      /BillingCurrency is 'EUR'/,
    ],
    [
      'retailPrice',
      page([vm('Standard_NC6s_v3', 'NC6s v3', -1)], null),
      /page 1: Items\[0\]\.retailPrice is -1, expected a price/,
    ],
    [
      'currencyCode',
      page(
        [vm('Standard_NC6s_v3', 'NC6s v3', 1, { currencyCode: 'EUR' })],
        null,
      ),
      /Items\[0\]\.currencyCode is 'EUR', expected USD/,
    ],
    [
      'effectiveStartDate',
      page(
        [vm('Standard_NC6s_v3', 'NC6s v3', 1, { effectiveStartDate: 'soon' })],
        null,
      ),
      /Items\[0\]\.effectiveStartDate is "soon", expected an ISO 8601 date/,
    ],
    [
      'armSkuName',
      page(
        [{ ...vm('Standard_NC6s_v3', 'NC6s v3', 1), armSkuName: undefined }],
        null,
      ),
      /Items\[0\]\.armSkuName is missing, expected a string/,
    ],
    [
      'NextPageLink origin',
      page([], 'https://prices.example.com/api/retail/prices?$skip=100'),
      /NextPageLink points to https:\/\/prices\.example\.com, not http:\/\/127\.0\.0\.1/,
    ],
    [
      'a body that is not JSON',
      '<html>busy</html>',
      /page 1: HTTP 200, the body is not JSON: <html>busy/,
    ],
  ])('names what is wrong: %s', async (_label, body, message) => {
    respond = () => ({ status: 200, body });
    const source = new AzureRetailPriceSource({
      regions: ['eastus'],
      baseUrl: server.base,
    });
    await expect(source.listPrices()).rejects.toThrow(message);
  });

  it('reports an HTTP error with the body', async () => {
    respond = () => ({
      status: 400,
      body: { Error: { Code: 'BadRequest', Message: 'Invalid OData filter' } },
    });
    const source = new AzureRetailPriceSource({
      regions: ['eastus'],
      baseUrl: server.base,
    });
    await expect(source.listPrices()).rejects.toThrow(
      /eastus, page 1: HTTP 400: .*Invalid OData filter/,
    );
  });

  it('says when the API does not answer', async () => {
    const gone = await startLoopback(() => undefined);
    await gone.close();
    const source = new AzureRetailPriceSource({
      regions: ['eastus'],
      baseUrl: gone.base,
    });
    await expect(source.listPrices()).rejects.toThrow(
      /did not answer \(ECONNREFUSED\)/,
    );
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and backs off without a header', () => {
    expect(retryAfterMs('3', 1)).toBe(3000);
    const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
    expect(retryAfterMs(inTwoSeconds, 1)).toBeGreaterThan(0);
    expect(retryAfterMs(inTwoSeconds, 1)).toBeLessThanOrEqual(2000);
    expect(retryAfterMs(null, 1)).toBe(1000);
    expect(retryAfterMs(null, 3)).toBe(4000);
    expect(retryAfterMs('soon', 10)).toBe(30_000);
  });
});
