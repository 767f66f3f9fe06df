import { expect, signInAsGuest, test } from './fixtures';

const usd = (n: number) =>
  n.toLocaleString('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });

test("a team lead's Group page shows the showback card, and its total is the API's", async ({
  page,
}) => {
  test.setTimeout(330_000);
  await signInAsGuest(page);
  // The guest's own token, as the app uses it.
  const refresh = await page.request.get('/api/auth/guest/refresh', {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(refresh.ok()).toBe(true);
  const token = (await refresh.json()).backstageIdentity.token as string;
  const teamCost = async () => {
    const res = await page.request.get(
      '/api/modelfleet/cost/entity/group/default/search-team',
      { headers: { Authorization: `Bearer ${token}` } },
    );
    expect(res.status()).toBe(200);
    return res.json();
  };

  // The showback loop fills in the demo fleet's past shortly after start.
  await expect(async () => {
    expect((await teamCost()).total.costUsd).toBeGreaterThan(0);
  }).toPass({ timeout: 240_000, intervals: [5_000] });

  // A roll-up may land between the two reads: compare a matching pair.
  await expect(async () => {
    const report = await teamCost();
    await page.goto('/catalog/default/group/search-team');
    const total = page.getByTestId('team-showback-total');
    await expect(total).toHaveText(usd(report.total.costUsd), {
      timeout: 15_000,
    });
    // Every model the API counts is listed on the card.
    for (const m of report.breakdown.models) {
      const name = (m.entityRef as string).split('/')[1];
      await expect(
        page
          .getByRole('link', { name: new RegExp(name.replace(/-/g, '.'), 'i') })
          .first(),
      ).toBeVisible();
    }
  }).toPass({ timeout: 60_000 });

  await page.getByTestId('team-showback-total').scrollIntoViewIfNeeded();
  await page.screenshot({
    path: test.info().outputPath('group-showback.png'),
    fullPage: true,
  });
});
