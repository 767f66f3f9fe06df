import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  FieldExtensionOptions,
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { ModelFleetApi, ModelFleetClient, modelfleetApiRef } from './api';
import {
  EntityGpuPoolCard,
  EntityModelActivityCard,
  EntityModelCostCard,
  EntityModelHibernationCard,
  EntityModelSpotCard,
  EntityModelUtilizationCard,
  EntityTeamShowbackCard,
  GpuPoolPickerFieldExtension,
  modelfleetPlugin,
  ModelFleetPage,
} from './plugin';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { rootRouteRef } from './routes';
import {
  GpuPoolPicker,
  gpuPoolPickerValidation,
} from './components/GpuPoolPicker';
import {
  costReport,
  mockModelFleetApi,
  utilizationReport,
} from './__testUtils__/fixtures';
import { CardApis } from './__testUtils__/permissions';

describe('modelfleetPlugin (legacy frontend system)', () => {
  it('provides the client for the modelfleet API and the root route', () => {
    expect(modelfleetPlugin.getId()).toBe('modelfleet');
    expect(modelfleetPlugin.routes.root).toBe(rootRouteRef);

    const factory = [...modelfleetPlugin.getApis()].find(
      f => f.api.id === modelfleetApiRef.id,
    );
    expect(factory?.deps).toEqual({
      discoveryApi: discoveryApiRef,
      fetchApi: fetchApiRef,
    });
    const api = factory?.factory({
      discoveryApi: { getBaseUrl: async () => 'http://backend/api/modelfleet' },
      fetchApi: { fetch: jest.fn() },
    });
    expect(api).toBeInstanceOf(ModelFleetClient);
  });

  it('renders the page extension at its route', async () => {
    const api: jest.Mocked<ModelFleetApi> = mockModelFleetApi({
      getStatus: jest.fn(async () => ({
        database: { client: 'pg', migrations: ['20261124_init.js'] },
        connectors: { clusters: 0, metrics: 0, prices: 0, bills: 0 },
        tasks: [
          {
            id: 'modelfleet-housekeeping',
            schedule: 'every 10 minutes',
            scope: 'global' as const,
            lastRun: {
              taskId: 'modelfleet-housekeeping',
              startedAt: '2026-11-24T10:00:00Z',
              finishedAt: '2026-11-24T10:00:01Z',
              status: 'failed' as const,
              detail: 'database is locked',
            },
          },
        ],
        demo: false,
        generatedAt: '2026-11-24T10:00:02Z',
      })),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[modelfleetApiRef, api]]}>
        <Routes>
          <Route path="/modelfleet" element={<ModelFleetPage />} />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/modelfleet'] },
    );

    // The page is lazy-loaded: its first import in a test run takes a while.
    // The loops are in the Backend details panel, closed at first.
    fireEvent.click(
      await screen.findByRole(
        'button',
        { name: /Backend details/ },
        { timeout: 10_000 },
      ),
    );
    const loops = await screen.findByTestId(
      'modelfleet-loops-card',
      {},
      { timeout: 10_000 },
    );
    expect(within(loops).getByText('Failed')).toBeInTheDocument();
    expect(within(loops).getByText('database is locked')).toBeInTheDocument();
  });

  it('exports the entity cards as lazy components that read the entity from context', async () => {
    const model = {
      apiVersion: 'modelfleet.io/v1alpha1',
      kind: 'Model',
      metadata: { name: 'llama-3-1-8b-chat', namespace: 'default' },
      spec: {},
    };
    const api = mockModelFleetApi({
      getEntityCost: jest.fn(async () => costReport()),
      getEntityUtilization: jest.fn(async () =>
        utilizationReport({
          pool: {
            nodes: 1,
            gpusAllocatable: 4,
            gpusAllocated: 1,
            allocation: 0.25,
            capacityType: 'on-demand',
            usdPerNodeHour: 5.672,
            usdPerGpuHour: 1.418,
            capacityMix: { spot: 0, onDemand: 1 },
          },
        }),
      ),
    });
    await renderInTestApp(
      <CardApis api={api}>
        <EntityProvider entity={model}>
          <EntityModelCostCard />
          <EntityModelUtilizationCard />
          <EntityModelActivityCard />
          <EntityModelHibernationCard />
          <EntityModelSpotCard />
          <EntityGpuPoolCard />
          <EntityTeamShowbackCard />
        </EntityProvider>
      </CardApis>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    expect(
      await screen.findByTestId('model-cost-total', {}, { timeout: 10_000 }),
    ).toHaveTextContent('$360.50');
    expect(
      await screen.findByTestId(
        'model-gpu-utilization',
        {},
        { timeout: 10_000 },
      ),
    ).toHaveTextContent('62.0%');
    expect(
      await screen.findByText(
        'Replicas now: 2 desired, 1 ready',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(api.getModelCapabilities).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'llama-3-1-8b-chat',
    });
    expect(
      await screen.findByTestId(
        'hibernation-saving-usd',
        {},
        { timeout: 10_000 },
      ),
    ).toHaveTextContent('$1,234.57');
    expect(api.getModelHibernation).toHaveBeenCalledWith(
      { namespace: 'default', name: 'llama-3-1-8b-chat' },
      undefined,
    );
    expect(
      await screen.findByTestId(
        'modelfleet-spot-status',
        {},
        { timeout: 10_000 },
      ),
    ).toHaveTextContent(
      'Not known how it is served: ModelFleet has not seen its Deployment on a cluster.',
    );
    expect(
      await screen.findByTestId('gpupool-allocation', {}, { timeout: 10_000 }),
    ).toHaveTextContent('1 / 4');
    expect(
      await screen.findByTestId('team-showback-total', {}, { timeout: 10_000 }),
    ).toHaveTextContent('$360.50');
  });

  it('exports the GpuPoolPicker scaffolder field extension', async () => {
    let found: FieldExtensionOptions[] = [];
    const Probe = () => {
      found = useCustomFieldExtensions(
        <ScaffolderFieldExtensions>
          <GpuPoolPickerFieldExtension />
        </ScaffolderFieldExtensions>,
      );
      return null;
    };
    await renderInTestApp(<Probe />);
    expect(found).toEqual([
      {
        name: 'GpuPoolPicker',
        component: GpuPoolPicker,
        validation: gpuPoolPickerValidation,
      },
    ]);
  });
});
