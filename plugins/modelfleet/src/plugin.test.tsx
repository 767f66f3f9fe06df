import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { ModelFleetApi, ModelFleetClient, modelfleetApiRef } from './api';
import { modelfleetPlugin, ModelFleetPage } from './plugin';
import { rootRouteRef } from './routes';

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
    const api: jest.Mocked<ModelFleetApi> = {
      getHealth: jest.fn(),
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
      getClusters: jest.fn(async () => ({ items: [] })),
      getPools: jest.fn(async () => ({ items: [] })),
      getWorkloads: jest.fn(async () => ({ items: [] })),
      getEffectivePolicy: jest.fn(),
    };
    await renderInTestApp(
      <TestApiProvider apis={[[modelfleetApiRef, api]]}>
        <Routes>
          <Route path="/modelfleet" element={<ModelFleetPage />} />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/modelfleet'] },
    );

    // The page is lazy-loaded: its first import in a test run takes a while.
    const loops = await screen.findByTestId(
      'modelfleet-loops-card',
      {},
      { timeout: 10_000 },
    );
    expect(within(loops).getByText('Failed')).toBeInTheDocument();
    expect(within(loops).getByText('database is locked')).toBeInTheDocument();
  });
});
