import { renderTestApp } from '@backstage/frontend-test-utils';
import { waitFor } from '@testing-library/react';
import plugin from './alpha';
import { modelfleetApiRef } from './api';
import { mockModelFleetApi } from './__testUtils__/fixtures';
import { modelPageModules, preloadWhenIdle } from './preload';

// Which of the Model page's modules have been loaded (each module's factory
// runs on its first import).
const mockLoaded: string[] = [];
jest.mock('./components/EntityModelCostCard', () => {
  mockLoaded.push('cost');
  return {};
});
jest.mock('./components/EntityModelUtilizationCard', () => {
  mockLoaded.push('utilization');
  return {};
});
jest.mock('./components/EntityModelActivityCard', () => {
  mockLoaded.push('activity');
  return {};
});
jest.mock('./components/EntityModelHibernationCard', () => {
  mockLoaded.push('hibernation');
  return {};
});
jest.mock('./components/EntityModelArbitrageCard', () => {
  mockLoaded.push('arbitrage');
  return {};
});
jest.mock('./components/EntityModelSpotCard', () => {
  mockLoaded.push('spot');
  return {};
});
jest.mock('./components/Recommendations', () => {
  mockLoaded.push('recommendations');
  return {};
});
jest.mock('recharts', () => {
  mockLoaded.push('recharts');
  return {};
});

type IdleCallback = () => void;

describe('the Model page preload', () => {
  afterEach(() => {
    jest.useRealTimers();
    delete (window as any).requestIdleCallback;
    delete (window as any).cancelIdleCallback;
  });

  it('loads the cards and charts of a Model page when the app starts, on any page', async () => {
    expect(
      plugin.getExtension('app-root-element:modelfleet/preload-model-page'),
    ).toBeDefined();
    renderTestApp({
      features: [plugin],
      apis: [[modelfleetApiRef, mockModelFleetApi()]],
    });
    await waitFor(() =>
      expect([...mockLoaded].sort()).toEqual([
        'activity',
        'arbitrage',
        'cost',
        'hibernation',
        'recharts',
        'recommendations',
        'spot',
        'utilization',
      ]),
    );
    expect(modelPageModules).toHaveLength(8);
  });

  it('waits for the browser to be idle, within a second, and can be cancelled before', () => {
    const callbacks: IdleCallback[] = [];
    const requestIdleCallback = jest.fn(
      (cb: IdleCallback, _options?: { timeout: number }) => callbacks.push(cb),
    );
    const cancelIdleCallback = jest.fn();
    Object.assign(window, { requestIdleCallback, cancelIdleCallback });
    const modules = [jest.fn(async () => 'a'), jest.fn(async () => 'b')];

    const cancel = preloadWhenIdle(modules);
    expect(requestIdleCallback).toHaveBeenCalledWith(expect.any(Function), {
      timeout: 1000,
    });
    expect(modules[0]).not.toHaveBeenCalled();
    callbacks[0]();
    for (const module of modules) expect(module).toHaveBeenCalledTimes(1);

    preloadWhenIdle(modules)();
    expect(cancelIdleCallback).toHaveBeenCalledWith(2);
    expect(cancel).toBeInstanceOf(Function);
  });

  it('falls back to the next task without requestIdleCallback, and ignores a module that fails to load', async () => {
    jest.useFakeTimers();
    const failing = jest.fn(() => Promise.reject(new Error('chunk gone')));
    const next = jest.fn(async () => 'ok');
    preloadWhenIdle([failing, next]);
    expect(failing).not.toHaveBeenCalled();
    jest.runOnlyPendingTimers();
    expect(failing).toHaveBeenCalledTimes(1);
    expect(next).toHaveBeenCalledTimes(1);
    // The rejection is handled: nothing reaches the console or the test.
    await Promise.resolve();

    const skipped = jest.fn(async () => 'never');
    preloadWhenIdle([skipped])();
    jest.runOnlyPendingTimers();
    expect(skipped).not.toHaveBeenCalled();
  });
});
