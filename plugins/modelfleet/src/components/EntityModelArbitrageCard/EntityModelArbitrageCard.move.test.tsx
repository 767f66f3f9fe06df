import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ModelFleetAction,
  modelfleetCostReadPermission,
} from '@modelfleet/plugin-modelfleet-common';
import { modelAction } from '../../__testUtils__/actionFixtures';
import { mockModelFleetApi, responseError } from '../../__testUtils__/fixtures';
import {
  allowOnly,
  Authorize,
  CardApis,
} from '../../__testUtils__/permissions';
import { ModelFleetApi } from '../../api';
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

const moveAction = (overrides: Partial<ModelFleetAction> = {}) =>
  modelAction({ id: 'm1', kind: 'migrate', ...overrides });

/** Opens the dialog of the first Move here (the spot pool on GCP). */
async function openSpotMove() {
  const buttons = await screen.findAllByRole('button', { name: /^Move here/ });
  await userEvent.click(buttons[0]);
  return screen.findByRole('dialog');
}

describe('EntityModelArbitrageCard: Move here', () => {
  it('offers Move here on every pool but the current one, saying how a move within its cluster runs', async () => {
    await render(mockModelFleetApi());
    const rows = await screen.findAllByTestId('arbitrage-option');
    const buttons = rows.map(r => within(r).queryByRole('button'));
    expect(buttons.map(b => b?.getAttribute('aria-label'))).toEqual([
      'Move here: g2-l4-spot (prod-usc1)',
      undefined,
      expect.stringMatching(/^Move here: /),
    ]);
    expect(buttons[2]?.getAttribute('title')).toMatch(
      /^A rolling update of its Deployment on its own cluster/,
    );
    expect(buttons[0]?.getAttribute('title')).toMatch(
      /^Make-before-break across clusters/,
    );
  });

  it('confirms the figures, posts once with the pool, reason and one key, and says it is moving', async () => {
    let answer: (a: ModelFleetAction) => void = () => {};
    const requestMigration = jest.fn(
      () =>
        new Promise<ModelFleetAction>(resolve => {
          answer = resolve;
        }),
    );
    await render(mockModelFleetApi({ requestMigration }));
    const dialog = await openSpotMove();
    expect(
      within(dialog).getByRole('heading', {
        name: 'Move llama-3-1-8b-chat to g2-l4-spot (prod-usc1)?',
      }),
    ).toBeInTheDocument();
    const figures = within(dialog).getByTestId('modelfleet-move-figures');
    for (const part of [
      'From l4-ondemand (prod-use1) to g2-l4-spot (prod-usc1), make-before-break',
      'It saves $753.62 a month.',
      'The move costs $3.61 once.',
      'It pays for itself in 3 h.',
      'Risk: spot: 2.5 preemptions a month expected, 99.50 % available (the prior of the bundled AWS spot traces).',
    ]) {
      expect(figures).toHaveTextContent(part);
    }
    await userEvent.type(
      within(dialog).getByLabelText('Reason (optional)'),
      ' cheaper on spot ',
    );
    const move = within(dialog).getByRole('button', { name: 'Move' });
    await userEvent.click(move);
    // Disabled while posting: a second click posts nothing.
    const busy = within(dialog).getByRole('button', { name: 'Requesting…' });
    expect(busy).toBeDisabled();
    await userEvent.click(busy, { pointerEventsCheck: 0 });
    expect(requestMigration).toHaveBeenCalledTimes(1);
    const [target, body, key] = requestMigration.mock.calls[0] as unknown as [
      unknown,
      unknown,
      string,
    ];
    expect(target).toEqual({ namespace: 'search', name: 'llama-3-1-8b-chat' });
    expect(body).toEqual({
      pool: 'gpupool:default/prod-usc1.g2-l4-spot',
      reason: 'cheaper on spot',
    });
    expect(key).toMatch(/^move-[a-z0-9-]+$/);

    answer(moveAction({ state: 'applying', stepIndex: 0 }));
    expect(
      await within(dialog).findByTestId('modelfleet-move-answer'),
    ).toHaveTextContent(
      'Moving… The Model activity card on this page follows the move step by step.',
    );
    expect(
      within(dialog).queryByRole('button', { name: 'Move' }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('says a dry-run move waits for approval', async () => {
    const requestMigration = jest.fn(async () =>
      moveAction({ state: 'planned', dryRun: true }),
    );
    await render(mockModelFleetApi({ requestMigration }));
    const dialog = await openSpotMove();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Move' }));
    expect(
      await within(dialog).findByTestId('modelfleet-move-answer'),
    ).toHaveTextContent(/^Move planned, waiting for approval\./);
    expect(requestMigration).toHaveBeenCalledWith(
      { namespace: 'search', name: 'llama-3-1-8b-chat' },
      { pool: 'gpupool:default/prod-usc1.g2-l4-spot' },
      expect.any(String),
    );
  });

  it("shows the backend's error in the dialog and retries with the same key", async () => {
    const requestMigration = jest
      .fn()
      .mockImplementationOnce(async () => {
        throw await responseError(
          409,
          'ConflictError',
          'migrate: not now, another action of the model is applying',
        );
      })
      .mockImplementationOnce(async () => {
        throw await responseError(
          400,
          'InputError',
          'pool: the model may not run on gpupool:default/prod-usc1.g2-l4-spot',
        );
      });
    await render(mockModelFleetApi({ requestMigration }));
    const dialog = await openSpotMove();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Move' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Could not move: migrate: not now, another action of the model is applying',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Move' }));
    await waitFor(() =>
      expect(within(dialog).getByRole('alert')).toHaveTextContent(
        'Could not move: pool: the model may not run on gpupool:default/prod-usc1.g2-l4-spot',
      ),
    );
    const keys = requestMigration.mock.calls.map(c => c[2]);
    expect(keys[0]).toBe(keys[1]);

    // Another opening is another request: another key.
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    const again = await openSpotMove();
    await userEvent.click(within(again).getByRole('button', { name: 'Move' }));
    await waitFor(() => expect(requestMigration).toHaveBeenCalledTimes(3));
    expect(requestMigration.mock.calls[2][2]).not.toBe(keys[0]);
  });

  it('hides Move here from someone who may read the costs but not apply recommendations', async () => {
    const api = mockModelFleetApi();
    await render(api, allowOnly(modelfleetCostReadPermission.name));
    expect(await screen.findAllByTestId('arbitrage-option')).toHaveLength(3);
    expect(
      screen.queryByRole('button', { name: /^Move here/ }),
    ).not.toBeInTheDocument();
    expect(api.requestMigration).not.toHaveBeenCalled();
  });
});
