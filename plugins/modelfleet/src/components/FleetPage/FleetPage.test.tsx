import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { FleetStatusResponse } from '@modelfleet/plugin-modelfleet-common';
import { ModelFleetApi, modelfleetApiRef } from '../../api';
import { FleetPage } from './FleetPage';

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
      <FleetPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('FleetPage', () => {
  it('shows the fleet, labels demo data and links pools to the catalog', async () => {
    await render(mockApi());
    expect(await screen.findByText('Demo data')).toBeInTheDocument();
    expect(screen.getByText('Background loops')).toBeInTheDocument();
    expect(screen.getByText('modelfleet-housekeeping')).toBeInTheDocument();
    expect(screen.getByText('Succeeded')).toBeInTheDocument();
    expect(screen.getByText('Not run yet')).toBeInTheDocument();
    expect(screen.getByText('better-sqlite3')).toBeInTheDocument();
    expect(
      screen.getByText(/20261124_init\.js, 20261125_fleet_state\.js/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Price sources: none registered yet'),
    ).toBeInTheDocument();
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

  it('says when there is nothing connected, without a demo banner', async () => {
    await render(
      mockApi({
        getStatus: jest.fn(async () => ({ ...status, demo: false })),
        getClusters: jest.fn(async () => ({ items: [] })),
        getPools: jest.fn(async () => ({ items: [] })),
        getWorkloads: jest.fn(async () => ({ items: [] })),
      }),
    );
    expect(
      await screen.findByText(/No clusters connected/),
    ).toBeInTheDocument();
    expect(screen.queryByText('Demo data')).not.toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    await render(
      mockApi({
        getStatus: jest.fn(async () =>
          Promise.reject(new Error('modelfleet backend unavailable')),
        ),
      }),
    );
    expect(
      (await screen.findAllByText(/modelfleet backend unavailable/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText('Background loops')).not.toBeInTheDocument();
  });
});
