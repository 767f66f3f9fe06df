import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { modelfleetModulePrometheus } from './module';

describe('modelfleetModulePrometheus', () => {
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
        modelfleetModulePrometheus,
        mockServices.rootConfig.factory({ data }),
      ],
    });
    return ext;
  }

  it('registers the metrics source when a baseUrl is set', async () => {
    const ext = await start({
      modelfleet: { prometheus: { baseUrl: 'http://127.0.0.1:9090' } },
    });
    expect(ext.addMetricsSource).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'prometheus' }),
    );
  });

  it('registers nothing without one', async () => {
    const ext = await start({});
    expect(ext.addMetricsSource).not.toHaveBeenCalled();
  });
});
