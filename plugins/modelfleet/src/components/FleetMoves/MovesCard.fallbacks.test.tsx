import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ModelFleetAction } from '@modelfleet/plugin-modelfleet-common';
import { minutesAgo, modelAction } from '../../__testUtils__/actionFixtures';
import { mockModelFleetApi } from '../../__testUtils__/fixtures';
import { cellsOf as cells } from '../../__testUtils__/spotCard';
import {
  fallbackAction,
  fallbackDetails,
} from '../../__testUtils__/spotFixtures';
import { ActionsQuery, ModelFleetApi, modelfleetApiRef } from '../../api';
import { MovesCard } from './MovesCard';
import { moveDetails } from './__testUtils__';

const move = modelAction({
  id: 'm1',
  kind: 'migrate',
  details: moveDetails,
  state: 'done',
  stepIndex: 2,
  finishedAt: minutesAgo(600),
  createdAt: minutesAgo(620),
});

const waiting = fallbackAction({
  id: 'f2',
  entityRef: 'model:search/mistral-7b',
  state: 'planned',
  stepIndex: -1,
  dryRun: true,
  createdAt: minutesAgo(1),
  fallback: fallbackDetails({
    noticedAt: undefined,
    unscheduledSince: minutesAgo(6),
  }),
});

/** An API that lists `moves` for `migrate` and `fallbacks` for `spot-fallback`. */
const byKind = (moves: ModelFleetAction[], fallbacks: ModelFleetAction[]) =>
  jest.fn(async (q: ActionsQuery) => ({
    actions: q.kind === 'migrate' ? moves : fallbacks,
  }));

async function render(api: ModelFleetApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[modelfleetApiRef, api]]}>
      <MovesCard />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('MovesCard spot fallbacks', () => {
  it('lists the spot fallbacks below the moves, with their route, cause and prices', async () => {
    const api = mockModelFleetApi({
      listActions: byKind([move], [waiting, fallbackAction()]),
    });
    await render(api);
    const rows = await screen.findAllByTestId('modelfleet-spot-fallback');
    expect(api.listActions).toHaveBeenCalledWith({
      kind: 'spot-fallback',
      limit: 20,
    });
    expect(screen.getAllByTestId('modelfleet-move')).toHaveLength(1);
    expect(
      screen.getByRole('heading', { name: 'Spot fallbacks' }),
    ).toBeInTheDocument();
    expect(cells(rows[1])).toEqual([
      'search/llama-3-1-8b-chat',
      'g6-l4-spot (prod-use1) → on-demand stand-in on l4-ondemand (prod-use1)Fallback to on-demand: stand-in 0 → 2 replicas',
      'spot reclaim notice',
      '$0.80 on-demand$0.31 on spot',
      'done',
      'the arbitrage policy',
      '2 min ago',
    ]);
    expect(cells(rows[0]).slice(0, 1)).toEqual(['search/mistral-7b']);
    expect(cells(rows[0]).slice(2, 3)).toEqual([
      'no spot capacity (no node for spot)',
    ]);
    expect(cells(rows[0])[4]).toBe('waiting for approvalApproveCancel');
    expect(within(rows[1]).queryByRole('button')).toBeNull();
  });

  it('approves a spot fallback waiting for approval, then reads again', async () => {
    const listActions = byKind([], [waiting]);
    const api = mockModelFleetApi({
      listActions,
      approveAction: jest.fn(async () => waiting),
    });
    await render(api);
    expect(
      await screen.findByTestId('modelfleet-moves-empty'),
    ).toHaveTextContent(/^No moves yet\. Recommended moves/);
    const [row] = screen.getAllByTestId('modelfleet-spot-fallback');
    listActions.mockImplementation(async (q: ActionsQuery) => ({
      actions:
        q.kind === 'migrate'
          ? []
          : [{ ...waiting, state: 'applying', stepIndex: 1 }],
    }));
    await userEvent.click(within(row).getByRole('button', { name: 'Approve' }));
    expect(api.approveAction).toHaveBeenCalledWith('f2');
    expect(
      await screen.findByText('applying (step 2 of 3)'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
  });
});
