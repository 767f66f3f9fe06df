import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

const UNITS: Array<[keyof HumanDuration, string]> = [
  ['years', 'year'],
  ['months', 'month'],
  ['weeks', 'week'],
  ['days', 'day'],
  ['hours', 'hour'],
  ['minutes', 'minute'],
  ['seconds', 'second'],
  ['milliseconds', 'millisecond'],
];

/** `{ hours: 1, minutes: 30 }` → `1 hour 30 minutes`. */
export function describeDuration(duration: HumanDuration): string {
  const parts = UNITS.filter(([key]) => duration[key]).map(
    ([key, unit]) =>
      `${duration[key]} ${unit}${duration[key] === 1 ? '' : 's'}`,
  );
  return parts.length ? parts.join(' ') : '0 seconds';
}

/** A schedule as a person would say it: `every 10 minutes`, `cron 0 3 * * *`. */
export function describeSchedule(
  schedule: SchedulerServiceTaskScheduleDefinition,
): string {
  const f = schedule.frequency;
  if ('cron' in f) return `cron ${f.cron}`;
  if ('trigger' in f) return 'manual trigger';
  if (typeof f === 'string') return `every ${f}`;
  return `every ${describeDuration(f as HumanDuration)}`;
}
