import { Locator, Page } from '@playwright/test';
import { expect, guestToken, signInAsGuest, test } from './fixtures';

/** Cents of a dollar amount as the portal writes it, e.g. `-$1,234.56`. */
function cents(text: string): number {
  const match = /(-?)\$([\d,]+)\.(\d\d)/.exec(text);
  if (!match) throw new Error(`not a dollar amount: '${text}'`);
  const value = Number(match[2].replace(/,/g, '')) * 100 + Number(match[3]);
  return match[1] ? -value : value;
}

/**
 * The cells of a table row by column title; `name` is the entity name its
 * first cell links to (the link shows the entity's title).
 */
async function rowOf(table: Locator, row: Locator) {
  const titles = (await table.locator('thead th').allTextContents()).map(t =>
    t.trim(),
  );
  const cells = await row.locator('td').allTextContents();
  const href = (await row.locator('a').count())
    ? await row.locator('a').first().getAttribute('href')
    : null;
  const byTitle: Record<string, string> = {
    name: href ? href.slice(href.lastIndexOf('/') + 1) : cells[0].trim(),
  };
  titles.forEach((t, i) => {
    if (i > 0) byTitle[t] = cells[i]?.trim() ?? '';
  });
  return byTitle;
}

/** The row of an entity's link in a table, by the entity's kind and name. */
const entityRow = (table: Locator, kind: string, name: string) =>
  table
    .locator('tbody tr')
    .filter({ has: table.page().locator(`a[href$="/${kind}/${name}"]`) });

const UNALLOCATED = 'Unallocated capacity';
const UNUSED = 'Allocated but unused';

interface Figures {
  cost?: number;
  unallocated: number;
  unused: number;
}

/** The two idle figures of a row, in cents. */
async function rowFigures(table: Locator, row: Locator): Promise<Figures> {
  const cells = await rowOf(table, row);
  return {
    cost: cents(cells.Cost),
    unallocated: cents(cells[UNALLOCATED]),
    unused: cents(cells[UNUSED]),
  };
}

/** The two idle figures of a card, by their test id prefix, in cents. */
async function cardFigures(page: Page, prefix: string): Promise<Figures> {
  const unallocated = page.getByTestId(`${prefix}-unallocated`);
  await expect(unallocated).toBeVisible({ timeout: 30_000 });
  return {
    unallocated: cents(await unallocated.innerText()),
    unused: cents(await page.getByTestId(`${prefix}-unused`).innerText()),
  };
}

const nameOf = (ref: string) => ref.slice(ref.indexOf('/') + 1);

test('the same idea of idle shows the same figure on the Model, Group, GpuPool and Fleet views, and team rows plus Unallocated equal the fleet total', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await signInAsGuest(page);
  const headers = { Authorization: `Bearer ${await guestToken(page)}` };
  const get = async (url: string) => {
    const res = await page.request.get(url, { headers });
    expect(res.status(), url).toBe(200);
    return res.json();
  };

  // The showback loop fills in the demo fleet's past, GPU metrics included,
  // shortly after start.
  let fleet: any;
  await expect(async () => {
    fleet = await get('/api/modelfleet/cost/fleet');
    expect(fleet.total.costUsd).toBeGreaterThan(0);
    expect(fleet.total.unusedUsd).toBeGreaterThan(0);
    expect(fleet.breakdown.unallocated).toBeDefined();
  }).toPass({ timeout: 300_000, intervals: [5_000] });

  // A roll-up may land between two reads: every figure of one pass is read
  // from the pages, then compared.
  await expect(async () => {
    await page.goto('/modelfleet');
    const total = page.getByTestId('fleet-cost-total');
    await expect(total).toBeVisible({ timeout: 30_000 });
    const fleetTotal = cents(await total.innerText());
    const fleetIdle = await cardFigures(page, 'fleet');

    // Team rows plus Unallocated are the fleet total, as is the Total row.
    const teamsTable = page.getByTestId('modelfleet-top-teams');
    const teamRows = teamsTable
      .locator('tbody tr')
      .filter({ has: page.locator('a') });
    const teams = new Map<string, Figures>();
    for (const row of await teamRows.all()) {
      const cells = await rowOf(teamsTable, row);
      teams.set(cells.name, await rowFigures(teamsTable, row));
    }
    expect(teams.size).toBeGreaterThan(1);
    const unallocatedRow = teamsTable.locator('tbody tr').filter({
      has: page.getByTestId('modelfleet-unallocated-row'),
    });
    const unallocated = await rowFigures(teamsTable, unallocatedRow);
    const totalRow = await rowFigures(
      teamsTable,
      teamsTable
        .locator('tbody tr')
        .filter({ has: page.getByTestId('modelfleet-total-row') }),
    );
    const teamSum = [...teams.values()].reduce((s, t) => s + t.cost!, 0);
    // Each row is rounded to the cent: the sum may be off by half a cent a row.
    const slack = Math.ceil((teams.size + 1) / 2);
    expect(
      Math.abs(teamSum + unallocated.cost! - fleetTotal),
    ).toBeLessThanOrEqual(slack);
    expect(totalRow.cost).toBe(fleetTotal);
    expect(totalRow.unallocated).toBe(fleetIdle.unallocated);
    expect(totalRow.unused).toBe(fleetIdle.unused);
    // Who pays Unallocated is said under the table.
    await expect(
      teamsTable.getByTestId('modelfleet-unallocated-paid-by'),
    ).toContainText(/pays it/);
    // And the pools whose capacity no model used (the demo's pools with no
    // model, under shared-proportionally), the largest first, each linked.
    const idlePools: Array<{ entityRef: string }> =
      fleet.breakdown.unallocated.pools;
    expect(idlePools.length).toBeGreaterThan(0);
    await expect(
      teamsTable
        .getByTestId('modelfleet-unallocated-pools')
        .locator(`a[href$="/gpupool/${nameOf(idlePools[0].entityRef)}"]`),
    ).toBeVisible();

    // The model with the most allocated-but-unused cost, its team and pool.
    const model = [...fleet.breakdown.models].sort(
      (a: any, b: any) => b.unusedUsd - a.unusedUsd,
    )[0];
    const modelName = nameOf(model.entityRef);
    const modelsTable = page.getByTestId('modelfleet-top-models');
    const onFleet = await rowFigures(
      modelsTable,
      entityRow(modelsTable, 'model', modelName),
    );
    const pool = fleet.breakdown.pools[0];
    const poolName = nameOf(pool.entityRef);
    const poolsTable = page.getByTestId('modelfleet-top-pools');
    const poolOnFleet = await rowFigures(
      poolsTable,
      entityRow(poolsTable, 'gpupool', poolName),
    );

    // Model page: the cost card and the utilization card.
    await page.goto(`/catalog/default/model/${modelName}`);
    const onModel = await cardFigures(page, 'model-cost');
    const unusedOnUtilization = cents(
      await page.getByTestId('model-unused-cost').innerText(),
    );

    // Group page: the team's figures and the model's row.
    const entity = await get(
      `/api/catalog/entities/by-name/model/default/${modelName}`,
    );
    const team = String(entity.spec.owner).replace(/^group:(default\/)?/, '');
    await page.goto(`/catalog/default/group/${team}`);
    const onGroup = await cardFigures(page, 'team');
    const groupTable = page
      .locator('table')
      .filter({ has: page.locator(`a[href$="/model/${modelName}"]`) })
      .last();
    const modelOnGroup = await rowFigures(
      groupTable,
      entityRow(groupTable, 'model', modelName),
    );

    // GpuPool page.
    await page.goto(`/catalog/default/gpupool/${poolName}`);
    const onPool = await cardFigures(page, 'gpupool');

    // The same idea shows the same figure wherever it is shown.
    expect(onModel).toEqual({
      unallocated: onFleet.unallocated,
      unused: onFleet.unused,
    });
    expect(unusedOnUtilization).toBe(onModel.unused);
    expect(modelOnGroup).toEqual(onFleet);
    expect(onGroup).toEqual({
      unallocated: teams.get(team)!.unallocated,
      unused: teams.get(team)!.unused,
    });
    expect(onPool).toEqual({
      unallocated: poolOnFleet.unallocated,
      unused: poolOnFleet.unused,
    });
    // The two ideas are different figures of the model.
    expect(onModel.unused).toBeGreaterThan(0);
  }).toPass({ timeout: 90_000 });

  await page.goto('/modelfleet');
  await page.getByTestId('modelfleet-top-teams').scrollIntoViewIfNeeded();
  await page.screenshot({
    path: test.info().outputPath('fleet-teams-unallocated.png'),
    fullPage: true,
  });
});
