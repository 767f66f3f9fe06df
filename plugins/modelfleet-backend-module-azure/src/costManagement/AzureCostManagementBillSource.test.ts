import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { BillLine } from '@modelfleet/plugin-modelfleet-node';
import {
  json,
  Loopback,
  makeTestCertificate,
  Recorded,
  startLoopback,
  TestCertificate,
} from '../__testUtils__/loopback';
import {
  AzureCostManagementBillSource,
  AzureCostManagementBillSourceOptions,
} from './AzureCostManagementBillSource';

jest.setTimeout(30_000);

const SUB = '6f1a2b3c-0000-4000-8000-00000000a001';
const SCOPE = `/subscriptions/${SUB}`;
const VMSS = (name: string) =>
  `/subscriptions/${SUB}/resourcegroups/mc_ml_gpu_eastus/providers/microsoft.compute/virtualmachinescalesets/${name}`;
const A100 = VMSS('aks-a100-12345678-vmss');
const T4 = VMSS('aks-t4-87654321-vmss');
const DISK = `/subscriptions/${SUB}/resourcegroups/mc_ml_gpu_eastus/providers/microsoft.compute/disks/aks-a100-osdisk`;

const COLUMNS = [
  { name: 'Cost', type: 'Number' },
  { name: 'UsageDate', type: 'Number' },
  { name: 'ResourceId', type: 'String' },
  { name: 'TagKey', type: 'String' },
  { name: 'TagValue', type: 'String' },
  { name: 'Currency', type: 'String' },
];

/** A Query API answer in the documented shape. */
const queryResult = (
  rows: unknown[][],
  nextLink: string | null = null,
  columns: unknown = COLUMNS,
) => ({
  id: `subscriptions/${SUB}/providers/Microsoft.CostManagement/query/4b0f04d0-8a9c-4b5e-b7c1-2f3d4e5f6a7b`,
  name: '4b0f04d0-8a9c-4b5e-b7c1-2f3d4e5f6a7b',
  type: 'Microsoft.CostManagement/query',
  location: null,
  sku: null,
  eTag: null,
  properties: { nextLink, columns, rows },
});

/** A credential that hands out a fixed token and records the scopes asked. */
class StaticTokenCredential implements TokenCredential {
  readonly scopes: string[] = [];
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(...[scopes].flat());
    return { token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

async function collect(iterable: AsyncIterable<BillLine>): Promise<BillLine[]> {
  const lines: BillLine[] = [];
  for await (const line of iterable) lines.push(line);
  return lines;
}

describe('AzureCostManagementBillSource', () => {
  let cert: TestCertificate;
  let server: Loopback;
  let respond: (
    req: Recorded,
    base: string,
  ) => {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
  };

  beforeAll(async () => {
    cert = makeTestCertificate();
    server = await startLoopback((req, res, base) => {
      const { status, body, headers } = respond(req, base);
      if (body === undefined) {
        res.writeHead(status, headers);
        res.end();
      } else {
        json(res, status, body, headers);
      }
    }, cert);
  });
  afterAll(() => server?.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  const source = (
    options: Partial<AzureCostManagementBillSourceOptions> = {},
    credential = new StaticTokenCredential(),
  ) =>
    new AzureCostManagementBillSource({
      credential,
      scopes: [SCOPE],
      endpoint: server.base,
      clientOptions: {
        tlsOptions: { ca: cert.cert },
        retryOptions: {
          maxRetries: 2,
          retryDelayInMs: 10,
          maxRetryDelayInMs: 50,
        },
      },
      ...options,
    });

  const window = {
    start: new Date('2026-11-29T00:00:00Z'),
    end: new Date('2026-12-01T00:00:00Z'),
  };

  it('queries daily cost by resource and model tag, following nextLink, one line per day and resource', async () => {
    respond = (req, base) => {
      const url = new URL(req.url, base);
      if (url.searchParams.get('$skiptoken') === 'page2') {
        return {
          status: 200,
          body: queryResult([
            // The same resource and day as a row of page 1: summed.
            [2.5, 20261130, A100, 'modelfleet.io-model', 'llama-3-1-8b', 'USD'],
            [0.12, 20261130, DISK, '', '', 'USD'],
            [0.3, 20261130, '', '', '', 'USD'],
          ]),
        };
      }
      return {
        status: 200,
        body: queryResult(
          [
            [
              88.152,
              20261129,
              A100,
              'modelfleet.io-model',
              'llama-3-1-8b',
              'USD',
            ],
            [12.624, 20261129, T4, '', '', 'USD'],
            [
              85.652,
              20261130,
              A100,
              'modelfleet.io-model',
              'llama-3-1-8b',
              'USD',
            ],
          ],
          `${base}/subscriptions/${SUB}/providers/Microsoft.CostManagement/query?api-version=2022-10-01&$skiptoken=page2`,
        ),
      };
    };
    const credential = new StaticTokenCredential();
    const lines = await collect(source({}, credential).fetchLines(window));

    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect(first.method).toBe('POST');
    const url = new URL(first.url, server.base);
    expect(url.pathname).toBe(
      `/subscriptions/${SUB}/providers/Microsoft.CostManagement/query`,
    );
    expect(url.searchParams.get('api-version')).toBe('2022-10-01');
    expect(first.headers.authorization).toBe('Bearer test-token');
    expect(credential.scopes).toContain(`${server.base}/.default`);
    expect(JSON.parse(first.body)).toEqual({
      type: 'ActualCost',
      timeframe: 'Custom',
      timePeriod: {
        from: '2026-11-29T00:00:00.000Z',
        to: '2026-11-30T23:59:59.000Z',
      },
      dataset: {
        granularity: 'Daily',
        aggregation: { totalCost: { name: 'Cost', function: 'Sum' } },
        grouping: [
          { type: 'Dimension', name: 'ResourceId' },
          { type: 'TagKey', name: 'modelfleet.io-model' },
        ],
      },
    });
    // The next page is the same query, posted to nextLink with the token.
    expect(second.method).toBe('POST');
    expect(second.url).toBe(
      `/subscriptions/${SUB}/providers/Microsoft.CostManagement/query?api-version=2022-10-01&$skiptoken=page2`,
    );
    expect(second.body).toBe(first.body);
    expect(second.headers.authorization).toBe('Bearer test-token');
    expect(second.headers['x-modelfleet-next-link']).toBeUndefined();

    const base = {
      source: 'azure-cost-management',
      provider: 'azure',
      account: SUB,
      service: 'microsoft.compute/virtualmachinescalesets',
    };
    expect(lines).toEqual([
      {
        ...base,
        periodStart: '2026-11-29T00:00:00.000Z',
        periodEnd: '2026-11-30T00:00:00.000Z',
        resourceId: A100,
        tags: {
          'modelfleet.io/model': 'llama-3-1-8b',
          'modelfleet.io-model': 'llama-3-1-8b',
        },
        costUsd: 88.152,
      },
      {
        ...base,
        periodStart: '2026-11-29T00:00:00.000Z',
        periodEnd: '2026-11-30T00:00:00.000Z',
        resourceId: T4,
        tags: {},
        costUsd: 12.624,
      },
      {
        ...base,
        periodStart: '2026-11-30T00:00:00.000Z',
        periodEnd: '2026-12-01T00:00:00.000Z',
        resourceId: DISK,
        service: 'microsoft.compute/disks',
        tags: {},
        costUsd: 0.12,
      },
      {
        ...base,
        periodStart: '2026-11-30T00:00:00.000Z',
        periodEnd: '2026-12-01T00:00:00.000Z',
        resourceId: A100,
        tags: {
          'modelfleet.io/model': 'llama-3-1-8b',
          'modelfleet.io-model': 'llama-3-1-8b',
        },
        costUsd: 88.152,
      },
      {
        source: 'azure-cost-management',
        provider: 'azure',
        account: SCOPE,
        periodStart: '2026-11-30T00:00:00.000Z',
        periodEnd: '2026-12-01T00:00:00.000Z',
        resourceId: 'unassigned',
        tags: {},
        costUsd: 0.3,
      },
    ]);
  });

  it('splits long windows into queries of whole days, and uses the configured type, tag and column', async () => {
    respond = () => ({
      status: 200,
      body: queryResult(
        [[1.5, 20261105, A100, 'ml-model', 'coder', 'EUR']],
        null,
        [
          { name: 'CostUSD', type: 'Number' },
          { name: 'UsageDate', type: 'Number' },
          { name: 'ResourceId', type: 'String' },
          { name: 'TagKey', type: 'String' },
          { name: 'TagValue', type: 'String' },
          { name: 'Currency', type: 'String' },
        ],
      ),
    });
    const lines = await collect(
      source({
        type: 'AmortizedCost',
        tagKey: 'ml-model',
        costColumn: 'CostUSD',
        maxDaysPerQuery: 31,
      }).fetchLines({
        // Partial days at both ends are left out.
        start: new Date('2026-10-31T12:00:00Z'),
        end: new Date('2026-12-15T06:00:00Z'),
      }),
    );
    const bodies = server.requests.map(r => JSON.parse(r.body));
    expect(bodies.map(b => b.timePeriod)).toEqual([
      { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T23:59:59.000Z' },
      { from: '2026-12-02T00:00:00.000Z', to: '2026-12-14T23:59:59.000Z' },
    ]);
    expect(bodies[0].type).toBe('AmortizedCost');
    expect(bodies[0].dataset.aggregation.totalCost.name).toBe('CostUSD');
    expect(bodies[0].dataset.grouping[1]).toEqual({
      type: 'TagKey',
      name: 'ml-model',
    });
    // The second query's answer repeats a day outside its period: dropped.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      periodStart: '2026-11-05T00:00:00.000Z',
      costUsd: 1.5,
      tags: { 'modelfleet.io/model': 'coder', 'ml-model': 'coder' },
    });
  });

  it('asks nothing for a window without a whole day, and rejects a bad window', async () => {
    respond = () => ({ status: 500 });
    expect(
      await collect(
        source().fetchLines({
          start: new Date('2026-11-29T01:00:00Z'),
          end: new Date('2026-11-29T23:00:00Z'),
        }),
      ),
    ).toEqual([]);
    expect(server.requests).toHaveLength(0);
    await expect(
      collect(source().fetchLines({ start: window.end, end: window.start })),
    ).rejects.toThrow('window.end must be after window.start');
  });

  it('yields nothing for 204 No Content', async () => {
    respond = () => ({ status: 204 });
    expect(await collect(source().fetchLines(window))).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('waits for the Cost Management retry-after header when throttled, then goes on', async () => {
    let calls = 0;
    respond = () => {
      calls += 1;
      if (calls === 1) {
        return {
          status: 429,
          body: {
            error: { code: '429', message: 'Too many requests. Please retry.' },
          },
          headers: {
            'x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after': '1',
            'x-ms-ratelimit-microsoft.costmanagement-entity-retry-after': '0',
          },
        };
      }
      return {
        status: 200,
        body: queryResult([[4, 20261129, T4, '', '', 'USD']]),
      };
    };
    const start = Date.now();
    const lines = await collect(source().fetchLines(window));
    expect(Date.now() - start).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
    expect(lines.map(l => l.costUsd)).toEqual([4]);
  });

  it('fails clearly when throttling outlasts the retries', async () => {
    respond = () => ({
      status: 429,
      body: {
        error: { code: '429', message: 'Too many requests. Please retry.' },
      },
      headers: { 'retry-after': '0' },
    });
    await expect(collect(source().fetchLines(window))).rejects.toThrow(
      /query of \/subscriptions\/6f1a2b3c-0000-4000-8000-00000000a001 for 2026-11-29\.\.2026-11-30, page 1: HTTP 429 \(throttled, and still throttled after the retries the client allows\) 429: Too many requests/,
    );
    // The first request and the two retries allowed.
    expect(server.requests).toHaveLength(3);
  });

  it('passes on the service error of a refused query', async () => {
    respond = () => ({
      status: 403,
      body: {
        error: {
          code: 'AuthorizationFailed',
          message:
            'The client does not have authorization to perform action Microsoft.CostManagement/query/action',
        },
      },
    });
    await expect(collect(source().fetchLines(window))).rejects.toThrow(
      /page 1: HTTP 403 AuthorizationFailed: The client does not have authorization/,
    );
  });

  it.each([
    [
      'a missing column',
      queryResult(
        [],
        null,
        COLUMNS.filter(c => c.name !== 'UsageDate'),
      ),
      /page 1: properties\.columns has no 'UsageDate' column \(columns: Cost, ResourceId, TagKey, TagValue, Currency\)/,
    ],
    [
      'no Currency column for Cost',
      queryResult(
        [],
        null,
        COLUMNS.filter(c => c.name !== 'Currency'),
      ),
      /properties\.columns has no 'Currency' column, so the currency of 'Cost' is unknown/,
    ],
    [
      'a cost in another currency',
      queryResult([[10, 20261129, T4, '', '', 'EUR']]),
      /properties\.rows\[0\]\[5\] \(Currency\) is "EUR": 'Cost' is not in USD; query the CostUSD column instead/,
    ],
    [
      'a cost that is not a number',
      queryResult([['ten', 20261129, T4, '', '', 'USD']]),
      /properties\.rows\[0\]\[0\] \(Cost\) is "ten", expected a number/,
    ],
    [
      'a bad UsageDate',
      queryResult([[1, 20261131, T4, '', '', 'USD']]),
      /properties\.rows\[0\]\[1\] \(UsageDate\) is 20261131, expected a day like 20261130/,
    ],
    [
      'no rows',
      {
        id: 'x',
        name: 'x',
        type: 'Microsoft.CostManagement/query',
        properties: { columns: COLUMNS },
      },
      /page 1: properties\.rows is not an array/,
    ],
    [
      'a nextLink to another host',
      queryResult([], 'https://evil.example.com/query?$skiptoken=x'),
      /page 1: properties\.nextLink points to https:\/\/evil\.example\.com, not https:\/\/127\.0\.0\.1/,
    ],
  ])('names what is wrong: %s', async (_label, body, message) => {
    respond = () => ({ status: 200, body });
    await expect(collect(source().fetchLines(window))).rejects.toThrow(message);
  });

  it('says when the answer is not JSON', async () => {
    respond = () => ({
      status: 200,
      body: '<html>gateway</html>',
    });
    await expect(collect(source().fetchLines(window))).rejects.toThrow(
      /for 2026-11-29\.\.2026-11-30, page 1: .*(JSON|parse)/i,
    );
  });

  it('reads each scope once and yields a line of overlapping scopes once', async () => {
    respond = () => ({
      status: 200,
      body: queryResult([[3, 20261129, A100, '', '', 'USD']]),
    });
    const lines = await collect(
      source({
        scopes: [
          '/providers/Microsoft.Billing/billingAccounts/1234567',
          `${SCOPE}/`,
        ],
      }).fetchLines(window),
    );
    expect(
      server.requests.map(r => new URL(r.url, server.base).pathname),
    ).toEqual([
      '/providers/Microsoft.Billing/billingAccounts/1234567/providers/Microsoft.CostManagement/query',
      `/subscriptions/${SUB}/providers/Microsoft.CostManagement/query`,
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0].account).toBe(SUB);
  });
});
