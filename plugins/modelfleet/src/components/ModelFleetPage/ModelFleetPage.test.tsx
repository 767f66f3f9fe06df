import { ResponseError } from '@backstage/errors';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FleetStatusResponse } from '@modelfleet/plugin-modelfleet-common';
import { ModelFleetApi, modelfleetApiRef } from '../../api';
import { ModelFleetPage } from './ModelFleetPage';

const status: FleetStatusResponse = {
  database: {
    client: 'better-sqlite3',
    migrations: ['20261124_init.js', '20261125_fleet_state.js'],
  },
  connectors: { clusters: 1, metrics: 1, prices: 0, bills: 0 },
  tasks: [
    {
      id: 'modelfleet-housekeeping',
      schedule: 'every 10 minutes',
      scope: 'global',
      lastRun: {
        taskId: 'modelfleet-housekeeping',
        startedAt: '2026-11-24T10:00:00Z',
        finishedAt: '2026-11-24T10:00:01Z',
        status: 'succeeded',
        detail: 'Pruned 0 loop run(s) older than 30 days',
      },
    },
    {
      id: 'modelfleet-cluster-sync',
      schedule: 'every 1 minute',
      scope: 'global',
    },
  ],
  demo: true,
  generatedAt: '2026-11-24T10:00:02Z',
};

function mockApi(
  overrides: Partial<ModelFleetApi> = {},
): jest.Mocked<ModelFleetApi> {
  return {
    getHealth: jest.fn(),
    getStatus: jest.fn(async () => status),
    getClusters: jest.fn(async () => ({
      items: [
        {
          name: 'demo-aws-use1',
          provider: 'aws' as const,
          region: 'us-east-1',
          demo: true,
          connectorId: 'demo',
          observedAt: '2026-11-24T10:00:00Z',
          stale: false,
        },
        {
          name: 'prod-gcp',
          provider: 'gcp' as const,
          region: 'us-central1',
          connectorId: 'kubernetes',
          error: 'connect ECONNREFUSED',
          errorAt: '2026-11-24T10:00:00Z',
          stale: true,
        },
      ],
    })),
    getPools: jest.fn(async () => ({
      items: [
        {
          cluster: 'demo-aws-use1',
          name: 'g6-l4-spot',
          provider: 'aws' as const,
          region: 'us-east-1',
          zones: [],
          instanceType: 'g6.xlarge',
          capacityType: 'spot' as const,
          gpu: {
            product: 'L4',
            memoryMiB: 22886,
            perNode: 1,
            sharing: 'whole' as const,
          },
          nodes: { current: 2, min: 0, max: 10 },
          gpus: { allocatable: 2, allocated: 2 },
          observedAt: '2026-11-24T10:00:00Z',
          stale: false,
          demo: true,
        },
      ],
    })),
    getWorkloads: jest.fn(async () => ({
      items: [
        {
          cluster: 'demo-aws-use1',
          namespace: 'search',
          kind: 'Deployment' as const,
          name: 'llama',
          modelId: 'llama-3-1-8b-chat',
          replicas: { desired: 2, ready: 2 },
          gpusPerReplica: 1,
          pool: 'g6-l4-spot',
          observedAt: '2026-11-24T10:00:00Z',
          stale: false,
        },
      ],
    })),
    getEffectivePolicy: jest.fn(),
    ...overrides,
  } as jest.Mocked<ModelFleetApi>;
}

async function render(api: ModelFleetApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[modelfleetApiRef, api]]}>
      <ModelFleetPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('ModelFleetPage', () => {
  it('shows progress while loading, then the backend state in three cards', async () => {
    let answer: (value: FleetStatusResponse) => void = () => {};
    const api = mockApi({
      getStatus: jest.fn(
        () =>
          new Promise<FleetStatusResponse>(resolve => {
            answer = resolve;
          }),
      ),
    });
    await render(api);

    expect(
      await screen.findByRole('heading', { level: 1, name: 'ModelFleet' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('GPU fleet for AI models: cost, placement, hibernation'),
    ).toBeInTheDocument();
    // Finding it is the assertion: Progress appears after a short delay and
    // may be re-created by a re-render before a second look.
    await screen.findByTestId('progress', undefined, { timeout: 10_000 });
    expect(screen.queryByText('Background loops')).not.toBeInTheDocument();

    answer(status);

    const backend = await screen.findByTestId('modelfleet-backend-card');
    expect(
      within(backend).getByRole('heading', { name: 'Backend' }),
    ).toBeInTheDocument();
    expect(within(backend).getByText('better-sqlite3')).toBeInTheDocument();
    const migrations = within(backend).getByRole('list', {
      name: 'Applied migrations',
    });
    expect(
      within(migrations)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual(['20261124_init.js', '20261125_fleet_state.js']);

    const connectors = screen.getByTestId('modelfleet-connectors-card');
    expect(
      within(connectors).getByRole('heading', { name: 'Connectors' }),
    ).toBeInTheDocument();
    expect(
      within(connectors).getByText('Cluster connectors: 1'),
    ).toBeInTheDocument();
    expect(
      within(connectors).getByText('Price sources: none registered yet'),
    ).toBeInTheDocument();
    expect(
      within(connectors).getByText('Bill sources: none registered yet'),
    ).toBeInTheDocument();

    const loops = screen.getByTestId('modelfleet-loops-card');
    expect(
      within(loops).getByRole('heading', { name: 'Background loops' }),
    ).toBeInTheDocument();
    for (const column of [
      'Loop id',
      'Schedule',
      'Scope',
      'Last run status',
      'Started',
      'Finished',
      'Detail',
    ]) {
      expect(
        within(loops).getByRole('columnheader', { name: column }),
      ).toBeInTheDocument();
    }
    const housekeeping = within(loops)
      .getByText('modelfleet-housekeeping')
      .closest('tr')!;
    expect(within(housekeeping).getByText('Succeeded')).toBeInTheDocument();
    expect(
      within(housekeeping).getByText('every 10 minutes'),
    ).toBeInTheDocument();
    expect(
      within(housekeeping).getByText('Pruned 0 loop run(s) older than 30 days'),
    ).toBeInTheDocument();
    const sync = within(loops)
      .getByText('modelfleet-cluster-sync')
      .closest('tr')!;
    expect(within(sync).getByText('Not run yet')).toBeInTheDocument();

    const readAt = screen.getByTestId('modelfleet-status-read-at');
    expect(readAt).toHaveTextContent(/^Status read at /);
    expect(readAt.querySelector('time')).toHaveAttribute(
      'dateTime',
      '2026-11-24T10:00:02Z',
    );
    expect(screen.queryByTestId('progress')).not.toBeInTheDocument();
  });

  it('shows the fleet, labels demo data and links pools to the catalog', async () => {
    await render(mockApi());
    expect(await screen.findByText('Demo data')).toBeInTheDocument();
    expect(screen.getByText('Clusters (1 stale)')).toBeInTheDocument();
    expect(screen.getByText(/Stale: connect ECONNREFUSED/)).toBeInTheDocument();
    expect(screen.getByText('2 / 2')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'g6-l4-spot' })).toHaveAttribute(
      'href',
      '/catalog/default/gpupool/demo-aws-use1.g6-l4-spot',
    );
    expect(
      screen.getByRole('link', { name: 'llama-3-1-8b-chat' }),
    ).toHaveAttribute('href', '/catalog/default/model/llama-3-1-8b-chat');
  });

  it('re-reads the status on Refresh', async () => {
    const getStatus = jest
      .fn<Promise<FleetStatusResponse>, []>()
      .mockResolvedValueOnce(status)
      .mockResolvedValueOnce({
        ...status,
        tasks: [
          {
            ...status.tasks[1],
            lastRun: {
              taskId: 'modelfleet-cluster-sync',
              startedAt: '2026-11-24T10:01:00Z',
              finishedAt: '2026-11-24T10:01:02Z',
              status: 'failed',
              detail: 'demo-aws-use1: timed out',
            },
          },
        ],
      });
    await render(mockApi({ getStatus }));

    expect(await screen.findByText('Not run yet')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));

    expect(await screen.findByText('Failed')).toBeInTheDocument();
    expect(screen.getByText('demo-aws-use1: timed out')).toBeInTheDocument();
    expect(screen.queryByText('Not run yet')).not.toBeInTheDocument();
    expect(getStatus).toHaveBeenCalledTimes(2);
  });

  it('says when there is nothing connected, without a demo banner', async () => {
    await render(
      mockApi({
        getStatus: jest.fn(async () => ({
          ...status,
          demo: false,
          connectors: { clusters: 0, metrics: 0, prices: 0, bills: 0 },
          tasks: [],
        })),
        getClusters: jest.fn(async () => ({ items: [] })),
        getPools: jest.fn(async () => ({ items: [] })),
        getWorkloads: jest.fn(async () => ({ items: [] })),
      }),
    );
    expect(
      await screen.findByText(/No clusters connected/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Cluster connectors: none registered yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Metrics sources: none registered yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No background loops registered.'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Demo data')).not.toBeInTheDocument();
  });

  it('shows a backend error response in an error panel', async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'Error', message: 'database is locked' },
          request: { method: 'GET', url: '/api/modelfleet/status' },
          response: { statusCode: 500 },
        }),
        {
          status: 500,
          statusText: 'Internal Server Error',
          headers: { 'content-type': 'application/json' },
        },
      ),
    );
    await render(
      mockApi({ getStatus: jest.fn(async () => Promise.reject(error)) }),
    );

    expect(
      await screen.findByText(
        'Error: Request failed with 500 Internal Server Error',
      ),
    ).toBeInTheDocument();
    expect(
      (await screen.findAllByText(/database is locked/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText('Background loops')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeEnabled();
  });

  it('shows a network error', async () => {
    await render(
      mockApi({
        getStatus: jest.fn(async () =>
          Promise.reject(new TypeError('Failed to fetch')),
        ),
      }),
    );
    expect(
      (await screen.findAllByText(/Failed to fetch/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText('Background loops')).not.toBeInTheDocument();
  });
});
