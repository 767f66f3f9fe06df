import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { modelfleetModuleAws } from './module';
import {
  json11,
  startAwsServer,
  TEST_CREDENTIALS,
} from './__testUtils__/awsServer';
import { G5_XLARGE } from './__testUtils__/priceList';

describe('modelfleetModuleAws', () => {
  async function start(data: object) {
    const ext = {
      addClusterConnector: jest.fn(),
      addMetricsSource: jest.fn(),
      addPriceSource: jest.fn(),
      addBillSource: jest.fn(),
      addSpotRiskSource: jest.fn(),
    };
    const backend = await startTestBackend({
      extensionPoints: [[modelfleetConnectorsExtensionPoint, ext]],
      features: [
        modelfleetModuleAws,
        mockServices.rootConfig.factory({ data }),
      ],
    });
    return { ext, backend };
  }

  it('registers the price sources when regions are set', async () => {
    const { ext, backend } = await start({
      modelfleet: { aws: { regions: ['us-east-1'] } },
    });
    expect(ext.addPriceSource.mock.calls.map(c => c[0].id)).toEqual([
      'aws-pricing-api',
      'aws-ec2-spot-price-history',
    ]);
    expect(ext.addSpotRiskSource.mock.calls.map(c => c[0].id)).toEqual([
      'aws-spot-placement-scores',
    ]);
    expect(ext.addBillSource).not.toHaveBeenCalled();
    await backend.stop();
  });

  it('registers Cost Explorer only when configured, and only enabled sources', async () => {
    const { ext, backend } = await start({
      modelfleet: {
        aws: {
          regions: ['us-east-1'],
          spot: { enabled: false },
          costExplorer: { tagKeys: ['modelfleet.io/model'] },
        },
      },
    });
    expect(ext.addPriceSource.mock.calls.map(c => c[0].id)).toEqual([
      'aws-pricing-api',
    ]);
    expect(ext.addBillSource.mock.calls.map(c => c[0].id)).toEqual([
      'aws-cost-explorer',
    ]);
    await backend.stop();
  });

  it('registers nothing without modelfleet.aws', async () => {
    const { ext, backend } = await start({});
    expect(ext.addPriceSource).not.toHaveBeenCalled();
    expect(ext.addBillSource).not.toHaveBeenCalled();
    await backend.stop();
  });

  it('fails start-up on bad config', async () => {
    await expect(
      start({ modelfleet: { aws: { regions: ['Virginia'] } } }),
    ).rejects.toThrow(/modelfleet\.aws\.regions\[0\]/);
  });

  it('wires the configured endpoint and credentials into the registered source', async () => {
    const server = await startAwsServer(() =>
      json11({ PriceList: [G5_XLARGE] }),
    );
    try {
      const { ext, backend } = await start({
        modelfleet: {
          aws: {
            regions: ['us-east-1'],
            instanceTypes: ['g5.xlarge'],
            credentials: TEST_CREDENTIALS,
            pricing: { endpoint: server.endpoint },
            spot: { enabled: false },
          },
        },
      });
      const [pricing] = ext.addPriceSource.mock.calls[0];
      const quotes = await pricing.listPrices();
      expect(quotes.map((q: any) => [q.instanceType, q.usdPerHour])).toEqual([
        ['g5.xlarge', 1.006],
      ]);
      expect(server.requests).toHaveLength(1);
      await backend.stop();
    } finally {
      await server.close();
    }
  });
});
