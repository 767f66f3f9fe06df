import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  Recommendation,
  RecommendationState,
} from '@modelfleet/plugin-modelfleet-common';
import { mockModelFleetApi } from '../../__testUtils__/fixtures';
import { CardApis } from '../../__testUtils__/permissions';
import {
  emptyPool,
  recommendation,
} from '../../__testUtils__/recommendationFixtures';
import { FleetRecommendationsCard } from './FleetRecommendationsCard';

const fewer = recommendation();
const snoozed = recommendation({
  id: 'hibernation-2222222222222222',
  kind: 'hibernation',
  title: 'Hibernate chat-assistant overnight',
  subject: {
    modelRef: 'model:default/chat-assistant',
    teamRef: 'group:default/chat-team',
  },
  monthlySavingUsd: 310,
  state: 'snoozed',
  snoozedUntil: '2026-12-13T12:00:00.000Z',
});

/** A backend keeping each recommendation's state, as the REST API does per person. */
function backend() {
  const all = new Map<string, Recommendation>(
    [fewer, emptyPool, snoozed].map(r => [r.id, r]),
  );
  const setState = (id: string, state: RecommendationState) => {
    const r = { ...all.get(id)!, state };
    all.set(id, r);
    return r;
  };
  return mockModelFleetApi({
    listRecommendations: jest.fn(async query => {
      const wanted = ([] as RecommendationState[]).concat(
        query?.state ?? 'open',
      );
      return {
        items: [...all.values()].filter(r => wanted.includes(r.state)),
        gatheredAt: '2026-12-06T12:00:00.000Z',
        notes: ['Consolidation is not gathered yet.'],
      };
    }),
    dismissRecommendation: jest.fn(async id => setState(id, 'dismissed')),
    restoreRecommendation: jest.fn(async id => setState(id, 'open')),
  });
}

async function render(api = backend()) {
  await renderInTestApp(
    <CardApis api={api}>
      <FleetRecommendationsCard />
    </CardApis>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

const subjects = () =>
  screen
    .getAllByTestId('modelfleet-recommendation')
    .map(r => within(r).getAllByRole('cell')[0].textContent);

describe('FleetRecommendationsCard', () => {
  it('lists every open one by saving, with its subject linked, and the notes under Details', async () => {
    await render();
    await screen.findAllByTestId('modelfleet-recommendation');
    expect(subjects()).toEqual(['demo-azure-eastus.nca100', 'search-reranker']);
    expect(
      screen.getByRole('link', { name: 'demo-azure-eastus.nca100' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/gpupool/demo-azure-eastus.nca100',
    );
    expect(screen.getByText('$2,681.04')).toBeInTheDocument();
    // The notes are for platform engineers: closed at first.
    expect(
      screen.queryByText('Consolidation is not gathered yet.'),
    ).not.toBeInTheDocument();
    const details = screen.getByRole('button', { name: 'Details (1)' });
    expect(details).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(details);
    expect(
      screen.getByTestId('modelfleet-recommendation-notes'),
    ).toHaveTextContent('Consolidation is not gathered yet.');
    await userEvent.click(
      screen.getByRole('button', { name: 'Hide the details' }),
    );
    expect(
      screen.queryByTestId('modelfleet-recommendation-notes'),
    ).not.toBeInTheDocument();
  });

  it('lists the dismissed and snoozed ones behind the switch, and restores one', async () => {
    const api = await render();
    const rows = await screen.findAllByTestId('modelfleet-recommendation');
    await userEvent.click(
      within(rows[1]).getByRole('button', { name: 'Dismiss' }),
    );
    await waitFor(() =>
      expect(subjects()).toEqual(['demo-azure-eastus.nca100']),
    );

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Dismissed and snoozed' }),
    );
    await waitFor(() =>
      expect(subjects()).toEqual(['search-reranker', 'chat-assistant']),
    );
    expect(api.listRecommendations).toHaveBeenLastCalledWith({
      state: ['dismissed', 'snoozed'],
    });
    const hidden = screen.getAllByTestId('modelfleet-recommendation');
    expect(hidden[1]).toHaveTextContent('Snoozed until 13 Dec 2026');
    expect(
      within(hidden[0])
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['Why? (2)', 'Restore']);
    await userEvent.click(
      within(hidden[0]).getByRole('button', { name: 'Restore' }),
    );
    expect(api.restoreRecommendation).toHaveBeenCalledWith(fewer.id);
    await waitFor(() => expect(subjects()).toEqual(['chat-assistant']));
  });

  it('says where a move that waits is approved: under Moves below', async () => {
    const api = backend();
    api.applyRecommendation.mockResolvedValue({
      recommendationId: fewer.id,
      actionId: 'act-3',
      actionState: 'planned',
      actionKind: 'migrate',
      awaitsApproval: true,
      message: 'The move to L4 spot waits for approval.',
    });
    await render(api);
    const rows = await screen.findAllByTestId('modelfleet-recommendation');
    await userEvent.click(
      within(rows[1]).getByRole('button', { name: 'Apply' }),
    );
    expect(api.applyRecommendation).toHaveBeenCalledWith(fewer.id);
    expect(
      await screen.findByTestId('modelfleet-recommendation-next'),
    ).toHaveTextContent(
      'Approve it on the Model activity card of search-reranker, or under Moves below.',
    );
  });

  it('says where a node consolidation that waits is approved: under Node consolidations below', async () => {
    const api = backend();
    api.applyRecommendation.mockResolvedValue({
      recommendationId: fewer.id,
      actionId: 'act-5',
      actionState: 'planned',
      actionKind: 'consolidate',
      awaitsApproval: true,
      message:
        "Emptying g5-a10g waits for approval: the platform's policy, or that of a team whose pods move, is dry-run. Approve it under Node consolidations on the ModelFleet page.",
    });
    await render(api);
    const rows = await screen.findAllByTestId('modelfleet-recommendation');
    await userEvent.click(
      within(rows[1]).getByRole('button', { name: 'Apply' }),
    );
    // The action is the pool's: no Model activity card lists it.
    expect(
      await screen.findByTestId('modelfleet-recommendation-next'),
    ).toHaveTextContent(/^Approve it under Node consolidations below\.$/);
  });

  it('says when nothing is hidden', async () => {
    const api = mockModelFleetApi();
    await render(api);
    expect(
      await screen.findByTestId('modelfleet-recommendations-empty'),
    ).toHaveTextContent('No recommendation for the fleet now.');
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Dismissed and snoozed' }),
    );
    await waitFor(() =>
      expect(
        screen.getByTestId('modelfleet-recommendations-empty'),
      ).toHaveTextContent('Nothing dismissed or snoozed.'),
    );
  });
});
