import fs from 'node:fs';
import path from 'node:path';
import { expect, Page, test as base } from '@playwright/test';
import { parse } from 'yaml';

/**
 * Playwright's `test`, failing any test during which the page logged a
 * console error or threw an uncaught exception.
 */
export const test = base.extend<{ browserErrors: string[] }>({
  browserErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', msg => {
        if (msg.type() === 'error') errors.push(`console error: ${msg.text()}`);
      });
      page.on('pageerror', error => errors.push(`uncaught: ${error.message}`));
      await use(errors);
      expect(errors, 'browser errors during the test').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** The sidebar entry of the ModelFleet page. */
export const modelFleetNavLink = (page: Page) =>
  page.locator('a[href="/modelfleet"]');

/** Signs in as the guest user and waits for the sidebar. */
export async function signInAsGuest(page: Page): Promise<void> {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(modelFleetNavLink(page)).toBeVisible();
}

/**
 * Waits until the backend has synced the clusters and loaded the prices
 * once (their loops' first runs succeeded): before that, the GPU pool
 * picker rightly finds no priced pool. Signs in as the guest first.
 */
export async function waitForFleetReady(page: Page): Promise<void> {
  const token = await guestToken(page);
  await expect(async () => {
    const res = await page.request.get('/api/modelfleet/status', {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status()).toBe(200);
    const tasks: Array<{ id: string; lastRun?: { status: string } }> = (
      await res.json()
    ).tasks;
    for (const id of ['modelfleet-cluster-sync', 'modelfleet-price-refresh']) {
      expect(tasks.find(t => t.id === id)?.lastRun?.status, id).toBe(
        'succeeded',
      );
    }
  }).toPass({ timeout: 180_000, intervals: [1_000, 2_000, 5_000] });
}

/** The signed-in guest's Backstage token, for calls to the API. */
export async function guestToken(page: Page): Promise<string> {
  const refresh = await page.request.get('/api/auth/guest/refresh', {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  return (await refresh.json()).backstageIdentity.token as string;
}

/** A model as the signed-in guest reads it through the API. */
export interface ModelReader {
  /** The guest's Authorization header, for requests of a test's own. */
  headers(): Promise<{ Authorization: string }>;
  /** `GET /models/:namespace/:name/hibernation`, expected 200. */
  hibernation(): Promise<any>;
  /** `GET /actions?entity=` of the model, expected 200. */
  actions(): Promise<
    Array<{
      id: string;
      kind: string;
      state: string;
      requestedBy: string;
      steps: Array<{ do: Record<string, unknown> }>;
    }>
  >;
}

/** Reads a model's hibernation report and actions as the signed-in guest. */
export async function modelReader(
  page: Page,
  model: { namespace: string; name: string },
): Promise<ModelReader> {
  const headers = { Authorization: `Bearer ${await guestToken(page)}` };
  const get = async (url: string) => {
    const res = await page.request.get(url, { headers });
    expect(res.status()).toBe(200);
    return res.json();
  };
  return {
    headers: async () => headers,
    hibernation: () =>
      get(
        `/api/modelfleet/models/${model.namespace}/${model.name}/hibernation`,
      ),
    actions: async () =>
      (
        await get(
          `/api/modelfleet/actions?entity=model:${model.namespace}/${model.name}`,
        )
      ).actions,
  };
}

/** The simulator's admin token (its `system:masters` user). */
export const SIM_ADMIN = { Authorization: 'Bearer sim-admin-token' };

/** The URL of a demo cluster, as app-config gives it to the backend. */
export function clusterUrl(name: string): string {
  const config = parse(
    fs.readFileSync(path.resolve(__dirname, '../app-config.yaml'), 'utf8'),
  );
  for (const method of config.kubernetes.clusterLocatorMethods) {
    for (const c of method.clusters ?? []) {
      if (c.name === name) return c.url;
    }
  }
  throw new Error(`app-config.yaml has no cluster ${name}`);
}
