import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { ModelArbitrageReport } from '@modelfleet/plugin-modelfleet-common';
import { arbitrageReport } from '../../__testUtils__/arbitrageFixtures';
import { mockModelFleetApi, responseError } from '../../__testUtils__/fixtures';
import { Authorize, CardApis } from '../../__testUtils__/permissions';
import { ModelFleetApi } from '../../api';
import { COSTS_NOT_ALLOWED_TESTID } from '../Access/NotAllowed';
import { EntityModelArbitrageCard } from './EntityModelArbitrageCard';

const model = {
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama-3-1-8b-chat', namespace: 'search' },
  spec: { owner: 'group:default/search-team' },
};

async function render(api: ModelFleetApi, authorize?: Authorize) {
  return renderInTestApp(
    <CardApis api={api} authorize={authorize}>
      <EntityProvider entity={model}>
        <EntityModelArbitrageCard />
      </EntityProvider>
    </CardApis>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const withReport = (overrides: Partial<ModelArbitrageReport> = {}) =>
  mockModelFleetApi({
    getModelArbitrage: jest.fn(async () => arbitrageReport(overrides)),
  });

describe('EntityModelArbitrageCard', () => {
  it('shows the best move, the policy, and each pool it could run on, cheapest first', async () => {
    const api = withReport();
    await render(api);
    expect(
      await screen.findByTestId('arbitrage-opportunity'),
    ).toHaveTextContent(
      'Move to g2-l4-spot (prod-usc1): $753.62 a month less (64.1%); the move costs $3.61 once and pays for itself in 4 h.',
    );
    expect(api.getModelArbitrage).toHaveBeenCalledWith({
      namespace: 'search',
      name: 'llama-3-1-8b-chat',
    });
    expect(screen.getByTestId('arbitrage-policy')).toHaveTextContent(
      'a person approves each before it runs. A move must save 20% within 168 h after its own cost, on a pool with capacity 99.0% of the time.',
    );
    const rows = screen.getAllByTestId('arbitrage-option');
    expect(
      rows.map(r => within(r).getAllByRole('cell')[0].textContent),
    ).toEqual([
      'g2-l4-spot (prod-usc1)gcp us-central1, spot',
      'l4-ondemand (prod-use1)nowaws us-east-1, on-demand',
      'l4-big (prod-use1)aws us-east-1, on-demand',
    ]);
    // A month with preemptions; preemptions; availability; the move.
    expect(
      within(rows[0])
        .getAllByRole('cell')
        .slice(1)
        .map(c => c.textContent),
    ).toEqual(['$421.68', '2.5', '99.5%', '$3.61', 'Move here']);
    expect(within(rows[1]).getAllByRole('cell')[4]).toHaveTextContent('—');
    // Not where it runs now.
    expect(within(rows[1]).getAllByRole('cell')[5]).toHaveTextContent('');
    expect(screen.getByTestId('arbitrage-spot-risk')).toHaveTextContent(
      'Spot risk, each pool:g2-l4-spot (prod-usc1): the prior of the bundled AWS spot traces.',
    );
    expect(screen.getByTestId('arbitrage-excluded')).toHaveTextContent(
      't4 (prod-use1): 1 × 15 GiB of GPU memory per replica, 18 GiB needed',
    );
  });

  it('says why there is no move, and what it cannot price', async () => {
    await render(
      withReport({
        opportunity: undefined,
        reason:
          "no move clears the policy: the closest, l4-big (prod-use1), saves -42.9 % over 168 h after the move's cost, under 20 %",
      }),
    );
    expect(await screen.findByTestId('arbitrage-no-move')).toHaveTextContent(
      "No move clears the policy: the closest, l4-big (prod-use1), saves -42.9 % over 168 h after the move's cost, under 20 %.",
    );
  });

  it('says when nothing can be compared', async () => {
    await render(
      withReport({
        options: [],
        excluded: [],
        missing:
          'the pool of Deployment search/chat on cluster c1 is not known',
      }),
    );
    expect(await screen.findByTestId('arbitrage-missing')).toHaveTextContent(
      'Nothing to compare: the pool of Deployment search/chat on cluster c1 is not known.',
    );
  });

  it('reads nothing for someone who may not see the model costs', async () => {
    const api = withReport();
    await render(api, AuthorizeResult.DENY);
    expect(
      await screen.findByTestId(COSTS_NOT_ALLOWED_TESTID),
    ).toBeInTheDocument();
    expect(api.getModelArbitrage).not.toHaveBeenCalled();
  });

  it('shows an error from the route', async () => {
    await render(
      mockModelFleetApi({
        getModelArbitrage: jest.fn(async () => {
          throw await responseError(
            503,
            'ServiceUnavailableError',
            'the price book is not loaded yet',
          );
        }),
      }),
    );
    expect(
      (await screen.findAllByText(/the price book is not loaded yet/)).length,
    ).toBeGreaterThan(0);
  });
});
