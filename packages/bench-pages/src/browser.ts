import { Browser, chromium, Page } from '@playwright/test';
import { RequestTiming } from './waterfall';

/** The flags Debian's Chromium runs with here, as in playwright.config.ts. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The ModelFleet cards of a Model page, by their `data-testid`. */
export const MODEL_CARDS = [
  'modelfleet-cost-card',
  'modelfleet-utilization-card',
  'modelfleet-activity-card',
  'modelfleet-hibernation-card',
  'modelfleet-arbitrage-card',
  'modelfleet-spot-card',
];

/** The parts of the Fleet page that read something, by their `data-testid`. */
export const FLEET_PARTS = [
  'modelfleet-at-a-glance',
  'modelfleet-fleet-cost',
  'modelfleet-moves-card',
];

/** How long a page may take before the bench gives up on it. */
const RENDER_TIMEOUT_MS = 60_000;

/** Debian's Chromium, headless, with a window as wide as the e2e tests'. */
export async function launch(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** Signs in as the guest user, as a person does: the Enter button. */
export async function signInAsGuest(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByRole('button', { name: 'Enter' }).click({ timeout: 30_000 });
  await page.locator('a[href="/modelfleet"]').waitFor({ timeout: 30_000 });
}

/** The signed-in guest's token, for calls to the API. */
export async function guestToken(page: Page, base: string): Promise<string> {
  const res = await page.request.get(`${base}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok()) {
    throw new Error(
      `guest sign-in answered ${res.status()}: is --base a portal?`,
    );
  }
  return (await res.json()).backstageIdentity.token;
}

/** The catalog's first Model by name. */
export async function firstModel(
  page: Page,
  base: string,
): Promise<{ namespace: string; name: string }> {
  const token = await guestToken(page, base);
  const res = await page.request.get(
    `${base}/api/catalog/entities/by-query?filter=kind=model&orderField=metadata.name,asc&limit=1`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  const item = res.ok() ? (await res.json()).items?.[0] : undefined;
  if (!item) {
    throw new Error(
      `the catalog at ${base} has no Model yet (${res.status()}); wait for it to process its locations or give --model`,
    );
  }
  return {
    namespace: item.metadata.namespace ?? 'default',
    name: item.metadata.name,
  };
}

/**
 * Navigates within the single-page app, as a link does (the history API and
 * a popstate event, which React Router follows). Returns the page's clock
 * when the navigation started.
 */
export async function spaNavigate(page: Page, path: string): Promise<number> {
  return page.evaluate(to => {
    const started = performance.now();
    // A new page: the parts' times of the last one are forgotten.
    delete (window as unknown as { modelfleetBenchReady?: unknown })
      .modelfleetBenchReady;
    window.history.pushState({}, '', to);
    window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
    return started;
  }, path);
}

/** When a page showed all its parts, and each of them, on its clock. */
export interface Rendered {
  at: number;
  readyAt: Record<string, number>;
}

/**
 * Waits until every part (by `data-testid`) shows its content: it is on the
 * page, has a `data-modelfleet-state` mark and all its marks are `ready`.
 * Returns the page's clock at that moment and when each part first showed
 * its content (polled every animation frame).
 * Throws naming the parts that show an error, or that are still loading
 * after a minute.
 */
export async function waitRendered(
  page: Page,
  parts: string[],
): Promise<Rendered> {
  const states = () =>
    page.evaluate(ids => {
      return ids.map(id => {
        const el = document.querySelector(`[data-testid="${id}"]`);
        if (!el) return `${id}: not on the page`;
        const marks = [el, ...Array.from(el.querySelectorAll('*'))]
          .map(e => e.getAttribute('data-modelfleet-state'))
          .filter(s => s !== null);
        return `${id}: ${marks.length ? marks.join(', ') : 'no state'}`;
      });
    }, parts);
  let result;
  try {
    result = await page.waitForFunction(
      ids => {
        const w = window as unknown as {
          modelfleetBenchReady?: Record<string, number>;
        };
        const readyAt = (w.modelfleetBenchReady ??= {});
        let failed = '';
        let done = true;
        for (const id of ids) {
          const el = document.querySelector(`[data-testid="${id}"]`);
          const marks = el
            ? [el, ...Array.from(el.querySelectorAll('*'))]
                .map(e => e.getAttribute('data-modelfleet-state'))
                .filter(s => s !== null)
            : [];
          if (marks.includes('error')) failed = id;
          if (marks.length > 0 && marks.every(s => s === 'ready')) {
            readyAt[id] ??= performance.now();
          } else {
            done = false;
          }
        }
        if (failed) return { failed };
        return done ? { at: performance.now(), readyAt } : false;
      },
      parts,
      { polling: 'raf', timeout: RENDER_TIMEOUT_MS },
    );
  } catch (e) {
    throw new Error(
      `${page.url()} did not render within ${RENDER_TIMEOUT_MS / 1000} s: ${(
        await states()
      ).join('; ')}`,
    );
  }
  const value = (await result.jsonValue()) as {
    at?: number;
    readyAt?: Record<string, number>;
    failed?: string;
  };
  if (value.failed) {
    throw new Error(
      `${page.url()}: ${value.failed} shows an error: ${(await states()).join(
        '; ',
      )}`,
    );
  }
  return { at: value.at!, readyAt: value.readyAt! };
}

/**
 * Waits until the page has had no request in flight for `quietMs` (at most
 * `maxMs`), so the next measurement does not share the network with the
 * last page's stragglers.
 */
export function settler(page: Page) {
  const inFlight = new Set<unknown>();
  page.on('request', r => inFlight.add(r));
  page.on('requestfinished', r => inFlight.delete(r));
  page.on('requestfailed', r => inFlight.delete(r));
  return async (quietMs = 500, maxMs = 20_000) => {
    const end = Date.now() + maxMs;
    let quietSince = Date.now();
    while (Date.now() < end) {
      if (inFlight.size > 0) quietSince = Date.now();
      else if (Date.now() - quietSince >= quietMs) return;
      await new Promise(r => setTimeout(r, 50));
    }
  };
}

/**
 * The requests the page made from `since` (its clock) on, with times
 * relative to `since`: the document's own request first on a fresh load.
 */
export async function requestsSince(
  page: Page,
  since: number,
): Promise<RequestTiming[]> {
  return page.evaluate(from => {
    const entries = [
      ...performance.getEntriesByType('navigation'),
      ...performance.getEntriesByType('resource'),
    ] as PerformanceResourceTiming[];
    return entries
      .filter(e => e.startTime >= from)
      .map(e => ({
        url: e.name,
        start: e.startTime - from,
        end: e.responseEnd - from,
        bytes: e.transferSize,
        initiator: e.initiatorType,
      }));
  }, since);
}
