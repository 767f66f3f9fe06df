import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import { FleetStatusResponse } from '@modelfleet/plugin-modelfleet-common';
import { ModelFleetApi, modelfleetApiRef } from './api';
import plugin from './alpha';

const status: FleetStatusResponse = {
  database: { client: 'pg', migrations: ['20261124_init.js'] },
  connectors: { clusters: 1, metrics: 0, prices: 0, bills: 0 },
  tasks: [
    {
      id: 'modelfleet-housekeeping',
      schedule: 'every 10 minutes',
      scope: 'global',
      lastRun: {
        taskId: 'modelfleet-housekeeping',
        startedAt: '2026-11-24T10:00:00Z',
        status: 'running',
      },
    },
  ],
  demo: false,
  generatedAt: '2026-11-24T10:00:02Z',
};

function mockApi(): jest.Mocked<ModelFleetApi> {
  return {
    getHealth: jest.fn(),
    getStatus: jest.fn(async () => status),
    getClusters: jest.fn(async () => ({ items: [] })),
    getPools: jest.fn(async () => ({ items: [] })),
    getWorkloads: jest.fn(async () => ({ items: [] })),
    getEffectivePolicy: jest.fn(),
  };
}

describe('alpha plugin', () => {
  it('has the modelfleet id, the API and a page at /modelfleet with a nav title and icon', () => {
    expect(plugin.id).toBe('modelfleet');
    expect(plugin.getExtension('api:modelfleet')).toBeDefined();

    const tester = createExtensionTester(
      plugin.getExtension('page:modelfleet'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/modelfleet');
    expect(tester.get(coreExtensionData.title)).toBe('ModelFleet');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
    expect(tester.get(coreExtensionData.routeRef)).toBe(plugin.routes.root);
  });

  it('is the only plugin that app feature discovery finds in this package', async () => {
    // `app.packages: all` imports the default export of both `.` and
    // `./alpha` and keeps those that are frontend plugins or modules.
    const main: Record<string, unknown> = await import('./index');
    expect(main.default).toBeUndefined();
    expect(plugin.$$type).toBe('@backstage/FrontendPlugin');
  });

  it('renders the page extension with the API', async () => {
    const api = mockApi();
    const tester = createExtensionTester(
      plugin.getExtension('page:modelfleet'),
    );
    await renderInTestApp(tester.reactElement(), {
      apis: [[modelfleetApiRef, api]],
    });

    // The page is lazy-loaded: its first import in a test run takes a while.
    const loops = await screen.findByTestId(
      'modelfleet-loops-card',
      {},
      { timeout: 10_000 },
    );
    expect(
      within(loops).getByRole('heading', { name: 'Background loops' }),
    ).toBeInTheDocument();
    expect(screen.getByText('modelfleet-housekeeping')).toBeInTheDocument();
    expect(screen.getByText('Running')).toBeInTheDocument();
    expect(
      screen.getByText('Metrics sources: none registered yet'),
    ).toBeInTheDocument();
    expect(api.getStatus).toHaveBeenCalledTimes(1);
  });

  it('adds a ModelFleet item to the app sidebar that opens the page', async () => {
    await renderTestApp({
      features: [plugin],
      apis: [[modelfleetApiRef, mockApi()]],
      initialRouteEntries: ['/modelfleet'],
    });

    const link = await screen.findByRole('link', { name: /ModelFleet/ });
    expect(link).toHaveAttribute('href', '/modelfleet');
    expect(link.querySelector('svg')).not.toBeNull();

    const loops = await screen.findByTestId(
      'modelfleet-loops-card',
      {},
      { timeout: 10_000 },
    );
    expect(within(loops).getByText('Running')).toBeInTheDocument();
  });
});
