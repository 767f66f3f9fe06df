import { lastDays, monthToDate } from './period';

describe('monthToDate', () => {
  it('runs from the first of the month to tomorrow, in UTC', () => {
    expect(monthToDate(new Date('2026-12-06T02:31:00Z'))).toEqual({
      from: '2026-12-01',
      to: '2026-12-07',
    });
  });

  it('ends on the first of the next month on the last day of a month', () => {
    expect(monthToDate(new Date('2026-11-30T23:59:00Z'))).toEqual({
      from: '2026-11-01',
      to: '2026-12-01',
    });
  });
});

describe('lastDays', () => {
  it('covers today and the days before it', () => {
    expect(lastDays(new Date('2026-12-06T12:00:00Z'), 14)).toEqual({
      from: '2026-11-23',
      to: '2026-12-07',
    });
  });
});
