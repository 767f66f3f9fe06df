import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { modelfleetModuleAzure } from './module';

describe('modelfleetModuleAzure', () => {
  async function start(data: object) {
    const ext = {
      addClusterConnector: jest.fn(),
      addMetricsSource: jest.fn(),
      addPriceSource: jest.fn(),
      addBillSource: jest.fn(),
      addSpotRiskSource: jest.fn(),
      addNodePoolApi: jest.fn(),
    };
    await startTestBackend({
      extensionPoints: [[modelfleetConnectorsExtensionPoint, ext]],
      features: [
        modelfleetModuleAzure,
        mockServices.rootConfig.factory({ data }),
      ],
    });
    return ext;
  }

  const SUB = '6f1a2b3c-0000-4000-8000-00000000a001';

  it('registers the price and bill sources when configured', async () => {
    const ext = await start({
      modelfleet: {
        azure: {
          regions: ['eastus'],
          costManagement: { scopes: [`/subscriptions/${SUB}`] },
          spotEvictionRates: {},
          credentials: {
            tenantId: '11111111-2222-4333-8444-555555555555',
            clientId: '99999999-8888-4777-8666-555555555555',
            clientSecret: 's3cret',
          },
        },
      },
    });
    expect(ext.addPriceSource).toHaveBeenCalledTimes(1);
    expect(ext.addPriceSource).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'azure-retail-prices' }),
    );
    expect(ext.addBillSource).toHaveBeenCalledTimes(1);
    expect(ext.addBillSource).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'azure-cost-management' }),
    );
    expect(ext.addSpotRiskSource).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'azure-spot-eviction-rates' }),
    );
  });

  it('registers only what is configured', async () => {
    const prices = await start({
      modelfleet: { azure: { regions: ['eastus'] } },
    });
    expect(prices.addPriceSource).toHaveBeenCalledTimes(1);
    expect(prices.addBillSource).not.toHaveBeenCalled();
    expect(prices.addSpotRiskSource).not.toHaveBeenCalled();

    const bills = await start({
      modelfleet: {
        azure: { costManagement: { scopes: [`/subscriptions/${SUB}`] } },
      },
    });
    expect(bills.addPriceSource).not.toHaveBeenCalled();
    expect(bills.addBillSource).toHaveBeenCalledTimes(1);
  });

  it('registers the AKS node-pool API when nodePools is set, alone', async () => {
    const ext = await start({
      modelfleet: {
        azure: {
          nodePools: {
            clusters: {
              'gpu-east': {
                subscriptionId: SUB,
                resourceGroup: 'ml-gpu-eastus',
                aksCluster: 'aks-gpu-eastus',
              },
            },
          },
          credentials: {
            tenantId: '11111111-2222-4333-8444-555555555555',
            clientId: '99999999-8888-4777-8666-555555555555',
            clientSecret: 's3cret',
          },
        },
      },
    });
    expect(ext.addNodePoolApi).toHaveBeenCalledTimes(1);
    const [api] = ext.addNodePoolApi.mock.calls[0];
    expect(api.id).toBe('azure-aks');
    await expect(api.listClusters()).resolves.toEqual(['gpu-east']);
    expect(ext.addPriceSource).not.toHaveBeenCalled();
    expect(ext.addBillSource).not.toHaveBeenCalled();
    expect(ext.addSpotRiskSource).not.toHaveBeenCalled();

    const prices = await start({
      modelfleet: { azure: { regions: ['eastus'] } },
    });
    expect(prices.addNodePoolApi).not.toHaveBeenCalled();
  });

  it('registers nothing without modelfleet.azure', async () => {
    const ext = await start({});
    expect(ext.addPriceSource).not.toHaveBeenCalled();
    expect(ext.addBillSource).not.toHaveBeenCalled();
    expect(ext.addNodePoolApi).not.toHaveBeenCalled();
  });

  it('fails start-up on bad config, naming the key', async () => {
    await expect(
      start({ modelfleet: { azure: { regions: ['East US'] } } }),
    ).rejects.toThrow('modelfleet.azure.regions[0]');
    await expect(
      start({ modelfleet: { azure: { nodePools: { clusters: {} } } } }),
    ).rejects.toThrow('modelfleet.azure.nodePools.clusters');
  });
});
