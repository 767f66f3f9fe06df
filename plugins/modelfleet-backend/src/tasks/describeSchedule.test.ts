import { describeSchedule } from './describeSchedule';

describe('describeSchedule', () => {
  it.each([
    [
      { frequency: { minutes: 10 }, timeout: { minutes: 1 } },
      'every 10 minutes',
    ],
    [
      { frequency: { hours: 1, minutes: 30 }, timeout: { minutes: 1 } },
      'every 1 hour 30 minutes',
    ],
    [
      { frequency: { cron: '0 3 * * *' }, timeout: { minutes: 1 } },
      'cron 0 3 * * *',
    ],
    [
      { frequency: { trigger: 'manual' as const }, timeout: { minutes: 1 } },
      'manual trigger',
    ],
  ])('%j → %s', (schedule, text) => {
    expect(describeSchedule(schedule)).toBe(text);
  });
});
