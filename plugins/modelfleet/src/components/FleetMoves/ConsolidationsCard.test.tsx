import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockModelFleetApi, responseError } from '../../__testUtils__/fixtures';
import { ModelFleetApi, modelfleetApiRef } from '../../api';
import { announceActionsChanged } from '../../api/actionsChanged';
import { ConsolidationsCard } from './ConsolidationsCard';
import { consolidation } from './__testUtils__';

const waiting = consolidation({
  id: 'c2',
  createdAt: '2026-12-06T14:05:00Z',
  requestedBy: 'user:default/sam',
});
const done = consolidation(
  {
    id: 'c1',
    entityRef: 'gpupool:default/demo-gcp-usc1.g2-l4',
    cluster: 'demo-gcp-usc1',
    state: 'done',
    dryRun: false,
    stepIndex: 2,
    approvedBy: 'user:default/jane',
    createdAt: '2026-12-05T09:30:00Z',
    finishedAt: '2026-12-05T09:40:00Z',
  },
  { nodes: ['gke-l4-3'], workloads: [] },
);

async function render(api: ModelFleetApi, pollMs?: number) {
  return renderInTestApp(
    <TestApiProvider apis={[[modelfleetApiRef, api]]}>
      <ConsolidationsCard pollMs={pollMs} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map(c => c.textContent);

describe('ConsolidationsCard', () => {
  it('lists the consolidations newest first: pool, nodes, models that move, state, who and when', async () => {
    const api = mockModelFleetApi({
      // The backend's order is not trusted: the card sorts.
      listActions: jest.fn(async () => ({ actions: [done, waiting] })),
    });
    await render(api);
    expect(
      screen.getByRole('heading', { level: 2, name: 'Node consolidations' }),
    ).toBeInTheDocument();
    const rows = await screen.findAllByTestId('modelfleet-consolidation');
    expect(api.listActions).toHaveBeenCalledWith({
      kind: ['consolidate', 'poolMinimum'],
      limit: 50,
    });
    expect(rows.map(r => r.getAttribute('data-id'))).toEqual(['c2', 'c1']);
    expect(cells(rows[0])).toEqual([
      'g5-a10g (demo-aws-use1)',
      'node-a, node-b',
      'search/llama-3-1-8b-chat',
      'Waiting for approvalApproveCancel',
      'sam',
      '6 Dec 2026, 14:05 UTC',
    ]);
    expect(
      within(rows[0]).getByRole('link', { name: 'g5-a10g (demo-aws-use1)' }),
    ).toHaveAttribute('href', '/catalog/default/gpupool/demo-aws-use1.g5-a10g');
    expect(cells(rows[1])).toEqual([
      'g2-l4 (demo-gcp-usc1)',
      'gke-l4-3',
      'none: the nodes run no model pod',
      'Donethe nodes are empty; the cluster autoscaler removes them',
      'jane',
      '5 Dec 2026, 09:30 UTC',
    ]);
    expect(within(rows[1]).queryByRole('button')).not.toBeInTheDocument();
  });

  it('says why a consolidation rolled back', async () => {
    await render(
      mockModelFleetApi({
        listActions: jest.fn(async () => ({
          actions: [
            consolidation({
              state: 'rolledBack',
              dryRun: false,
              lastError:
                'drain node-a: the PodDisruptionBudget of search/llama-3-1-8b-chat allowed no eviction within 1200 s',
            }),
          ],
        })),
      }),
    );
    const [row] = await screen.findAllByTestId('modelfleet-consolidation');
    expect(cells(row)[3]).toBe(
      'Rolled backdrain node-a: the PodDisruptionBudget of search/llama-3-1-8b-chat allowed no eviction within 1200 s',
    );
    expect(within(row).queryByRole('button')).toBeNull();
  });

  it('approves a consolidation waiting for approval, then reads the list again', async () => {
    const api = mockModelFleetApi({
      listActions: jest
        .fn()
        .mockResolvedValueOnce({ actions: [waiting] })
        .mockResolvedValue({
          actions: [
            { ...waiting, dryRun: false, state: 'applying', stepIndex: 0 },
          ],
        }),
      approveAction: jest.fn(async () => waiting),
    });
    // No poll fires during the test: the second read is the decision's.
    await render(api, 600_000);
    const [row] = await screen.findAllByTestId('modelfleet-consolidation');
    await userEvent.click(within(row).getByRole('button', { name: 'Approve' }));
    expect(api.approveAction).toHaveBeenCalledWith('c2');
    expect(api.cancelAction).not.toHaveBeenCalled();
    expect(
      await screen.findByText('Cordoning and draining: step 1 of 5'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Cordon node node-a: no new pod is placed there'),
    ).toBeInTheDocument();
    expect(api.listActions).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
  });

  it('cancels one, then reads the list again', async () => {
    const api = mockModelFleetApi({
      listActions: jest
        .fn()
        .mockResolvedValueOnce({ actions: [waiting] })
        .mockResolvedValue({ actions: [{ ...waiting, state: 'cancelled' }] }),
      cancelAction: jest.fn(async () => waiting),
    });
    await render(api, 600_000);
    const [row] = await screen.findAllByTestId('modelfleet-consolidation');
    await userEvent.click(within(row).getByRole('button', { name: 'Cancel' }));
    expect(api.cancelAction).toHaveBeenCalledWith('c2');
    expect(api.approveAction).not.toHaveBeenCalled();
    expect(await screen.findByText('Cancelled')).toBeInTheDocument();
    expect(api.listActions).toHaveBeenCalledTimes(2);
  });

  it("shows the backend's answer when a decision is refused", async () => {
    const api = mockModelFleetApi({
      listActions: jest.fn(async () => ({ actions: [waiting] })),
      approveAction: jest.fn(async () => {
        throw await responseError(
          403,
          'NotAllowedError',
          'You may not apply recommendations of gpupool:default/demo-aws-use1.g5-a10g',
        );
      }),
    });
    await render(api, 600_000);
    const [row] = await screen.findAllByTestId('modelfleet-consolidation');
    await userEvent.click(within(row).getByRole('button', { name: 'Approve' }));
    expect(
      await screen.findByText(
        'Could not approve the consolidation of g5-a10g (demo-aws-use1): You may not apply recommendations of gpupool:default/demo-aws-use1.g5-a10g',
      ),
    ).toBeInTheDocument();
    // The list is read again: it may have changed meanwhile.
    await waitFor(() => expect(api.listActions).toHaveBeenCalledTimes(2));
  });

  it('reads again while a consolidation is under way, and stops once it is over', async () => {
    const listActions = jest
      .fn()
      .mockResolvedValueOnce({
        actions: [
          { ...waiting, dryRun: false, state: 'applying', stepIndex: 3 },
        ],
      })
      .mockResolvedValue({ actions: [{ ...waiting, state: 'done' }] });
    await render(mockModelFleetApi({ listActions }), 30);
    expect(
      await screen.findByText('Cordoning and draining: step 4 of 5'),
    ).toBeInTheDocument();
    expect(await screen.findByText('Done')).toBeInTheDocument();
    // The interval is cleared by the effect that runs after the render
    // showing 'Done'; on a busy machine one more tick may come before it.
    // Counted once the effects have run, no read comes after.
    await act(async () => {
      await new Promise(r => setTimeout(r, 0));
    });
    const calls = listActions.mock.calls.length;
    await new Promise(r => setTimeout(r, 120));
    expect(listActions).toHaveBeenCalledTimes(calls);
  });

  it('does not read again while a consolidation only waits for approval', async () => {
    const listActions = jest.fn(async () => ({ actions: [waiting] }));
    await render(mockModelFleetApi({ listActions }), 30);
    await screen.findAllByTestId('modelfleet-consolidation');
    await new Promise(r => setTimeout(r, 120));
    expect(listActions).toHaveBeenCalledTimes(1);
  });

  it('stops reading once the card is gone', async () => {
    const listActions = jest.fn(async () => ({
      actions: [{ ...waiting, dryRun: false, state: 'applying' as const }],
    }));
    const { unmount } = await render(mockModelFleetApi({ listActions }), 30);
    await screen.findAllByTestId('modelfleet-consolidation');
    unmount();
    const calls = listActions.mock.calls.length;
    await new Promise(r => setTimeout(r, 120));
    expect(listActions).toHaveBeenCalledTimes(calls);
  });

  it('reads the list again when Apply elsewhere on the page made an action', async () => {
    const listActions = jest
      .fn()
      .mockResolvedValueOnce({ actions: [] })
      .mockResolvedValue({ actions: [waiting] });
    await render(mockModelFleetApi({ listActions }));
    await screen.findByTestId('modelfleet-consolidations-empty');
    act(() => announceActionsChanged());
    const [row] = await screen.findAllByTestId('modelfleet-consolidation');
    expect(row).toHaveTextContent('Waiting for approval');
    expect(listActions).toHaveBeenCalledTimes(2);
  });

  it('lists a lowered pool minimum with what it changes', async () => {
    const lowered = {
      ...consolidation(
        { id: 'p1', state: 'done', dryRun: false, stepIndex: 0 },
        { nodes: [], workloads: [] },
      ),
      kind: 'poolMinimum' as const,
      entityRef: 'gpupool:default/demo-azure-eastus.nca100',
      cluster: 'demo-azure-eastus',
      steps: [
        {
          description:
            'Set the minimum size of nca100 (demo-azure-eastus) to 0',
          do: {
            op: 'setPoolMinimum' as const,
            cluster: 'demo-azure-eastus',
            pool: 'nca100',
            min: 0,
          },
        },
      ],
      consolidation: {
        pool: {
          ref: 'gpupool:default/demo-azure-eastus.nca100',
          title: 'nca100 (demo-azure-eastus)',
        },
        nodes: [],
        nodesBefore: 1,
        nodesFreed: 1,
        minimum: { from: 1, to: 0 },
      },
    };
    await render(
      mockModelFleetApi({
        listActions: jest.fn(async () => ({ actions: [lowered] })),
      }),
    );
    const [row] = await screen.findAllByTestId('modelfleet-consolidation');
    expect(cells(row).slice(0, 4)).toEqual([
      'nca100 (demo-azure-eastus)',
      'minimum 1 → 0: 1 idle node goes',
      'none: its idle nodes go',
      'Donethe cluster autoscaler removes the idle nodes',
    ]);
  });

  it('says what the card is for when there is nothing to list', async () => {
    await render(mockModelFleetApi());
    expect(
      await screen.findByTestId('modelfleet-consolidations-empty'),
    ).toHaveTextContent(
      'No node consolidation has been asked for. Apply a consolidation recommendation above to cordon and drain the nodes it frees.',
    );
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('says when the consolidations cannot be read', async () => {
    await render(
      mockModelFleetApi({
        listActions: jest.fn(async () => {
          throw await responseError(503, 'ServiceUnavailableError', 'no db');
        }),
      }),
    );
    expect(
      await screen.findByText('Could not read the node consolidations: no db'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByTestId('progress')).not.toBeInTheDocument(),
    );
  });
});
