import { BillLine } from '@modelfleet/plugin-modelfleet-node';
import { ExportRow, queryPage } from '../__testUtils__/fixtures';
import {
  GoogleApiServer,
  googleError,
  RecordedRequest,
  Reply,
} from '../__testUtils__/googleApiServer';
import { Harness } from '../__testUtils__/harness';
import { RESULT_FIELDS } from './billingExport';
import { GcpBillingExportBillSource } from './GcpBillingExportBillSource';

jest.setTimeout(60_000);

const PROJECT = 'modelfleet-billing';
const TABLE =
  'billing-admin.billing_export.gcp_billing_export_v1_0123AB_4567CD_89EF01';
const QUERIES = `/bigquery/v2/projects/${PROJECT}/queries`;
const ACCOUNT = '0123AB-4567CD-89EF01';
const OTHER_ACCOUNT = '89EF01-0123AB-4567CD';

const row = (over: ExportRow): ExportRow => ({
  billing_account_id: ACCOUNT,
  project_id: 'ml-prod',
  label_value: null,
  service_id: null,
  sku_id: null,
  service_description: 'Compute Engine',
  sku_description: null,
  currency: 'USD',
  credits: 0,
  ...over,
});

/** Three result pages: the first from jobs.query, two from getQueryResults. */
const PAGES: ExportRow[][] = [
  [
    row({
      usage_day: '2025-11-01',
      label_value: 'llama-3-1-8b',
      cost: 41.5,
      credits: -3.25,
    }),
    row({
      usage_day: '2025-11-01',
      service_id: '6F81-5844-456A',
      sku_id: '1D4C-3419-0297',
      sku_description: 'Nvidia L4 GPU running in Virginia',
      cost: 12,
    }),
  ],
  [
    row({
      usage_day: '2025-11-02',
      label_value: 'llama-3-1-8b',
      // Several services carry the label.
      service_description: null,
      cost: 40,
      credits: -2,
    }),
    row({
      usage_day: '2025-11-02',
      project_id: null,
      service_id: '2062-016F-44A2',
      sku_id: 'B4D1-5C44-6A89',
      service_description: 'Support',
      sku_description: 'Enhanced Support',
      cost: 15,
      credits: null,
    }),
  ],
  [
    // The project moved to another billing account that day.
    row({
      usage_day: '2025-11-02',
      billing_account_id: OTHER_ACCOUNT,
      label_value: 'llama-3-1-8b',
      service_description: null,
      cost: 1.5,
    }),
  ],
];

function bigquery(
  pages: ExportRow[][],
  jobId = 'job_5r2Q0mFhXbD0',
): (req: RecordedRequest) => Reply {
  const tokens = pages.map((_, i) => (i === 0 ? '' : `page-${i + 1}`));
  return req => {
    const total = pages.flat().length;
    if (req.method === 'POST' && req.path === QUERIES) {
      return {
        json: queryPage({
          kind: 'query',
          jobId,
          rows: pages[0],
          pageToken: tokens[1],
          totalRows: total,
        }),
      };
    }
    if (req.method === 'GET' && req.path === `${QUERIES}/${jobId}`) {
      const i = tokens.indexOf(req.query.pageToken ?? '');
      if (i < 1) {
        return {
          status: 400,
          json: googleError(
            400,
            'INVALID_ARGUMENT',
            'Invalid page token',
            'invalid',
          ),
        };
      }
      return {
        json: queryPage({
          kind: 'getQueryResults',
          jobId,
          rows: pages[i],
          pageToken: tokens[i + 1],
          totalRows: total,
        }),
      };
    }
    return {
      status: 404,
      json: googleError(404, 'NOT_FOUND', `Not found: ${req.path}`, 'notFound'),
    };
  };
}

const line = (
  day: string,
  next: string,
  account: string,
  resourceId: string,
  costUsd: number,
  tags: Record<string, string>,
  service?: string,
): BillLine => ({
  source: 'gcp-billing-export',
  provider: 'gcp',
  account,
  periodStart: `${day}T00:00:00.000Z`,
  periodEnd: `${next}T00:00:00.000Z`,
  resourceId,
  ...(service ? { service } : {}),
  tags,
  costUsd,
});

const MODEL = {
  'modelfleet-io-model': 'llama-3-1-8b',
  'modelfleet.io/model': 'llama-3-1-8b',
};

describe('GcpBillingExportBillSource against a loopback BigQuery API', () => {
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

  const request = (
    options: object = {},
    window = { start: '2025-11-01T00:00:00Z', end: '2025-11-03T00:00:00Z' },
  ) => ({
    kind: 'export' as const,
    options: {
      projectId: PROJECT,
      table: TABLE,
      location: 'US',
      apiEndpoint: api.url,
      bearerToken: 'ya29.test-token',
      retry: { maxRetries: 2, maxRetryDelaySeconds: 0.05 },
      ...options,
    },
    window,
  });

  it('sums cost and credits per project, day and model label over every result page', async () => {
    api.reset(bigquery(PAGES));
    const lines = await harness.ok<BillLine[]>(request());
    expect(lines).toEqual([
      line(
        '2025-11-01',
        '2025-11-02',
        'ml-prod',
        'label:modelfleet-io-model=llama-3-1-8b',
        38.25,
        {
          'billing-account': ACCOUNT,
          ...MODEL,
        },
        'Compute Engine',
      ),
      line(
        '2025-11-01',
        '2025-11-02',
        'ml-prod',
        'sku:6F81-5844-456A/1D4C-3419-0297',
        12,
        {
          'billing-account': ACCOUNT,
          'gcp-sku': 'Nvidia L4 GPU running in Virginia',
        },
        'Compute Engine',
      ),
      // Usage outside any project is the billing account's.
      line(
        '2025-11-02',
        '2025-11-03',
        ACCOUNT,
        'sku:2062-016F-44A2/B4D1-5C44-6A89',
        15,
        {
          'billing-account': ACCOUNT,
          'gcp-sku': 'Enhanced Support',
        },
        'Support',
      ),
      line(
        '2025-11-02',
        '2025-11-03',
        'ml-prod',
        'label:modelfleet-io-model=llama-3-1-8b',
        39.5,
        {
          'billing-account': ACCOUNT,
          ...MODEL,
        },
      ),
    ]);

    // jobs.query, then jobs.getQueryResults for each further page.
    expect(
      api.requests.map(r => [r.method, r.path, r.query.pageToken]),
    ).toEqual([
      ['POST', QUERIES, undefined],
      ['GET', `${QUERIES}/job_5r2Q0mFhXbD0`, 'page-2'],
      ['GET', `${QUERIES}/job_5r2Q0mFhXbD0`, 'page-3'],
    ]);
    expect(api.requests[1].query.location).toBe('US');
    for (const r of api.requests) {
      expect(r.headers.authorization).toBe('Bearer ya29.test-token');
    }
    const body = JSON.parse(api.requests[0].body);
    expect(body).toMatchObject({
      useLegacySql: false,
      location: 'US',
      parameterMode: expect.stringMatching(/^named$/i),
      queryParameters: [
        {
          name: 'labelKey',
          parameterType: { type: 'STRING' },
          parameterValue: { value: 'modelfleet-io-model' },
        },
        {
          name: 'startDay',
          parameterType: { type: 'DATE' },
          parameterValue: { value: '2025-11-01' },
        },
        {
          name: 'endDay',
          parameterType: { type: 'DATE' },
          parameterValue: { value: '2025-11-03' },
        },
      ],
    });
    expect(body.query).toContain(`FROM \`${TABLE}\``);
    expect(body.query).toContain('usage_start_time >= TIMESTAMP(@startDay)');
    expect(body.query).toContain('l.key = @labelKey');
  });

  it('uses the configured label key', async () => {
    api.reset(
      bigquery([
        [row({ usage_day: '2025-11-01', label_value: 'coder', cost: 3 })],
      ]),
    );
    const lines = await harness.ok<BillLine[]>(
      request({ labelKey: 'k8s-label/modelfleet.io/model' }),
    );
    expect(lines.map(l => [l.resourceId, l.tags])).toEqual([
      [
        'label:k8s-label/modelfleet.io/model=coder',
        {
          'billing-account': ACCOUNT,
          'k8s-label/modelfleet.io/model': 'coder',
          'modelfleet.io/model': 'coder',
        },
      ],
    ]);
    expect(
      JSON.parse(api.requests[0].body).queryParameters[0].parameterValue.value,
    ).toBe('k8s-label/modelfleet.io/model');
  });

  it('waits for a query that is not complete yet', async () => {
    let polls = 0;
    api.reset(req => {
      if (req.method === 'POST') {
        return {
          json: queryPage({
            kind: 'query',
            jobId: 'job_slow',
            jobComplete: false,
          }),
        };
      }
      if (++polls < 2) {
        return {
          json: queryPage({
            kind: 'getQueryResults',
            jobId: 'job_slow',
            jobComplete: false,
          }),
        };
      }
      return {
        json: queryPage({
          kind: 'getQueryResults',
          jobId: 'job_slow',
          rows: PAGES[0],
        }),
      };
    });
    const lines = await harness.ok<BillLine[]>(request());
    expect(lines).toHaveLength(2);
    expect(api.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      `POST ${QUERIES}`,
      `GET ${QUERIES}/job_slow`,
      `GET ${QUERIES}/job_slow`,
    ]);
  });

  it('reads whole UTC days only, and asks nothing for a window without one', async () => {
    api.reset(bigquery([[]]));
    await harness.ok(
      request(
        {},
        { start: '2025-11-01T06:00:00Z', end: '2025-11-04T18:00:00Z' },
      ),
    );
    const params = JSON.parse(api.requests[0].body).queryParameters;
    expect(params.map((p: any) => p.parameterValue.value)).toEqual([
      'modelfleet-io-model',
      '2025-11-02',
      '2025-11-04',
    ]);
    api.reset(bigquery([[]]));
    expect(
      await harness.ok(
        request(
          {},
          { start: '2025-11-01T06:00:00Z', end: '2025-11-02T05:00:00Z' },
        ),
      ),
    ).toEqual([]);
    expect(api.requests).toHaveLength(0);
  });

  it('retries with backoff when rate limited (429 rateLimitExceeded), then goes on', async () => {
    let limited = 0;
    const ok = bigquery(PAGES);
    api.reset(req => {
      if (req.method === 'GET' && limited < 2) {
        limited++;
        return {
          status: 429,
          json: googleError(
            429,
            'RESOURCE_EXHAUSTED',
            'Exceeded rate limits: too many api requests per user per method for this user_method. For more information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas',
            'rateLimitExceeded',
          ),
        };
      }
      return ok(req);
    });
    const lines = await harness.ok<BillLine[]>(request());
    expect(lines).toHaveLength(4);
    expect(api.requests.map(r => r.query.pageToken ?? r.method)).toEqual([
      'POST',
      'page-2',
      'page-2',
      'page-2',
      'page-3',
    ]);
    // The client library waits min(2^n s + jitter, maxRetryDelay) = 50 ms.
    expect(api.requests[2].at - api.requests[1].at).toBeGreaterThanOrEqual(45);
    expect(api.requests[3].at - api.requests[2].at).toBeGreaterThanOrEqual(45);
  });

  it('gives up on persistent throttling with a clear error', async () => {
    api.reset(() => ({
      status: 429,
      json: googleError(
        429,
        'RESOURCE_EXHAUSTED',
        'Exceeded rate limits: too many concurrent queries for this project_and_region.',
        'rateLimitExceeded',
      ),
    }));
    const error = await harness.error(request());
    expect(error).toBe(
      `GCP billing export: the query of \`${TABLE}\` for 2025-11-01..2025-11-03 failed: HTTP 429 rateLimitExceeded: Exceeded rate limits: too many concurrent queries for this project_and_region. (gave up after 3 attempts)`,
    );
    expect(api.requests).toHaveLength(3);
  });

  it('does not retry a bad query', async () => {
    api.reset(() => ({
      status: 400,
      json: googleError(
        400,
        'INVALID_ARGUMENT',
        'Unrecognized name: credits at [13:44]',
        'invalidQuery',
      ),
    }));
    const error = await harness.error(request());
    expect(error).toMatch(
      /failed: HTTP 400 invalidQuery: Unrecognized name: credits at \[13:44\]$/,
    );
    expect(api.requests).toHaveLength(1);
  });

  it.each<
    [
      string,
      ExportRow[],
      ReadonlyArray<readonly [string, string]> | undefined,
      RegExp,
    ]
  >([
    [
      'a currency other than USD',
      [row({ usage_day: '2025-11-01', cost: 3, currency: 'EUR' })],
      undefined,
      /: rows\[0\]\.currency is 'EUR'; ModelFleet reads bills in USD only/,
    ],
    [
      'a cost that is not a number',
      [row({ usage_day: '2025-11-01', label_value: 'x', cost: 'twelve' })],
      undefined,
      /: rows\[0\]\.cost NaN is not a number$/,
    ],
    [
      'a day that is not a date',
      [row({ usage_day: '2025-11', label_value: 'x', cost: 1 })],
      undefined,
      /: rows\[0\]\.usage_day "2025-11" is not a date$/,
    ],
    [
      'a missing column',
      [row({ usage_day: '2025-11-01', label_value: 'x', cost: 1 })],
      RESULT_FIELDS.filter(([name]) => name !== 'credits'),
      /: rows\[0\]\.credits is missing$/,
    ],
    [
      'an unlabeled row without its SKU',
      [row({ usage_day: '2025-11-01', cost: 1, service_id: '6F81-5844-456A' })],
      undefined,
      /: rows\[0\]\.sku_id is empty$/,
    ],
  ])('names what is wrong with %s', async (_what, rows, fields, message) => {
    api.reset(() => ({
      json: queryPage({ kind: 'query', jobId: 'job_bad', rows, fields }),
    }));
    const error = await harness.error(request());
    expect(error).toMatch(
      /^GCP billing export: the query of `billing-admin\.billing_export\.gcp_billing_export_v1_0123AB_4567CD_89EF01` for 2025-11-01\.\.2025-11-03/,
    );
    expect(error).toMatch(message);
  });

  it('says when a response is not a query response', async () => {
    api.reset(() => ({ text: '<html><body>Bad gateway</body></html>' }));
    expect(await harness.error(request())).toMatch(
      /failed: BigQuery answered POST \/queries with a body that is not a JSON object \(<html><body>Bad gateway/,
    );
    api.reset(() => ({
      json: { kind: 'bigquery#queryResponse', jobComplete: true },
    }));
    expect(await harness.error(request())).toMatch(
      /failed: BigQuery answered POST \/queries without jobReference\.jobId$/,
    );
    const pages = bigquery(PAGES);
    api.reset(req =>
      req.method === 'GET' ? { json: ['not', 'an', 'object'] } : pages(req),
    );
    expect(await harness.error(request())).toMatch(
      /failed: BigQuery answered GET \/queries\/job_5r2Q0mFhXbD0 with a body that is not a JSON object \(\["not","an","object"\]\)$/,
    );
  });
});

describe('GcpBillingExportBillSource options', () => {
  it('rejects a bad table reference before calling', () => {
    expect(
      () =>
        new GcpBillingExportBillSource({
          projectId: PROJECT,
          table: 'billing_export.gcp_billing_export_v1_X',
        }),
    ).toThrow(/is not a table reference 'project\.dataset\.table'/);
    expect(
      () =>
        new GcpBillingExportBillSource({
          projectId: PROJECT,
          table: 'p-roject.d.t`; DROP TABLE x; --',
        }),
    ).toThrow(/is not a table reference/);
  });

  it('rejects a window that is not dates', async () => {
    const source = new GcpBillingExportBillSource({
      projectId: PROJECT,
      table: TABLE,
      apiEndpoint: 'http://127.0.0.1:9',
    });
    const it = source
      .fetchLines({ start: new Date('x'), end: new Date() })
      [Symbol.asyncIterator]();
    await expect(it.next()).rejects.toThrow(
      /window start or end is not a date/,
    );
  });
});
