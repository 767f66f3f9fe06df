import { AppRootElementBlueprint } from '@backstage/frontend-plugin-api';
import { useEffect } from 'react';

/**
 * The code a Model page needs beyond the catalog's: its ModelFleet cards
 * (the modules the entity cards' loaders in alpha.tsx import: the same
 * chunks) and the chart library their charts draw with (the charts'
 * module, `CostCommon/charts`, is a small chunk of its own that
 * `CostCommon/LazyCharts` loads; the library is the vendor chunk it shares
 * with this import).
 */
export const modelPageModules: ReadonlyArray<() => Promise<unknown>> = [
  () => import('./components/EntityModelCostCard'),
  () => import('./components/EntityModelUtilizationCard'),
  () => import('./components/EntityModelActivityCard'),
  () => import('./components/EntityModelHibernationCard'),
  () => import('./components/EntityModelArbitrageCard'),
  () => import('./components/EntityModelSpotCard'),
  () => import('./components/Recommendations'),
  () => import('recharts'),
];

/** How long the preload waits for the browser to be idle at most. */
export const PRELOAD_TIMEOUT_MS = 1000;

type IdleWindow = {
  requestIdleCallback?: (
    callback: () => void,
    options?: { timeout: number },
  ) => number;
  cancelIdleCallback?: (handle: number) => void;
};

/**
 * Loads `modules` as soon as the browser is idle (within `timeoutMs`),
 * ignoring failures: the loaders that need a module load it again and
 * report the error where it is shown. Returns a function that cancels the
 * preload if it has not started.
 */
export function preloadWhenIdle(
  modules: ReadonlyArray<() => Promise<unknown>>,
  timeoutMs: number = PRELOAD_TIMEOUT_MS,
): () => void {
  const load = () => {
    for (const module of modules) module().catch(() => {});
  };
  const w = window as unknown as IdleWindow;
  if (w.requestIdleCallback && w.cancelIdleCallback) {
    const handle = w.requestIdleCallback(load, { timeout: timeoutMs });
    return () => w.cancelIdleCallback!(handle);
  }
  const handle = setTimeout(load, 0);
  return () => clearTimeout(handle);
}

/** Starts the Model page's preload once the app has rendered. */
const PreloadModelPage = () => {
  useEffect(() => preloadWhenIdle(modelPageModules), []);
  return null;
};

/**
 * An element at the app root that loads the Model page's cards and charts
 * while the app starts, whatever page it opens on. Loaded by the cards'
 * loaders instead, they were asked for only once the catalog had answered
 * with the entity and drawn its page, and the charts only once a card had
 * its figures: two more rounds before the cards could show.
 */
export const preloadModelPage = AppRootElementBlueprint.make({
  name: 'preload-model-page',
  params: { element: <PreloadModelPage /> },
});
