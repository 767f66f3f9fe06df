import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { minutesAgo, modelAction } from '../../__testUtils__/actionFixtures';
import { arbitrageReport } from '../../__testUtils__/arbitrageFixtures';
import { mockModelFleetApi, responseError } from '../../__testUtils__/fixtures';
import {
  cellsOf as cells,
  renderSpotCard as render,
  spotApi as withSpot,
} from '../../__testUtils__/spotCard';
import {
  fallbackAction,
  returnAction,
  serving,
} from '../../__testUtils__/spotFixtures';
import { ActionsQuery } from '../../api';
import { moveDetails } from '../FleetMoves/__testUtils__';

const status = () => screen.findByTestId('modelfleet-spot-status');

describe('EntityModelSpotCard', () => {
  it('shows a model served on spot, with no fallbacks yet', async () => {
    const api = withSpot(serving());
    await render(api);
    expect(await status()).toHaveTextContent(
      'Served on spot: 2 of 2 replicas Ready on g6-l4-spot (prod-use1).',
    );
    expect(screen.getByText('Spot and on-demand')).toBeInTheDocument();
    expect(api.getModelArbitrage).toHaveBeenCalledWith({
      namespace: 'search',
      name: 'llama-3-1-8b-chat',
    });
    expect(api.listActions).toHaveBeenCalledWith({
      entityRef: 'model:search/llama-3-1-8b-chat',
      kind: 'spot-fallback',
      limit: 10,
    });
    expect(api.listActions).toHaveBeenCalledWith({
      entityRef: 'model:search/llama-3-1-8b-chat',
      kind: 'migrate',
      limit: 5,
    });
    expect(cells(screen.getByTestId('modelfleet-spot-primary'))).toEqual([
      'Spotllama-3-1-8b-chat',
      '2 / 2 Ready',
      'g6-l4-spot (prod-use1)',
    ]);
    expect(cells(screen.getByTestId('modelfleet-spot-notice'))).toEqual([
      'Under a reclaim notice',
      '0 replicas',
      '—',
    ]);
    expect(cells(screen.getByTestId('modelfleet-spot-waiting'))).toEqual([
      'Waiting for a node',
      '0 replicas',
      '—',
    ]);
    expect(cells(screen.getByTestId('modelfleet-spot-standin'))).toEqual([
      'On-demand stand-in',
      'none',
      'created on an on-demand pool of the cluster when spot fails',
    ]);
    expect(
      screen.getByTestId('modelfleet-spot-history-empty'),
    ).toHaveTextContent('No spot fallbacks yet.');
    expect(screen.queryByTestId('modelfleet-spot-price')).toBeNull();
  });

  it('shows a reclaim notice with the on-demand stand-in serving, its fallback and the prices', async () => {
    const noticed = minutesAgo(2);
    await render(
      withSpot(serving({ ready: 2, underNotice: 2, noticedAt: noticed }, {}), {
        fallbacks: [fallbackAction({ createdAt: noticed })],
      }),
    );
    expect(await status()).toHaveTextContent(
      'Spot reclaim notice 2 min ago on 2 replicas: the on-demand stand-in serves 2 of 2 replicas.',
    );
    expect(cells(screen.getByTestId('modelfleet-spot-notice'))).toEqual([
      'Under a reclaim notice',
      '2 replicas',
      'notice 2 min ago',
    ]);
    expect(cells(screen.getByTestId('modelfleet-spot-standin'))).toEqual([
      'On-demand stand-inllama-3-1-8b-chat-on-demand',
      '2 / 2 Ready',
      'l4-ondemand (prod-use1)',
    ]);
    expect(screen.getByTestId('modelfleet-spot-price')).toHaveTextContent(
      'Hourly cost: on-demand stand-in $0.80 per replica-hour vs $0.31 per replica-hour on spot ($0.49 per replica-hour more while it serves), at the prices of the change 2 min ago.',
    );
    const [row] = screen.getAllByTestId('modelfleet-spot-fallback');
    expect(cells(row)).toEqual([
      '2 min ago',
      'Fallback to on-demand: stand-in 0 → 2 replicasg6-l4-spot (prod-use1) → on-demand stand-in on l4-ondemand (prod-use1)',
      'spot reclaim notice',
      'done',
      'the arbitrage policy',
    ]);
    expect(within(row).queryByRole('button')).toBeNull();
  });

  it('shows a model back on spot with its history, newest first, and its moves', async () => {
    const moved = modelAction({
      id: 'm1',
      kind: 'migrate',
      details: moveDetails,
      state: 'done',
      createdAt: minutesAgo(3 * 24 * 60),
    });
    await render(
      withSpot(serving({}, { desired: 0, ready: 0 }), {
        fallbacks: [
          returnAction({ createdAt: minutesAgo(25) }),
          fallbackAction({ createdAt: minutesAgo(50) }),
        ],
        moves: [moved],
      }),
    );
    expect(await status()).toHaveTextContent(
      'Back on spot: 2 of 2 replicas Ready on g6-l4-spot (prod-use1); the on-demand stand-in is parked at 0.',
    );
    expect(cells(screen.getByTestId('modelfleet-spot-standin'))).toEqual([
      'On-demand stand-inllama-3-1-8b-chat-on-demand',
      '0 / 0 Ready',
      'l4-ondemand (prod-use1)',
    ]);
    const rows = screen.getAllByTestId('modelfleet-spot-fallback');
    expect(rows.map(r => cells(r).slice(0, 3))).toEqual([
      [
        '25 min ago',
        'Return to spot: stand-in 2 → 0 replicason-demand stand-in on l4-ondemand (prod-use1) → g6-l4-spot (prod-use1)',
        'spot serves again',
      ],
      [
        '50 min ago',
        'Fallback to on-demand: stand-in 0 → 2 replicasg6-l4-spot (prod-use1) → on-demand stand-in on l4-ondemand (prod-use1)',
        'spot reclaim notice',
      ],
    ]);
    // The prices of the newest change.
    expect(screen.getByTestId('modelfleet-spot-price')).toHaveTextContent(
      'at the prices of the change 25 min ago',
    );
    expect(screen.getByTestId('modelfleet-spot-move')).toHaveTextContent(
      '3 days agol4-ondemand (prod-use1) → g2-l4-spot (prod-usc1)doneby jane',
    );
  });

  it('says plainly that an on-demand model needs no spot fallback', async () => {
    await render(
      withSpot(
        serving({
          capacityType: 'on-demand',
          pool: 'gpupool:default/prod-use1.l4-ondemand',
          title: 'l4-ondemand (prod-use1)',
        }),
      ),
    );
    expect(await status()).toHaveTextContent(
      'Runs on on-demand capacity, l4-ondemand (prod-use1): no spot fallback needed.',
    );
    expect(cells(screen.getByTestId('modelfleet-spot-primary'))).toEqual([
      'On-demandllama-3-1-8b-chat',
      '2 / 2 Ready',
      'l4-ondemand (prod-use1)',
    ]);
    expect(screen.queryByTestId('modelfleet-spot-notice')).toBeNull();
    expect(screen.queryByTestId('modelfleet-spot-standin')).toBeNull();
  });

  it('says so when the report has no serving data', async () => {
    await render(
      mockModelFleetApi({
        getModelArbitrage: jest.fn(async () =>
          arbitrageReport({
            options: [],
            excluded: [],
            opportunity: undefined,
            missing: 'no workload on a connected cluster',
          }),
        ),
      }),
    );
    expect(await status()).toHaveTextContent(
      'Not known how it is served: no workload on a connected cluster.',
    );
    expect(screen.queryByTestId('modelfleet-spot-primary')).toBeNull();
    expect(
      screen.getByTestId('modelfleet-spot-history-empty'),
    ).toBeInTheDocument();
  });

  it('approves a fallback that waits for approval, then reads again', async () => {
    const waiting = fallbackAction({
      id: 'f9',
      state: 'planned',
      stepIndex: -1,
      dryRun: true,
    });
    const api = withSpot(serving({ underNotice: 2 }), {
      fallbacks: [waiting],
    });
    api.listActions
      .mockResolvedValueOnce({ actions: [waiting] })
      .mockResolvedValueOnce({ actions: [] })
      .mockImplementation(async (q: ActionsQuery) => ({
        actions:
          q.kind === 'migrate'
            ? []
            : [{ ...waiting, state: 'applying', stepIndex: 0 }],
      }));
    api.approveAction.mockResolvedValue({ ...waiting, state: 'applying' });
    await render(api, { pollMs: 60_000 });
    expect(await status()).toHaveTextContent(
      'Spot reclaim notice on 2 replicas: no on-demand stand-in serves yet; a fallback waits for approval.',
    );
    const [row] = screen.getAllByTestId('modelfleet-spot-fallback');
    expect(cells(row)[3]).toBe('waiting for approvalApproveCancel');
    await userEvent.click(within(row).getByRole('button', { name: 'Approve' }));
    expect(
      await screen.findByText('applying (step 1 of 3)'),
    ).toBeInTheDocument();
    expect(api.approveAction).toHaveBeenCalledWith('f9');
    expect(api.cancelAction).not.toHaveBeenCalled();
    expect(api.listActions).toHaveBeenCalledTimes(4);
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
  });

  it("shows the backend's error when a fallback cannot be cancelled, and hides the buttons after a 403", async () => {
    const waiting = fallbackAction({
      id: 'f9',
      state: 'planned',
      stepIndex: -1,
      dryRun: true,
    });
    const api = withSpot(serving(), { fallbacks: [waiting] });
    api.cancelAction.mockRejectedValueOnce(
      await responseError(
        409,
        'ConflictError',
        "an action that is applying cannot take 'cancel'",
      ),
    );
    api.approveAction.mockRejectedValueOnce(
      await responseError(403, 'NotAllowedError', 'not yours'),
    );
    await render(api);
    const [row] = await screen.findAllByTestId('modelfleet-spot-fallback');
    await userEvent.click(within(row).getByRole('button', { name: 'Cancel' }));
    expect(api.cancelAction).toHaveBeenCalledWith('f9');
    expect(
      await screen.findByText(
        "Could not cancel the spot fallback: an action that is applying cannot take 'cancel'",
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      within(screen.getByTestId('modelfleet-spot-fallback')).getByRole(
        'button',
        { name: 'Approve' },
      ),
    );
    expect(api.approveAction).toHaveBeenCalledWith('f9');
    // Still waiting, but the caller may not decide on it.
    expect(await screen.findByText('waiting for approval')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
  });
});
