import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import {
  costReport,
  emptyCostReport,
  mockModelFleetApi,
  responseError,
} from '../../__testUtils__/fixtures';
import { CardApis } from '../../__testUtils__/permissions';
import { ModelFleetApi } from '../../api';
import { FleetCostSection } from './FleetCostSection';

const TEAMS = ['group:default/search-team', 'group:default/vision-team'];

/** The fleet report of a caller in two teams: the sum of their costs. */
const restricted = costReport({
  scope: 'fleet',
  entityRef: null,
  restrictedTo: TEAMS,
  breakdown: {
    models: [
      {
        entityRef: 'model:default/detector',
        costUsd: 360.5,
        idleUsd: 90.13,
        unusedUsd: 0,
        gpuHours: 450.63,
        savedGpuHours: 45.06,
        savedUsd: 36.05,
      },
    ],
    teams: [
      {
        entityRef: 'group:default/vision-team',
        costUsd: 360.5,
        idleUsd: 90.13,
        unusedUsd: 0,
        gpuHours: 450.63,
        savedGpuHours: 45.06,
        savedUsd: 36.05,
      },
    ],
    pools: [],
  },
  anomalies: [
    {
      day: '2026-11-03',
      scope: 'model',
      entityRef: 'model:default/detector',
      team: 'group:default/vision-team',
      costUsd: 200,
      baselineUsd: 110,
      score: 6.1,
      direction: 'spike',
    },
  ],
});

async function render(api: ModelFleetApi) {
  return renderInTestApp(
    <CardApis api={api}>
      <FleetCostSection />
    </CardApis>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const denied = (what: string) =>
  responseError(
    403,
    'NotAllowedError',
    `modelfleet.cost.read is not allowed on ${what}`,
  );

describe('FleetCostSection for a caller who may see only some teams', () => {
  it("says whose costs the figures are, and shows their teams' anomalies without the fleet-wide bills", async () => {
    const fleetWide = await denied('the whole fleet');
    const api = mockModelFleetApi({
      getFleetCost: jest.fn(async () => restricted),
      getCostAnomalies: jest.fn(() => Promise.reject(fleetWide)),
      getBillReconciliation: jest.fn(() => Promise.reject(fleetWide)),
    });
    await render(api);
    const note = await screen.findByTestId('modelfleet-fleet-cost-restricted');
    expect(note).toHaveTextContent(
      'Showing the costs of search-team and vision-team — the teams you belong to.',
    );
    // The note comes before the figures.
    const total = screen.getByTestId('fleet-cost-total');
    expect(
      note.compareDocumentPosition(total) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(total).toHaveTextContent('$360.50');
    expect(
      screen.getByText("Your teams' cost, 1 Nov 2026 – 3 Nov 2026"),
    ).toBeInTheDocument();
    // Pools are shared by every team: a restricted view lists none.
    expect(
      screen.queryByTestId('modelfleet-top-pools'),
    ).not.toBeInTheDocument();
    expect(
      within(screen.getByTestId('modelfleet-anomalies')).getByTestId(
        'modelfleet-anomaly',
      ),
    ).toHaveTextContent('3 Nov 2026');
    expect(
      screen.queryByTestId('modelfleet-reconciliation'),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByTestId('modelfleet-costs-not-allowed'),
    ).not.toBeInTheDocument();
  });

  it('says so when the caller is in no team with costs', async () => {
    await render(
      mockModelFleetApi({
        getFleetCost: jest.fn(async () =>
          emptyCostReport({
            scope: 'fleet',
            entityRef: null,
            restrictedTo: [],
          }),
        ),
      }),
    );
    expect(
      await screen.findByTestId('modelfleet-fleet-cost-restricted'),
    ).toHaveTextContent(
      'ModelFleet has no costs in this period for a team you belong to',
    );
  });

  it('adds no note to the whole fleet', async () => {
    await render(
      mockModelFleetApi({
        getFleetCost: jest.fn(async () =>
          costReport({ scope: 'fleet', entityRef: null }),
        ),
      }),
    );
    expect(await screen.findByTestId('fleet-cost-total')).toBeInTheDocument();
    expect(
      screen.getByText('Fleet cost, 1 Nov 2026 – 3 Nov 2026'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('modelfleet-top-pools')).toBeInTheDocument();
    expect(
      screen.queryByTestId('modelfleet-fleet-cost-restricted'),
    ).not.toBeInTheDocument();
  });

  it("shows what hibernation saved in the period, and each top entry's saving", async () => {
    const item = (entityRef: string, savedUsd: number) => ({
      entityRef,
      costUsd: 100,
      idleUsd: 10,
      unusedUsd: 0,
      gpuHours: 50,
      savedGpuHours: savedUsd * 2,
      savedUsd,
    });
    await render(
      mockModelFleetApi({
        getFleetCost: jest.fn(async () =>
          costReport({
            scope: 'fleet',
            entityRef: null,
            breakdown: {
              models: [item('model:default/sdxl', 30.5)],
              teams: [
                item('group:default/vision-team', 30.5),
                item('group:default/search-team', 5.55),
              ],
              pools: [item('gpupool:default/demo-aws-use1.g6-l4-spot', 36.05)],
            },
          }),
        ),
      }),
    );
    // The fixture's period saved $10.00 + $12.05 + $14.00 and 45.06 GPU-h.
    expect(
      await screen.findByTestId('fleet-hibernation-saved'),
    ).toHaveTextContent(/^\$36\.05$/);
    expect(screen.getByText('Saved by hibernation')).toBeInTheDocument();
    expect(
      screen.getByText(
        '45.1 GPU‑h, against one replica always on, at the showback price',
      ),
    ).toBeInTheDocument();
    const teams = screen.getByTestId('modelfleet-top-teams');
    expect(
      within(teams).getByRole('columnheader', { name: /Saved/ }),
    ).toBeInTheDocument();
    const vision = within(teams)
      .getByRole('link', { name: /vision-team/ })
      .closest('tr')!;
    expect(within(vision).getByText('$30.50')).toBeInTheDocument();
    const search = within(teams)
      .getByRole('link', { name: /search-team/ })
      .closest('tr')!;
    expect(within(search).getByText('$5.55')).toBeInTheDocument();
  });

  it('lists every team, then Unallocated and the Total, which add up to the fleet cost', async () => {
    const item = (entityRef: string, costUsd: number, idleUsd: number) => ({
      entityRef,
      costUsd,
      idleUsd,
      unusedUsd: costUsd / 10,
      gpuHours: 50,
      savedGpuHours: 0,
      savedUsd: 0,
    });
    const paidBy =
      'No team pays it: under the idle-cost policy shared-proportionally, a pool with no models has no one to share it with.';
    await render(
      mockModelFleetApi({
        getFleetCost: jest.fn(async () =>
          costReport({
            scope: 'fleet',
            entityRef: null,
            breakdown: {
              models: [],
              teams: Array.from({ length: 12 }, (_, i) =>
                item(`group:default/team-${i + 1}`, 20, 2),
              ),
              pools: [],
              unallocated: {
                costUsd: 120.5,
                idleUsd: 66.13,
                unusedUsd: 12.05,
                paidBy,
                pools: [
                  {
                    entityRef: 'gpupool:default/demo-azure-eastus.nca100',
                    idleUsd: 40,
                  },
                  ...[5, 4, 3, 2, 1.5, 0.63].map((usd, i) => ({
                    entityRef: `gpupool:default/c${i}.p${i}`,
                    idleUsd: usd,
                  })),
                ],
              },
            },
          }),
        ),
      }),
    );
    const teams = await screen.findByTestId('modelfleet-top-teams');
    // All twelve teams, not the top ten: they must add up.
    expect(
      within(teams.querySelector('tbody')!).getAllByRole('link'),
    ).toHaveLength(12);
    const unallocated = within(teams)
      .getByTestId('modelfleet-unallocated-row')
      .closest('tr')!;
    expect(within(unallocated).getByText('$120.50')).toBeInTheDocument();
    expect(within(unallocated).getByText('$66.13')).toBeInTheDocument();
    const total = within(teams)
      .getByTestId('modelfleet-total-row')
      .closest('tr')!;
    // 12 × $20 + $120.50 = the fixture's fleet cost.
    expect(within(total).getByText('$360.50')).toBeInTheDocument();
    expect(
      within(teams).getByTestId('modelfleet-unallocated-paid-by'),
    ).toHaveTextContent(
      `Unallocated is the cost no row above is charged ($120.50). ${paidBy} Capacity no model used: nca100 on demo-azure-eastus: $40.00; p0 on c0: $5.00; p1 on c1: $4.00; p2 on c2: $3.00; p3 on c3: $2.00; and 2 more pools: $2.13.`,
    );
    // Each pool named links to its page.
    const pools = within(teams).getByTestId('modelfleet-unallocated-pools');
    expect(
      within(pools).getByRole('link', { name: 'nca100 on demo-azure-eastus' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/gpupool/demo-azure-eastus.nca100',
    );
    expect(within(pools).getAllByRole('link')).toHaveLength(5);
    expect(
      within(teams).getByRole('columnheader', {
        name: /Unallocated capacity/,
      }),
    ).toBeInTheDocument();
    expect(
      within(teams).getByRole('columnheader', {
        name: /Allocated but unused/,
      }),
    ).toBeInTheDocument();
  });

  it('still shows an anomalies error that is not a 403', async () => {
    const error = await responseError(500, 'Error', 'database is locked');
    await render(
      mockModelFleetApi({
        getFleetCost: jest.fn(async () => restricted),
        getCostAnomalies: jest.fn(() => Promise.reject(error)),
      }),
    );
    expect(
      await screen.findByText(
        'Error: Request failed with 500 Internal Server Error',
      ),
    ).toBeInTheDocument();
  });
});
