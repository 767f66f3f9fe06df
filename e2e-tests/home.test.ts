import { Page } from '@playwright/test';
import { expect, guestToken, signInAsGuest, test } from './fixtures';

/*
 * The portal as a product: the ModelFleet home page (the user's teams'
 * cost this month against budget, idle waste, anomalies, actions and
 * Deploy a model), page titles that name the page, the catalog at
 * /catalog, and search that finds a model.
 */

const MODEL = { name: 'search-reranker', title: 'Search reranker' };

/**
 * A document title, after the unread count the notifications plugin may
 * put in front of it.
 */
const titled = (title: string) =>
  new RegExp(`^(\\(\\d+\\) )?${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

const usd = (value: number) =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(value);

/** The month so far, as the home page asks for it (UTC days). */
function monthToDate(): { from: string; to: string } {
  const now = new Date();
  const tomorrow = new Date(now.getTime() + 86_400_000);
  return {
    from: `${now.toISOString().slice(0, 7)}-01`,
    to: tomorrow.toISOString().slice(0, 10),
  };
}

/** A team's month-to-date spend, as the API reports its budget. */
async function teamSpent(page: Page, token: string, team: string) {
  const { from, to } = monthToDate();
  const res = await page.request.get(
    `/api/modelfleet/cost/entity/group/default/${team}?from=${from}&to=${to}&granularity=month`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  expect(res.status()).toBe(200);
  return (await res.json()).budget.monthToDateUsd as number;
}

test('the home page shows the teams’ cost against budget, idle waste, anomalies, actions and Deploy a model', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signInAsGuest(page);
  await expect(page).toHaveURL(/\/$/);
  await expect(page).toHaveTitle(titled('Home · ModelFleet'));
  await expect(page.getByRole('heading', { name: 'ModelFleet' })).toBeVisible();

  // The sidebar carries ModelFleet's name, not Backstage's.
  await expect(
    page.getByRole('link', { name: 'ModelFleet home' }),
  ).toBeVisible();

  // The guest is in the platform team: every team with a cost is listed,
  // each with the month's spend the API reports, against its budget.
  const token = await guestToken(page);
  const searchTeam = page
    .getByTestId('home-team-row')
    .filter({ hasText: 'Search team' });
  await expect(async () => {
    await page.reload();
    await expect(searchTeam.getByTestId('home-team-spent')).toHaveText(
      usd(await teamSpent(page, token, 'search-team')),
      { timeout: 10_000 },
    );
  }).toPass({ timeout: 180_000, intervals: [2_000, 5_000] });
  await expect(searchTeam).toContainText('$12,000.00');
  await expect(page.getByTestId('home-month-spent')).toHaveText(
    /^\$[\d,]+\.\d\d$/,
  );
  await expect(page.getByTestId('home-idle-model').first()).toBeVisible();
  await expect(page.getByTestId('home-anomalies')).toBeVisible();
  // The loops' and people's actions, or, on a portal none has acted on
  // yet, what will show there.
  await expect(page.getByTestId('home-actions')).toContainText(
    /Asked by|No actions on your teams/,
  );

  // No stock Backstage home: no joke, no links to backstage.io.
  await expect(page.getByText('Random Joke')).toHaveCount(0);
  await expect(page.locator('a[href*="backstage.io"]')).toHaveCount(0);

  // The page scrolls inside the app's layout: a tall window shows it all.
  await page.setViewportSize({ width: 1440, height: 1800 });
  await page.screenshot({ path: test.info().outputPath('home.png') });
  await page.setViewportSize({ width: 1440, height: 900 });

  const deploy = page.getByRole('button', { name: 'Deploy a model' });
  await expect(deploy).toBeVisible();
  await deploy.click();
  await expect(page).toHaveURL(/\/create\/templates\/default\/deploy-model$/);
});

test('a member of one team sees that team on the home page, as theirs', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // ana.silva (search-team), through the e2e run's test-user provider.
  await page.route('**/api/auth/guest/refresh**', route =>
    route.continue({
      url: route
        .request()
        .url()
        .replace('/api/auth/guest/', '/api/auth/modelfleet-test-user/'),
    }),
  );
  await signInAsGuest(page);
  const rows = page.getByTestId('home-team-row');
  await expect(async () => {
    await page.reload();
    await expect(rows).toHaveCount(1, { timeout: 10_000 });
  }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });
  await expect(rows.first()).toContainText('Search team (yours)');
  await expect(page.getByText(/every team's cost/)).toHaveCount(0);
});

test('pages are titled by what they show, the catalog answers at /catalog and search finds a model', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signInAsGuest(page);

  // A Model page names the model and its kind.
  await page.goto(`/catalog/default/model/${MODEL.name}`);
  await expect(
    page.getByRole('heading', { name: MODEL.title }).first(),
  ).toBeVisible();
  await expect(page).toHaveTitle(titled(`${MODEL.title} · Model`));

  // The catalog's index is at /catalog and lists entities.
  await page.goto('/catalog');
  await expect(page).toHaveTitle(titled('Catalog · ModelFleet'));
  await expect(
    page.getByRole('table').getByRole('link', { name: 'ModelFleet' }),
  ).toBeVisible();

  // The catalog is indexed within a minute or two of start (the API is
  // asked first, so that the page does not meet an index still building).
  const token = await guestToken(page);
  await expect(async () => {
    const res = await page.request.get(
      `/api/search/query?term=${encodeURIComponent(MODEL.name)}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    expect(res.status()).toBe(200);
    const locations = (await res.json()).results.map(
      (r: { document: { location: string } }) => r.document.location,
    );
    expect(locations).toContain(`/catalog/default/model/${MODEL.name}`);
  }).toPass({ timeout: 150_000, intervals: [2_000, 5_000] });

  await page.goto(`/search?query=${encodeURIComponent(MODEL.name)}`);
  await expect(page).toHaveTitle(titled('Search · ModelFleet'));
  const result = page.getByRole('link', { name: MODEL.title }).first();
  await expect(result).toBeVisible();
  await expect(result).toHaveAttribute(
    'href',
    `/catalog/default/model/${MODEL.name}`,
  );
  await page.screenshot({
    path: test.info().outputPath('search.png'),
    fullPage: true,
  });
  await result.click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/model/${MODEL.name}$`),
  );
  await expect(page).toHaveTitle(titled(`${MODEL.title} · Model`));
});
