import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  ClusterActuator,
  ClusterConnector,
  modelfleetConnectorsExtensionPoint,
} from '@modelfleet/plugin-modelfleet-node';
import {
  eventually,
  FakeKubeApiServer,
  PATHS,
} from './__testUtils__/FakeKubeApiServer';
import { NODES } from './__testUtils__/objects';
import { modelfleetModuleKubernetes } from './module';

describe('modelfleetModuleKubernetes', () => {
  let server: FakeKubeApiServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(data: Record<string, any>) {
    const ext = {
      addClusterConnector: jest.fn(),
      addMetricsSource: jest.fn(),
      addPriceSource: jest.fn(),
      addBillSource: jest.fn(),
      addClusterActuator: jest.fn(),
    };
    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({
      extensionPoints: [[modelfleetConnectorsExtensionPoint, ext]],
      features: [
        modelfleetModuleKubernetes,
        mockServices.rootConfig.factory({ data }),
        logger.factory,
      ],
    });
    return { ext, logger, backend };
  }

  const clusters = (url: string) => ({
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'gpu-aws-use1',
              url,
              authProvider: 'serviceAccount',
              serviceAccountToken: 'module-token',
            },
          ],
        },
      ],
    },
  });

  it('registers the connector through the extension point, and stops it with the backend', async () => {
    server = await FakeKubeApiServer.start();
    server.seed(PATHS.nodes, [NODES.eksA100('a100-1')]);
    const { ext, logger, backend } = await start(clusters(server.url));

    expect(ext.addClusterConnector).toHaveBeenCalledTimes(1);
    const connector: ClusterConnector =
      ext.addClusterConnector.mock.calls[0][0];
    expect(connector.id).toBe('kubernetes');
    expect(logger.info).toHaveBeenCalledWith(
      'ModelFleet reads 1 Kubernetes cluster(s): gpu-aws-use1',
    );
    // nothing is read before the connector is asked
    expect(server.requests).toHaveLength(0);

    expect(await connector.listClusters()).toEqual([
      expect.objectContaining({ name: 'gpu-aws-use1' }),
    ]);
    const snapshot = await connector.snapshot('gpu-aws-use1');
    expect(snapshot.pools.map(p => p.name)).toEqual(['gpu-a100']);
    expect(server.requests[0].authorization).toBe('Bearer module-token');
    await eventually(() => expect(server!.openWatches()).toBe(5));

    await backend.stop();
    await eventually(() => expect(server!.openWatches()).toBe(0));
  });

  it('registers the actuator of the same clusters through the extension point', async () => {
    server = await FakeKubeApiServer.start();
    const { ext } = await start(clusters(server.url));

    expect(ext.addClusterActuator).toHaveBeenCalledTimes(1);
    expect(ext.addClusterActuator.mock.calls[0]).toHaveLength(1);
    const actuator: ClusterActuator = ext.addClusterActuator.mock.calls[0][0];
    expect(actuator.id).toBe('kubernetes');
    expect(await actuator.listClusters()).toEqual(['gpu-aws-use1']);
    // the actuator calls a cluster only when asked to change it
    expect(server.requests).toHaveLength(0);
  });

  it('registers nothing, and says so, when no cluster is configured', async () => {
    const { ext, logger } = await start({
      kubernetes: { clusterLocatorMethods: [{ type: 'catalog' }] },
    });
    expect(ext.addClusterConnector).not.toHaveBeenCalled();
    expect(ext.addClusterActuator).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('ModelFleet reads no Kubernetes cluster'),
    );
  });

  it('fails to start with an error naming the key path of a bad cluster', async () => {
    await expect(
      start({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [{ name: 'x', authProvider: 'serviceAccount' }],
            },
          ],
        },
      }),
    ).rejects.toThrow(
      'kubernetes.clusterLocatorMethods[0].clusters[0].url is missing',
    );
  });
});
