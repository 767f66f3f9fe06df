/** Readers of the config of the backend's action, hibernation and arbitrage loops. */
import { RootConfigService } from '@backstage/backend-plugin-api';
import type { ModelFleetBackendConfig } from './config';
import {
  DEFAULT_ARBITRAGE_SCHEDULE,
  DEFAULT_HIBERNATION_SCHEDULE,
  DEFAULT_SPOT_FALLBACK_SCHEDULE,
  DEFAULT_POOL_HISTORY_SCHEDULE,
} from './configDefaults';
import { atKey, readSchedule, readWholeNumber } from './configReaders';

/** `modelfleet.actions`: the action loop's lease, polling and retries. */
export function readActionsConfig(
  config: RootConfigService,
): ModelFleetBackendConfig['actions'] {
  const seconds = (key: string, fallback: number, min: number, max: number) =>
    readWholeNumber(config, `modelfleet.actions.${key}`, fallback, min, max) *
    1000;
  const leaseMs = seconds('leaseSeconds', 60, 5, 3600);
  const baseDelayMs = seconds('retry.baseDelaySeconds', 2, 1, 3600);
  const maxDelayMs = seconds('retry.maxDelaySeconds', 60, 1, 86_400);
  if (maxDelayMs < baseDelayMs) {
    throw new Error(
      `Invalid app-config at modelfleet.actions.retry.maxDelaySeconds: must be at least retry.baseDelaySeconds (${
        baseDelayMs / 1000
      }), got ${maxDelayMs / 1000}`,
    );
  }
  const runner = atKey('modelfleet.actions.runner', () =>
    config.getOptionalBoolean('modelfleet.actions.runner'),
  );
  return {
    runner: runner ?? true,
    leaseMs,
    pollMs: seconds('pollSeconds', 2, 1, 300),
    maxAttempts: readWholeNumber(
      config,
      'modelfleet.actions.retry.maxAttempts',
      5,
      1,
      100,
    ),
    baseDelayMs,
    maxDelayMs,
  };
}

/** `modelfleet.hibernation`: the hibernation loop's schedule and history. */
export function readHibernationConfig(
  config: RootConfigService,
): ModelFleetBackendConfig['hibernation'] {
  return {
    schedule: readSchedule(
      config,
      'modelfleet.hibernation',
      DEFAULT_HIBERNATION_SCHEDULE,
    ),
    historyHours: readWholeNumber(
      config,
      'modelfleet.hibernation.historyHours',
      48,
      1,
      336,
    ),
    stepSeconds: readWholeNumber(
      config,
      'modelfleet.hibernation.stepSeconds',
      60,
      10,
      3600,
    ),
    defaultLoadSeconds: readWholeNumber(
      config,
      'modelfleet.hibernation.defaultLoadSeconds',
      90,
      1,
      3600,
    ),
  };
}

/** `modelfleet.arbitrage`: the arbitrage and spot fallback loops. */
export function readArbitrageConfig(
  config: RootConfigService,
): ModelFleetBackendConfig['arbitrage'] {
  return {
    schedule: readSchedule(
      config,
      'modelfleet.arbitrage',
      DEFAULT_ARBITRAGE_SCHEDULE,
    ),
    provisioningSeconds: readWholeNumber(
      config,
      'modelfleet.arbitrage.provisioningSeconds',
      180,
      0,
      3600,
    ),
    drainSeconds: readWholeNumber(
      config,
      'modelfleet.arbitrage.drainSeconds',
      60,
      0,
      3600,
    ),
    paybackHorizonHours: readWholeNumber(
      config,
      'modelfleet.arbitrage.paybackHorizonHours',
      168,
      1,
      8760,
    ),
    minAvailability:
      readWholeNumber(
        config,
        'modelfleet.arbitrage.minAvailabilityPercent',
        99,
        50,
        100,
      ) / 100,
    spotFallback: {
      schedule: readSchedule(
        config,
        'modelfleet.arbitrage.spotFallback',
        DEFAULT_SPOT_FALLBACK_SCHEDULE,
      ),
      launchTimeoutSeconds: readWholeNumber(
        config,
        'modelfleet.arbitrage.spotFallback.launchTimeoutSeconds',
        300,
        30,
        3600,
      ),
    },
    poolHistory: {
      schedule: readSchedule(
        config,
        'modelfleet.arbitrage.poolHistory',
        DEFAULT_POOL_HISTORY_SCHEDULE,
      ),
      priorNodeHours: readWholeNumber(
        config,
        'modelfleet.arbitrage.poolHistory.priorNodeHours',
        730,
        0,
        87600,
      ),
    },
  };
}
