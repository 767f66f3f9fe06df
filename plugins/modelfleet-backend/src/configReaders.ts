/** Readers of app-config values for the backend's config: key-named errors, bounded whole numbers and task schedules. */
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';

/** Runs `read`, and throws its error as one of the app-config at `key`. */
export function atKey<T>(key: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Invalid app-config at ${key}: ${reason}`);
  }
}

/** A whole number from `min` to `max` at `key`, or `fallback` when unset. */
export function readWholeNumber(
  config: RootConfigService,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = atKey(key, () => config.getOptionalNumber(key));
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `Invalid app-config at ${key}: must be a whole number from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

/** Seconds between runs of a schedule given as a duration; 60 for a cron. */
export function frequencySeconds(
  s: SchedulerServiceTaskScheduleDefinition,
): number {
  const f = s.frequency as any;
  if (typeof f !== 'object' || 'cron' in f || 'trigger' in f) return 60;
  if (typeof f.toMillis === 'function') return Math.round(f.toMillis() / 1000);
  const units: Record<string, number> = {
    years: 31_536_000,
    months: 2_592_000,
    weeks: 604_800,
    days: 86_400,
    hours: 3600,
    minutes: 60,
    seconds: 1,
    milliseconds: 0.001,
  };
  const total = Object.entries(f).reduce(
    (sum, [k, v]) => sum + (units[k] ?? 0) * Number(v),
    0,
  );
  return Math.max(1, Math.round(total));
}

/** `<section>.schedule` when set, else the loop's default. */
export function readSchedule(
  config: RootConfigService,
  section: string,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  const c = config.getOptionalConfig(section);
  return c?.has('schedule')
    ? atKey(`${section}.schedule`, () =>
        readSchedulerServiceTaskScheduleDefinitionFromConfig(
          c.getConfig('schedule'),
        ),
      )
    : fallback;
}
