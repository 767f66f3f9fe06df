import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { modelfleetModuleDemo } from './module';

describe('modelfleetModuleDemo', () => {
  async function start(enabled?: boolean) {
    const ext = {
      addClusterConnector: jest.fn(),
      addMetricsSource: jest.fn(),
      addPriceSource: jest.fn(),
      addBillSource: jest.fn(),
    };
    await startTestBackend({
      extensionPoints: [[modelfleetConnectorsExtensionPoint, ext]],
      features: [
        modelfleetModuleDemo,
        mockServices.rootConfig.factory({
          data:
            enabled === undefined ? {} : { modelfleet: { demo: { enabled } } },
        }),
      ],
    });
    return ext;
  }

  it('registers the demo cluster connector and metrics source when enabled', async () => {
    const ext = await start(true);
    expect(ext.addClusterConnector).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'demo' }),
    );
    expect(ext.addMetricsSource).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'demo' }),
    );
    expect(ext.addBillSource).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'demo-bills' }),
    );
  });

  it.each([[false], [undefined]])(
    'registers nothing when enabled is %p',
    async enabled => {
      const ext = await start(enabled);
      expect(ext.addClusterConnector).not.toHaveBeenCalled();
      expect(ext.addMetricsSource).not.toHaveBeenCalled();
      expect(ext.addBillSource).not.toHaveBeenCalled();
    },
  );
});
