import { AwsPricingPriceSource } from './AwsPricingPriceSource';
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
import {
  G5_12XLARGE,
  G5_48XLARGE,
  G5_XLARGE,
  G6_XLARGE,
  P5_48XLARGE_WEST,
  priceListItem,
} from './__testUtils__/priceList';

const TARGET = 'AWSPriceListService.GetProducts';

type Filter = { Type: string; Field: string; Value: string };

function filterValue(input: any, field: string, type = 'TERM_MATCH') {
  return (input.Filters as Filter[]).find(
    f => f.Field === field && f.Type === type,
  )?.Value;
}

describe('AwsPricingPriceSource', () => {
  let server: AwsTestServer;
  afterEach(() => server?.close());

  function source(
    over: Partial<ConstructorParameters<typeof AwsPricingPriceSource>[0]> = {},
  ) {
    return new AwsPricingPriceSource({
      regions: ['us-east-1'],
      instanceTypes: ['g5'],
      endpoint: server.endpoint,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 3,
      ...over,
    });
  }

  it('reads on-demand GPU prices over several pages with the documented filters', async () => {
    server = await startAwsServer(req => {
      const input = json11Input(req, TARGET);
      if (!input.NextToken) {
        return json11({
          FormatVersion: 'aws_v1',
          PriceList: [G5_XLARGE, G5_12XLARGE],
          NextToken: 'page-2-token',
        });
      }
      if (input.NextToken !== 'page-2-token') throw new Error('bad token');
      return json11({ FormatVersion: 'aws_v1', PriceList: [G5_48XLARGE] });
    });

    const quotes = await source().listPrices();

    expect(server.requests).toHaveLength(2);
    const input = json11Input(server.requests[0], TARGET);
    expect(input.ServiceCode).toBe('AmazonEC2');
    expect(input.Filters).toEqual(
      expect.arrayContaining([
        { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' },
        { Type: 'CONTAINS', Field: 'instanceType', Value: 'g5.' },
        { Type: 'TERM_MATCH', Field: 'operatingSystem', Value: 'Linux' },
        { Type: 'TERM_MATCH', Field: 'tenancy', Value: 'Shared' },
        { Type: 'TERM_MATCH', Field: 'preInstalledSw', Value: 'NA' },
        { Type: 'TERM_MATCH', Field: 'capacitystatus', Value: 'Used' },
      ]),
    );
    expect(json11Input(server.requests[1], TARGET).NextToken).toBe(
      'page-2-token',
    );
    // Pricing is signed for its own endpoint region, us-east-1 by default.
    expect(server.requests[0].signingRegion).toBe('us-east-1');
    expect(server.requests[0].signingService).toBe('pricing');

    expect(quotes).toEqual([
      {
        provider: 'aws',
        instanceType: 'g5.xlarge',
        region: 'us-east-1',
        capacityType: 'on-demand',
        usdPerHour: 1.006,
        gpu: { product: 'A10G', count: 1, memoryMiB: 22886 },
        source: 'aws-pricing-api',
        observedAt: '2025-11-20T18:30:11.000Z',
        flags: [],
      },
      expect.objectContaining({
        instanceType: 'g5.12xlarge',
        usdPerHour: 5.672,
        gpu: { product: 'A10G', count: 4, memoryMiB: 22886 },
      }),
      expect.objectContaining({
        instanceType: 'g5.48xlarge',
        usdPerHour: 16.288,
        gpu: { product: 'A10G', count: 8, memoryMiB: 22886 },
      }),
    ]);
  });

  it('queries every configured region and family, and exact types by term match', async () => {
    server = await startAwsServer(req => {
      const input = json11Input(req, TARGET);
      const region = filterValue(input, 'regionCode');
      const family = filterValue(input, 'instanceType', 'CONTAINS');
      const exact = filterValue(input, 'instanceType');
      if (region === 'us-east-1' && family === 'g6.') {
        return json11({ PriceList: [G6_XLARGE] });
      }
      if (region === 'us-west-2' && exact === 'p5.48xlarge') {
        return json11({ PriceList: [P5_48XLARGE_WEST] });
      }
      return json11({ PriceList: [] });
    });

    const quotes = await source({
      regions: ['us-east-1', 'us-west-2'],
      instanceTypes: ['g6', 'p5.48xlarge'],
    }).listPrices();

    expect(server.requests).toHaveLength(4);
    expect(
      quotes.map(q => [q.instanceType, q.region, q.usdPerHour, q.gpu?.product]),
    ).toEqual([
      ['g6.xlarge', 'us-east-1', 0.8048, 'L4'],
      ['p5.48xlarge', 'us-west-2', 55.04, 'H100'],
    ]);
  });

  it('narrows the queries to the filter and answers nothing for other providers', async () => {
    server = await startAwsServer(req => {
      const input = json11Input(req, TARGET);
      return json11({
        PriceList:
          filterValue(input, 'instanceType') === 'g5.12xlarge'
            ? [G5_12XLARGE]
            : [],
      });
    });
    const s = source({ regions: ['us-east-1', 'eu-west-1'] });

    expect(await s.listPrices({ provider: 'gcp' })).toEqual([]);
    expect(server.requests).toHaveLength(0);

    const quotes = await s.listPrices({
      regions: ['us-east-1'],
      instanceTypes: ['g5.12xlarge', 'm5.large'],
    });
    expect(server.requests).toHaveLength(1);
    expect(
      filterValue(json11Input(server.requests[0], TARGET), 'instanceType'),
    ).toBe('g5.12xlarge');
    expect(quotes.map(q => q.instanceType)).toEqual(['g5.12xlarge']);
  });

  it('gives null for an absent price and flags a zero placeholder instead of pricing it 0', async () => {
    const base = {
      regionCode: 'us-east-1',
      location: 'US East (N. Virginia)',
      vcpu: '4',
      memory: '16 GiB',
      gpu: '1',
      gpuMemory: '24 GiB',
    };
    server = await startAwsServer(() =>
      json11({
        PriceList: [
          priceListItem({ ...base, sku: 'A', instanceType: 'g5.xlarge' }),
          priceListItem({
            ...base,
            sku: 'B',
            instanceType: 'g5.2xlarge',
            usd: '0.0000000000',
          }),
          // Capacity Blocks are not on-demand list prices.
          priceListItem({
            ...base,
            sku: 'C',
            instanceType: 'g5.4xlarge',
            usd: '0.5',
            marketoption: 'CapacityBlock',
          }),
        ],
      }),
    );

    const quotes = await source().listPrices();

    expect(quotes).toEqual([
      expect.objectContaining({
        instanceType: 'g5.xlarge',
        usdPerHour: null,
        flags: [],
      }),
      expect.objectContaining({
        instanceType: 'g5.2xlarge',
        usdPerHour: null,
        flags: ['zero-placeholder'],
      }),
    ]);
  });

  it('prices GPU slices with the fractional flag', async () => {
    server = await startAwsServer(() =>
      json11({
        PriceList: [
          priceListItem({
            regionCode: 'us-east-1',
            location: 'US East (N. Virginia)',
            sku: 'F',
            instanceType: 'g6f.large',
            vcpu: '2',
            memory: '8 GiB',
            gpu: '1',
            gpuMemory: '3 GiB',
            usd: '0.2021000000',
          }),
        ],
      }),
    );
    const [quote] = await source({ instanceTypes: ['g6f'] }).listPrices();
    expect(quote).toMatchObject({
      instanceType: 'g6f.large',
      usdPerHour: 0.2021,
      gpu: { product: 'L4', count: 0.125, memoryMiB: 2861 },
      flags: ['fractional-gpu'],
    });
  });

  describe('throttling', () => {
    const throttled = () =>
      json11Error('ThrottlingException', 'Rate exceeded', 400);

    it('retries a throttled request and succeeds', async () => {
      server = await startAwsServer((_req, i) =>
        i === 0 ? throttled() : json11({ PriceList: [G5_XLARGE] }),
      );
      const quotes = await source().listPrices();
      expect(server.requests).toHaveLength(2);
      expect(quotes.map(q => q.usdPerHour)).toEqual([1.006]);
    }, 15_000);

    it('fails with the AWS error once the attempts are used up', async () => {
      server = await startAwsServer(throttled);
      await expect(source({ maxAttempts: 2 }).listPrices()).rejects.toThrow(
        'AWS Pricing GetProducts (us-east-1, g5) failed: ThrottlingException: Rate exceeded (HTTP 400, after 2 attempts)',
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

    it('names an entry that is not JSON', async () => {
      expect(
        await failureOf(() =>
          json11({ PriceList: [G5_XLARGE, '{"product": {"attributes"'] }),
        ),
      ).toMatch(
        /^AWS Pricing GetProducts \(us-east-1, g5\), page 1: PriceList\[1\] is not valid JSON/,
      );
    });

    it('names a missing instance type', async () => {
      const item = JSON.parse(G5_XLARGE);
      delete item.product.attributes.instanceType;
      expect(
        await failureOf(() => json11({ PriceList: [JSON.stringify(item)] })),
      ).toBe(
        'AWS Pricing GetProducts (us-east-1, g5), page 1: PriceList[0].product.attributes.instanceType is missing',
      );
    });

    it('names a price that is not a number', async () => {
      const item = JSON.parse(G5_XLARGE);
      const offer = item.terms.OnDemand['H7NFUF3NB9TU5RK9.JRTCKXETXF'];
      offer.priceDimensions[
        'H7NFUF3NB9TU5RK9.JRTCKXETXF.6YS6EN2CT7'
      ].pricePerUnit.USD = 'one dollar';
      expect(
        await failureOf(() => json11({ PriceList: [JSON.stringify(item)] })),
      ).toBe(
        'AWS Pricing GetProducts (us-east-1, g5), page 1: PriceList[0].terms.OnDemand.H7NFUF3NB9TU5RK9.JRTCKXETXF.priceDimensions.H7NFUF3NB9TU5RK9.JRTCKXETXF.6YS6EN2CT7.pricePerUnit.USD "one dollar" is not a price',
      );
    });

    it('names a product of another region', async () => {
      expect(
        await failureOf(() => json11({ PriceList: [P5_48XLARGE_WEST] })),
      ).toBe(
        "AWS Pricing GetProducts (us-east-1, g5), page 1: PriceList[0].product.attributes.regionCode is 'us-west-2', asked for 'us-east-1'",
      );
    });

    it('stops on a page token that repeats', async () => {
      expect(
        await failureOf(() =>
          json11({ PriceList: [G5_XLARGE], NextToken: 'same' }),
        ),
      ).toBe(
        "AWS Pricing GetProducts (us-east-1, g5): NextToken repeats 'same'",
      );
    });
  });
});
