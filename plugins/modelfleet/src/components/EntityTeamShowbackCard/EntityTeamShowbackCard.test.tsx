import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { CostReport } from '@modelfleet/plugin-modelfleet-common';
import {
  costReport,
  emptyCostReport,
  mockModelFleetApi,
  responseError,
} from '../../__testUtils__/fixtures';
import { CardApis } from '../../__testUtils__/permissions';
import { ModelFleetApi } from '../../api';
import { EntityTeamShowbackCard } from './EntityTeamShowbackCard';

const team = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'search-team' },
  spec: { type: 'team', children: [] },
};

const teamReport = (overrides: Partial<CostReport> = {}) =>
  costReport({
    scope: 'team',
    entityRef: 'group:default/search-team',
    total: {
      costUsd: 1234.564,
      idleUsd: 234.5,
      unusedUsd: 0,
      gpuHours: 1500,
      savedGpuHours: 122.5,
      savedUsd: 61.25,
      daysWithData: 3,
    },
    breakdown: {
      models: [
        {
          entityRef: 'model:default/llama-3-1-8b-chat',
          costUsd: 1000,
          idleUsd: 200,
          unusedUsd: 150,
          gpuHours: 1200,
          savedGpuHours: 0,
          savedUsd: 0,
        },
        {
          entityRef: 'model:default/mistral-7b',
          costUsd: 234.56,
          idleUsd: 34.5,
          unusedUsd: 0,
          gpuHours: 300,
          savedGpuHours: 122.5,
          savedUsd: 61.25,
        },
      ],
      pools: [],
      teams: [],
    },
    budget: {
      month: '2026-11',
      monthlyBudgetUsd: 3000,
      monthToDateUsd: 1234.56,
      forecastUsd: 3600,
      dailyRunRateUsd: 100,
      runRateDays: 7,
      burn: 0.4115,
      status: 'at-risk',
    },
    anomalies: [
      {
        day: '2026-11-02',
        scope: 'model',
        entityRef: 'model:default/mistral-7b',
        team: 'group:default/search-team',
        costUsd: 180,
        baselineUsd: 40,
        score: 6.24,
        direction: 'spike',
        notifiedAt: '2026-11-03T00:05:00Z',
      },
    ],
    ...overrides,
  });

async function render(api: ModelFleetApi) {
  return renderInTestApp(
    <CardApis api={api}>
      <EntityProvider entity={team}>
        <EntityTeamShowbackCard />
      </EntityProvider>
    </CardApis>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityTeamShowbackCard', () => {
  it('shows the total with cents, the cost by model linked to the models, budget burn, idle cost and anomalies', async () => {
    const api = mockModelFleetApi({
      getEntityCost: jest.fn(async () => teamReport()),
    });
    await render(api);

    // The e2e test compares this text with the API's total.costUsd.
    expect(await screen.findByTestId('team-showback-total')).toHaveTextContent(
      /^\$1,234\.56$/,
    );
    expect(api.getEntityCost).toHaveBeenCalledWith(
      { kind: 'group', namespace: 'default', name: 'search-team' },
      undefined,
    );
    expect(screen.getByTestId('team-unallocated')).toHaveTextContent('$234.50');
    expect(screen.getByTestId('team-unused')).toHaveTextContent('$0.00');
    // The models are the team: no Unallocated row.
    expect(
      screen.queryByTestId('modelfleet-unallocated-row'),
    ).not.toBeInTheDocument();
    expect(screen.getByText('19.0% of the team cost')).toBeInTheDocument();

    const budget = screen.getByTestId('team-budget');
    expect(
      within(budget).getByText('At risk: the forecast is over budget'),
    ).toBeInTheDocument();
    expect(budget).toHaveTextContent(
      '$1,234.56 of $3,000.00 spent in Nov 2026 (41%); month-end forecast $3,600.00.',
    );
    expect(
      within(budget).getByRole('progressbar', {
        name: 'Budget burn for Nov 2026',
      }),
    ).toHaveAttribute('aria-valuenow', '41');

    expect(
      screen.getByRole('figure', {
        name: 'Cost by model, 1 Nov 2026 – 3 Nov 2026, top 2',
      }),
    ).toBeInTheDocument();
    const llama = screen.getByRole('link', { name: /llama-3-1-8b-chat/ });
    expect(llama).toHaveAttribute(
      'href',
      '/catalog/default/model/llama-3-1-8b-chat',
    );
    const row = llama.closest('tr')!;
    expect(within(row).getByText('$1,000.00')).toBeInTheDocument();
    expect(within(row).getByText('81.0%')).toBeInTheDocument();
    expect(within(row).getByText('1,200 GPU‑h')).toBeInTheDocument();
    expect(within(row).getByText('$150.00')).toBeInTheDocument();
    expect(within(row).getByText('$0.00')).toBeInTheDocument();

    // What hibernation saved: the team total, and mistral-7b's share of it.
    expect(screen.getByTestId('team-hibernation-saved')).toHaveTextContent(
      /^\$61\.25$/,
    );
    expect(
      screen.getByText(
        '122.5 GPU‑h, against one replica always on, at the showback price',
      ),
    ).toBeInTheDocument();
    const mistral = within(row.closest('table')!)
      .getByRole('link', { name: /mistral-7b/ })
      .closest('tr')!;
    expect(within(mistral).getByText('$61.25')).toBeInTheDocument();

    const anomaly = screen.getByTestId('modelfleet-anomaly');
    expect(anomaly).toHaveTextContent(
      '2 Nov 2026: mistral-7b cost $180.00 against a baseline of $40.00',
    );
    expect(anomaly).toHaveTextContent(
      'Spike, robust z-score 6.2; notified 3 Nov 2026, 00:05 UTC',
    );
    expect(screen.getByTestId('modelfleet-provenance')).toBeInTheDocument();
  });

  it.each([
    ['ok', 'On track'],
    ['over', 'Over budget'],
  ] as const)('shows a %s budget as %s', async (status, label) => {
    await render(
      mockModelFleetApi({
        getEntityCost: jest.fn(async () => {
          const report = teamReport();
          return { ...report, budget: { ...report.budget!, status } };
        }),
      }),
    );
    expect(await screen.findByText(label)).toBeInTheDocument();
  });

  it('says when no budget is set and when there are no anomalies', async () => {
    await render(
      mockModelFleetApi({
        getEntityCost: jest.fn(async () =>
          teamReport({ budget: undefined, anomalies: [] }),
        ),
      }),
    );
    expect(
      await screen.findByText(/No monthly budget is set for this team/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No cost anomalies in this period.'),
    ).toBeInTheDocument();
  });

  it('says why there is no cost data yet, still with the total', async () => {
    await render(
      mockModelFleetApi({
        getEntityCost: jest.fn(async () => emptyCostReport({ scope: 'team' })),
      }),
    );
    expect(await screen.findByText('No cost data yet')).toBeInTheDocument();
    expect(
      screen.getByText(/recorded no cost for this team's models/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('team-showback-total')).toHaveTextContent(
      '$0.00',
    );
    expect(screen.getByTestId('team-hibernation-saved')).toHaveTextContent(
      '$0.00',
    );
    expect(screen.queryByTestId('team-budget')).not.toBeInTheDocument();
  });

  it('adds an Unallocated row for what the policy charges the team beyond its models', async () => {
    const report = teamReport();
    await render(
      mockModelFleetApi({
        getEntityCost: jest.fn(async () =>
          teamReport({
            idleCostPolicy: 'platform-team',
            breakdown: {
              ...report.breakdown,
              unallocated: {
                costUsd: 0.004,
                idleUsd: 0,
                unusedUsd: 0,
                paidBy: 'rounding',
              },
            },
          }),
        ),
      }),
    );
    await screen.findByTestId('team-showback-total');
    // Half a cent is rounding, not a row.
    expect(
      screen.queryByTestId('modelfleet-unallocated-row'),
    ).not.toBeInTheDocument();
  });

  it('shows the unallocated capacity charged to the platform team as a row that makes the models add up', async () => {
    const paidBy =
      "This team pays the pools' unallocated capacity under the idle-cost policy platform-team; no model of the team requested it.";
    const report = teamReport();
    await render(
      mockModelFleetApi({
        getEntityCost: jest.fn(async () =>
          teamReport({
            idleCostPolicy: 'platform-team',
            breakdown: {
              ...report.breakdown,
              unallocated: {
                costUsd: 0.004 + 0.01,
                idleUsd: 0.01,
                unusedUsd: 0,
                paidBy,
                pools: [
                  {
                    entityRef: 'gpupool:default/demo-aws-use1.g6-l4',
                    idleUsd: 0.01,
                  },
                ],
              },
            },
          }),
        ),
      }),
    );
    const row = (
      await screen.findByTestId('modelfleet-unallocated-row')
    ).closest('tr')!;
    expect(row).toHaveTextContent('$0.01');
    expect(
      screen.getByTestId('modelfleet-total-row').closest('tr')!,
    ).toHaveTextContent('$1,234.56');
    expect(
      screen.getByTestId('modelfleet-unallocated-paid-by'),
    ).toHaveTextContent(
      `${paidBy} Capacity no model used: g6-l4 on demo-aws-use1: $0.01.`,
    );
    expect(
      screen.getByRole('link', { name: 'g6-l4 on demo-aws-use1' }),
    ).toHaveAttribute('href', '/catalog/default/gpupool/demo-aws-use1.g6-l4');
  });

  it('shows progress while loading', async () => {
    await render(
      mockModelFleetApi({
        getEntityCost: jest.fn(() => new Promise(() => {})),
      }),
    );
    await screen.findByTestId('progress', undefined, { timeout: 10_000 });
    expect(screen.queryByTestId('team-showback-total')).not.toBeInTheDocument();
  });

  it('says when reading the team cost is not allowed', async () => {
    const error = await responseError(
      403,
      'NotAllowedError',
      'modelfleet.cost.read is denied for group:default/search-team',
    );
    await render(
      mockModelFleetApi({
        getEntityCost: jest.fn(() => Promise.reject(error)),
      }),
    );
    expect(
      await screen.findByTestId('modelfleet-costs-not-allowed'),
    ).toHaveTextContent(
      'These costs belong to search-team. Only its members and the platform team can see them.',
    );
    expect(screen.queryByTestId('team-showback-total')).not.toBeInTheDocument();
  });
});
