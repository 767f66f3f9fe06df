import { Page } from '@playwright/test';
import { expect, signInAsGuest, test } from './fixtures';

/*
 * A member of one team (ana.silva, search-team) in the portal: another
 * team's model shows neither its costs nor a way to act on it, while her
 * own team's model shows both. She signs in through the
 * `modelfleet-test-user` provider, which the e2e run configures (the page's
 * guest sign-in is routed to it), and ModelFleet's permission policy
 * decides what she sees.
 */

const THEIRS = { name: 'whisper-large-v3', team: 'speech-team' };
const OWN = { name: 'search-reranker', team: 'search-team' };

async function signInAsTeamMember(page: Page) {
  await page.route('**/api/auth/guest/refresh**', route =>
    route.continue({
      url: route
        .request()
        .url()
        .replace('/api/auth/guest/', '/api/auth/modelfleet-test-user/'),
    }),
  );
  await signInAsGuest(page);
}

async function tokenOf(page: Page, provider: string): Promise<string> {
  const res = await page.request.get(`/api/auth/${provider}/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(res.status()).toBe(200);
  return (await res.json()).backstageIdentity.token;
}

test('a member of another team sees neither its costs nor its actions', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  // The platform team (the guest) asks to scale speech-team's model; that
  // team's policy is a dry run, so the action waits for approval.
  const platform = await browser.newPage();
  await signInAsGuest(platform);
  const admin = { Authorization: `Bearer ${await tokenOf(platform, 'guest')}` };
  const caps = await platform.request.get(
    `/api/modelfleet/models/default/${THEIRS.name}/capabilities`,
    { headers: admin },
  );
  expect(caps.status()).toBe(200);
  const desired = (await caps.json()).replicas?.desired ?? 1;
  const planned = await platform.request.post(
    `/api/modelfleet/models/default/${THEIRS.name}/scale`,
    { headers: admin, data: { replicas: desired === 1 ? 2 : 1 } },
  );
  expect(planned.status()).toBe(201);
  const action = await planned.json();
  expect(action.state).toBe('planned');

  try {
    await signInAsTeamMember(page);
    const member = {
      Authorization: `Bearer ${await tokenOf(page, 'modelfleet-test-user')}`,
    };
    // The backend says the same as the page: not hers.
    const refused = await page.request.post(
      `/api/modelfleet/actions/${action.id}/approve`,
      { headers: member },
    );
    expect(refused.status()).toBe(403);

    await page.goto(`/catalog/default/model/${THEIRS.name}`);
    const costs = page.getByTestId('modelfleet-costs-not-allowed').first();
    await expect(costs).toBeVisible({ timeout: 30_000 });
    await expect(costs).toContainText(THEIRS.team);
    const notYours = page.getByTestId('modelfleet-actions-not-allowed');
    await expect(notYours).toBeVisible({ timeout: 30_000 });
    await expect(notYours).toContainText(THEIRS.team);
    for (const name of [
      'Approve',
      'Cancel',
      'Hibernate now',
      'Wake now',
      'Scale',
    ]) {
      await expect(page.getByRole('button', { name })).toHaveCount(0);
    }
    await page.screenshot({
      path: 'test-results/other-team-model.png',
      fullPage: true,
    });

    // Her own team's model: costs and actions.
    await page.goto(`/catalog/default/model/${OWN.name}`);
    const card = page.getByTestId('modelfleet-activity-card');
    await expect(card).toBeVisible({ timeout: 30_000 });
    await expect(card.getByRole('button', { name: 'Scale' })).toBeVisible({
      timeout: 30_000,
    });
    await expect(page.getByTestId('modelfleet-costs-not-allowed')).toHaveCount(
      0,
    );
    await expect(
      page.getByTestId('modelfleet-actions-not-allowed'),
    ).toHaveCount(0);
  } finally {
    const cancelled = await platform.request.post(
      `/api/modelfleet/actions/${action.id}/cancel`,
      { headers: admin },
    );
    expect(cancelled.status()).toBe(200);
    await platform.close();
  }
});
