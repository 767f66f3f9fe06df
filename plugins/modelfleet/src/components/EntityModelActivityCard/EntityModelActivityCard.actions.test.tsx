import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  minutesAgo,
  modelAction,
  modelCapabilities,
} from '../../__testUtils__/actionFixtures';
import { renderActivityCard as render } from '../../__testUtils__/activityCard';
import { mockModelFleetApi, responseError } from '../../__testUtils__/fixtures';

const button = (name: string) => screen.getByRole('button', { name });

describe('EntityModelActivityCard', () => {
  describe('the actions', () => {
    const planned = modelAction({
      dryRun: true,
      diff: [
        {
          step: 1,
          cluster: 'demo-aws-use1',
          kind: 'Deployment',
          namespace: 'search',
          name: 'llama-3-1-8b-chat',
          changes: [{ path: 'spec.replicas', before: 2, after: 3 }],
        },
        {
          step: 0,
          cluster: 'demo-aws-use1',
          kind: 'ScaledObject',
          namespace: 'search',
          name: 'llama-3-1-8b-chat',
          changes: [
            {
              path: 'metadata.annotations.autoscaling\\.keda\\.sh/paused-replicas',
              before: null,
              after: '3',
            },
          ],
        },
      ],
    });

    it("folds the hibernation policy's run of keep-alive changes into its newest", async () => {
      const autoscaler = {
        cluster: 'demo-aws-use1',
        namespace: 'search',
        kind: 'ScaledObject' as const,
        name: 'llama-3-1-8b-chat',
      };
      const keepAlive = (id: string, seconds: number, minutes: number) =>
        modelAction({
          id,
          kind: 'keepAlive',
          state: 'done',
          stepIndex: 0,
          requestedBy: 'policy:hibernation',
          reason: `keep warm ${seconds} s after the last request`,
          createdAt: minutesAgo(minutes),
          steps: [
            {
              description: `Set the keep-alive to ${seconds} s`,
              do: { op: 'setKeepAlive', autoscaler, seconds },
              undo: { op: 'setKeepAlive', autoscaler, seconds: 300 },
            },
          ],
        });
      await render(
        mockModelFleetApi({
          listActions: jest.fn(async () => ({
            actions: [
              keepAlive('k3', 127, 1),
              keepAlive('k2', 64, 5),
              keepAlive('k1', 379, 9),
              modelAction({
                id: 'h',
                kind: 'hibernate',
                state: 'done',
                requestedBy: 'user:default/jane',
                createdAt: minutesAgo(30),
              }),
            ],
          })),
        }),
      );
      const rows = await screen.findAllByTestId('modelfleet-action');
      expect(rows).toHaveLength(2);
      expect(rows[0]).toHaveTextContent('Set keep-alive to 127 s');
      expect(rows[1]).toHaveTextContent('Hibernate');
      await userEvent.click(
        within(rows[0]).getByRole('button', {
          name: 'Show 2 earlier keep-alive changes',
        }),
      );
      const earlier = within(rows[0]).getByTestId('modelfleet-action-earlier');
      expect(earlier).toHaveTextContent('Set keep-alive to 64 s');
      expect(earlier).toHaveTextContent('Set keep-alive to 379 s');
    });

    it('lists each action with its state, who asked, why and when', async () => {
      await render(
        mockModelFleetApi({
          listActions: jest.fn(async () => ({
            actions: [
              planned,
              modelAction({
                id: 'a0',
                kind: 'hibernate',
                state: 'done',
                stepIndex: 0,
                requestedBy: 'policy:hibernation',
                reason: 'idle for 2 h',
                createdAt: minutesAgo(180),
              }),
            ],
          })),
        }),
      );
      const [first, second] = await screen.findAllByTestId('modelfleet-action');
      expect(
        within(first).getByText('Scale to 3 replicas'),
      ).toBeInTheDocument();
      expect(
        within(first).getByTestId('modelfleet-action-state'),
      ).toHaveTextContent('Planned, needs approval');
      expect(first).toHaveTextContent(
        'Asked by jane 2 min ago: launch traffic',
      );
      expect(within(first).getByTitle('user:default/jane')).toBeInTheDocument();
      expect(within(first).getByText('2 min ago')).toHaveAttribute(
        'title',
        expect.stringMatching(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC$/),
      );
      expect(within(second).getByText('Hibernate')).toBeInTheDocument();
      expect(
        within(second).getByTestId('modelfleet-action-state'),
      ).toHaveTextContent('Done');
      expect(second).toHaveTextContent(
        'Asked by the hibernation policy 3 h ago: idle for 2 h',
      );
      expect(
        within(second).queryByRole('button', { name: /Approve|Cancel/ }),
      ).not.toBeInTheDocument();
    });

    it('approves and cancels a planned action', async () => {
      const api = mockModelFleetApi({
        listActions: jest.fn(async () => ({ actions: [planned] })),
        approveAction: jest.fn(async () => ({ ...planned, dryRun: false })),
        cancelAction: jest.fn(async () => ({
          ...planned,
          state: 'cancelled' as const,
        })),
      });
      await render(api);
      await userEvent.click(
        await screen.findByRole('button', {
          name: 'Approve Scale to 3 replicas',
        }),
      );
      await waitFor(() => expect(api.approveAction).toHaveBeenCalledWith('a1'));
      await waitFor(() => expect(api.listActions).toHaveBeenCalledTimes(2));

      api.listActions.mockResolvedValue({
        actions: [{ ...planned, state: 'cancelled' }],
      });
      await userEvent.click(
        screen.getByRole('button', { name: 'Cancel Scale to 3 replicas' }),
      );
      expect(await screen.findByText('Cancelled')).toBeInTheDocument();
      expect(api.cancelAction).toHaveBeenCalledWith('a1');
      expect(
        screen.queryByRole('button', { name: /^Approve/ }),
      ).not.toBeInTheDocument();
    });

    it('says why an action could not be approved', async () => {
      const error = await responseError(
        409,
        'ConflictError',
        "an action that is applying step 1 of 3 cannot take 'approve'",
      );
      await render(
        mockModelFleetApi({
          listActions: jest.fn(async () => ({ actions: [planned] })),
          approveAction: jest.fn(() => Promise.reject(error)),
        }),
      );
      await userEvent.click(
        await screen.findByRole('button', {
          name: 'Approve Scale to 3 replicas',
        }),
      );
      expect(
        await screen.findByText(
          'Could not approve "Scale to 3 replicas": an action that is applying step 1 of 3 cannot take \'approve\'',
        ),
      ).toBeInTheDocument();
    });

    it('offers no Approve or Cancel to someone who may not approve', async () => {
      await render(
        mockModelFleetApi({
          listActions: jest.fn(async () => ({ actions: [planned] })),
          getModelCapabilities: jest.fn(async () =>
            modelCapabilities({
              approve: {
                allowed: false,
                reason:
                  'You may not approve actions (permission modelfleet.recommendation.apply)',
              },
            }),
          ),
        }),
      );
      expect(
        await screen.findByText(
          'Waiting for approval (you cannot approve: You may not approve actions (permission modelfleet.recommendation.apply))',
        ),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: /^(Approve|Cancel) / }),
      ).not.toBeInTheDocument();
    });

    it('shows the steps, the planned changes and the events of a planned action', async () => {
      await render(
        mockModelFleetApi({
          listActions: jest.fn(async () => ({ actions: [planned] })),
        }),
      );
      await userEvent.click(
        await screen.findByRole('button', {
          name: 'Show details of Scale to 3 replicas',
        }),
      );
      const details = await screen.findByTestId('modelfleet-action-details');
      const steps = within(details).getAllByTestId('modelfleet-action-step');
      expect(steps.map(s => s.textContent)).toEqual([
        'Pause the autoscaler at 3 replicaspending',
        'Scale Deployment search/llama-3-1-8b-chat to 3 replicaspending',
        'Wait until 3 replicas are readypending',
      ]);
      const changes = within(details).getAllByTestId(
        'modelfleet-action-change',
      );
      expect(changes.map(c => c.textContent)).toEqual([
        'Deployment search/llama-3-1-8b-chatstep 2, cluster demo-aws-use1spec.replicas2 → 3',
        'ScaledObject search/llama-3-1-8b-chatstep 1, cluster demo-aws-use1metadata.annotations.autoscaling\\.keda\\.sh/paused-replicas(not set) → 3',
      ]);
      const [event] = within(details).getAllByTestId('modelfleet-action-event');
      expect(event).toHaveTextContent(
        '2 min agorequested → plannedjaneplanned',
      );
      await userEvent.click(
        screen.getByRole('button', {
          name: 'Hide details of Scale to 3 replicas',
        }),
      );
      await waitFor(() =>
        expect(
          screen.queryByTestId('modelfleet-action-details'),
        ).not.toBeInTheDocument(),
      );
    });

    it('shows which step an action is applying, and its failures in red', async () => {
      await render(
        mockModelFleetApi({
          listActions: jest.fn(async () => ({
            actions: [
              modelAction({
                state: 'applying',
                stepIndex: 1,
                attempts: 1,
                lastError: 'the API server timed out',
                nextAttemptAt: new Date(Date.now() + 30_000).toISOString(),
                diff: planned.diff,
                events: [
                  {
                    at: minutesAgo(1),
                    from: 'applying',
                    to: 'applying',
                    step: 1,
                    actor: 'replica:r1',
                    outcome: 'retrying',
                    message:
                      'try 1 of 5 failed, retrying: the API server timed out',
                  },
                  {
                    at: minutesAgo(2),
                    from: 'planned',
                    to: 'applying',
                    step: 0,
                    actor: 'replica:r1',
                    outcome: 'info',
                    message: 'applying step 1 of 3',
                  },
                ],
              }),
            ],
          })),
        }),
      );
      expect(
        await screen.findByTestId('modelfleet-action-state'),
      ).toHaveTextContent('Applying step 2 of 3');
      await userEvent.click(
        screen.getByRole('button', {
          name: 'Show details of Scale to 3 replicas',
        }),
      );
      const details = await screen.findByTestId('modelfleet-action-details');
      expect(
        within(details)
          .getAllByTestId('modelfleet-action-step')
          .map(s => s.dataset.status),
      ).toEqual(['done', 'current', 'pending']);
      // The next try is 30 s after the fixture was made; rendering on a
      // busy machine takes some of those seconds.
      expect(details).toHaveTextContent(
        /Last error: the API server timed out \(try 1; next try in (30|[12]\d) s\)/,
      );
      // The diff is what a planned action would change: not shown once it runs.
      expect(
        within(details).queryByTestId('modelfleet-action-change'),
      ).not.toBeInTheDocument();
      // Events oldest first.
      const events = within(details).getAllByTestId('modelfleet-action-event');
      expect(events.map(e => e.dataset.outcome)).toEqual(['info', 'retrying']);
      expect(events[0]).toHaveTextContent(
        'planned → applyingModelFleet (replica r1)applying step 1 of 3',
      );
    });

    it('shows a rollback that failed, with the failed events in red', async () => {
      await render(
        mockModelFleetApi({
          listActions: jest.fn(async () => ({
            actions: [
              modelAction({
                state: 'failed',
                stepIndex: 0,
                lastError:
                  'pods not ready; rollback of step 1 failed: forbidden',
                events: [
                  {
                    at: minutesAgo(3),
                    from: 'applying',
                    to: 'rollingBack',
                    step: 1,
                    actor: 'replica:r1',
                    outcome: 'failed',
                    message: 'step 2 of 3 failed, rolling back: pods not ready',
                  },
                  {
                    at: minutesAgo(2),
                    from: 'rollingBack',
                    to: 'rollingBack',
                    step: 1,
                    actor: 'replica:r1',
                    outcome: 'succeeded',
                    message: 'step 2 of 3 undone',
                  },
                  {
                    at: minutesAgo(1),
                    from: 'rollingBack',
                    to: 'failed',
                    step: 0,
                    actor: 'replica:r1',
                    outcome: 'failed',
                    message:
                      'undo of step 1 failed, the action needs a person: forbidden',
                  },
                ],
              }),
            ],
          })),
        }),
      );
      expect(
        await screen.findByTestId('modelfleet-action-state'),
      ).toHaveTextContent('Failed');
      await userEvent.click(
        screen.getByRole('button', {
          name: 'Show details of Scale to 3 replicas',
        }),
      );
      const details = await screen.findByTestId('modelfleet-action-details');
      expect(details).toHaveTextContent(
        'The rollback failed, someone needs to look at the cluster: pods not ready; rollback of step 1 failed: forbidden',
      );
      expect(
        within(details)
          .getAllByTestId('modelfleet-action-step')
          .map(s => s.dataset.status),
      ).toEqual(['undoFailed', 'rolledBack', 'notRun']);
      const failed = within(details)
        .getAllByTestId('modelfleet-action-event')
        .filter(e => e.dataset.outcome === 'failed');
      expect(failed).toHaveLength(2);
      for (const row of failed) {
        for (const cell of within(row).getAllByRole('cell')) {
          expect(cell.className).toMatch(/failed/);
        }
      }
      expect(failed[1]).toHaveTextContent(
        'rolling back → failedModelFleet (replica r1)undo of step 1 failed, the action needs a person: forbidden',
      );
    });

    it('says who may see the actions when listing them answers 403, and keeps the buttons', async () => {
      const error = await responseError(
        403,
        'NotAllowedError',
        'modelfleet.recommendation.apply is not allowed on model:search/llama-3-1-8b-chat',
      );
      await render(
        mockModelFleetApi({
          listActions: jest.fn(() => Promise.reject(error)),
        }),
      );
      expect(
        await screen.findByTestId('modelfleet-actions-not-allowed'),
      ).toHaveTextContent(
        'Only members of search-team and the platform team can see, approve or cancel actions on this model.',
      );
      expect(screen.queryByText(/is not allowed on/)).not.toBeInTheDocument();
      expect(
        screen.queryByRole('heading', { name: 'Actions' }),
      ).not.toBeInTheDocument();
      expect(button('Hibernate now')).toBeEnabled();
    });

    it('shows any other error in a response error panel', async () => {
      const error = await responseError(500, 'Error', 'database is locked');
      await render(
        mockModelFleetApi({
          listActions: jest.fn(() => Promise.reject(error)),
        }),
      );
      expect(
        await screen.findByText(
          'Error: Request failed with 500 Internal Server Error',
        ),
      ).toBeInTheDocument();
    });

    it('labels a model on a demo cluster', async () => {
      await render(
        mockModelFleetApi({
          getClusters: jest.fn(async () => ({
            items: [
              {
                name: 'demo-aws-use1',
                provider: 'aws' as const,
                demo: true,
              },
            ],
          })) as any,
        }),
      );
      expect(await screen.findByText('Demo cluster')).toBeInTheDocument();
    });
  });
});
