import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ModelFleetAction } from '@modelfleet/plugin-modelfleet-common';
import { minutesAgo, modelAction } from '../../__testUtils__/actionFixtures';
import { mockModelFleetApi, responseError } from '../../__testUtils__/fixtures';
import { ModelFleetApi, modelfleetApiRef } from '../../api';
import { MovesCard } from './MovesCard';
import { moveDetails } from './__testUtils__';

const details = moveDetails;

const move = (overrides: Partial<ModelFleetAction> = {}) =>
  modelAction({ kind: 'migrate', details, reason: 'cheaper', ...overrides });

const done = move({
  id: 'm1',
  state: 'done',
  stepIndex: 2,
  finishedAt: minutesAgo(600),
  createdAt: minutesAgo(620),
});
const waiting = move({
  id: 'm2',
  entityRef: 'model:search/mistral-7b',
  state: 'planned',
  dryRun: true,
  requestedBy: 'policy:arbitrage',
});

async function render(api: ModelFleetApi, pollMs?: number) {
  return renderInTestApp(
    <TestApiProvider apis={[[modelfleetApiRef, api]]}>
      <MovesCard pollMs={pollMs} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map(c => c.textContent);

describe('MovesCard', () => {
  it('lists the moves with their figures, state, who asked and the realised saving', async () => {
    const api = mockModelFleetApi({
      listActions: jest.fn(async () => ({ actions: [waiting, done] })),
    });
    await render(api);
    const rows = await screen.findAllByTestId('modelfleet-move');
    expect(api.listActions).toHaveBeenCalledWith({
      kind: 'migrate',
      limit: 50,
    });
    expect(
      within(rows[1]).getByRole('link', {
        name: 'search/llama-3-1-8b-chat',
      }),
    ).toHaveAttribute('href', '/catalog/search/model/llama-3-1-8b-chat');
    // 10 h at $753.62 a month (730 h), less the move's $3.61.
    expect(cells(rows[1])).toEqual([
      'search/llama-3-1-8b-chat',
      'l4-ondemand (prod-use1) → g2-l4-spot (prod-usc1)',
      '$753.62$6.71 realised so far (estimate)',
      '$3.61',
      '4 h',
      'spot: 2.5 preemptions a month expected, 99.50 % available',
      'done',
      'jane',
      '10 h ago',
    ]);
    expect(cells(rows[0]).slice(6, 8)).toEqual([
      'waiting for approvalApproveCancel',
      'the arbitrage policy',
    ]);
    expect(within(rows[1]).queryByRole('button')).not.toBeInTheDocument();
  });

  it('shows a move without figures by its reason, and why a move rolled back', async () => {
    await render(
      mockModelFleetApi({
        listActions: jest.fn(async () => ({
          actions: [
            move({
              details: undefined,
              reason: 'Move to g2-l4 (demo-gcp)',
              state: 'rolledBack',
              lastError: 'the target did not become Ready within 600 s',
            }),
          ],
        })),
      }),
    );
    const [row] = await screen.findAllByTestId('modelfleet-move');
    expect(cells(row).slice(1, 7)).toEqual([
      'Move to g2-l4 (demo-gcp)',
      '—',
      '—',
      '—',
      '—',
      'rolled backthe target did not become Ready within 600 s',
    ]);
  });

  it('approves and cancels a move waiting for approval, then reads the moves again', async () => {
    const api = mockModelFleetApi({
      listActions: jest
        .fn()
        .mockResolvedValueOnce({ actions: [waiting] })
        .mockResolvedValue({
          actions: [{ ...waiting, state: 'applying', stepIndex: 0 }],
        }),
      approveAction: jest.fn(async () => waiting),
    });
    await render(api);
    const [row] = await screen.findAllByTestId('modelfleet-move');
    await userEvent.click(within(row).getByRole('button', { name: 'Approve' }));
    expect(api.approveAction).toHaveBeenCalledWith('m2');
    expect(api.cancelAction).not.toHaveBeenCalled();
    expect(await screen.findByText('moving (step 1 of 3)')).toBeInTheDocument();
    // The moves and the spot fallbacks, each read twice.
    expect(api.listActions).toHaveBeenCalledTimes(4);
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
  });

  it("cancels a move and shows the backend's error when it cannot", async () => {
    const api = mockModelFleetApi({
      listActions: jest.fn(async () => ({ actions: [waiting] })),
      cancelAction: jest.fn(async () => {
        throw await responseError(
          409,
          'ConflictError',
          "an action that is applying cannot take 'cancel'",
        );
      }),
    });
    await render(api);
    const [row] = await screen.findAllByTestId('modelfleet-move');
    await userEvent.click(within(row).getByRole('button', { name: 'Cancel' }));
    expect(api.cancelAction).toHaveBeenCalledWith('m2');
    expect(
      await screen.findByText(
        "Could not cancel the move of model:search/mistral-7b: an action that is applying cannot take 'cancel'",
      ),
    ).toBeInTheDocument();
  });

  it('reads again while a move is under way, and stops once it is over', async () => {
    const listActions = jest
      .fn()
      .mockResolvedValueOnce({
        actions: [move({ state: 'applying', stepIndex: 1 })],
      })
      .mockResolvedValue({ actions: [done] });
    await render(mockModelFleetApi({ listActions }), 30);
    expect(await screen.findByText('moving (step 2 of 3)')).toBeInTheDocument();
    expect(await screen.findByText('done')).toBeInTheDocument();
    // The interval is cleared by the effect that runs after the render
    // showing 'done'; on a busy machine one more tick may come before it.
    // Counted once the effects have run, no read comes after.
    await act(async () => {
      await new Promise(r => setTimeout(r, 0));
    });
    const calls = listActions.mock.calls.length;
    await new Promise(r => setTimeout(r, 120));
    expect(listActions).toHaveBeenCalledTimes(calls);
  });

  it('says how moves and spot fallbacks come about when there are none', async () => {
    await render(mockModelFleetApi());
    expect(
      await screen.findByTestId('modelfleet-moves-empty'),
    ).toHaveTextContent(
      'No moves or spot fallbacks yet. Recommended moves appear here for approval when a team’s arbitrage mode is recommend; Move here on a Model page’s Where it could run card asks for one. A spot fallback appears when a model on a spot pool gets a reclaim notice or finds no spot capacity: an on-demand stand-in serves until spot does again.',
    );
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('says when the moves cannot be read', async () => {
    await render(
      mockModelFleetApi({
        listActions: jest.fn(async () => {
          throw await responseError(503, 'ServiceUnavailableError', 'no db');
        }),
      }),
    );
    expect(
      await screen.findByText('Could not read the moves: no db'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByTestId('progress')).not.toBeInTheDocument(),
    );
  });
});
