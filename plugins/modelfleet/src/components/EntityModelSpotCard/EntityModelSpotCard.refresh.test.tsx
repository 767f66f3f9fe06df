import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import {
  modelfleetCostReadPermission,
  modelfleetRecommendationApplyPermission,
} from '@modelfleet/plugin-modelfleet-common';
import { minutesAgo } from '../../__testUtils__/actionFixtures';
import { arbitrageReport } from '../../__testUtils__/arbitrageFixtures';
import { responseError } from '../../__testUtils__/fixtures';
import { allowOnly } from '../../__testUtils__/permissions';
import { renderSpotCard, spotApi } from '../../__testUtils__/spotCard';
import { fallbackAction, serving } from '../../__testUtils__/spotFixtures';

describe('EntityModelSpotCard permissions and refresh', () => {
  it('reads no history for someone who may not apply recommendations', async () => {
    const api = spotApi(serving(), { fallbacks: [fallbackAction()] });
    await renderSpotCard(api, {
      authorize: allowOnly(modelfleetCostReadPermission.name),
    });
    expect(
      await screen.findByTestId('modelfleet-spot-history-not-allowed'),
    ).toHaveTextContent(
      "Only members of search-team and the platform team can see, approve or cancel this model's spot fallbacks and moves.",
    );
    expect(screen.getByTestId('modelfleet-spot-status')).toHaveTextContent(
      'Served on spot',
    );
    expect(api.listActions).not.toHaveBeenCalled();
    expect(screen.queryByTestId('modelfleet-spot-fallback')).toBeNull();
  });

  it('reads no mix for someone who may not read the model costs', async () => {
    const api = spotApi(serving(), { fallbacks: [fallbackAction()] });
    await renderSpotCard(api, {
      authorize: allowOnly(modelfleetRecommendationApplyPermission.name),
    });
    expect(
      await screen.findByTestId('modelfleet-spot-mix-not-allowed'),
    ).toHaveTextContent(
      'Only members of search-team and the platform team can see how this model is served.',
    );
    expect(api.getModelArbitrage).not.toHaveBeenCalled();
    expect(screen.getAllByTestId('modelfleet-spot-fallback')).toHaveLength(1);
  });

  it('reads nothing for someone who may do neither', async () => {
    const api = spotApi(serving());
    await renderSpotCard(api, { authorize: AuthorizeResult.DENY });
    expect(
      await screen.findByTestId('modelfleet-spot-mix-not-allowed'),
    ).toBeInTheDocument();
    expect(
      screen.getByTestId('modelfleet-spot-history-not-allowed'),
    ).toBeInTheDocument();
    expect(api.getModelArbitrage).not.toHaveBeenCalled();
    expect(api.listActions).not.toHaveBeenCalled();
  });

  it('shows an error from the report route', async () => {
    const api = spotApi(serving());
    api.getModelArbitrage.mockRejectedValue(
      await responseError(
        503,
        'ServiceUnavailableError',
        'the price book is not loaded yet',
      ),
    );
    await renderSpotCard(api);
    expect(
      (await screen.findAllByText(/the price book is not loaded yet/)).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByTestId('modelfleet-spot-history-empty'),
    ).toBeInTheDocument();
  });

  it('reads again while a notice is on, and stops once spot serves and every action is final', async () => {
    const api = spotApi(undefined, {
      fallbacks: [fallbackAction({ state: 'done' })],
    });
    api.getModelArbitrage
      .mockResolvedValueOnce(
        arbitrageReport({
          serving: serving({ underNotice: 2, noticedAt: minutesAgo(1) }, {}),
        }),
      )
      .mockResolvedValue(arbitrageReport({ serving: serving() }));
    await renderSpotCard(api, { pollMs: 30 });
    expect(
      await screen.findByText(/^Spot reclaim notice 1 min ago on 2 replicas/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'Served on spot: 2 of 2 replicas Ready on g6-l4-spot (prod-use1).',
      ),
    ).toBeInTheDocument();
    const calls = api.getModelArbitrage.mock.calls.length;
    await new Promise(r => setTimeout(r, 150));
    expect(api.getModelArbitrage).toHaveBeenCalledTimes(calls);
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('does not read again when nothing is under way', async () => {
    const api = spotApi(serving(), {
      fallbacks: [fallbackAction({ state: 'done' })],
    });
    await renderSpotCard(api, { pollMs: 30 });
    expect(
      await screen.findByTestId('modelfleet-spot-status'),
    ).toBeInTheDocument();
    await new Promise(r => setTimeout(r, 150));
    expect(api.getModelArbitrage).toHaveBeenCalledTimes(1);
  });
});
