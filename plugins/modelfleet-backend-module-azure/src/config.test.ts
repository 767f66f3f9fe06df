import { ConfigReader } from '@backstage/config';
import { readAzureConfig } from './config';

const SUB = '6f1a2b3c-0000-4000-8000-00000000a001';
const read = (azure: object) =>
  readAzureConfig(new ConfigReader({ modelfleet: { azure } }));

describe('readAzureConfig', () => {
  it('is off without modelfleet.azure', () => {
    expect(readAzureConfig(new ConfigReader({}))).toBeUndefined();
    expect(
      readAzureConfig(new ConfigReader({ modelfleet: { prometheus: {} } })),
    ).toBeUndefined();
  });

  it('reads retail prices for the regions, with defaults', () => {
    expect(read({ regions: ['eastus', 'westus3'] })).toEqual({
      retailPrices: {
        regions: ['eastus', 'westus3'],
        baseUrl: undefined,
        skuPrefixes: undefined,
      },
      costManagement: undefined,
      credentials: undefined,
    });
  });

  it('reads every key', () => {
    const tenantId = '11111111-2222-4333-8444-555555555555';
    const clientId = '99999999-8888-4777-8666-555555555555';
    expect(
      read({
        regions: ['eastus'],
        retailPrices: {
          enabled: true,
          baseUrl: 'https://prices.example.com',
          skuPrefixes: ['Standard_ND', 'Standard_NC24ads_A100_v4'],
        },
        costManagement: {
          scopes: [
            `/subscriptions/${SUB}`,
            `/subscriptions/${SUB}/resourceGroups/mc_ml_gpu_eastus`,
            '/providers/Microsoft.Billing/billingAccounts/1234567:abcd_2019-05-31',
            '/providers/Microsoft.Management/managementGroups/ml-platform',
          ],
          type: 'AmortizedCost',
          tagKey: 'ml-model',
          costColumn: 'CostUSD',
          endpoint: 'https://management.usgovcloudapi.net',
        },
        credentials: { tenantId, clientId, clientSecret: 's3cret' },
      }),
    ).toEqual({
      retailPrices: {
        regions: ['eastus'],
        baseUrl: 'https://prices.example.com',
        skuPrefixes: ['Standard_ND', 'Standard_NC24ads_A100_v4'],
      },
      costManagement: {
        scopes: [
          `/subscriptions/${SUB}`,
          `/subscriptions/${SUB}/resourceGroups/mc_ml_gpu_eastus`,
          '/providers/Microsoft.Billing/billingAccounts/1234567:abcd_2019-05-31',
          '/providers/Microsoft.Management/managementGroups/ml-platform',
        ],
        type: 'AmortizedCost',
        tagKey: 'ml-model',
        costColumn: 'CostUSD',
        endpoint: 'https://management.usgovcloudapi.net',
      },
      credentials: { tenantId, clientId, clientSecret: 's3cret' },
    });
  });

  it('turns retail prices off, and reads bills alone', () => {
    const c = read({
      regions: ['eastus'],
      retailPrices: { enabled: false },
      costManagement: { scopes: [`/subscriptions/${SUB}`] },
    })!;
    expect(c.retailPrices).toBeUndefined();
    expect(c.costManagement).toEqual({
      scopes: [`/subscriptions/${SUB}`],
      type: undefined,
      tagKey: 'modelfleet.io-model',
      costColumn: undefined,
      endpoint: undefined,
    });
    expect(
      read({ costManagement: { scopes: [`/subscriptions/${SUB}`] } })!
        .retailPrices,
    ).toBeUndefined();
  });

  it('reads spot eviction rates only when set, for the regions', () => {
    expect(read({ regions: ['eastus'] })!.spotEvictionRates).toBeUndefined();
    expect(
      read({ regions: ['eastus'], spotEvictionRates: {} })!.spotEvictionRates,
    ).toEqual({ regions: ['eastus'], endpoint: undefined });
    expect(
      read({ regions: ['eastus'], spotEvictionRates: { enabled: false } })!
        .spotEvictionRates,
    ).toBeUndefined();
  });

  it('reads AKS node pools only when set', () => {
    expect(read({ regions: ['eastus'] })!.nodePools).toBeUndefined();
    expect(
      read({
        nodePools: {
          clusters: {
            'gpu-east': {
              subscriptionId: SUB,
              resourceGroup: 'MC_ml-gpu(eastus).v2',
              aksCluster: 'aks_gpu-eastus',
            },
            'gpu-west': {
              subscriptionId: SUB,
              resourceGroup: 'ml',
              aksCluster: 'a',
            },
          },
          endpoint: 'https://management.usgovcloudapi.net',
        },
      }),
    ).toEqual({
      nodePools: {
        clusters: {
          'gpu-east': {
            subscriptionId: SUB,
            resourceGroup: 'MC_ml-gpu(eastus).v2',
            aksCluster: 'aks_gpu-eastus',
          },
          'gpu-west': {
            subscriptionId: SUB,
            resourceGroup: 'ml',
            aksCluster: 'a',
          },
        },
        endpoint: 'https://management.usgovcloudapi.net',
      },
    });
  });

  const pool = (over: object) => ({
    nodePools: {
      clusters: {
        'gpu-east': {
          subscriptionId: SUB,
          resourceGroup: 'ml',
          aksCluster: 'aks',
          ...over,
        },
      },
    },
  });

  it.each([
    [
      { nodePools: {} },
      'modelfleet.azure.nodePools.clusters: map at least one cluster',
    ],
    [
      { nodePools: { clusters: 'gpu-east' } },
      'modelfleet.azure.nodePools.clusters: must map cluster names',
    ],
    [
      { nodePools: { clusters: { 'gpu-east': 'aks' } } },
      'modelfleet.azure.nodePools.clusters.gpu-east: must be { subscriptionId',
    ],
    [
      pool({ subscriptionId: undefined }),
      'modelfleet.azure.nodePools.clusters.gpu-east.subscriptionId: is required',
    ],
    [
      pool({ subscriptionId: 'my-sub' }),
      "modelfleet.azure.nodePools.clusters.gpu-east.subscriptionId: 'my-sub' is not a subscription id",
    ],
    [
      pool({ resourceGroup: 'ml/gpu' }),
      'modelfleet.azure.nodePools.clusters.gpu-east.resourceGroup',
    ],
    [
      pool({ resourceGroup: 'ml.' }),
      'modelfleet.azure.nodePools.clusters.gpu-east.resourceGroup',
    ],
    [
      pool({ aksCluster: '-aks' }),
      'modelfleet.azure.nodePools.clusters.gpu-east.aksCluster',
    ],
    [
      pool({ aksCluster: 7 }),
      'modelfleet.azure.nodePools.clusters.gpu-east.aksCluster: must be an AKS cluster name',
    ],
    [
      { nodePools: { ...pool({}).nodePools, endpoint: 'http://127.0.0.1' } },
      "modelfleet.azure.nodePools.endpoint: 'http://127.0.0.1' is not an https URL",
    ],
    [
      { spotEvictionRates: {} },
      'modelfleet.azure.regions: list the regions whose spot eviction rates are read',
    ],
    [
      { regions: ['eastus'], spotEvictionRates: { endpoint: 'http://arm' } },
      'modelfleet.azure.spotEvictionRates.endpoint',
    ],
    [{ regions: 'eastus' }, 'modelfleet.azure.regions: must be a list'],
    [{ regions: [] }, 'modelfleet.azure.regions: must not be empty'],
    [{ regions: ['East US'] }, 'modelfleet.azure.regions[0]'],
    [
      { retailPrices: { enabled: true } },
      'modelfleet.azure.regions: list the regions',
    ],
    [
      { regions: ['eastus'], retailPrices: { baseUrl: 'prices' } },
      'modelfleet.azure.retailPrices.baseUrl',
    ],
    [
      {
        regions: ['eastus'],
        retailPrices: { skuPrefixes: ["Standard_NC' or 1"] },
      },
      'modelfleet.azure.retailPrices.skuPrefixes[0]',
    ],
    [
      { regions: ['eastus'], retailPrices: { skuPrefixes: [] } },
      'modelfleet.azure.retailPrices.skuPrefixes: must not be empty',
    ],
    [{ costManagement: {} }, 'modelfleet.azure.costManagement.scopes'],
    [
      { costManagement: { scopes: `/subscriptions/${SUB}` } },
      'modelfleet.azure.costManagement.scopes: must be a list of strings',
    ],
    [
      { regions: ['eastus'], retailPrices: { skuPrefixes: 'Standard_NC' } },
      'modelfleet.azure.retailPrices.skuPrefixes: must be a list of strings',
    ],
    [
      { costManagement: { scopes: ['subscription-1'] } },
      'modelfleet.azure.costManagement.scopes[0]',
    ],
    [
      { costManagement: { scopes: [`/subscriptions/${SUB}`], type: 'Usage' } },
      "modelfleet.azure.costManagement.type: 'Usage' is not ActualCost or AmortizedCost",
    ],
    [
      {
        costManagement: {
          scopes: [`/subscriptions/${SUB}`],
          costColumn: 'PreTaxCost',
        },
      },
      'modelfleet.azure.costManagement.costColumn',
    ],
    [
      {
        costManagement: {
          scopes: [`/subscriptions/${SUB}`],
          tagKey: 'modelfleet.io/model',
        },
      },
      'modelfleet.azure.costManagement.tagKey',
    ],
    [
      {
        costManagement: {
          scopes: [`/subscriptions/${SUB}`],
          endpoint: 'http://management.azure.com',
        },
      },
      "modelfleet.azure.costManagement.endpoint: 'http://management.azure.com' is not an https URL",
    ],
    [
      { credentials: { tenantId: SUB, clientSecret: 'x' } },
      'modelfleet.azure.credentials.clientId: is required',
    ],
    [
      { credentials: { tenantId: SUB, clientId: 'my-app', clientSecret: 'x' } },
      'modelfleet.azure.credentials.clientId: is not an application (client) id',
    ],
    [
      { credentials: { tenantId: SUB, clientId: SUB } },
      'modelfleet.azure.credentials.clientSecret: is required',
    ],
  ])('rejects %j naming %s', (azure, message) => {
    expect(() => read(azure)).toThrow(message);
  });
});
