import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { modelfleetModuleOpencost } from './module';

describe('modelfleetModuleOpencost', () => {
  async function start(data: object) {
    const ext = {
      addClusterConnector: jest.fn(),
      addMetricsSource: jest.fn(),
      addPriceSource: jest.fn(),
      addBillSource: jest.fn(),
    };
    await startTestBackend({
      extensionPoints: [[modelfleetConnectorsExtensionPoint, ext]],
      features: [
        modelfleetModuleOpencost,
        mockServices.rootConfig.factory({ data }),
      ],
    });
    return ext;
  }

  it('registers the bill source opencost when configured', async () => {
    const ext = await start({
      modelfleet: { opencost: { baseUrl: 'http://127.0.0.1:9003' } },
    });
    expect(ext.addBillSource).toHaveBeenCalledTimes(1);
    expect(ext.addBillSource).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'opencost' }),
    );
    expect(ext.addPriceSource).not.toHaveBeenCalled();
    expect(ext.addMetricsSource).not.toHaveBeenCalled();
  });

  it('registers one bill source per instance', async () => {
    const ext = await start({
      modelfleet: {
        opencost: {
          instances: [
            { name: 'eks', baseUrl: 'http://127.0.0.1:9003', provider: 'aws' },
            { name: 'gke', baseUrl: 'http://127.0.0.1:9004', provider: 'gcp' },
          ],
        },
      },
    });
    expect(ext.addBillSource.mock.calls.map(([s]) => s.id)).toEqual([
      'opencost:eks',
      'opencost:gke',
    ]);
  });

  it('registers nothing without a modelfleet.opencost section', async () => {
    const ext = await start({ modelfleet: {} });
    expect(ext.addBillSource).not.toHaveBeenCalled();
  });

  it('fails start-up on a non-USD OpenCost', async () => {
    await expect(
      start({
        modelfleet: {
          opencost: { baseUrl: 'http://127.0.0.1:9003', currency: 'EUR' },
        },
      }),
    ).rejects.toThrow('modelfleet.opencost.currency');
  });
});
