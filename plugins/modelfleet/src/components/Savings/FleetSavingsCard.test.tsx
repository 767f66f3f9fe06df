import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { mockModelFleetApi, responseError } from '../../__testUtils__/fixtures';
import { CardApis } from '../../__testUtils__/permissions';
import { savingsLedger } from '../../__testUtils__/savingsFixtures';
import { ModelFleetApi } from '../../api';
import { FleetSavingsCard } from './FleetSavingsCard';

async function render(api: ModelFleetApi) {
  return renderInTestApp(
    <CardApis api={api}>
      <FleetSavingsCard />
    </CardApis>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('FleetSavingsCard', () => {
  it("reads the whole fleet's ledger and lists each line with its team, linked", async () => {
    const api = mockModelFleetApi({
      getSavings: jest.fn(async () => savingsLedger()),
    });
    await render(api);
    expect(
      await screen.findByTestId('modelfleet-savings-saved'),
    ).toHaveTextContent('$1,234.00 saved');
    expect(api.getSavings).toHaveBeenCalledWith();
    expect(
      screen.getByRole('columnheader', { name: 'Team' }),
    ).toBeInTheDocument();
    const lines = screen.getAllByTestId('modelfleet-savings-line');
    expect(
      within(lines[1]).getByRole('link', { name: 'chat-team' }),
    ).toHaveAttribute('href', '/catalog/default/group/chat-team');
    expect(
      screen.getByText(
        '1 Oct 2026 – 5 Dec 2026: what applied actions and hibernation saved',
      ),
    ).toBeInTheDocument();
  });

  it('says in words when nothing saved money yet', async () => {
    await render(mockModelFleetApi());
    expect(
      await screen.findByTestId('modelfleet-savings-empty'),
    ).toHaveTextContent('No applied action has saved money yet');
  });

  it("says plainly when the ledger cannot be read, and the fleet's 403 as whose costs these are", async () => {
    const failing = mockModelFleetApi({
      getSavings: jest.fn(async () => {
        throw await responseError(500, 'Error', 'the database is down');
      }),
    });
    const { unmount } = await render(failing);
    expect(
      await screen.findByTestId('modelfleet-savings-error'),
    ).toHaveTextContent(
      'Could not read the savings ledger: the database is down',
    );
    unmount();
    await render(
      mockModelFleetApi({
        getSavings: jest.fn(async () => {
          throw await responseError(403, 'NotAllowedError', 'not yours');
        }),
      }),
    );
    expect(
      await screen.findByTestId('modelfleet-costs-not-allowed'),
    ).toHaveTextContent("The fleet's costs belong to the teams");
    expect(screen.queryByTestId('modelfleet-savings-error')).toBeNull();
  });
});
