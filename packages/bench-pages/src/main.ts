/* eslint-disable no-console */
/*
 * yarn bench:pages — how long the portal's Model page takes to show all its
 * ModelFleet cards (cost, utilization, activity, hibernation, where it could
 * run, spot) with their content rather than a progress bar, and the Fleet
 * page its overview, cost and moves, in Debian's Chromium against a running
 * portal (--base, default http://localhost:7007), signed in as the guest:
 *
 * - model page, from another page: navigation within the app (as a link
 *   does) from the catalog to the Model page; goal 1 s;
 * - model page, new tab: the Model page's URL opened in a new tab of the
 *   signed-in browser (its HTTP cache as it is); goal 2 s;
 * - model page, new tab, nothing cached: the same with the HTTP cache off,
 *   a first visit (no goal; shown for the bundle sizes' sake);
 * - fleet page, from another page: navigation within the app from the
 *   Model page to the Fleet page.
 *
 * A card shows its content when its `data-modelfleet-state` marks are all
 * `ready` (plugins/modelfleet CardBody); a card showing an error fails the
 * bench. Each figure is measured on the page's own clock, polled every
 * animation frame. --waterfall prints the requests of the last load of each
 * kind, the profile of where the time goes.
 *
 * The last line: `pages: model_ms_p50=… model_cold_ms_p50=… fleet_ms_p50=…`.
 */
import { Browser, BrowserContext, Page } from '@playwright/test';
import {
  FLEET_PARTS,
  firstModel,
  launch,
  MODEL_CARDS,
  requestsSince,
  settler,
  signInAsGuest,
  spaNavigate,
  waitRendered,
} from './browser';
import { BenchOptions, OptionError, parseOptions, USAGE } from './options';
import { Figure, figureLine, fmtMs, summaryLine } from './stats';
import { cardTimes, formatWaterfall, RequestTiming } from './waterfall';

/** The goals for the Model page. */
export const WARM_GOAL_MS = 1000;
export const COLD_GOAL_MS = 2000;

/** The page the in-app navigations start from. */
const FROM_PATH = '/catalog';

interface Load {
  ms: number;
  /** When each card showed its content, ms from the navigation. */
  cards: Record<string, number>;
  requests: RequestTiming[];
}

const VIEWPORT = { width: 1440, height: 900 };

/** A browser context that keeps every request of a load in its timings. */
async function newContext(
  browser: Browser,
  storageState?: Awaited<ReturnType<BrowserContext['storageState']>>,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    storageState,
  });
  await context.addInitScript(() =>
    performance.setResourceTimingBufferSize(5000),
  );
  return context;
}

/**
 * Opens `url` in a new tab: of the signed-in `context` (its HTTP cache as
 * it is), or with `cache` false of a new browser context signed in as the
 * same user (its cookies and local storage) with an empty HTTP cache.
 */
async function newTabLoad(
  browser: Browser,
  context: BrowserContext,
  url: string,
  cache: boolean,
): Promise<Load> {
  const owner = cache
    ? context
    : await newContext(browser, await context.storageState());
  const tab = await owner.newPage();
  try {
    await tab.goto(url, { waitUntil: 'commit' });
    // The page's clock starts with its navigation.
    const { at, readyAt } = await waitRendered(tab, MODEL_CARDS);
    return { ms: at, cards: readyAt, requests: await requestsSince(tab, 0) };
  } finally {
    await tab.close();
    if (owner !== context) await owner.close();
  }
}

/** Navigates within the app to `path` and waits for its `parts`. */
async function spaLoad(
  page: Page,
  path: string,
  parts: string[],
): Promise<Load> {
  const started = await spaNavigate(page, path);
  const { at, readyAt } = await waitRendered(page, parts);
  return {
    ms: at - started,
    cards: Object.fromEntries(
      Object.entries(readyAt).map(([id, t]) => [id, t - started]),
    ),
    requests: await requestsSince(page, started),
  };
}

export async function runBench(options: BenchOptions): Promise<string> {
  const { base, runs } = options;
  const browser = await launch(options.chromium);
  try {
    const context = await newContext(browser);
    const page = await context.newPage();
    const settle = settler(page);
    await signInAsGuest(page, base);
    const model = options.model ?? (await firstModel(page, base));
    const modelPath = `/catalog/${model.namespace}/model/${model.name}`;
    console.log(
      `bench:pages against ${base}: Model ${model.namespace}/${
        model.name
      }, ${runs} runs, Chromium ${browser.version()}`,
    );

    await page.goto(`${base}${FROM_PATH}`);
    await settle();
    const warm: Load[] = [];
    const fleet: Load[] = [];
    const cold: Load[] = [];
    const uncached: Load[] = [];
    for (let run = 1; run <= runs; run++) {
      warm.push(await spaLoad(page, modelPath, MODEL_CARDS));
      await settle();
      fleet.push(await spaLoad(page, '/modelfleet', FLEET_PARTS));
      await settle();
      await spaNavigate(page, FROM_PATH);
      await settle();

      cold.push(
        await newTabLoad(browser, context, `${base}${modelPath}`, true),
      );
      uncached.push(
        await newTabLoad(browser, context, `${base}${modelPath}`, false),
      );
      console.log(
        `run ${run}/${runs}: model ${fmtMs(
          warm[run - 1].ms,
        )} ms, new tab ${fmtMs(cold[run - 1].ms)} ms, nothing cached ${fmtMs(
          uncached[run - 1].ms,
        )} ms, fleet ${fmtMs(fleet[run - 1].ms)} ms`,
      );
    }

    const figures: Figure[] = [
      {
        key: 'warm',
        label: 'model page, from another page',
        ms: warm.map(l => l.ms),
        goalMs: WARM_GOAL_MS,
      },
      {
        key: 'cold',
        label: 'model page, new tab',
        ms: cold.map(l => l.ms),
        goalMs: COLD_GOAL_MS,
      },
      {
        key: 'uncached',
        label: 'model page, new tab, nothing cached',
        ms: uncached.map(l => l.ms),
      },
      {
        key: 'fleet',
        label: 'fleet page, from another page',
        ms: fleet.map(l => l.ms),
      },
    ];
    for (const figure of figures) console.log(figureLine(figure));

    if (options.waterfall) {
      const last = <T>(xs: T[]) => xs[xs.length - 1];
      for (const [label, load] of [
        ['model page, from another page', last(warm)],
        ['model page, new tab', last(cold)],
        ['model page, new tab, nothing cached', last(uncached)],
        ['fleet page, from another page', last(fleet)],
      ] as const) {
        console.log(`requests of the last load, ${label}:`);
        for (const line of formatWaterfall(load.requests, base, load.ms)) {
          console.log(line);
        }
        console.log(`  ${cardTimes(load.cards)}`);
      }
    }
    return summaryLine({
      warm: warm.map(l => l.ms),
      cold: cold.map(l => l.ms),
      fleet: fleet.map(l => l.ms),
    });
  } finally {
    await browser.close();
  }
}

/** Runs the bench with a command line; its last line is the summary. */
export function runCli(argv: string[]): void {
  let options: BenchOptions;
  try {
    options = parseOptions(argv, process.env);
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    console.error(
      e.message.includes('usage:') ? e.message : `${e.message}\n${USAGE}`,
    );
    process.exit(2);
  }
  runBench(options).then(
    line => console.log(line),
    error => {
      console.error(`bench:pages failed: ${error.message ?? error}`);
      console.log(summaryLine({ warm: [], cold: [], fleet: [] }));
      process.exit(1);
    },
  );
}
