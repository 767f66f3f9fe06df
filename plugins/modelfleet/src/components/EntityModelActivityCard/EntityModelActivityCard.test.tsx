import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  modelAction,
  modelCapabilities,
} from '../../__testUtils__/actionFixtures';
import {
  activityModelRef as ref,
  renderActivityCard as render,
} from '../../__testUtils__/activityCard';
import { mockModelFleetApi, responseError } from '../../__testUtils__/fixtures';

const button = (name: string) => screen.getByRole('button', { name });
const wait = (ms: number) =>
  act(() => new Promise<void>(resolve => setTimeout(resolve, ms)));

describe('EntityModelActivityCard', () => {
  describe('the replicas and the buttons', () => {
    it('shows the replicas now, where the model runs and the buttons it may use', async () => {
      const api = mockModelFleetApi();
      await render(api);
      expect(
        await screen.findByText('Replicas now: 2 desired, 1 ready'),
      ).toBeInTheDocument();
      expect(
        screen.getByText(
          'Runs as Deployment search/llama-3-1-8b-chat on cluster demo-aws-use1, scaled by KEDA ScaledObject llama-3-1-8b-chat',
        ),
      ).toBeInTheDocument();
      for (const name of ['Scale', 'Hibernate now', 'Wake now']) {
        expect(button(name)).toBeEnabled();
      }
      expect(
        screen.queryByTestId('modelfleet-dry-run'),
      ).not.toBeInTheDocument();
      expect(
        screen.getByText(/Nobody has scaled, hibernated or woken this model/),
      ).toBeInTheDocument();
      expect(api.getModelCapabilities).toHaveBeenCalledWith(ref);
      expect(api.listActions).toHaveBeenCalledWith({
        entityRef: 'model:search/llama-3-1-8b-chat',
      });
      expect(screen.queryByText('Demo cluster')).not.toBeInTheDocument();
    });

    it('disables a button the caller may not use and says why', async () => {
      const reason =
        'You may not hibernate models (permission modelfleet.model.hibernate)';
      await render(
        mockModelFleetApi({
          getModelCapabilities: jest.fn(async () =>
            modelCapabilities({
              replicas: undefined,
              hibernate: { allowed: false, reason },
              wake: { allowed: false, reason: 'The model is awake' },
            }),
          ),
        }),
      );
      expect(
        await screen.findByText('Replicas now: not reported by the cluster'),
      ).toBeInTheDocument();
      expect(button('Scale')).toBeEnabled();
      expect(button('Hibernate now')).toBeDisabled();
      expect(button('Wake now')).toBeDisabled();
      expect(
        screen.getByTestId('modelfleet-hibernate-reason'),
      ).toHaveTextContent(`Hibernate now: ${reason}`);
      expect(screen.getByTestId('modelfleet-wake-reason')).toHaveTextContent(
        'Wake now: The model is awake',
      );
      // The reason is the disabled button's tooltip too.
      await userEvent.hover(button('Hibernate now').parentElement!);
      expect(await screen.findByRole('tooltip')).toHaveTextContent(reason);
    });

    it('says that actions stop at planned under a dry-run policy', async () => {
      await render(
        mockModelFleetApi({
          getModelCapabilities: jest.fn(async () =>
            modelCapabilities({ dryRun: true }),
          ),
        }),
      );
      expect(await screen.findByTestId('modelfleet-dry-run')).toHaveTextContent(
        /every action stops at planned and runs only once someone allowed to approve it does/,
      );
    });

    it('hibernates the model and shows the new action', async () => {
      const api = mockModelFleetApi({
        requestModelAction: jest.fn(async () =>
          modelAction({ kind: 'hibernate' }),
        ),
      });
      await render(api);
      await screen.findByRole('button', { name: 'Hibernate now' });
      api.listActions.mockResolvedValue({
        actions: [modelAction({ id: 'h1', kind: 'hibernate', reason: '' })],
      });
      await userEvent.click(button('Hibernate now'));
      expect(await screen.findByText('Hibernate')).toBeInTheDocument();
      expect(api.requestModelAction).toHaveBeenCalledWith({
        ...ref,
        action: 'hibernate',
      });
      // Once on load, once after the post.
      expect(api.listActions).toHaveBeenCalledTimes(2);
    });

    it('wakes the model', async () => {
      const api = mockModelFleetApi({
        requestModelAction: jest.fn(async () => modelAction({ kind: 'wake' })),
      });
      await render(api);
      await userEvent.click(
        await screen.findByRole('button', { name: 'Wake now' }),
      );
      await waitFor(() =>
        expect(api.requestModelAction).toHaveBeenCalledWith({
          ...ref,
          action: 'wake',
        }),
      );
    });

    it('offers Sleep now for a model of the sleep idle tier only, and puts its engine to sleep', async () => {
      const api = mockModelFleetApi({
        getModelCapabilities: jest.fn(async () =>
          modelCapabilities({ sleep: { allowed: true } }),
        ),
        requestModelAction: jest.fn(async () => modelAction({ kind: 'sleep' })),
      });
      await render(api);
      await userEvent.click(
        await screen.findByRole('button', { name: 'Sleep now' }),
      );
      await waitFor(() =>
        expect(api.requestModelAction).toHaveBeenCalledWith({
          ...ref,
          action: 'sleep',
        }),
      );
    });

    it('offers no Sleep now to a model deployed without the sleep tier', async () => {
      await render(mockModelFleetApi());
      await screen.findByRole('button', { name: 'Wake now' });
      expect(
        screen.queryByRole('button', { name: 'Sleep now' }),
      ).not.toBeInTheDocument();
    });

    it('says why a request was refused', async () => {
      const error = await responseError(
        409,
        'ConflictError',
        'modelfleet.model.hibernate is denied',
      );
      await render(
        mockModelFleetApi({
          requestModelAction: jest.fn(() => Promise.reject(error)),
        }),
      );
      await userEvent.click(
        await screen.findByRole('button', { name: 'Hibernate now' }),
      );
      expect(
        await screen.findByText(
          'Could not hibernate the model: modelfleet.model.hibernate is denied',
        ),
      ).toBeInTheDocument();
      expect(button('Hibernate now')).toBeEnabled();
    });
  });

  describe('the Scale dialog', () => {
    it('checks the replicas, then posts them with the reason', async () => {
      const api = mockModelFleetApi({
        requestModelAction: jest.fn(async () => modelAction()),
      });
      await render(api);
      await userEvent.click(
        await screen.findByRole('button', { name: 'Scale' }),
      );
      const dialog = await screen.findByRole('dialog', {
        name: 'Scale llama-3-1-8b-chat',
      });
      const replicas = within(dialog).getByLabelText(/Replicas/);
      expect(replicas).toHaveValue(2);
      expect(
        within(dialog).getByText('The model is set to 2 replicas now.', {
          exact: false,
        }),
      ).toBeInTheDocument();

      for (const bad of ['65', '1.5', '-1']) {
        await userEvent.clear(replicas);
        await userEvent.type(replicas, bad);
        expect(
          within(dialog).getByText(
            'Replicas must be a whole number from 0 to 64',
          ),
        ).toBeInTheDocument();
        expect(
          within(dialog).getByRole('button', { name: 'Scale' }),
        ).toBeDisabled();
      }
      await userEvent.clear(replicas);
      expect(
        within(dialog).getByText(
          'Replicas must be a whole number from 0 to 64',
        ),
      ).toBeInTheDocument();
      expect(api.requestModelAction).not.toHaveBeenCalled();

      await userEvent.type(replicas, '3');
      expect(within(dialog).getByText('0 to 64')).toBeInTheDocument();
      await userEvent.type(
        within(dialog).getByLabelText('Reason (optional)'),
        'launch traffic',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Scale' }),
      );

      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      expect(api.requestModelAction).toHaveBeenCalledWith({
        ...ref,
        action: 'scale',
        replicas: 3,
        reason: 'launch traffic',
      });
      expect(api.listActions).toHaveBeenCalledTimes(2);
    });

    it('keeps the dialog open with the backend message when the request is refused', async () => {
      const error = await responseError(
        400,
        'InputError',
        'replicas: the pool has room for 2 more replicas at most',
      );
      const api = mockModelFleetApi({
        requestModelAction: jest.fn(() => Promise.reject(error)),
      });
      await render(api);
      await userEvent.click(
        await screen.findByRole('button', { name: 'Scale' }),
      );
      const dialog = await screen.findByRole('dialog');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Scale' }),
      );
      expect(await within(dialog).findByRole('alert')).toHaveTextContent(
        'Could not scale: replicas: the pool has room for 2 more replicas at most',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Close' }),
      );
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
    });
  });

  describe('live updates', () => {
    it('polls fast while an action runs and slowly once all are final', async () => {
      const running = modelAction({ state: 'applying', stepIndex: 0 });
      const api = mockModelFleetApi({
        listActions: jest
          .fn()
          .mockResolvedValueOnce({ actions: [running] })
          .mockResolvedValueOnce({ actions: [{ ...running, stepIndex: 2 }] })
          .mockResolvedValue({ actions: [{ ...running, state: 'done' }] }),
      });
      // A 10-minute wait once every action is final: no further read here.
      await render(api, { activeMs: 30, idleMs: 600_000 });
      expect(await screen.findByText('Done')).toBeInTheDocument();
      expect(api.listActions).toHaveBeenCalledTimes(3);
      await wait(300);
      expect(api.listActions).toHaveBeenCalledTimes(3);
      // The replicas are read again with the actions.
      expect(api.getModelCapabilities).toHaveBeenCalledTimes(3);
    });

    it('stops polling once unmounted', async () => {
      const api = mockModelFleetApi({
        listActions: jest.fn(async () => ({
          actions: [modelAction({ state: 'verifying', stepIndex: 2 })],
        })),
      });
      const { unmount } = await render(api, { activeMs: 30, idleMs: 30 });
      await waitFor(() =>
        expect(api.listActions.mock.calls.length).toBeGreaterThan(2),
      );
      unmount();
      const calls = api.listActions.mock.calls.length;
      await wait(300);
      expect(api.listActions).toHaveBeenCalledTimes(calls);
    });
  });
});
