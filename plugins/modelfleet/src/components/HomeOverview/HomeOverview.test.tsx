import { identityApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { CostReport } from '@modelfleet/plugin-modelfleet-common';
import { modelAction } from '../../__testUtils__/actionFixtures';
import {
  costReport,
  mockModelFleetApi,
  utilizationReport,
} from '../../__testUtils__/fixtures';
import { CostEntityRef, ModelFleetApi, modelfleetApiRef } from '../../api';
import { HomeOverview } from './HomeOverview';
import { groupRefsOf, teamsToShow } from './useTeamsThisMonth';

const NOW = new Date('2026-11-06T10:00:00Z');

const item = (entityRef: string, costUsd: number) => ({
  entityRef,
  costUsd,
  idleUsd: 0,
  unusedUsd: 0,
  gpuHours: costUsd,
  savedGpuHours: 0,
  savedUsd: 0,
});

const fleet = (overrides: Partial<CostReport> = {}): CostReport =>
  costReport({
    scope: 'fleet',
    entityRef: null,
    breakdown: {
      models: [
        item('model:default/llama-3-1-8b-chat', 900),
        item('model:default/search-reranker', 300),
      ],
      pools: [],
      teams: [
        item('group:default/assistant-team', 2000),
        item('group:default/search-team', 1200),
      ],
    },
    restrictedTo: ['group:default/search-team'],
    ...overrides,
  });

const teamReport = (ref: CostEntityRef): CostReport =>
  costReport({
    scope: 'team',
    entityRef: `group:${ref.namespace}/${ref.name}`,
    budget: {
      month: '2026-11',
      monthlyBudgetUsd: ref.name === 'search-team' ? 12000 : 30000,
      monthToDateUsd: ref.name === 'search-team' ? 1200 : 2000,
      forecastUsd: ref.name === 'search-team' ? 6000 : 31000,
      dailyRunRateUsd: 100,
      runRateDays: 7,
      burn: ref.name === 'search-team' ? 0.1 : 0.0667,
      status: ref.name === 'search-team' ? 'ok' : 'at-risk',
    },
  });

function apiFor(fleetReport: CostReport): jest.Mocked<ModelFleetApi> {
  return mockModelFleetApi({
    getFleetCost: jest.fn(async () => fleetReport),
    getEntityCost: jest.fn(async ref => teamReport(ref)),
    getEntityUtilization: jest.fn(async ref =>
      utilizationReport({
        entityRef: `model:default/${ref.name}`,
        idleShare: ref.name === 'search-reranker' ? 0.95 : 0.1,
        unusedUsd: ref.name === 'search-reranker' ? 280.36 : 90,
        idleCostUsd: ref.name === 'search-reranker' ? 280.36 : 90,
      }),
    ),
    getCostAnomalies: jest.fn(async () => ({
      items: [
        {
          day: '2026-11-02',
          scope: 'model' as const,
          entityRef: 'model:default/search-reranker',
          team: 'group:default/search-team',
          costUsd: 54.63,
          baselineUsd: 13.66,
          score: 60,
          direction: 'spike' as const,
        },
      ],
    })),
    listActions: jest.fn(async () => ({
      actions: [
        modelAction({
          entityRef: 'model:default/search-reranker',
          dryRun: true,
        }),
      ],
    })),
  });
}

async function render(api: ModelFleetApi, ownership: string[]) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [modelfleetApiRef, api],
        [
          identityApiRef,
          {
            getBackstageIdentity: async () => ({
              type: 'user' as const,
              userEntityRef: 'user:default/ana.silva',
              ownershipEntityRefs: ownership,
            }),
          },
        ],
      ]}
    >
      <HomeOverview now={NOW} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('HomeOverview', () => {
  it("shows the user's team against its budget this month, the idle waste, anomalies and actions", async () => {
    const api = apiFor(fleet());
    await render(api, ['user:default/ana.silva', 'group:default/search-team']);

    expect(await screen.findByTestId('home-month-spent')).toHaveTextContent(
      '$1,200.00',
    );
    expect(screen.getByTestId('home-month-budget')).toHaveTextContent(
      '$12,000.00',
    );
    expect(api.getFleetCost).toHaveBeenCalledWith({
      from: '2026-11-01',
      to: '2026-11-07',
      granularity: 'month',
    });
    // Only the team the user may see; never another team's cost route.
    expect(api.getEntityCost).toHaveBeenCalledTimes(1);
    expect(api.getEntityCost).toHaveBeenCalledWith(
      { kind: 'group', namespace: 'default', name: 'search-team' },
      { from: '2026-11-01', to: '2026-11-07', granularity: 'month' },
    );
    const rows = screen.getAllByTestId('home-team-row');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent(/search-team \(yours\)/);
    expect(within(rows[0]).getByText('On track')).toBeInTheDocument();
    expect(within(rows[0]).getByText('$6,000.00')).toBeInTheDocument();

    // The most idle model first, linked to its page.
    const idle = await screen.findAllByTestId('home-idle-model');
    expect(idle[0]).toHaveTextContent('search-reranker: $280.36 idle');
    expect(idle[0]).toHaveTextContent('GPUs idle 95% of the time');
    expect(
      within(idle[0]).getByRole('link', { name: 'search-reranker' }),
    ).toHaveAttribute('href', '/catalog/default/model/search-reranker');
    expect(screen.getByTestId('home-idle-total')).toHaveTextContent('$370.36');

    expect(api.getCostAnomalies).toHaveBeenCalledWith({
      from: '2026-10-24',
      to: '2026-11-07',
    });
    const anomaly = await screen.findByTestId('home-anomaly');
    expect(anomaly).toHaveTextContent(
      'search-reranker cost $54.63 on 2 Nov 2026',
    );
    expect(anomaly).toHaveTextContent('4.0 × its usual $13.66 a day');

    const action = await screen.findByTestId('home-action');
    expect(action).toHaveTextContent('search-reranker: Scale to 3 replicas');
    expect(action).toHaveTextContent('Asked by jane');
    expect(within(action).getByText('Planned, needs approval')).toBeVisible();
  });

  it('lists every team with a cost for a user who may see them all, theirs first', async () => {
    const api = apiFor(fleet({ restrictedTo: undefined }));
    await render(api, ['user:default/guest', 'group:default/search-team']);

    await screen.findByTestId('home-month-spent');
    const rows = screen.getAllByTestId('home-team-row');
    expect(rows.map(r => r.textContent)).toEqual([
      expect.stringMatching(/^search-team \(yours\)/),
      expect.stringMatching(/^assistant-team\$2,000\.00/),
    ]);
    expect(within(rows[1]).getByText('Forecast over budget')).toBeVisible();
    expect(screen.getByTestId('home-month-spent')).toHaveTextContent(
      '$3,200.00',
    );
    expect(
      screen.getByText(/You may see every team's cost/),
    ).toBeInTheDocument();
  });

  it('says so when none of the user’s teams has a cost this month', async () => {
    const api = apiFor(
      fleet({
        restrictedTo: [],
        breakdown: { models: [], pools: [], teams: [] },
      }),
    );
    api.listActions.mockResolvedValue({ actions: [] });
    api.getCostAnomalies.mockResolvedValue({ items: [] });
    await render(api, ['user:default/newcomer', 'group:default/new-team']);

    expect(
      await screen.findByText(/None of your teams owns a model/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No model of your teams ran this month.'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/No actions on your teams' models yet/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        "No cost anomalies on your teams' models in the last 14 days.",
      ),
    ).toBeInTheDocument();
    expect(api.getEntityCost).not.toHaveBeenCalled();
    expect(api.getEntityUtilization).not.toHaveBeenCalled();
  });
});

describe('groupRefsOf', () => {
  it('keeps the Group refs of the ownership refs, in full', () => {
    expect(
      groupRefsOf([
        'user:default/ana.silva',
        'group:default/search-team',
        'Group:ops/Platform',
        'group:guests',
        'not a ref',
      ]),
    ).toEqual([
      'group:default/search-team',
      'group:ops/platform',
      'group:default/guests',
    ]);
  });
});

describe('teamsToShow', () => {
  it("puts the user's teams first, then the most expensive", () => {
    const report = fleet({
      restrictedTo: undefined,
      breakdown: {
        models: [],
        pools: [],
        teams: [
          item('group:default/a', 10),
          item('group:default/b', 30),
          item('group:default/c', 20),
        ],
      },
    });
    expect(teamsToShow(report, ['group:default/c'])).toEqual([
      'group:default/c',
      'group:default/b',
      'group:default/a',
    ]);
  });
});
