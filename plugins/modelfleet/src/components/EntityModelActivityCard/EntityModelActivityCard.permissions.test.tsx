import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis } from '@backstage/test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  modelfleetModelHibernatePermission,
  modelfleetRecommendationApplyPermission,
} from '@modelfleet/plugin-modelfleet-common';
import {
  modelAction,
  modelCapabilities,
} from '../../__testUtils__/actionFixtures';
import { NO_POLLS, renderActivityCard } from '../../__testUtils__/activityCard';
import { mockModelFleetApi, responseError } from '../../__testUtils__/fixtures';
import { allowOnly, Authorize } from '../../__testUtils__/permissions';

const MODEL_REF = 'model:search/llama-3-1-8b-chat';
const BUTTONS = /^(Scale|Hibernate now|Wake now|Approve|Cancel)\b/;

/** A planned dry-run action: Approve and Cancel are offered on it. */
const planned = modelAction({ dryRun: true });

const render = (
  api: ReturnType<typeof mockModelFleetApi>,
  authorize: Authorize,
) => renderActivityCard(api, NO_POLLS, { authorize });

const line = () => screen.getByTestId('modelfleet-actions-not-allowed');

describe('EntityModelActivityCard permissions', () => {
  it('asks usePermission about the model for each kind of action', async () => {
    const authorize = jest.fn(
      (): AuthorizeResult.ALLOW => AuthorizeResult.ALLOW,
    );
    await render(
      mockModelFleetApi({
        listActions: jest.fn(async () => ({ actions: [planned] })),
      }),
      authorize,
    );
    await screen.findByRole('button', { name: 'Hibernate now' });
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: modelfleetModelHibernatePermission,
        resourceRef: MODEL_REF,
      }),
    );
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: modelfleetRecommendationApplyPermission,
        resourceRef: MODEL_REF,
      }),
    );
  });

  it('offers every button to a member of the owning team', async () => {
    await render(
      mockModelFleetApi({
        listActions: jest.fn(async () => ({ actions: [planned] })),
      }),
      AuthorizeResult.ALLOW,
    );
    const approve = await screen.findByRole('button', {
      name: 'Approve Scale to 3 replicas',
    });
    expect(approve).toBeEnabled();
    expect(
      screen.getByRole('button', { name: 'Cancel Scale to 3 replicas' }),
    ).toBeEnabled();
    for (const name of ['Scale', 'Hibernate now', 'Wake now']) {
      expect(screen.getByRole('button', { name })).toBeEnabled();
    }
    expect(
      screen.queryByTestId('modelfleet-actions-not-allowed'),
    ).not.toBeInTheDocument();
  });

  it('shows no button to someone outside the team, and says once who may act', async () => {
    const api = mockModelFleetApi({
      listActions: jest.fn(async () => ({ actions: [planned] })),
    });
    await render(api, AuthorizeResult.DENY);
    expect(
      await screen.findByText('Replicas now: 2 desired, 1 ready'),
    ).toBeInTheDocument();
    expect(line()).toHaveTextContent(
      'Only members of search-team and the platform team can scale, hibernate or approve actions on this model.',
    );
    expect(
      screen.getAllByTestId('modelfleet-actions-not-allowed'),
    ).toHaveLength(1);
    // Where the model runs is still shown; nothing to click is.
    expect(
      screen.getByText(/^Runs as Deployment search\//),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: BUTTONS }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByTestId('modelfleet-hibernate-reason'),
    ).not.toBeInTheDocument();
    // Listing the actions needs the same permission as deciding on them.
    expect(api.listActions).not.toHaveBeenCalled();
    expect(
      screen.queryByRole('heading', { name: 'Actions' }),
    ).not.toBeInTheDocument();
  });

  it('shows the model buttons but not the actions to someone who may act but not approve', async () => {
    const api = mockModelFleetApi({
      listActions: jest.fn(async () => ({ actions: [planned] })),
    });
    await render(api, allowOnly(modelfleetModelHibernatePermission.name));
    expect(
      await screen.findByRole('button', { name: 'Hibernate now' }),
    ).toBeEnabled();
    expect(line()).toHaveTextContent(
      'Only members of search-team and the platform team can see, approve or cancel actions on this model.',
    );
    expect(
      screen.queryByRole('button', { name: /^(Approve|Cancel) / }),
    ).not.toBeInTheDocument();
    expect(api.listActions).not.toHaveBeenCalled();
  });

  it('shows Approve and Cancel but not the model buttons to someone who may only approve', async () => {
    await render(
      mockModelFleetApi({
        listActions: jest.fn(async () => ({ actions: [planned] })),
      }),
      allowOnly(modelfleetRecommendationApplyPermission.name),
    );
    expect(
      await screen.findByRole('button', {
        name: 'Approve Scale to 3 replicas',
      }),
    ).toBeEnabled();
    expect(line()).toHaveTextContent(
      'Only members of search-team and the platform team can scale, hibernate or wake this model.',
    );
    for (const name of ['Scale', 'Hibernate now', 'Wake now']) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
  });

  it('keeps the backend reasons for someone who may act', async () => {
    await render(
      mockModelFleetApi({
        getModelCapabilities: jest.fn(async () =>
          modelCapabilities({
            wake: { allowed: false, reason: 'The model is awake' },
          }),
        ),
      }),
      AuthorizeResult.ALLOW,
    );
    expect(
      await screen.findByRole('button', { name: 'Wake now' }),
    ).toBeDisabled();
    expect(screen.getByTestId('modelfleet-wake-reason')).toHaveTextContent(
      'Wake now: The model is awake',
    );
  });

  it('renders no enabled button while the permission answer is pending', async () => {
    const api = mockModelFleetApi();
    await renderActivityCard(api, NO_POLLS, {
      permissionApi: mockApis.permission.mock({
        authorize: () => new Promise<never>(() => {}),
      }),
    });
    const card = await screen.findByTestId('modelfleet-activity-card');
    await act(() => new Promise<void>(resolve => setTimeout(resolve, 100)));
    expect(within(card).queryByRole('button')).not.toBeInTheDocument();
    expect(within(card).getByTestId('progress')).toBeInTheDocument();
    expect(api.getModelCapabilities).not.toHaveBeenCalled();
  });

  it('hides the buttons and says why when the permissions cannot be asked', async () => {
    await renderActivityCard(mockModelFleetApi(), NO_POLLS, {
      permissionApi: mockApis.permission.mock({
        authorize: () => Promise.reject(new Error('permission backend down')),
      }),
    });
    expect(
      await screen.findByText(
        'Could not ask whether you may act on this model, so its buttons are hidden: permission backend down',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: BUTTONS }),
    ).not.toBeInTheDocument();
  });

  it('hides the buttons and says who may act when the backend answers 403 after all', async () => {
    const error = await responseError(
      403,
      'NotAllowedError',
      `modelfleet.model.hibernate is not allowed on ${MODEL_REF}`,
    );
    await render(
      mockModelFleetApi({
        requestModelAction: jest.fn(() => Promise.reject(error)),
      }),
      AuthorizeResult.ALLOW,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Hibernate now' }),
    );
    await waitFor(() =>
      expect(line()).toHaveTextContent(
        'Only members of search-team and the platform team can scale, hibernate or wake this model.',
      ),
    );
    expect(
      screen.queryByRole('button', { name: 'Hibernate now' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByText(/Could not hibernate/)).not.toBeInTheDocument();
  });
});
