import { ResponseError } from '@backstage/errors';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FleetStatusResponse } from '@modelfleet/plugin-modelfleet-common';
import { ModelFleetApi, modelfleetApiRef } from '../../api';
import { ModelFleetPage } from './ModelFleetPage';
import {
  costReport,
  emptyCostReport,
  responseError,
} from '../../__testUtils__/fixtures';
import {
  emptySavingsLedger,
  savingsLedger,
} from '../../__testUtils__/savingsFixtures';

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
    getFleetCost: jest.fn(async () =>
      emptyCostReport({ scope: 'fleet', entityRef: null }),
    ),
    getEntityCost: jest.fn(),
    getFleetUtilization: jest.fn(),
    getEntityUtilization: jest.fn(),
    getCostAnomalies: jest.fn(async () => ({ items: [] })),
    getBillReconciliation: jest.fn(async () => ({ items: [] })),
    listActions: jest.fn(async () => ({ actions: [] })),
    listRecommendations: jest.fn(async () => ({
      items: [],
      gatheredAt: '2026-11-24T10:00:00Z',
      notes: [],
    })),
    getSavings: jest.fn(async () => emptySavingsLedger()),
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

/** Opens the closed panel of the backend's internals. */
async function openBackendDetails() {
  await userEvent.click(
    await screen.findByRole('button', { name: /Backend details/ }),
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

    // The backend's internals are in a closed panel for platform engineers:
    // not on the page until it is opened.
    const details = await screen.findByRole('button', {
      name: /Backend details/,
    });
    expect(details).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByText('20261124_init.js')).not.toBeInTheDocument();
    expect(screen.queryByText('better-sqlite3')).not.toBeInTheDocument();
    expect(screen.queryByText('Background loops')).not.toBeInTheDocument();
    await userEvent.click(details);
    expect(details).toHaveAttribute('aria-expanded', 'true');

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

  it('shows the moves of models between pools, and their spot fallbacks', async () => {
    const api = mockApi();
    await render(api);
    const moves = await screen.findByTestId('modelfleet-moves-card');
    expect(
      await within(moves).findByText(/^No moves or spot fallbacks yet\./),
    ).toBeInTheDocument();
    expect(api.listActions).toHaveBeenCalledWith({
      kind: 'migrate',
      limit: 50,
    });
    expect(api.listActions).toHaveBeenCalledWith({
      kind: 'spot-fallback',
      limit: 20,
    });
  });

  it('shows the node consolidations right under the recommendations', async () => {
    const api = mockApi();
    await render(api);
    const card = await screen.findByTestId('modelfleet-consolidations-card');
    expect(
      await within(card).findByText(
        /^No node consolidation has been asked for\./,
      ),
    ).toBeInTheDocument();
    expect(api.listActions).toHaveBeenCalledWith({
      kind: ['consolidate', 'poolMinimum'],
      limit: 50,
    });
    // Where Apply said to approve it: the next card after the
    // recommendations, before the moves.
    const item = card.closest<HTMLElement>('[class*="MuiGrid-item"]')!;
    expect(within(item).getByRole('heading', { level: 2 })).toHaveTextContent(
      'Node consolidations',
    );
    expect(item.previousElementSibling).toHaveTextContent(
      'What would save money in the fleet, largest saving first',
    );
    expect(
      within(item.nextElementSibling as HTMLElement).getByTestId(
        'modelfleet-moves-card',
      ),
    ).toBeInTheDocument();
  });

  it("shows the fleet's realised savings, each line with its team", async () => {
    const api = mockApi({ getSavings: jest.fn(async () => savingsLedger()) });
    await render(api);
    expect(
      await screen.findByTestId('modelfleet-savings-saved'),
    ).toHaveTextContent('$1,234.00 saved');
    expect(api.getSavings).toHaveBeenCalledWith();
    expect(
      screen.getByRole('heading', { level: 2, name: 'Realised savings' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('columnheader', { name: 'Team' }),
    ).toBeInTheDocument();
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

    await openBackendDetails();
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
    await openBackendDetails();
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

  describe('fleet cost', () => {
    const fleetReport = costReport({
      scope: 'fleet',
      entityRef: null,
      demo: true,
      breakdown: {
        models: Array.from({ length: 12 }, (_, i) => ({
          entityRef: `model:default/model-${String(i + 1).padStart(2, '0')}`,
          costUsd: 120 - i * 10,
          idleUsd: 5,
          unusedUsd: 0,
          gpuHours: 100,
          savedGpuHours: 0,
          savedUsd: 0,
        })),
        teams: [
          {
            entityRef: 'group:default/search-team',
            costUsd: 300,
            idleUsd: 40,
            unusedUsd: 0,
            gpuHours: 400,
            savedGpuHours: 0,
            savedUsd: 0,
          },
        ],
        pools: [
          {
            entityRef: 'gpupool:default/demo-aws-use1.g6-l4-spot',
            costUsd: 360.5,
            idleUsd: 90.13,
            unusedUsd: 0,
            gpuHours: 450,
            savedGpuHours: 0,
            savedUsd: 0,
          },
        ],
      },
    });

    it('shows totals, the chart, the top 10 models, teams and pools, anomalies and the bill reconciliation', async () => {
      const api = mockApi({
        getFleetCost: jest.fn(async () => fleetReport),
        getCostAnomalies: jest.fn(async () => ({
          items: [
            {
              day: '2026-11-03',
              scope: 'pool' as const,
              entityRef: 'gpupool:default/demo-aws-use1.g6-l4-spot',
              costUsd: 200,
              baselineUsd: 110,
              score: 4.5,
              direction: 'spike' as const,
            },
          ],
        })),
        getBillReconciliation: jest.fn(async () => ({
          items: [
            {
              source: 'aws-cost-explorer',
              provider: 'aws',
              account: '123456789012',
              from: '2026-10-01',
              to: '2026-11-01',
              billedUsd: 1000,
              showbackUsd: 950,
              differenceUsd: 50,
              differenceShare: 0.05,
              direction: 'below-bill' as const,
              explanation: 'Showback is below the bill: storage and network.',
              billLines: 42,
            },
          ],
        })),
      });
      await render(api);

      expect(await screen.findByTestId('fleet-cost-total')).toHaveTextContent(
        '$360.50',
      );
      expect(screen.getByTestId('fleet-unallocated')).toHaveTextContent(
        '$90.13',
      );
      expect(screen.getByTestId('fleet-unused')).toHaveTextContent('$36.05');
      expect(
        screen.getByRole('figure', {
          name: 'Cost per day, 1 Nov 2026 – 3 Nov 2026, against the previous period',
        }),
      ).toBeInTheDocument();
      expect(
        within(screen.getByTestId('modelfleet-fleet-cost')).getByText(
          'Demo data',
        ),
      ).toBeInTheDocument();

      const models = screen.getByTestId('modelfleet-top-models');
      const links = within(models).getAllByRole('link');
      expect(links.map(l => l.textContent)).toEqual(
        Array.from(
          { length: 10 },
          (_, i) => `model-${String(i + 1).padStart(2, '0')}`,
        ),
      );
      expect(links[0]).toHaveAttribute(
        'href',
        '/catalog/default/model/model-01',
      );
      expect(
        within(screen.getByTestId('modelfleet-top-teams')).getByRole('link', {
          name: /search-team/,
        }),
      ).toHaveAttribute('href', '/catalog/default/group/search-team');
      expect(
        within(screen.getByTestId('modelfleet-top-pools')).getByText('$360.50'),
      ).toBeInTheDocument();

      expect(
        within(screen.getByTestId('modelfleet-anomalies')).getByTestId(
          'modelfleet-anomaly',
        ),
      ).toHaveTextContent(
        '3 Nov 2026: demo-aws-use1.g6-l4-spot cost $200.00 against a baseline of $110.00',
      );

      const bills = screen.getByTestId('modelfleet-reconciliation');
      const row = within(bills).getByText('aws-cost-explorer').closest('tr')!;
      expect(within(row).getByText('123456789012')).toBeInTheDocument();
      expect(
        within(row).getByText('1 Oct 2026 – 31 Oct 2026'),
      ).toBeInTheDocument();
      expect(within(row).getByText('$1,000.00')).toBeInTheDocument();
      expect(within(row).getByText('$950.00')).toBeInTheDocument();
      expect(within(row).getByText('$50.00 (5.0%)')).toBeInTheDocument();
      expect(
        within(row).getByTestId('modelfleet-reconciliation-direction'),
      ).toHaveTextContent('Showback below the bill');
      expect(
        within(row).getByLabelText(
          'Showback is below the bill: storage and network.',
        ),
      ).toBeInTheDocument();
      expect(api.getFleetCost).toHaveBeenCalledWith(undefined);
      expect(api.getCostAnomalies).toHaveBeenCalledWith(undefined);
      expect(api.getBillReconciliation).toHaveBeenCalledWith(undefined);
    });

    it('says why there is no cost data yet and leaves out an empty reconciliation', async () => {
      await render(mockApi());
      expect(await screen.findByText('No cost data yet')).toBeInTheDocument();
      expect(
        screen.getByText(/recorded no cost for the fleet/),
      ).toBeInTheDocument();
      expect(
        screen.queryByTestId('modelfleet-reconciliation'),
      ).not.toBeInTheDocument();
      expect(screen.queryByTestId('fleet-cost-total')).not.toBeInTheDocument();
    });

    it("says plainly, in the cost section only, when the fleet costs are not the caller's", async () => {
      const error = await responseError(
        403,
        'NotAllowedError',
        'modelfleet.cost.read is not allowed on the whole fleet',
      );
      await render(
        mockApi({ getFleetCost: jest.fn(() => Promise.reject(error)) }),
      );
      expect(
        await screen.findByTestId('modelfleet-costs-not-allowed'),
      ).toHaveTextContent(
        "The fleet's costs belong to the teams that own its models. Only their members and the platform team can see them.",
      );
      expect(screen.queryByText(/^Warning|^Error/)).not.toBeInTheDocument();
      expect(
        screen.getByTestId('modelfleet-backend-details'),
      ).toBeInTheDocument();
    });

    it('shows any other cost error in the cost section only', async () => {
      const error = await responseError(500, 'Error', 'database is locked');
      await render(
        mockApi({ getFleetCost: jest.fn(() => Promise.reject(error)) }),
      );
      expect(
        await screen.findByText(
          'Error: Request failed with 500 Internal Server Error',
        ),
      ).toBeInTheDocument();
      expect(
        screen.getByTestId('modelfleet-backend-details'),
      ).toBeInTheDocument();
    });
  });
});
