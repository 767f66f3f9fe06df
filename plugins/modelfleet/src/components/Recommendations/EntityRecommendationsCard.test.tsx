import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  modelfleetCostReadPermission,
  Recommendation,
} from '@modelfleet/plugin-modelfleet-common';
import { mockModelFleetApi, responseError } from '../../__testUtils__/fixtures';
import {
  allowOnly,
  Authorize,
  CardApis,
} from '../../__testUtils__/permissions';
import {
  emptyPool,
  recommendation,
} from '../../__testUtils__/recommendationFixtures';
import { ModelFleetApi } from '../../api';
import { rootRouteRef } from '../../routes';
import { EntityRecommendationsCard } from './EntityRecommendationsCard';

const model = {
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name: 'search-reranker', namespace: 'default' },
  spec: { owner: 'group:default/search-team' },
};
const group = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'search-team' },
  spec: { type: 'team', children: [] },
};

const fewer = recommendation();
const move = recommendation({
  id: 'arbitrage-1111111111111111',
  kind: 'arbitrage',
  title: 'Move search-reranker to g2-l4-spot (demo-gcp-usc1)',
  monthlySavingUsd: 1203.5,
  disruption: {
    level: 'move',
    podsAffected: 2,
    description: '2 pods moved, make-before-break',
  },
  confidence: { level: 'medium', reason: 'spot prices change' },
  source: { type: 'action', actionId: 'act-9', actionKind: 'migrate' },
});

/** An API listing `items` (unsorted, as a stale cache might) until changed. */
function listing(items: Recommendation[], notes: string[] = []) {
  let current = items;
  const api = mockModelFleetApi({
    listRecommendations: jest.fn(async () => ({
      items: current,
      gatheredAt: '2026-12-06T12:00:00.000Z',
      notes,
    })),
  });
  return {
    api,
    set: (next: Recommendation[]) => {
      current = next;
    },
  };
}

async function render(
  api: ModelFleetApi,
  entity: typeof model | typeof group = model,
  authorize?: Authorize,
) {
  return renderInTestApp(
    <CardApis api={api} authorize={authorize}>
      <EntityProvider entity={entity}>
        <EntityRecommendationsCard />
      </EntityProvider>
    </CardApis>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/modelfleet': rootRouteRef,
      },
    },
  );
}

const titles = (rows: HTMLElement[]) =>
  rows.map(r => within(r).getAllByRole('cell')[0].firstChild?.textContent);

describe('EntityRecommendationsCard', () => {
  it("lists the model's open recommendations sorted by saving, with their figures", async () => {
    const { api } = listing([fewer, move]);
    await render(api);
    const rows = await screen.findAllByTestId('modelfleet-recommendation');
    expect(api.listRecommendations).toHaveBeenCalledWith({
      entity: 'model:default/search-reranker',
      state: ['open'],
    });
    expect(titles(rows)).toEqual([move.title, fewer.title]);
    const cells = within(rows[0])
      .getAllByRole('cell')
      .map(c => c.textContent);
    expect(cells.slice(1, 4)).toEqual(['$1,203.50', 'Move', 'Medium']);
    expect(
      within(rows[0])
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['Why? (2)', 'Apply', 'Dismiss', 'Snooze']);
  });

  it('opens the evidence in words', async () => {
    const { api } = listing([fewer]);
    await render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Why? (2)' }),
    );
    expect(
      screen.getByTestId('modelfleet-recommendation-evidence'),
    ).toHaveTextContent(
      'The peak GPU memory over 14 days was 9.1 GiB of 24 GiB.At p95 the traffic needs 0.6 replicas.',
    );
    expect(
      screen.getByTestId('modelfleet-recommendation-details'),
    ).toHaveTextContent(
      'Disruption: 1 pod stopped. Confidence: 14 days of metrics.',
    );
  });

  it('hides Apply from someone who may not apply recommendations, and where it cannot be applied', async () => {
    const { api } = listing([fewer, emptyPool]);
    await render(api, model, allowOnly(modelfleetCostReadPermission.name));
    const rows = await screen.findAllByTestId('modelfleet-recommendation');
    for (const row of rows) {
      expect(
        within(row).queryByRole('button', { name: 'Apply' }),
      ).not.toBeInTheDocument();
      expect(
        within(row).getByRole('button', { name: 'Dismiss' }),
      ).toBeInTheDocument();
    }
    expect(rows[0]).toHaveTextContent('Apply by hand (see Why?)');
    await userEvent.click(
      within(rows[0]).getByRole('button', { name: 'Why? (1)' }),
    );
    expect(
      screen.getByTestId('modelfleet-recommendation-not-applicable'),
    ).toHaveTextContent('Apply by hand: no action changes a pool’s size yet');
  });

  it('dismisses a recommendation and reads the list again, without it', async () => {
    const { api, set } = listing([fewer, move]);
    (api.dismissRecommendation as jest.Mock).mockImplementation(async () => {
      set([fewer]);
      return { ...move, state: 'dismissed' };
    });
    await render(api);
    const rows = await screen.findAllByTestId('modelfleet-recommendation');
    await userEvent.click(
      within(rows[0]).getByRole('button', { name: 'Dismiss' }),
    );
    expect(api.dismissRecommendation).toHaveBeenCalledWith(move.id);
    await waitFor(() =>
      expect(screen.getAllByTestId('modelfleet-recommendation')).toHaveLength(
        1,
      ),
    );
    expect(screen.queryByText(move.title)).not.toBeInTheDocument();
    expect(api.listRecommendations).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['1 day', 1],
    ['7 days', 7],
    ['30 days', 30],
  ])('snoozes for %s, picked from the menu', async (label, days) => {
    const { api } = listing([fewer]);
    await render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Snooze' }),
    );
    expect(
      screen.getAllByRole('menuitem').map(item => item.textContent),
    ).toEqual(['1 day', '7 days', '30 days']);
    expect(api.snoozeRecommendation).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('menuitem', { name: label }));
    expect(api.snoozeRecommendation).toHaveBeenCalledWith(fewer.id, { days });
    await waitFor(() =>
      expect(api.listRecommendations).toHaveBeenCalledTimes(2),
    );
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
  });

  it("says what Apply did in the backend's words, and where to approve a move that waits", async () => {
    const { api } = listing([move]);
    (api.applyRecommendation as jest.Mock).mockResolvedValue({
      recommendationId: move.id,
      actionId: 'act-9',
      actionState: 'planned',
      actionKind: 'migrate',
      awaitsApproval: true,
      message:
        "The move waits for approval: search-team's policy is dry-run. Approve it on the ModelFleet page.",
    });
    await render(api);
    // The cards that list actions hear of it.
    const heard = jest.fn();
    window.addEventListener('modelfleet:actions-changed', heard);
    await userEvent.click(await screen.findByRole('button', { name: 'Apply' }));
    const outcome = await screen.findByTestId(
      'modelfleet-recommendation-outcome',
    );
    window.removeEventListener('modelfleet:actions-changed', heard);
    expect(heard).toHaveBeenCalledTimes(1);
    expect(outcome).toHaveTextContent(
      `Applied “${move.title}”. The move waits for approval: search-team's policy is dry-run.`,
    );
    expect(
      within(outcome).getByTestId('modelfleet-recommendation-next'),
    ).toHaveTextContent(
      'Approve it on the Model activity card of search-reranker, or under Moves on the ModelFleet page.',
    );
    expect(
      within(outcome).getByRole('link', { name: 'search-reranker' }),
    ).toHaveAttribute('href', '/catalog/default/model/search-reranker');
    expect(
      within(outcome).getByRole('link', { name: 'ModelFleet page' }),
    ).toHaveAttribute('href', '/modelfleet');
  });

  it('on a GpuPool page, says to follow a node consolidation under Node consolidations on the ModelFleet page', async () => {
    const pool = {
      apiVersion: 'modelfleet.io/v1alpha1',
      kind: 'GpuPool',
      metadata: { name: 'demo-aws-use1.g5-a10g', namespace: 'default' },
      spec: { owner: 'group:default/platform-team' },
    };
    const consolidation = recommendation({
      id: 'consolidation-3333333333333333',
      kind: 'consolidation',
      title: 'Empty 2 nodes of g5-a10g',
      subject: { poolRef: 'gpupool:default/demo-aws-use1.g5-a10g' },
    });
    const { api } = listing([consolidation]);
    (api.applyRecommendation as jest.Mock).mockResolvedValue({
      recommendationId: consolidation.id,
      actionId: 'act-7',
      actionState: 'applying',
      actionKind: 'consolidate',
      awaitsApproval: false,
      message: 'Emptying g5-a10g now.',
    });
    await render(api, pool);
    await userEvent.click(await screen.findByRole('button', { name: 'Apply' }));
    const outcome = await screen.findByTestId(
      'modelfleet-recommendation-outcome',
    );
    expect(
      within(outcome).getByTestId('modelfleet-recommendation-next'),
    ).toHaveTextContent(
      /^Follow it under Node consolidations on the ModelFleet page\.$/,
    );
    expect(
      within(outcome).getByRole('link', { name: 'ModelFleet page' }),
    ).toHaveAttribute('href', '/modelfleet');
  });

  it('says when the action runs now, and where to follow it', async () => {
    const { api } = listing([fewer]);
    (api.applyRecommendation as jest.Mock).mockResolvedValue({
      recommendationId: fewer.id,
      actionId: 'act-42',
      actionState: 'applying',
      actionKind: 'scale',
      awaitsApproval: false,
      message: 'Scaling to 1 replica now.',
    });
    await render(api);
    await userEvent.click(await screen.findByRole('button', { name: 'Apply' }));
    const outcome = await screen.findByTestId(
      'modelfleet-recommendation-outcome',
    );
    expect(outcome).toHaveTextContent(
      `Applied “${fewer.title}”. Scaling to 1 replica now.`,
    );
    expect(
      within(outcome).getByTestId('modelfleet-recommendation-next'),
    ).toHaveTextContent(
      'Follow it on the Model activity card of search-reranker.',
    );
    expect(
      within(outcome).queryByRole('link', { name: 'ModelFleet page' }),
    ).not.toBeInTheDocument();
  });

  it('shows entity refs in titles, evidence and answers as linked names', async () => {
    const withRefs = recommendation({
      title:
        'Move model:default/search-reranker to gpupool:default/demo-gcp-usc1.g2-l4.',
      evidence: ['model:default/search-reranker idled 40% of the time.'],
    });
    const { api } = listing([withRefs]);
    await render(api, group);
    const row = await screen.findByTestId('modelfleet-recommendation');
    expect(row).not.toHaveTextContent('model:default');
    expect(row).toHaveTextContent(
      'Move search-reranker to demo-gcp-usc1.g2-l4.',
    );
    expect(
      within(row).getByRole('link', { name: 'demo-gcp-usc1.g2-l4' }),
    ).toHaveAttribute('href', '/catalog/default/gpupool/demo-gcp-usc1.g2-l4');
    await userEvent.click(
      within(row).getByRole('button', { name: 'Why? (1)' }),
    );
    expect(
      screen.getByTestId('modelfleet-recommendation-evidence'),
    ).toHaveTextContent('search-reranker idled 40% of the time.');
  });

  it("shows the backend's 409 sentence when it cannot be applied", async () => {
    const { api } = listing([fewer]);
    const conflict = await responseError(
      409,
      'ConflictError',
      'search-reranker already has a scale action in flight',
    );
    (api.applyRecommendation as jest.Mock).mockRejectedValue(conflict);
    await render(api);
    await userEvent.click(await screen.findByRole('button', { name: 'Apply' }));
    expect(
      await screen.findByTestId('modelfleet-recommendation-outcome'),
    ).toHaveTextContent(
      `Could not apply “${fewer.title}”: search-reranker already has a scale action in flight`,
    );
    // The list stays.
    expect(screen.getByText(fewer.title)).toBeInTheDocument();
  });

  it('says so in words when there is none, without the notes for platform engineers', async () => {
    await render(listing([], ['Consolidation is not gathered yet.']).api);
    expect(
      await screen.findByTestId('modelfleet-recommendations-empty'),
    ).toHaveTextContent('No recommendation for this model now.');
    expect(screen.queryByText(/Consolidation/)).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Details/ }),
    ).not.toBeInTheDocument();
  });

  it("lists a team's on its Group page, each with its subject", async () => {
    const { api } = listing([fewer]);
    await render(api, group);
    const row = await screen.findByTestId('modelfleet-recommendation');
    expect(api.listRecommendations).toHaveBeenCalledWith({
      team: 'group:default/search-team',
      state: ['open'],
    });
    expect(
      within(row).getByRole('link', { name: 'search-reranker' }),
    ).toHaveAttribute('href', '/catalog/default/model/search-reranker');
  });

  it('shows a read error in the card', async () => {
    const api = mockModelFleetApi({
      listRecommendations: jest.fn(async () => {
        throw await responseError(
          403,
          'NotAllowedError',
          'modelfleet.cost.read is not allowed on group:default/search-team',
        );
      }),
    });
    await render(api, group);
    expect(
      await screen.findByTestId('modelfleet-recommendations-error'),
    ).toHaveTextContent(
      'Could not read the recommendations: modelfleet.cost.read is not allowed on group:default/search-team',
    );
  });

  it("asks for nothing where the caller may not read the entity's costs", async () => {
    const { api } = listing([fewer]);
    await render(api, model, allowOnly());
    expect(
      await screen.findByTestId('modelfleet-recommendations-not-allowed'),
    ).toHaveTextContent('only its team and the platform teams may see');
    expect(api.listRecommendations).not.toHaveBeenCalled();
  });
});
