import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockModelFleetApi, responseError } from '../../__testUtils__/fixtures';
import { Authorize, CardApis } from '../../__testUtils__/permissions';
import {
  emptySavingsLedger,
  savingsLedger,
  savingsLine,
} from '../../__testUtils__/savingsFixtures';
import { ModelFleetApi } from '../../api';
import { EntityTeamSavingsCard } from './EntityTeamSavingsCard';
import { LINES_SHOWN } from './SavingsLines';

const team = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'search-team' },
  spec: { type: 'team', children: [] },
};

async function render(api: ModelFleetApi, authorize?: Authorize) {
  return renderInTestApp(
    <CardApis api={api} authorize={authorize}>
      <EntityProvider entity={team}>
        <EntityTeamSavingsCard />
      </EntityProvider>
    </CardApis>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map(c => c.textContent);

describe('EntityTeamSavingsCard', () => {
  it("reads the team's ledger and says what was saved against what it would have cost", async () => {
    const api = mockModelFleetApi({
      getSavings: jest.fn(async () => savingsLedger()),
    });
    await render(api);
    expect(
      await screen.findByTestId('modelfleet-savings-headline'),
    ).toHaveTextContent('$1,234.00 saved·$9,870.00 would have been $11,104.00');
    expect(api.getSavings).toHaveBeenCalledWith({
      team: 'group:default/search-team',
    });
    expect(screen.getByText('1 Oct 2026 – 5 Dec 2026')).toBeInTheDocument();
    expect(
      screen.getByText('As of the cost roll-up of 6 Dec 2026, 02:10 UTC.'),
    ).toBeInTheDocument();
  });

  it('tells how the counterfactual is priced in the tooltip', async () => {
    const ledger = savingsLedger();
    await render(
      mockModelFleetApi({ getSavings: jest.fn(async () => ledger) }),
    );
    await userEvent.hover(
      await screen.findByRole('button', {
        name: 'How the savings are priced',
      }),
    );
    expect(await screen.findByRole('tooltip')).toHaveTextContent(ledger.method);
  });

  it('lists the months with before, after and saved', async () => {
    await render(
      mockModelFleetApi({ getSavings: jest.fn(async () => savingsLedger()) }),
    );
    const months = await screen.findAllByTestId('modelfleet-savings-month');
    expect(months.map(cells)).toEqual([
      ['Oct 2026', '$3,100.00', '$3,050.00', '$50.00'],
      ['Nov 2026', '$5,004.00', '$4,320.00', '$684.00'],
      ['Dec 2026', '$3,000.00', '$2,500.00', '$500.00'],
    ]);
    expect(
      screen.getByRole('figure', { name: /Cost by month/ }),
    ).toBeInTheDocument();
  });

  it('lists the lines largest saving first, each model linked by its name, without a team column', async () => {
    const ledger = savingsLedger();
    // As a stale cache might answer: not in order.
    const [move, scale, hibernation] = ledger.lines;
    ledger.lines = [hibernation, move, scale];
    await render(
      mockModelFleetApi({ getSavings: jest.fn(async () => ledger) }),
    );
    const lines = await screen.findAllByTestId('modelfleet-savings-line');
    expect(lines.map(cells)).toEqual([
      [
        'Moved from L4 on-demand to L4 spotMove',
        'search-reranker',
        '3 Nov 202633 days',
        '$839.50$1,260.50 instead of $2,100.00',
      ],
      [
        '3 → 2 replicasScale',
        'chat-assistant',
        '20 Nov 202616 days',
        '$300.00$1,000.00 instead of $1,300.00',
      ],
      [
        'Hibernated while idleHibernation',
        'doc-summarizer',
        '—66 days',
        '$94.50$105.50 instead of $200.00',
      ],
    ]);
    expect(
      within(lines[0]).getByRole('link', { name: 'search-reranker' }),
    ).toHaveAttribute('href', '/catalog/default/model/search-reranker');
    expect(
      within(lines[0]).getByTestId('modelfleet-savings-line-days'),
    ).toHaveAttribute('title', '3 Nov 2026 – 5 Dec 2026');
    expect(
      screen.queryByRole('columnheader', { name: 'Team' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByText(/model:default/)).not.toBeInTheDocument();
  });

  it(`shows the first ${LINES_SHOWN} lines, the rest behind Show all`, async () => {
    const lines = Array.from({ length: 12 }, (_, i) =>
      savingsLine({ actionId: `act-${i}`, savedUsd: 100 - i }),
    );
    await render(
      mockModelFleetApi({
        getSavings: jest.fn(async () => savingsLedger({ lines })),
      }),
    );
    expect(
      await screen.findAllByTestId('modelfleet-savings-line'),
    ).toHaveLength(LINES_SHOWN);
    await userEvent.click(screen.getByRole('button', { name: 'Show all 12' }));
    expect(screen.getAllByTestId('modelfleet-savings-line')).toHaveLength(12);
  });

  it('says in words when no applied action has saved money yet', async () => {
    await render(
      mockModelFleetApi({
        getSavings: jest.fn(async () => emptySavingsLedger()),
      }),
    );
    expect(
      await screen.findByTestId('modelfleet-savings-empty'),
    ).toHaveTextContent(
      'No applied action has saved money yet; applied recommendations appear here once the day’s costs are rolled up.',
    );
    expect(
      screen.queryByTestId('modelfleet-savings-headline'),
    ).not.toBeInTheDocument();
  });

  it('asks for nothing where the caller may not read the team’s costs', async () => {
    const api = mockModelFleetApi();
    await render(api, AuthorizeResult.DENY);
    expect(
      await screen.findByTestId('modelfleet-costs-not-allowed'),
    ).toHaveTextContent('These costs belong to search-team.');
    expect(api.getSavings).not.toHaveBeenCalled();
  });

  it('says plainly when the ledger cannot be read, and the reason', async () => {
    const api = mockModelFleetApi({
      getSavings: jest.fn(async () => {
        throw await responseError(
          404,
          'NotFoundError',
          'No route for GET /api/modelfleet/savings',
        );
      }),
    });
    await render(api);
    expect(
      await screen.findByTestId('modelfleet-savings-error'),
    ).toHaveTextContent(
      'Could not read the savings ledger: No route for GET /api/modelfleet/savings',
    );
  });

  it('says a 403 from the backend as whose costs these are', async () => {
    const api = mockModelFleetApi({
      getSavings: jest.fn(async () => {
        throw await responseError(403, 'NotAllowedError', 'not yours');
      }),
    });
    await render(api);
    expect(
      await screen.findByTestId('modelfleet-costs-not-allowed'),
    ).toHaveTextContent('These costs belong to search-team.');
  });
});
