import { BillLine } from '@modelfleet/plugin-modelfleet-node';
import { AwsCostExplorerBillSource } from './AwsCostExplorerBillSource';
import {
  AwsTestServer,
  json11,
  json11Error,
  json11Input,
  RecordedRequest,
  Reply,
  startAwsServer,
  TEST_CREDENTIALS,
} from './__testUtils__/awsServer';

const TARGET = 'AWSInsightsIndexService.GetCostAndUsage';
const PROD = '123456789012';
const DEV = '210987654321';

type Metrics = Record<string, { Amount: string; Unit: string }>;

function group(tag: string, account: string, metrics: Metrics) {
  return { Keys: [tag, account], Metrics: metrics };
}

function usd(amount: string, usage?: [string, string]): Metrics {
  return {
    UnblendedCost: { Amount: amount, Unit: 'USD' },
    ...(usage ? { UsageQuantity: { Amount: usage[0], Unit: usage[1] } } : {}),
  };
}

/** A `GetCostAndUsage` response grouped by tag and linked account. */
function costAndUsage(
  tagKey: string,
  days: Array<{ start: string; end: string; groups: unknown[] }>,
  nextPageToken?: string,
): Reply {
  return json11({
    GroupDefinitions: [
      { Type: 'TAG', Key: tagKey },
      { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
    ],
    ResultsByTime: days.map(d => ({
      TimePeriod: { Start: d.start, End: d.end },
      Total: {},
      Groups: d.groups,
      Estimated: d.start >= '2025-11-21',
    })),
    DimensionValueAttributes: [
      { Value: PROD, Attributes: { description: 'ml-prod' } },
      { Value: DEV, Attributes: { description: 'ml-dev' } },
    ],
    ...(nextPageToken ? { NextPageToken: nextPageToken } : {}),
  });
}

async function collect(it: AsyncIterable<BillLine>): Promise<BillLine[]> {
  const lines: BillLine[] = [];
  for await (const line of it) lines.push(line);
  return lines;
}

const WINDOW = {
  start: new Date('2025-11-20T00:00:00Z'),
  end: new Date('2025-11-22T00:00:00Z'),
};

describe('AwsCostExplorerBillSource', () => {
  let server: AwsTestServer;
  afterEach(() => server?.close());

  function source(
    over: Partial<
      ConstructorParameters<typeof AwsCostExplorerBillSource>[0]
    > = {},
  ) {
    return new AwsCostExplorerBillSource({
      endpoint: server.endpoint,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 3,
      ...over,
    });
  }

  it('reads daily costs per account and tag value over several pages', async () => {
    const key = 'modelfleet.io/model';
    server = await startAwsServer(req => {
      const input = json11Input(req, TARGET);
      if (!input.NextPageToken) {
        return costAndUsage(
          key,
          [
            {
              start: '2025-11-20',
              end: '2025-11-21',
              groups: [
                group(`${key}$`, PROD, usd('3.1250000000')),
                group(`${key}$llama-3-1-8b-chat`, PROD, usd('24.144')),
                group(`${key}$mistral-7b`, DEV, usd('19.3152')),
              ],
            },
          ],
          'AQICAHhJ7...page2',
        );
      }
      return costAndUsage(key, [
        {
          start: '2025-11-21',
          end: '2025-11-22',
          groups: [group(`${key}$llama-3-1-8b-chat`, PROD, usd('24.144'))],
        },
      ]);
    });

    const lines = await collect(source().fetchLines(WINDOW));

    expect(server.requests).toHaveLength(2);
    expect(server.requests[0].signingService).toBe('ce');
    expect(server.requests[0].signingRegion).toBe('us-east-1');
    const input = json11Input(server.requests[0], TARGET);
    expect(input).toEqual({
      TimePeriod: { Start: '2025-11-20', End: '2025-11-22' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [
        { Type: 'TAG', Key: 'modelfleet.io/model' },
        { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
      ],
      Filter: {
        Dimensions: {
          Key: 'SERVICE',
          Values: ['Amazon Elastic Compute Cloud - Compute'],
        },
      },
    });
    expect(json11Input(server.requests[1], TARGET).NextPageToken).toBe(
      'AQICAHhJ7...page2',
    );

    expect(lines).toEqual([
      {
        source: 'aws-cost-explorer',
        provider: 'aws',
        account: PROD,
        periodStart: '2025-11-20T00:00:00.000Z',
        periodEnd: '2025-11-21T00:00:00.000Z',
        resourceId: 'tag:modelfleet.io/model=llama-3-1-8b-chat',
        service: 'Amazon Elastic Compute Cloud - Compute',
        tags: { 'modelfleet.io/model': 'llama-3-1-8b-chat' },
        costUsd: 24.144,
      },
      expect.objectContaining({
        account: PROD,
        periodStart: '2025-11-20T00:00:00.000Z',
        resourceId: 'untagged',
        tags: {},
        costUsd: 3.125,
      }),
      expect.objectContaining({
        account: DEV,
        resourceId: 'tag:modelfleet.io/model=mistral-7b',
        tags: { 'modelfleet.io/model': 'mistral-7b' },
        costUsd: 19.3152,
      }),
      expect.objectContaining({
        account: PROD,
        periodStart: '2025-11-21T00:00:00.000Z',
        periodEnd: '2025-11-22T00:00:00.000Z',
        resourceId: 'tag:modelfleet.io/model=llama-3-1-8b-chat',
        costUsd: 24.144,
      }),
    ]);
  });

  it('reads the configured metric, services, usage and tag keys', async () => {
    server = await startAwsServer(req => {
      const input = json11Input(req, TARGET);
      const key = input.GroupBy[0].Key;
      const metrics = (amount: string, hours: string): Metrics => ({
        AmortizedCost: { Amount: amount, Unit: 'USD' },
        UsageQuantity: { Amount: hours, Unit: 'Hrs' },
      });
      return costAndUsage(key, [
        {
          start: '2025-11-20',
          end: '2025-11-21',
          groups:
            key === 'team'
              ? [
                  group('team$search', PROD, metrics('12.5', '24')),
                  group('team$', PROD, metrics('4', '8')),
                ]
              : [group(`${key}$`, PROD, metrics('16.5', '32'))],
        },
      ]);
    });

    const lines = await collect(
      source({
        metric: 'AmortizedCost',
        tagKeys: ['modelfleet.io/model', 'team'],
        services: [],
        includeUsage: true,
      }).fetchLines({
        start: new Date('2025-11-20T00:00:00Z'),
        end: new Date('2025-11-21T00:00:00Z'),
      }),
    );

    const inputs = server.requests.map(r => json11Input(r, TARGET));
    expect(inputs.map(i => i.GroupBy[0])).toEqual([
      { Type: 'TAG', Key: 'modelfleet.io/model' },
      { Type: 'TAG', Key: 'team' },
    ]);
    expect(inputs[0].Metrics).toEqual(['AmortizedCost', 'UsageQuantity']);
    expect(inputs[0].Filter).toBeUndefined();
    expect(
      lines.map(l => [l.resourceId, l.costUsd, l.usage, l.service]),
    ).toEqual([
      ['untagged', 16.5, { quantity: 32, unit: 'Hrs' }, undefined],
      ['tag:team=search', 12.5, { quantity: 24, unit: 'Hrs' }, undefined],
      // The same untagged dollars under the second key keep their own id.
      ['untagged:team', 4, { quantity: 8, unit: 'Hrs' }, undefined],
    ]);
  });

  it('reads whole UTC days only and nothing for a window without one', async () => {
    server = await startAwsServer(() =>
      costAndUsage('modelfleet.io/model', []),
    );
    await collect(
      source().fetchLines({
        start: new Date('2025-11-19T06:00:00Z'),
        end: new Date('2025-11-22T18:00:00Z'),
      }),
    );
    expect(json11Input(server.requests[0], TARGET).TimePeriod).toEqual({
      Start: '2025-11-20',
      End: '2025-11-22',
    });

    await collect(
      source().fetchLines({
        start: new Date('2025-11-20T01:00:00Z'),
        end: new Date('2025-11-20T23:00:00Z'),
      }),
    );
    expect(server.requests).toHaveLength(1);
  });

  describe('throttling', () => {
    // Cost Explorer answers too many calls with LimitExceededException.
    const limited = () =>
      json11Error('LimitExceededException', 'Rate exceeded', 400);

    it('retries a throttled request and succeeds', async () => {
      server = await startAwsServer((_req, i) =>
        i === 0
          ? json11Error('ThrottlingException', 'Rate exceeded', 400)
          : costAndUsage('modelfleet.io/model', [
              {
                start: '2025-11-20',
                end: '2025-11-21',
                groups: [group('modelfleet.io/model$a', PROD, usd('1.5'))],
              },
            ]),
      );
      const lines = await collect(source().fetchLines(WINDOW));
      expect(server.requests).toHaveLength(2);
      expect(lines.map(l => l.costUsd)).toEqual([1.5]);
    }, 15_000);

    it('fails with the AWS error once the attempts are used up', async () => {
      server = await startAwsServer(limited);
      await expect(
        collect(source({ maxAttempts: 2 }).fetchLines(WINDOW)),
      ).rejects.toThrow(
        'AWS Cost Explorer GetCostAndUsage (tag modelfleet.io/model, 2025-11-20..2025-11-22) failed: LimitExceededException: Rate exceeded (HTTP 400, after 2 attempts)',
      );
      expect(server.requests).toHaveLength(2);
    }, 15_000);
  });

  describe('malformed responses', () => {
    const what =
      'AWS Cost Explorer GetCostAndUsage (tag modelfleet.io/model, 2025-11-20..2025-11-22), page 1';

    async function failureOf(reply: (req: RecordedRequest) => Reply) {
      server = await startAwsServer(reply);
      return collect(source().fetchLines(WINDOW)).then(
        () => 'no error',
        e => (e as Error).message,
      );
    }

    const oneGroup = (g: unknown) =>
      costAndUsage('modelfleet.io/model', [
        { start: '2025-11-20', end: '2025-11-21', groups: [g] },
      ]);

    it('rejects a cost in another currency, naming the field', async () => {
      expect(
        await failureOf(() =>
          oneGroup({
            Keys: ['modelfleet.io/model$a', PROD],
            Metrics: { UnblendedCost: { Amount: '10', Unit: 'EUR' } },
          }),
        ),
      ).toBe(
        `${what}: ResultsByTime[0].Groups[0].Metrics.UnblendedCost.Unit is 'EUR', only USD is supported`,
      );
    });

    it('names an amount that is not a number', async () => {
      expect(
        await failureOf(() =>
          oneGroup(group('modelfleet.io/model$a', PROD, usd('ten'))),
        ),
      ).toBe(
        `${what}: ResultsByTime[0].Groups[0].Metrics.UnblendedCost.Amount "ten" is not a number`,
      );
    });

    it('names a missing metric', async () => {
      expect(
        await failureOf(() =>
          oneGroup({ Keys: ['modelfleet.io/model$a', PROD], Metrics: {} }),
        ),
      ).toBe(
        `${what}: ResultsByTime[0].Groups[0].Metrics.UnblendedCost is missing`,
      );
    });

    it('names group keys that are not the asked tag and account', async () => {
      expect(
        await failureOf(() => oneGroup(group('team$a', PROD, usd('1')))),
      ).toBe(
        `${what}: ResultsByTime[0].Groups[0].Keys[0] 'team$a' is not a value of tag 'modelfleet.io/model' (expected 'modelfleet.io/model$<value>')`,
      );
      await server.close();
      expect(
        await failureOf(() =>
          oneGroup({ Keys: ['modelfleet.io/model$a'], Metrics: usd('1') }),
        ),
      ).toBe(
        `${what}: ResultsByTime[0].Groups[0].Keys has 1 keys, expected the tag and the linked account`,
      );
    });

    it('names a period that is not a date', async () => {
      expect(
        await failureOf(() =>
          costAndUsage('modelfleet.io/model', [
            { start: '20/11/2025', end: '2025-11-21', groups: [] },
          ]),
        ),
      ).toBe(
        `${what}: ResultsByTime[0].TimePeriod.Start "20/11/2025" is not a date`,
      );
    });
  });
});
