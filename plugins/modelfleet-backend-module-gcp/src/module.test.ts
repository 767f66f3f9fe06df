import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { modelfleetModuleGcp } from './module';

describe('modelfleetModuleGcp', () => {
  async function start(data: object) {
    const ext = {
      addClusterConnector: jest.fn(),
      addMetricsSource: jest.fn(),
      addPriceSource: jest.fn(),
      addBillSource: jest.fn(),
      addNodePoolApi: jest.fn(),
    };
    const logger = mockServices.logger.mock();
    await startTestBackend({
      extensionPoints: [[modelfleetConnectorsExtensionPoint, ext]],
      features: [
        modelfleetModuleGcp,
        mockServices.rootConfig.factory({ data }),
        logger.factory,
      ],
    });
    const info = logger.info.mock.calls.map(c => String(c[0]));
    return { ext, info };
  }

  it('registers nothing and says so without modelfleet.gcp', async () => {
    const { ext, info } = await start({ modelfleet: {} });
    expect(ext.addPriceSource).not.toHaveBeenCalled();
    expect(ext.addBillSource).not.toHaveBeenCalled();
    expect(info).toContain(
      'ModelFleet reads no GCP prices or bills (modelfleet.gcp is not set)',
    );
  });

  it('registers the catalog price source and the billing export bill source', async () => {
    const { ext, info } = await start({
      modelfleet: {
        gcp: {
          regions: ['us-central1', 'europe-west4'],
          billingCatalog: { apiKey: 'AIzaSyTest' },
          billingExport: {
            projectId: 'modelfleet-billing',
            table:
              'billing-admin.billing_export.gcp_billing_export_v1_0123AB_4567CD_89EF01',
          },
        },
      },
    });
    expect(ext.addPriceSource).toHaveBeenCalledTimes(1);
    expect(ext.addPriceSource).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'gcp-billing-catalog' }),
    );
    expect(ext.addBillSource).toHaveBeenCalledTimes(1);
    expect(ext.addBillSource).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'gcp-billing-export' }),
    );
    expect(info.join('\n')).toMatch(/GPU prices of us-central1, europe-west4/);
    // The API key never reaches the log.
    expect(info.join('\n')).not.toMatch(/AIzaSyTest/);
  });

  it('registers only what is configured', async () => {
    const catalogOff = await start({
      modelfleet: {
        gcp: { regions: ['us-central1'], billingCatalog: { enabled: false } },
      },
    });
    expect(catalogOff.ext.addPriceSource).not.toHaveBeenCalled();
    expect(catalogOff.ext.addBillSource).not.toHaveBeenCalled();
    expect(catalogOff.info.join('\n')).toMatch(
      /neither modelfleet\.gcp\.billingCatalog nor billingExport/,
    );

    const exportOnly = await start({
      modelfleet: {
        gcp: {
          regions: ['us-central1'],
          billingExport: {
            projectId: 'modelfleet-billing',
            table:
              'billing-admin.billing_export.gcp_billing_export_v1_0123AB_4567CD_89EF01',
          },
        },
      },
    });
    expect(exportOnly.ext.addPriceSource).not.toHaveBeenCalled();
    expect(exportOnly.ext.addBillSource).toHaveBeenCalledTimes(1);
  });

  it('registers the GKE node-pool API when nodePools is set, and says what it manages', async () => {
    const { ext, info } = await start({
      modelfleet: {
        gcp: {
          nodePools: {
            clusters: {
              'gpu-east': {
                project: 'ml-serving-prod',
                location: 'us-central1',
                gkeCluster: 'gke-a',
              },
            },
          },
        },
      },
    });
    expect(ext.addNodePoolApi).toHaveBeenCalledTimes(1);
    const apiRegistered = ext.addNodePoolApi.mock.calls[0][0];
    expect(apiRegistered.id).toBe('gcp-gke');
    await expect(apiRegistered.listClusters()).resolves.toEqual(['gpu-east']);
    expect(ext.addPriceSource).not.toHaveBeenCalled();
    expect(info).toContain(
      'ModelFleet manages the GKE node pools of gpu-east (ml-serving-prod/us-central1/gke-a)',
    );
  });

  it('registers no node-pool API without nodePools', async () => {
    const { ext } = await start({
      modelfleet: {
        gcp: { regions: ['us-central1'], billingCatalog: {} },
      },
    });
    expect(ext.addNodePoolApi).not.toHaveBeenCalled();
  });

  it('fails to start on bad config, naming the key', async () => {
    await expect(
      start({
        modelfleet: {
          gcp: { regions: ['us-central1', 'Iowa'], billingCatalog: {} },
        },
      }),
    ).rejects.toThrow(
      /modelfleet\.gcp\.regions\[1\]: 'Iowa' is not a GCP region/,
    );
  });
});
