import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { modelfleetModuleAws } from './module';
import {
  json11,
  startAwsServer,
  TEST_CREDENTIALS,
} from './__testUtils__/awsServer';
import { startEksServer } from './__testUtils__/eksServer';
import { G5_XLARGE } from './__testUtils__/priceList';

describe('modelfleetModuleAws', () => {
  async function start(data: object) {
    const ext = {
      addClusterConnector: jest.fn(),
      addMetricsSource: jest.fn(),
      addPriceSource: jest.fn(),
      addBillSource: jest.fn(),
      addSpotRiskSource: jest.fn(),
      addNodePoolApi: jest.fn(),
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
    expect(ext.addNodePoolApi).not.toHaveBeenCalled();
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

  it('registers the EKS node-pool API alone, working against EKS', async () => {
    const server = await startEksServer([
      {
        cluster: 'eks-gpu-prod',
        name: 'a100',
        minSize: 1,
        maxSize: 2,
        desiredSize: 1,
      },
    ]);
    try {
      const { ext, backend } = await start({
        modelfleet: {
          aws: {
            credentials: TEST_CREDENTIALS,
            maxAttempts: 1,
            nodePools: {
              clusters: {
                'gpu-prod': { eksCluster: 'eks-gpu-prod', region: 'us-west-2' },
              },
              endpoint: server.endpoint,
            },
          },
        },
      });
      expect(ext.addPriceSource).not.toHaveBeenCalled();
      expect(ext.addSpotRiskSource).not.toHaveBeenCalled();
      expect(ext.addNodePoolApi).toHaveBeenCalledTimes(1);
      const [eks] = ext.addNodePoolApi.mock.calls[0];
      expect(eks.id).toBe('aws-eks');
      await expect(eks.listClusters()).resolves.toEqual(['gpu-prod']);
      await eks.setMinimum({ cluster: 'gpu-prod', pool: 'a100' }, 0);
      expect(server.nodegroups[0].minSize).toBe(0);
      expect(server.requests[0].signingRegion).toBe('us-west-2');
      await backend.stop();
    } finally {
      await server.close();
    }
  });

  it('fails start-up on bad node-pool config', async () => {
    await expect(
      start({ modelfleet: { aws: { nodePools: { clusters: {} } } } }),
    ).rejects.toThrow(/modelfleet\.aws\.nodePools\.clusters/);
  });
});
