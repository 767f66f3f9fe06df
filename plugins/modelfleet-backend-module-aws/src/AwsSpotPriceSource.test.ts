import { AwsSpotPriceSource } from './AwsSpotPriceSource';
import {
  AwsTestServer,
  ec2Error,
  ec2Params,
  ec2Xml,
  RecordedRequest,
  Reply,
  startAwsServer,
  TEST_CREDENTIALS,
} from './__testUtils__/awsServer';

interface Item {
  type: string;
  az: string;
  price: string;
  at: string;
}

/** A `DescribeSpotPriceHistory` response as EC2 sends it. */
function history(items: Item[], nextToken?: string): Reply {
  return ec2Xml(`<?xml version="1.0" encoding="UTF-8"?>
<DescribeSpotPriceHistoryResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
    <spotPriceHistorySet>${items
      .map(
        i => `
        <item>
            <instanceType>${i.type}</instanceType>
            <productDescription>Linux/UNIX</productDescription>
            <spotPrice>${i.price}</spotPrice>
            <timestamp>${i.at}</timestamp>
            <availabilityZone>${i.az}</availabilityZone>
        </item>`,
      )
      .join('')}
    </spotPriceHistorySet>
    ${nextToken ? `<nextToken>${nextToken}</nextToken>` : '<nextToken/>'}
</DescribeSpotPriceHistoryResponse>`);
}

const NOW = new Date('2025-11-24T12:00:00.000Z');

describe('AwsSpotPriceSource', () => {
  let server: AwsTestServer;
  afterEach(() => server?.close());

  function source(
    over: Partial<ConstructorParameters<typeof AwsSpotPriceSource>[0]> = {},
  ) {
    return new AwsSpotPriceSource({
      regions: ['us-east-1'],
      instanceTypes: ['g5', 'p5.48xlarge'],
      lookbackHours: 6,
      endpoint: server.endpoint,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 3,
      now: () => NOW,
      ...over,
    });
  }

  it('keeps the newest price per instance type and zone over several pages', async () => {
    server = await startAwsServer(req => {
      const params = ec2Params(req);
      if (!params.get('NextToken')) {
        return history(
          [
            {
              type: 'g5.xlarge',
              az: 'us-east-1a',
              price: '0.451200',
              at: '2025-11-24T09:14:02.000Z',
            },
            {
              type: 'g5.xlarge',
              az: 'us-east-1a',
              price: '0.433100',
              at: '2025-11-24T07:01:55.000Z',
            },
            {
              type: 'g5.xlarge',
              az: 'us-east-1b',
              price: '0.402700',
              at: '2025-11-24T08:40:12.000Z',
            },
          ],
          'eyJ2IjoiMiIsImMiOiJ0b2tlbi0yIn0=',
        );
      }
      return history([
        // Older than the 1a price on page 1: loses.
        {
          type: 'g5.xlarge',
          az: 'us-east-1a',
          price: '0.470000',
          at: '2025-11-24T06:30:00.000Z',
        },
        // Newer than the 1b price on page 1: wins.
        {
          type: 'g5.xlarge',
          az: 'us-east-1b',
          price: '0.398800',
          at: '2025-11-24T10:05:44.000Z',
        },
        {
          type: 'p5.48xlarge',
          az: 'us-east-1d',
          price: '31.468300',
          at: '2025-11-24T11:12:09.000Z',
        },
      ]);
    });

    const quotes = await source().listPrices();

    expect(server.requests).toHaveLength(2);
    const first = ec2Params(server.requests[0]);
    expect(first.get('Action')).toBe('DescribeSpotPriceHistory');
    expect(first.get('Version')).toBe('2016-11-15');
    expect(first.get('ProductDescription.1')).toBe('Linux/UNIX');
    expect(first.get('StartTime')).toBe('2025-11-24T06:00:00Z');
    expect(first.get('EndTime')).toBe('2025-11-24T12:00:00Z');
    expect(first.get('Filter.1.Name')).toBe('instance-type');
    expect(first.getAll('Filter.1.Value.1')).toEqual(['g5.*']);
    expect(first.get('Filter.1.Value.2')).toBe('p5.48xlarge');
    expect(first.get('NextToken')).toBeNull();
    expect(ec2Params(server.requests[1]).get('NextToken')).toBe(
      'eyJ2IjoiMiIsImMiOiJ0b2tlbi0yIn0=',
    );
    expect(server.requests[0].signingService).toBe('ec2');
    expect(server.requests[0].signingRegion).toBe('us-east-1');

    expect(quotes).toEqual([
      {
        provider: 'aws',
        instanceType: 'g5.xlarge',
        region: 'us-east-1',
        zone: 'us-east-1a',
        capacityType: 'spot',
        usdPerHour: 0.4512,
        gpu: { product: 'A10G', count: 1, memoryMiB: 22886 },
        source: 'aws-ec2-spot-price-history',
        observedAt: '2025-11-24T09:14:02.000Z',
        flags: [],
      },
      expect.objectContaining({
        instanceType: 'g5.xlarge',
        zone: 'us-east-1b',
        usdPerHour: 0.3988,
        observedAt: '2025-11-24T10:05:44.000Z',
      }),
      expect.objectContaining({
        instanceType: 'p5.48xlarge',
        zone: 'us-east-1d',
        usdPerHour: 31.4683,
        gpu: { product: 'H100', count: 8, memoryMiB: 81920 },
      }),
    ]);
  });

  it('asks each region with its own signing region and keeps only asked types', async () => {
    server = await startAwsServer(req =>
      req.signingRegion === 'eu-west-1'
        ? history([
            {
              type: 'g6.2xlarge',
              az: 'eu-west-1c',
              price: '0.3410',
              at: '2025-11-24T10:00:00.000Z',
            },
            // Not asked for: dropped even if the server sends it.
            {
              type: 'm5.large',
              az: 'eu-west-1c',
              price: '0.0350',
              at: '2025-11-24T10:00:00.000Z',
            },
          ])
        : history([
            {
              type: 'g6.2xlarge',
              az: 'us-east-1c',
              price: '0.3012',
              at: '2025-11-24T10:00:00.000Z',
            },
          ]),
    );

    const quotes = await source({
      regions: ['us-east-1', 'eu-west-1'],
      instanceTypes: ['g6'],
    }).listPrices({ instanceTypes: ['g6.2xlarge'] });

    expect(server.requests.map(r => r.signingRegion)).toEqual([
      'us-east-1',
      'eu-west-1',
    ]);
    // An exact type from the filter is asked for exactly, not as a family.
    expect(ec2Params(server.requests[0]).get('Filter.1.Value.1')).toBe(
      'g6.2xlarge',
    );
    expect(quotes.map(q => [q.region, q.zone, q.usdPerHour])).toEqual([
      ['us-east-1', 'us-east-1c', 0.3012],
      ['eu-west-1', 'eu-west-1c', 0.341],
    ]);
  });

  it('answers nothing for types outside its configuration or other providers', async () => {
    server = await startAwsServer(() => history([]));
    expect(await source().listPrices({ instanceTypes: ['m5.large'] })).toEqual(
      [],
    );
    expect(await source().listPrices({ provider: 'azure' })).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('flags a zero spot price instead of pricing it 0', async () => {
    server = await startAwsServer(() =>
      history([
        {
          type: 'g5.2xlarge',
          az: 'us-east-1f',
          price: '0.000000',
          at: '2025-11-24T10:00:00.000Z',
        },
      ]),
    );
    expect(await source().listPrices()).toEqual([
      expect.objectContaining({
        instanceType: 'g5.2xlarge',
        usdPerHour: null,
        flags: ['zero-placeholder'],
      }),
    ]);
  });

  describe('throttling', () => {
    const limited = () =>
      ec2Error('RequestLimitExceeded', 'Request limit exceeded.', 503);

    it('retries RequestLimitExceeded and succeeds', async () => {
      server = await startAwsServer((_req, i) =>
        i === 0
          ? limited()
          : history([
              {
                type: 'g5.xlarge',
                az: 'us-east-1a',
                price: '0.4512',
                at: '2025-11-24T09:14:02.000Z',
              },
            ]),
      );
      const quotes = await source().listPrices();
      expect(server.requests).toHaveLength(2);
      expect(quotes.map(q => q.usdPerHour)).toEqual([0.4512]);
    }, 15_000);

    it('fails with the EC2 error once the attempts are used up', async () => {
      server = await startAwsServer(limited);
      await expect(source({ maxAttempts: 2 }).listPrices()).rejects.toThrow(
        'AWS EC2 DescribeSpotPriceHistory (us-east-1) failed: RequestLimitExceeded: Request limit exceeded. (HTTP 503, after 2 attempts)',
      );
      expect(server.requests).toHaveLength(2);
    }, 15_000);
  });

  describe('malformed responses', () => {
    async function failureOf(reply: (req: RecordedRequest) => Reply) {
      server = await startAwsServer(reply);
      return source()
        .listPrices()
        .then(
          () => 'no error',
          e => (e as Error).message,
        );
    }

    it('names a price that is not a number', async () => {
      expect(
        await failureOf(() =>
          history([
            {
              type: 'g5.xlarge',
              az: 'us-east-1a',
              price: 'N/A',
              at: '2025-11-24T09:14:02.000Z',
            },
          ]),
        ),
      ).toBe(
        'AWS EC2 DescribeSpotPriceHistory (us-east-1), page 1: spotPriceHistorySet[0].spotPrice "N/A" is not a price',
      );
    });

    it('names a missing zone', async () => {
      expect(
        await failureOf(() =>
          history([
            {
              type: 'g5.xlarge',
              az: '',
              price: '0.45',
              at: '2025-11-24T09:14:02.000Z',
            },
          ]),
        ),
      ).toBe(
        'AWS EC2 DescribeSpotPriceHistory (us-east-1), page 1: spotPriceHistorySet[0].availabilityZone is missing',
      );
    });

    it('reports a body that is not XML', async () => {
      expect(await failureOf(() => ec2Xml('<html><body>Bad Gateway'))).toMatch(
        /^AWS EC2 DescribeSpotPriceHistory \(us-east-1\) failed: .*XML parse error/,
      );
    });
  });
});
